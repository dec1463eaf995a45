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
    "ConfigError",
    "BrokerUnavailableError",
    "ERROR_TYPES",
]

#: Every value a DeadLetter's ``error.type`` can take, with what it means.
ERROR_TYPES: dict[ErrorType, str] = {
    "decode_error": "the bytes are not UTF-8 text, or a JSON value that cannot be read",
    "invalid_schema": "valid JSON of the wrong shape: not an object or string, wrong field types",
    "empty_article": "no body or html, or nothing left once the text was cleaned",
    "too_large": "the payload exceeds NEWSSTREAM_MAX_MESSAGE_BYTES",
    "internal_error": "an unexpected exception in the enrichment core (a bug: please report)",
}


class NewsstreamError(Exception):
    """Root of every error newsstream raises on purpose."""


class BadMessageError(NewsstreamError):
    """A raw message that cannot become an article; `error_type` names the dead-letter type."""

    error_type: ClassVar[ErrorType] = "internal_error"


class DecodeError(BadMessageError):
    error_type: ClassVar[ErrorType] = "decode_error"


class InvalidSchemaError(BadMessageError):
    error_type: ClassVar[ErrorType] = "invalid_schema"


class EmptyArticleError(BadMessageError):
    error_type: ClassVar[ErrorType] = "empty_article"


class TooLargeError(BadMessageError):
    error_type: ClassVar[ErrorType] = "too_large"


class ConfigError(NewsstreamError):
    """The configuration (environment or file) is invalid."""


class BrokerUnavailableError(NewsstreamError):
    """The Kafka broker cannot be reached."""
