"""The Python API: `streams.enrich(article)` for text, HTML, raw bytes or a dict.

It wraps the one pipeline function the worker and the CLI call
(`streams.core.pipeline.enrich`), so a notebook or a script gets the same result as the
stream. It never raises on bad input: it returns a DeadLetter that says what was wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import orjson

from streams.core.pipeline import CoreOptions, MessageContext
from streams.core.pipeline import enrich as enrich_payload
from streams.models import DeadLetter, EnrichedArticle

__all__ = ["enrich"]


def enrich(
    article: str | bytes | Mapping[str, Any],
    *,
    reference_time: datetime | None = None,
    options: CoreOptions | None = None,
) -> EnrichedArticle | DeadLetter:
    """Enrich one article.

    `article` is the text or HTML of one article (a str), a raw message as it would arrive
    on news.raw (bytes: JSON, text or HTML), or the fields of a raw article (a dict with
    `body` or `html`, and optionally `id`, `title`, `url`, `published_at`, ...).
    `reference_time` resolves relative times ("yesterday") when the article has no
    publication time; naive means UTC. Returns an EnrichedArticle, or a DeadLetter.
    """
    if isinstance(article, bytes):
        payload = article
    elif isinstance(article, str):
        payload = orjson.dumps({"body": article})
    else:
        payload = orjson.dumps(dict(article))
    if reference_time is not None and reference_time.tzinfo is None:
        reference_time = reference_time.replace(tzinfo=UTC)
    return enrich_payload(payload, MessageContext(reference_time=reference_time), options)
