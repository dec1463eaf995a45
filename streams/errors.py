"""The one exception root of newsstream and the documented dead-letter error types."""

from __future__ import annotations

from typing import ClassVar

from streams.models import ErrorType

__all__ = [
    "NewsstreamError",
    "BadMessageError",
    "DecodeError",
    "InvalidSchemaError",
    "EmptyArticleError",
    "TooLargeError",
    "PublishRefusedError",
    "ConfigError",
    "BrokerUnavailableError",
    "ERROR_TYPES",
]

#: Every value a DeadLetter's ``error.type`` can take, with exactly when it is given (the
#: README's dead-letter table is generated from this: ``python -m streams.settings --readme``).
ERROR_TYPES: dict[ErrorType, str] = {
    "decode_error": "the bytes are not valid UTF-8, or the text starts as a JSON object or "
    'string (`{` or `"`) but does not parse as JSON',
    "invalid_schema": "valid JSON that is no article: an array, a number, `true`, `false` or "
    "`null`; an object with a field of the wrong JSON type (an integer `id` is accepted) or "
    "an `id` over 512 characters or with a line break or other control character; an object "
    "with neither `body` nor `html`; an unknown IANA `tz`; a `received_at` that is not ISO "
    "8601; on the internal stories topic, a record that is not an enriched article",
    "empty_article": "nothing to read: an empty or blank payload or JSON string, an object "
    "whose `body` and `html` are both blank, no text left once markup and clutter are "
    "removed, or a text without letters (only digits, symbols or punctuation)",
    "too_large": "the payload is longer than `NEWSSTREAM_MAX_MESSAGE_BYTES` bytes (checked "
    "first, before decoding); or the broker refused an output as larger than its topic "
    "accepts, and the letter carries (an excerpt of) that output instead of the input",
    "publish_refused": "the broker refused an output for good for another reason (an "
    "invalid topic name, no permission to write to the topic, a record it rejects as "
    "corrupt); the letter carries (an excerpt of) that output instead of the input",
    "internal_error": "an unexpected exception in the enrichment core, named in the message "
    "(a bug: please report it with the payload)",
}


class NewsstreamError(Exception):
    """Root of every error newsstream raises on purpose."""


class BadMessageError(NewsstreamError):
    """A raw message that cannot become an article; `error_type` names the dead-letter type.

    Raised as it is (not through a subclass), it stands for internal_error: the core wraps an
    unexpected exception in it.
    """

    error_type: ClassVar[ErrorType] = "internal_error"


class DecodeError(BadMessageError):
    """Dead-lettered as decode_error (see ERROR_TYPES)."""

    error_type: ClassVar[ErrorType] = "decode_error"


class InvalidSchemaError(BadMessageError):
    """Dead-lettered as invalid_schema (see ERROR_TYPES)."""

    error_type: ClassVar[ErrorType] = "invalid_schema"


class EmptyArticleError(BadMessageError):
    """Dead-lettered as empty_article (see ERROR_TYPES)."""

    error_type: ClassVar[ErrorType] = "empty_article"


class TooLargeError(BadMessageError):
    """Dead-lettered as too_large (see ERROR_TYPES)."""

    error_type: ClassVar[ErrorType] = "too_large"


class PublishRefusedError(BadMessageError):
    """Dead-lettered as publish_refused (see ERROR_TYPES)."""

    error_type: ClassVar[ErrorType] = "publish_refused"


class ConfigError(NewsstreamError):
    """The configuration (environment or file) is invalid."""


class BrokerUnavailableError(NewsstreamError):
    """The Kafka broker cannot be reached."""
