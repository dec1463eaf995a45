"""Shared parts of the fault-injection tests: inputs, workers, the account of outputs, checks."""

from __future__ import annotations

import asyncio
import base64
import subprocess
import time
from collections import Counter
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

import orjson
import pytest

from streams.commands.produce import (
    RawRecord,
    iter_file_messages,
    produce_records,
    sample_feed_path,
)
from streams.settings import Settings
from tests.support.brokers import worker_env
from tests.support.kafka_io import Record, newsstream_worker, read_topics

#: One input in this many is a bad message (dead-lettered, identified by its key).
BAD_EVERY = 50


def fault_inputs(count: int) -> list[RawRecord]:
    """`count` inputs keyed `in-<n>`: sample-feed stories with id = key, and some bad ones."""
    feed = [orjson.loads(r.value) for r in iter_file_messages(sample_feed_path())]
    records = []
    for i in range(count):
        key = f"in-{i}"
        if i % BAD_EVERY == BAD_EVERY - 1:
            records.append(RawRecord(key.encode(), b"\xff\xfe not UTF-8 " + key.encode()))
            continue
        value = feed[i % len(feed)]
        if isinstance(value, str):
            field = "html" if value.lstrip().startswith("<") else "body"
            value = {field: value}
        records.append(RawRecord(key.encode(), orjson.dumps({**value, "id": key})))
    return records


@dataclass
class Account:
    """What came out for the inputs: every input once at least, duplicates allowed."""

    produced: int
    enriched: int
    dead_lettered: int
    duplicates: int
    lost: int

    def line(self, name: str) -> str:
        return (
            f"{name}: produced {self.produced}, enriched {self.enriched}, dead-lettered "
            f"{self.dead_lettered}, duplicates {self.duplicates}, lost {self.lost}"
        )


def account(inputs: list[RawRecord], seen: dict[str, list[Record]], settings: Settings) -> Account:
    """Match outputs to inputs by id (enriched) and by original key (dead letters)."""
    enriched = Counter(str(v["article_id"]) for _, v in seen[settings.topic_enriched])
    dead = Counter(
        base64.b64decode(str(v["key_b64"])).decode() for _, v in seen[settings.topic_deadletter]
    )
    keys = {r.key.decode() for r in inputs if r.key}
    covered = (set(enriched) | set(dead)) & keys
    duplicates = sum(n - 1 for n in enriched.values()) + sum(n - 1 for n in dead.values())
    return Account(len(inputs), len(enriched), len(dead), duplicates, len(keys - covered))


def report(capsys: pytest.CaptureFixture[str], text: str, log: Path | None = None) -> None:
    """Print a fault test's figures even when output is captured."""
    with capsys.disabled():
        print(f"\n[fault] {text}")
    if log is not None and log.exists():
        log.with_suffix(".figures").write_text(text + "\n")


def elapsed_since(started: float) -> str:
    return f"{time.monotonic() - started:.1f} s"


@dataclass
class FaultRun:
    """One fault test: its fault, its inputs (already produced), and its worker processes.

    A test starts workers, strikes, reads every output (`read_all`) and ends with `conclude`,
    which prints the figures and asserts that nothing was lost and the worker lived on.
    """

    fault: str  # what the test does, the start of its figures line
    settings: Settings
    inputs: list[RawRecord]
    tmp_path: Path
    log: Path  # the surviving worker's log; the figures go next to it
    capsys: pytest.CaptureFixture[str]
    started: float

    @classmethod
    def produce(
        cls,
        fault: str,
        settings: Settings,
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
        count: int,
        log_name: str = "worker.log",
    ) -> FaultRun:
        """Produce `count` fault inputs to the raw topic; the clock starts before that."""
        inputs = fault_inputs(count)
        started = time.monotonic()
        assert asyncio.run(produce_records(settings, inputs)) == len(inputs)
        return cls(fault, settings, inputs, tmp_path, tmp_path / log_name, capsys, started)

    def worker(
        self, log_name: str | None = None
    ) -> AbstractContextManager[subprocess.Popen[bytes]]:
        """A worker on these settings, logging to `log_name` (default: the run's log)."""
        log = self.tmp_path / log_name if log_name else self.log
        return newsstream_worker(worker_env(self.settings, self.tmp_path), log)

    def wait_for_outputs(self, count: int, timeout: float = 120) -> int:
        """Block until `count` outputs exist (to strike mid-stream); how many there were."""
        seen = asyncio.run(
            read_topics(
                self.settings,
                [self.settings.topic_enriched, self.settings.topic_deadletter],
                lambda s: sum(len(v) for v in s.values()) >= count,
                timeout=timeout,
                settle=0.0,
            )
        )
        return sum(len(v) for v in seen.values())

    def read_all(self, timeout: float) -> dict[str, list[Record]]:
        """Read the output topics until every input has an output (or the timeout)."""
        return asyncio.run(
            read_topics(
                self.settings,
                [self.settings.topic_enriched, self.settings.topic_deadletter],
                lambda seen: account(self.inputs, seen, self.settings).lost == 0,
                timeout=timeout,
                settle=3.0,
            )
        )

    def read_all_alive(
        self, worker: subprocess.Popen[bytes], timeout: float
    ) -> tuple[dict[str, list[Record]], bool]:
        """`read_all`, then whether `worker` still ran at the end of the reading."""
        seen = self.read_all(timeout)
        return seen, worker.poll() is None

    def conclude(self, seen: dict[str, list[Record]], alive: bool, detail: str) -> None:
        """Print the figures line `fault: ... (detail; elapsed)`; assert worker alive, 0 lost."""
        figures = account(self.inputs, seen, self.settings)
        line = figures.line(self.fault) + f" ({detail}; {elapsed_since(self.started)})"
        report(self.capsys, line, self.log)
        assert alive, self.log.read_text(errors="replace")[-3000:]
        assert figures.lost == 0, figures
