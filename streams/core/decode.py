"""Decoding of raw message bytes into a RawArticle, or a BadMessageError that says why not."""

from __future__ import annotations

from typing import Any

import orjson
from pydantic import ValidationError

from streams.errors import DecodeError, EmptyArticleError, InvalidSchemaError, TooLargeError
from streams.models import RawArticle

__all__ = ["decode_message"]

#: How much of an offending value an error message quotes.
_QUOTE_CHARS = 80


def decode_message(payload: bytes, max_bytes: int) -> RawArticle:
    """Turn a news.raw payload (JSON object, JSON string, or plain text/HTML) into a RawArticle."""
    if len(payload) > max_bytes:
        raise TooLargeError(f"payload is {len(payload)} bytes, the limit is {max_bytes}")
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DecodeError(f"payload is not valid UTF-8: {exc.reason} at byte {exc.start}") from exc
    stripped = text.strip().lstrip("\ufeff").strip()
    if not stripped:
        raise EmptyArticleError("payload is empty")
    if _is_number(stripped):
        raise InvalidSchemaError("expected a JSON object or string, got a number")
    if stripped[0] in '{["' or stripped in ("null", "true", "false"):
        try:
            value = orjson.loads(stripped)
        except orjson.JSONDecodeError as exc:
            # Only an object is surely meant as JSON; a lede may open with a quotation mark
            # or a bracket ("[Breaking] ...") and is text.
            if stripped[0] == "{":
                raise DecodeError(f"payload looks like a JSON object but is not: {exc}") from exc
            return RawArticle(body=text)
        return _from_json(value)
    return RawArticle(body=text)


def _is_number(text: str) -> bool:
    """A bare number, as JSON writes one or as Python reads one ("1e999", "Infinity", "NaN")."""
    try:
        float(text)
    except ValueError:
        return False
    return True


def _from_json(value: Any) -> RawArticle:
    if isinstance(value, str):
        if not value.strip():
            raise EmptyArticleError("the JSON string is empty")
        return RawArticle(body=value)
    if not isinstance(value, dict):
        kind = "null" if value is None else type(value).__name__
        raise InvalidSchemaError(f"expected a JSON object or string, got {kind}")
    if isinstance(value.get("id"), int) and not isinstance(value.get("id"), bool):
        value = {**value, "id": str(value["id"])}
    try:
        article = RawArticle.model_validate(value)
    except ValidationError as exc:
        raise InvalidSchemaError(_describe(exc)) from exc
    if article.body is None and article.html is None:
        raise InvalidSchemaError("the object has neither 'body' nor 'html'")
    if not (article.body or "").strip() and not (article.html or "").strip():
        raise EmptyArticleError("'body' and 'html' are empty")
    return article


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(p) for p in err["loc"]) or "(root)"
        got = repr(err.get("input"))[:_QUOTE_CHARS]
        parts.append(f"{where}: {err['msg']} (got {got})")
    return "invalid article: " + "; ".join(parts)
