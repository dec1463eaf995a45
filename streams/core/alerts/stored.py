"""The plain form in which the alert stage's state records (Seen, SpikeState) are stored.

One helper for every record type: a dataclass becomes a JSON-able dict of its fields, and a
dict read back from the changelog becomes the dataclass again, each value coerced to its
field's type. A field missing from an older record takes its default; a field the record
type no longer has is ignored, so a changelog written by another version still loads.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

__all__ = ["to_plain", "from_plain"]

T = TypeVar("T")


def to_plain(record: Any) -> dict[str, Any]:
    """The record's fields as a plain dict, for the changelog."""
    return dataclasses.asdict(record)


def from_plain(kind: type[T], data: Mapping[str, Any]) -> T:
    """Rebuild a record of dataclass `kind` from its plain form; KeyError if a field lacks."""
    values: dict[str, Any] = {}
    for name, (coerce, required) in _fields(kind).items():
        if name in data:
            values[name] = coerce(data[name])
        elif required:
            raise KeyError(name)
    return kind(**values)


_Fields = dict[str, tuple[Callable[[Any], Any], bool]]
_FIELDS: dict[type[Any], _Fields] = {}


def _fields(kind: type[Any]) -> _Fields:
    """Per field of `kind`: how to coerce a stored value, and whether it has no default."""
    known = _FIELDS.get(kind)
    if known is None:
        known = _FIELDS[kind] = _read_fields(kind)
    return known


def _read_fields(kind: type[Any]) -> _Fields:
    hints = typing.get_type_hints(kind)
    return {
        field.name: (
            _coercion(hints[field.name]),
            field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING,
        )
        for field in dataclasses.fields(kind)
    }


def _coercion(hint: Any) -> Callable[[Any], Any]:
    """A plain type (int, float, str, bool) or an optional one (str | None)."""
    args = typing.get_args(hint)
    if isinstance(hint, types.UnionType) and type(None) in args:
        (inner,) = (arg for arg in args if arg is not type(None))
        return lambda value: None if value is None else inner(value)
    return typing.cast(Callable[[Any], Any], hint)
