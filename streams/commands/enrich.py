"""`newsstream enrich`: the core without a broker, on JSONL (a record per line) or one article.

The input is read as JSONL by default, one enriched line out per line in; `--article` reads the
whole input (a pasted article, a page's HTML, a JSON object) as one message.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import orjson

from streams.errors import NewsstreamError

if TYPE_CHECKING:
    from streams.models import DeadLetter, EnrichedArticle

__all__ = ["cmd_enrich"]


def _parse_reference(value: str | None) -> datetime | None:
    if value is None:
        return None
    from streams.core.temporal.published import parse_timestamp

    try:
        moment = parse_timestamp(value, "UTC")
    except ValueError as exc:
        raise NewsstreamError(f"--reference-time: not an ISO 8601 timestamp: {value!r}") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _open(path: str) -> BinaryIO:
    """The input: stdin for `-`, else the file (NewsstreamError when there is none)."""
    if path == "-":
        return sys.stdin.buffer
    if not Path(path).is_file():
        raise NewsstreamError(f"{path}: no such file")
    return Path(path).open("rb")


def _payloads(source: BinaryIO, whole: bool) -> Iterator[bytes]:
    """The raw messages of the input: all of it as one, or one per line."""
    if whole:
        yield source.read()
        return
    for line in source:
        yield line.rstrip(b"\r\n")


def _serialise(result: EnrichedArticle | DeadLetter, pretty: bool) -> bytes:
    """One result as JSON: a single line, or indented for a person to read with --pretty."""
    from streams.runtime.records import to_json

    data = to_json(result)
    return orjson.dumps(orjson.loads(data), option=orjson.OPT_INDENT_2) if pretty else data


def cmd_enrich(args: argparse.Namespace) -> int:
    """Enrich raw messages offline, one JSON line out per line in."""
    from streams.core.pipeline import MessageContext, enrich
    from streams.runtime.app import check_startup
    from streams.settings import load_settings

    settings = load_settings()
    check_startup(settings)
    options = settings.core_options()
    ctx = MessageContext(reference_time=_parse_reference(args.reference_time))
    out = sys.stdout.buffer
    with _open(args.path) as source:
        for payload in _payloads(source, args.article):
            out.write(_serialise(enrich(payload, ctx, options), args.pretty))
            out.write(b"\n")
            if args.flush:
                out.flush()
    out.flush()
    return 0
