"""`newsstream tail TOPIC`: any topic of the pipeline, readable by people or by scripts.

Records of newsstream's own messages are shown by what they say: a dead letter by its error,
coordinates and the start of the payload it kept; an article by its title, time, source and
escalation; an alert as `newsstream alerts` shows it. Anything else is shown as text.
`--json` writes each record's value as one JSON line instead.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import binascii
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import orjson

from streams.commands.alerts import format_alert
from streams.models import Alert, DeadLetter, EnrichedArticle

__all__ = ["cmd_tail", "format_record", "json_line"]

#: Characters of a payload or an unknown value shown in the readable form.
EXCERPT_CHARS = 200


def _excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The start of a text on one line, marked when cut."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "\u2026"


def _header(record: Any) -> str:
    """Where a record is: topic, partition, offset, key and the broker's timestamp."""
    stamp = ""
    if record.timestamp is not None and record.timestamp >= 0:
        moment = datetime.fromtimestamp(record.timestamp / 1000, UTC)
        stamp = f"  {moment.isoformat(timespec='seconds').replace('+00:00', 'Z')}"
    key = record.key.decode("utf-8", "replace") if record.key else "-"
    return f"{record.topic}[{record.partition}]@{record.offset}  key {key}{stamp}"


def _dead_letter(letter: DeadLetter) -> list[str]:
    try:
        payload = base64.b64decode(letter.payload_b64, validate=True)
    except (binascii.Error, ValueError):
        payload = b""
    origin = f"{letter.topic or '?'}[{letter.partition}]@{letter.offset}"
    return [
        f"  dead letter: {letter.error.type}: {letter.error.message}",
        f"  from {origin}, dead-lettered {letter.received_at}, {len(payload)} bytes",
        f"  payload: {_excerpt(payload.decode('utf-8', 'replace')) or '(empty)'}",
    ]


def _article(article: EnrichedArticle) -> list[str]:
    esc = article.escalation
    where = "  ".join(part for part in (article.published_at, article.source, article.url) if part)
    lines = [f"  article {article.article_id}: {article.title or '(no title)'}"]
    if where:
        lines.append(f"  {where}")
    names = ", ".join(e.canonical for e in article.entities[:8])
    lines.append(f"  escalation {esc.level} ({esc.score:.2f}){'  ' + names if names else ''}")
    if article.duplicate_of:
        lines.append(f"  duplicate of {article.duplicate_of}")
    return lines


def _body(value: bytes) -> list[str]:
    """The readable lines of a value: by its schema when it is one of ours, else as text."""
    try:
        data = orjson.loads(value)
    except orjson.JSONDecodeError:
        return [f"  {_excerpt(value.decode('utf-8', 'replace')) or '(empty)'}"]
    schema = data.get("schema") if isinstance(data, dict) else None
    try:
        if schema == "newsstream.deadletter/1":
            return _dead_letter(DeadLetter.model_validate(data))
        if schema == "newsstream.enriched/1":
            return _article(EnrichedArticle.model_validate(data))
        if schema == "newsstream.alert/1":
            return [
                "  " + line for line in format_alert(Alert.model_validate(data), False).split("\n")
            ]
    except ValueError:
        pass  # a record that claims a schema it does not follow: shown as it is
    return [f"  {_excerpt(orjson.dumps(data).decode())}"]


def format_record(record: Any) -> str:
    """A few human-readable lines for one record: where it is, then what it says."""
    value = record.value
    body = ["  (tombstone)"] if value is None else _body(value)
    return "\n".join([_header(record), *body])


def json_line(record: Any) -> str:
    """One JSON line for a record: its value when that is JSON, else the value as a string
    (a tombstone is null), so every line parses."""
    value = record.value
    if value is None:
        return "null"
    try:
        return orjson.dumps(orjson.loads(value)).decode()
    except orjson.JSONDecodeError:
        return orjson.dumps(value.decode("utf-8", "replace")).decode()


def _printer(as_json: bool) -> Callable[[Any], bool]:
    def show(record: Any) -> bool:
        print(json_line(record) if as_json else format_record(record) + "\n", flush=True)
        return True

    return show


def cmd_tail(args: argparse.Namespace) -> int:
    """Show the records of any topic (news.deadletter, news.enriched, ...) as they come."""
    from streams.commands.follow import Follow, follow
    from streams.settings import load_settings

    how = Follow(
        topics=(args.topic,),
        from_beginning=args.from_beginning,
        max_records=args.max,
        idle_timeout=args.idle_timeout,
        max_wait=args.max_wait,
    )
    try:
        asyncio.run(follow(load_settings(), how, _printer(args.json)))
    except KeyboardInterrupt:
        pass
    sys.stdout.flush()
    return 0
