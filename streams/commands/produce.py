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
    """A raw message to publish, and where it comes from (for messages about it)."""

    key: bytes | None
    value: bytes
    origin: str = ""  # "feed.jsonl line 3", "page.html"


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
            for number, line in enumerate(handle, 1):
                line = line.rstrip(b"\r\n")
                if line.strip():
                    yield RawRecord(_key_of(line), line, f"{path} line {number}")
        return
    yield RawRecord(path.name.encode("utf-8"), path.read_bytes(), str(path))


def within_limit(
    records: Iterator[RawRecord], limit: int, on_skip: Callable[[str], None]
) -> Iterator[RawRecord]:
    """The records of at most `limit` bytes; each larger one is reported and left out.

    The worker would only dead-letter it as too_large (and the broker may refuse it), so it
    is not sent; the other files still are.
    """
    for record in records:
        if len(record.value) > limit:
            on_skip(
                f"{record.origin or 'a message'}: {len(record.value):,} bytes, over "
                f"NEWSSTREAM_MAX_MESSAGE_BYTES ({limit:,}): skipped"
            )
            continue
        yield record


async def _producer(settings: Settings) -> AIOKafkaProducer:
    from aiokafka import AIOKafkaProducer

    from streams.runtime.kafka import idempotence_supported, producer_kwargs, start_client

    await asyncio.to_thread(idempotence_supported, settings)  # may ask the broker: not on the loop
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
    from aiokafka.errors import KafkaError

    target = topic or settings.topic_raw
    producer = await _producer(settings)
    try:
        return await _send_all(producer, target, records, on_sent, batch)
    except KafkaError as exc:
        raise NewsstreamError(f"publishing to {target} failed: {exc}") from exc
    finally:
        await producer.stop()


async def _send_all(
    producer: AIOKafkaProducer,
    topic: str,
    records: Sequence[RawRecord] | Iterator[RawRecord],
    on_sent: Callable[[int], None] | None,
    batch: int,
) -> int:
    """Send the records, waiting for the acknowledgements every `batch` records and at the end."""
    sent = 0
    pending: list[Awaitable[object]] = []
    for record in records:
        pending.append(await producer.send(topic, record.value, key=record.key))
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
    skipped: list[str] = []

    def skip(reason: str) -> None:
        skipped.append(reason)
        print(f"newsstream produce: {reason}", file=sys.stderr, flush=True)

    limit = settings.max_message_bytes
    records = [r for path in paths for r in within_limit(iter_file_messages(path), limit, skip)]
    progress = _progress("published", len(records)) if not args.json else None
    sent = (
        asyncio.run(produce_records(settings, records, topic=args.topic, on_sent=progress))
        if records
        else 0
    )
    topic = args.topic or settings.topic_raw
    if args.json:
        summary = {"topic": topic, "sent": sent, "files": len(paths), "skipped": len(skipped)}
        print(orjson.dumps(summary).decode())
    else:
        print(f"published {plural(sent, 'message')} from {plural(len(paths), 'file')} to {topic}")
        if skipped:
            print(f"skipped {plural(len(skipped), 'message')} over the size limit")
    return 1 if skipped else 0
