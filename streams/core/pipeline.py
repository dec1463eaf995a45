"""`enrich`: the single entry point from raw message bytes to an EnrichedArticle or a DeadLetter.

The Faust agent, the `newsstream enrich` CLI and the tests all call this function.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from streams import __version__
from streams.core.decode import decode_message
from streams.core.fit import fit_article, fit_dead_letter
from streams.core.steps import STEPS, Document
from streams.core.temporal.published import (
    MAX_ZONE_CHARS,
    PLAUSIBLE_YEARS,
    format_published,
    parse_timestamp,
    plausible,
    utc_iso,
    zone_of,
)
from streams.errors import BadMessageError, InvalidSchemaError
from streams.models import DeadLetter, EnrichedArticle, ErrorInfo, RawArticle

__all__ = ["MessageContext", "CoreOptions", "enrich", "dead_letter", "article_id_of", "utc_iso"]

#: Longest error message kept in a dead letter.
MAX_ERROR_CHARS = 500
#: Default largest output in bytes: under Apache Kafka's default topic limit (1048588) with
#: room for the key and the record framing.
MAX_OUTPUT_BYTES = 1_000_000


@dataclass(frozen=True)
class MessageContext:
    """Where a message came from: Kafka coordinates, its timestamp, and an optional override."""

    key: bytes | None = None
    topic: str | None = None
    partition: int | None = None
    offset: int | None = None
    timestamp: datetime | None = None  # the Kafka message timestamp
    reference_time: datetime | None = None  # overrides received_at/timestamp (CLI option)


@dataclass(frozen=True)
class CoreOptions:
    """Plain options the core needs, built from the settings at the entry point."""

    max_message_bytes: int = 1_000_000
    max_output_bytes: int = MAX_OUTPUT_BYTES  # an article or dead letter is fitted into this
    source_tz: str | None = None
    ner_model: str | None = None  # spaCy model name or path for the optional NER layer
    ner_tagger: bool = True  # the trained name tagger (False: the rules alone)


def article_id_of(raw: RawArticle, text: str) -> str:
    """A stable id: the producer's id, else a hash of the URL, else a hash of the cleaned text."""
    if raw.id and raw.id.strip():
        return raw.id.strip()
    basis = f"url:{raw.url.strip()}" if raw.url and raw.url.strip() else f"text:{text}"
    return hashlib.blake2b(basis.encode("utf-8"), digest_size=12).hexdigest()


def dead_letter(
    payload: bytes,
    ctx: MessageContext,
    error: BadMessageError,
    max_bytes: int = MAX_OUTPUT_BYTES,
) -> DeadLetter:
    """A DeadLetter carrying the exact original bytes and what was wrong with them.

    The bytes are kept whole when the letter fits in `max_bytes`, else an excerpt of them
    (streams.core.fit); their size and SHA-256 always describe the whole payload.
    """
    letter = DeadLetter(
        error=ErrorInfo(type=error.error_type, message=str(error)[:MAX_ERROR_CHARS]),
        payload_b64="",
        payload_size=len(payload),
        payload_sha256=hashlib.sha256(payload).hexdigest(),
        key_b64=base64.b64encode(ctx.key).decode("ascii") if ctx.key is not None else None,
        topic=ctx.topic,
        partition=ctx.partition,
        offset=ctx.offset,
        received_at=utc_iso(datetime.now(UTC)),
    )
    return fit_dead_letter(letter, payload, max_bytes)


def enrich(
    payload: bytes, ctx: MessageContext | None = None, options: CoreOptions | None = None
) -> EnrichedArticle | DeadLetter:
    """Enrich one raw message; never raises: whatever goes wrong becomes a DeadLetter.

    Either result fits in `options.max_output_bytes` once serialised (streams.core.fit).
    """
    ctx = ctx or MessageContext()
    options = options or CoreOptions()
    limit = options.max_output_bytes
    try:
        return fit_article(_enrich(payload, ctx, options), limit)
    except BadMessageError as exc:
        return dead_letter(payload, ctx, exc, limit)
    except Exception as exc:  # noqa: BLE001 - a bug in one step must not kill the worker
        error = BadMessageError(f"{type(exc).__name__}: {exc}")
        return dead_letter(payload, ctx, error, limit)


def _enrich(payload: bytes, ctx: MessageContext, options: CoreOptions) -> EnrichedArticle:
    now = datetime.now(UTC)
    raw = decode_message(payload, options.max_message_bytes)
    source_tz = _check_zone(raw.tz) or options.source_tz
    received = _received_at(raw, source_tz)
    doc = Document(
        raw=raw,
        reference_time=ctx.reference_time or received or ctx.timestamp or now,
        message_time=ctx.timestamp,
        source_tz=source_tz,
        ner_model=options.ner_model,
        ner_tagger=options.ner_tagger,
    )
    for step in STEPS:
        step.run(doc)
    return EnrichedArticle(
        article_id=article_id_of(raw, doc.text),
        source=raw.source,
        url=raw.url,
        lang=doc.lang,
        title=doc.title,
        text=doc.text,
        published_at=format_published(doc.published.value, date_only=doc.published.date_only),
        published_at_source=doc.published.source,
        received_at=utc_iso(received or ctx.timestamp or now),
        processed_at=utc_iso(datetime.now(UTC)),
        entities=doc.entities,
        timexes=doc.timexes,
        quotes=doc.quotes,
        escalation=doc.escalation,
        fingerprint=doc.fingerprint,
        truncated=dict(doc.unread) or None,
        warnings=doc.warnings,
        pipeline_version=__version__,
    )


def _check_zone(name: str | None) -> str | None:
    if not name:
        return None
    if zone_of(name) is None:
        raise InvalidSchemaError(f"tz: unknown IANA time zone {name[:MAX_ZONE_CHARS]!r}")
    return name


def _received_at(raw: RawArticle, source_tz: str | None) -> datetime | None:
    if not raw.received_at:
        return None
    try:
        moment = parse_timestamp(raw.received_at, source_tz or "UTC")
    except ValueError as exc:
        raise InvalidSchemaError(
            f"received_at: not an ISO 8601 timestamp: {raw.received_at[:64]!r}"
        ) from exc
    if not plausible(moment):
        years = f"{PLAUSIBLE_YEARS.start}-{PLAUSIBLE_YEARS.stop - 1}"
        raise InvalidSchemaError(
            f"received_at: {raw.received_at[:64]!r} is not in the years {years}"
        )
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
