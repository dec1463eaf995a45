"""`newsstream produce`: publishing JSONL, text or HTML files to news.raw with an aiokafka producer.

The broker client and the settings are imported where they are used, so that building the
command line (`newsstream --help`) does not load them.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from streams.commands.console import plural
from streams.errors import NewsstreamError

if TYPE_CHECKING:
    from aiokafka import AIOKafkaProducer

    from streams.settings import Settings

__all__ = [
    "RawRecord",
    "sample_feed_path",
    "iter_file_messages",
    "produce_records",
    "cmd_produce",
]

JSONL_SUFFIXES = (".jsonl", ".ndjson")


@dataclass(frozen=True)
class RawRecord:
    key: bytes | None
    value: bytes


def sample_feed_path() -> Path:
    """The bundled sample feed (JSONL)."""
    return Path(__file__).parents[1] / "samples" / "feed.jsonl"


def _key_of(line: bytes) -> bytes | None:
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    if isinstance(value, dict):
        ident = value.get("id") or value.get("source")
        if isinstance(ident, str | int) and not isinstance(ident, bool):
            return str(ident).encode("utf-8")
    return None


def files_of(paths: Sequence[Path]) -> list[Path]:
    """The files to publish: each file given, and every file of a folder given (sorted,
    hidden ones left out), so a folder of scraped pages goes in one command."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.is_file():
            found.append(path)
        else:
            raise NewsstreamError(f"{path}: no such file or folder")
    return found


def iter_file_messages(path: Path) -> Iterator[RawRecord]:
    """Raw messages of a file: one per non-blank line of JSONL, else the whole file as one."""
    if not path.is_file():
        raise NewsstreamError(f"{path}: no such file")
    if path.suffix.lower() in JSONL_SUFFIXES:
        with path.open("rb") as handle:
            for line in handle:
                line = line.rstrip(b"\r\n")
                if line.strip():
                    yield RawRecord(_key_of(line), line)
        return
    yield RawRecord(path.name.encode("utf-8"), path.read_bytes())


async def _producer(settings: Settings) -> AIOKafkaProducer:
    from aiokafka import AIOKafkaProducer

    from streams.runtime.kafka import producer_kwargs, start_client

    producer = AIOKafkaProducer(**producer_kwargs(settings))
    await start_client(producer, settings)
    return producer


async def produce_records(
    settings: Settings,
    records: Sequence[RawRecord] | Iterator[RawRecord],
    *,
    topic: str | None = None,
    on_sent: Callable[[int], None] | None = None,
    batch: int = 500,
) -> int:
    """Publish records to news.raw (or `topic`) and wait for every acknowledgement."""
    producer = await _producer(settings)
    sent = 0
    pending: list[Awaitable[object]] = []
    try:
        for record in records:
            pending.append(
                await producer.send(topic or settings.topic_raw, record.value, key=record.key)
            )
            if len(pending) >= batch:
                await asyncio.gather(*pending)
                sent += len(pending)
                pending.clear()
                if on_sent:
                    on_sent(sent)
        await asyncio.gather(*pending)
        sent += len(pending)
        if on_sent:
            on_sent(sent)
    finally:
        await producer.stop()
    return sent


def _progress(label: str, total: int | None) -> Callable[[int], None]:
    """A progress reporter: a live line with rate and ETA on a terminal, plain lines otherwise."""
    started = time.monotonic()
    tty = sys.stderr.isatty()
    last = [0.0]

    def report(done: int) -> None:
        now = time.monotonic()
        if not tty and now - last[0] < 5 and done != total:
            return
        last[0] = now
        rate = done / max(now - started, 1e-9)
        eta = f", ETA {(total - done) / rate:.0f} s" if total and rate and done < total else ""
        of = f"/{total}" if total else ""
        line = f"{label}: {done}{of} ({rate:.0f}/s{eta})"
        if tty:
            end = "\n" if total is not None and done >= total else ""
            sys.stderr.write(f"\r{line}{end}")
        else:
            sys.stderr.write(line + "\n")
        sys.stderr.flush()

    return report


def cmd_produce(args: argparse.Namespace) -> int:
    """Publish JSONL, text or HTML files to news.raw."""
    from streams.settings import load_settings

    settings = load_settings()
    paths = files_of([Path(p) for p in args.paths])
    if args.sample:
        paths.insert(0, sample_feed_path())
    if not paths:
        raise NewsstreamError(
            "nothing to publish: give files or folders, or --sample for the bundled feed"
        )
    records = [record for path in paths for record in iter_file_messages(path)]
    progress = _progress("published", len(records)) if not args.json else None
    sent = asyncio.run(produce_records(settings, records, topic=args.topic, on_sent=progress))
    topic = args.topic or settings.topic_raw
    if args.json:
        print(orjson.dumps({"topic": topic, "sent": sent, "files": len(paths)}).decode())
    else:
        print(f"published {plural(sent, 'message')} from {plural(len(paths), 'file')} to {topic}")
    return 0
