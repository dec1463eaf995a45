"""Helpers of the integration tests: reading topics back, numbered records, the CLI, workers."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import orjson
from aiokafka import AIOKafkaConsumer

from streams.commands.demo import worker_process
from streams.commands.produce import RawRecord
from streams.runtime.kafka import client_kwargs
from streams.settings import Settings

Record = tuple[bytes | None, dict[str, object]]


async def read_topics(
    settings: Settings,
    topics: list[str],
    done: Callable[[dict[str, list[Record]]], bool],
    timeout: float,
    settle: float = 2.0,
) -> dict[str, list[Record]]:
    """Read `topics` from the beginning until `done` holds (then `settle` s more) or timeout."""
    consumer = AIOKafkaConsumer(
        *topics, **client_kwargs(settings), group_id=None, auto_offset_reset="earliest"
    )
    await consumer.start()
    seen: dict[str, list[Record]] = {t: [] for t in topics}
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    settle_until: float | None = None
    try:
        while loop.time() < deadline:
            if settle_until is not None and loop.time() >= settle_until:
                break
            batches = await consumer.getmany(timeout_ms=300)
            for tp, records in batches.items():
                for record in records:
                    seen[tp.topic].append((record.key, orjson.loads(record.value or b"null")))
            if settle_until is None and done(seen):
                settle_until = loop.time() + settle
    finally:
        await consumer.stop()
    return seen


def run_cli(
    args: list[str], env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run `newsstream ARGS` with extra environment variables; output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "streams", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **env},
        check=False,
    )


def newsstream_worker(
    env: dict[str, str], log_path: Path
) -> AbstractContextManager[subprocess.Popen[bytes]]:
    """`newsstream worker` with `env` (a `worker_env`, broker included), output to `log_path`.

    It runs in a process group of its own, stopped when the block ends (SIGTERM, SIGKILL after
    15 s); `returncode` then says how it ended, and `poll()` inside the block whether it lives.
    """
    return worker_process(env["NEWSSTREAM_BROKER"], log_path=log_path, extra_env=env)


def numbered_records(count: int) -> list[RawRecord]:
    """`count` small raw articles keyed key-N with ids doc-N."""
    return [
        RawRecord(f"key-{i}".encode(), orjson.dumps({"id": f"doc-{i}", "body": f"Line {i}."}))
        for i in range(count)
    ]


def round_trip(settings: Settings, records: list[RawRecord]) -> list[tuple[bytes | None, str]]:
    """Read the raw topic back from the beginning until `records` are all there."""
    seen = asyncio.run(
        read_topics(
            settings,
            [settings.topic_raw],
            lambda got: len(got[settings.topic_raw]) >= len(records),
            timeout=30,
            settle=0.5,
        )
    )
    return sorted((key, str(value["id"])) for key, value in seen[settings.topic_raw])


def keyed_ids(records: list[RawRecord]) -> list[tuple[bytes | None, str]]:
    """The sorted (key, id) pairs of `records`, as `round_trip` returns them once all are back."""
    return sorted((r.key, str(orjson.loads(r.value)["id"])) for r in records)
