"""Shared parts of the fault-injection tests: numbered inputs and the account of outputs."""

from __future__ import annotations

import asyncio
import base64
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import orjson
import pytest

from streams.client import RawRecord, iter_file_messages, sample_feed_path
from streams.settings import Settings
from tests.integration.kafka_io import Record, read_topics

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


def read_all(
    settings: Settings, inputs: list[RawRecord], timeout: float
) -> dict[str, list[Record]]:
    """Read the output topics until every input has an output (or the timeout)."""
    keys = {r.key.decode() for r in inputs if r.key}

    def complete(seen: dict[str, list[Record]]) -> bool:
        done = {str(v["article_id"]) for _, v in seen[settings.topic_enriched]}
        done |= {
            base64.b64decode(str(v["key_b64"])).decode() for _, v in seen[settings.topic_deadletter]
        }
        return keys <= done

    return asyncio.run(
        read_topics(
            settings,
            [settings.topic_enriched, settings.topic_deadletter],
            complete,
            timeout=timeout,
            settle=3.0,
        )
    )


def wait_for_outputs(settings: Settings, count: int, timeout: float = 120) -> int:
    """Block until at least `count` outputs exist (to strike mid-stream); how many there were."""
    seen = asyncio.run(
        read_topics(
            settings,
            [settings.topic_enriched, settings.topic_deadletter],
            lambda s: sum(len(v) for v in s.values()) >= count,
            timeout=timeout,
            settle=0.0,
        )
    )
    return sum(len(v) for v in seen.values())


def report(capsys: pytest.CaptureFixture[str], text: str, log: Path | None = None) -> None:
    """Print a fault test's figures even when output is captured."""
    with capsys.disabled():
        print(f"\n[fault] {text}")
    if log is not None and log.exists():
        log.with_suffix(".figures").write_text(text + "\n")


def elapsed_since(started: float) -> str:
    return f"{time.monotonic() - started:.1f} s"
