"""`newsstream enrich`: the core on JSONL without a broker, one enriched line out per line in."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from streams.errors import NewsstreamError

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


def cmd_enrich(args: argparse.Namespace) -> int:
    """Enrich raw messages offline, one JSON line out per line in."""
    from streams.core.pipeline import MessageContext, enrich
    from streams.runtime.app import to_json
    from streams.settings import load_settings

    options = load_settings().core_options()
    ctx = MessageContext(reference_time=_parse_reference(args.reference_time))
    source: BinaryIO
    if args.path == "-":
        source = sys.stdin.buffer
    else:
        path = Path(args.path)
        if not path.is_file():
            raise NewsstreamError(f"{path}: no such file")
        source = path.open("rb")
    out = sys.stdout.buffer
    with source:
        for line in source:
            result = enrich(line.rstrip(b"\r\n"), ctx, options)
            out.write(to_json(result))
            out.write(b"\n")
            if args.flush:
                out.flush()
    out.flush()
    return 0
