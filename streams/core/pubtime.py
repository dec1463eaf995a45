"""Publication time from the message field, the HTML metadata or a dateline in the text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from streams.models import PublishedSource

__all__ = ["PublishedTime", "parse_timestamp", "resolve_published", "format_published"]


@dataclass(frozen=True)
class PublishedTime:
    value: datetime | None  # aware, or naive for a local wall-clock time with no known zone
    source: PublishedSource | None


def parse_timestamp(value: str, default_tz: str | None = None) -> datetime:
    """Parse an ISO 8601 timestamp; a naive one is placed in default_tz when given. ValueError if bad."""
    raise NotImplementedError


def resolve_published(
    *,
    field: str | None,
    html_value: str | None,
    header: Sequence[str],
    text: str,
    reference: datetime,
    source_tz: str | None,
    message_time: datetime | None,
) -> PublishedTime:
    """Find the publication time, in order: field, HTML, dateline, message timestamp."""
    raise NotImplementedError


def format_published(value: datetime | None) -> str | None:
    """ISO 8601 text of a publication time (with offset when aware)."""
    raise NotImplementedError
