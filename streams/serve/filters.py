"""Which alerts a page, a stream or an API call wants, read from its query string.

The same parameters everywhere, so a page's address is also its stream's and its API's:

- `level`: the lowest level (none, low, medium, high, critical);
- `category`: escalation categories, repeated or comma-separated (any of them);
- `country`: ISO 3166-1 alpha-2 codes of the alert's places, repeated or comma-separated;
- `entity`: a substring of an entity's or place's name, in any case;
- `kind`: escalation or spike;
- `story`: a story id (the story view's alerts).

The conditions are those of `newsstream alerts` (streams.filters.AlertFilter).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import get_args

from multidict import MultiMapping

from streams.filters import AlertFilter
from streams.models import CATEGORIES, LEVELS, Alert

__all__ = ["AlertQuery", "InvalidQueryError", "FILTER_PARAMS"]

#: The query parameters that filter alerts.
FILTER_PARAMS = ("level", "category", "country", "entity", "kind", "story")
_KINDS: tuple[str, ...] = get_args(Alert.model_fields["kind"].annotation)
#: Longest entity substring or story id taken (a page's text box, an article id).
_MAX_TEXT = 512


class InvalidQueryError(ValueError):
    """A filter parameter with a value it cannot take; the message says which."""


def _values(params: Mapping[str, str] | MultiMapping[str], name: str) -> list[str]:
    """Every value of a repeated or comma-separated parameter, blank ones left out."""
    raw: Iterable[str] = (
        params.getall(name, []) if isinstance(params, MultiMapping) else [params.get(name, "")]
    )
    return [v.strip() for value in raw for v in value.split(",") if v.strip()]


def _one(params: Mapping[str, str] | MultiMapping[str], name: str) -> str | None:
    value = (params.get(name) or "").strip()
    if len(value) > _MAX_TEXT:
        raise InvalidQueryError(f"{name}: longer than {_MAX_TEXT} characters")
    return value or None


@dataclass(frozen=True)
class AlertQuery(AlertFilter):
    """The filter of a request's query string; an empty query takes every alert."""

    @classmethod
    def from_params(cls, params: Mapping[str, str] | MultiMapping[str]) -> AlertQuery:
        """The query of a request's parameters; InvalidQueryError naming a bad one."""
        level = _one(params, "level") or "none"
        if level not in LEVELS:
            raise InvalidQueryError(f"level: {level!r} is not one of {', '.join(LEVELS)}")
        categories = frozenset(_values(params, "category"))
        if unknown := sorted(categories.difference(CATEGORIES)):
            raise InvalidQueryError(
                f"category: {', '.join(unknown)} not among {', '.join(CATEGORIES)}"
            )
        countries = frozenset(c.upper() for c in _values(params, "country"))
        if bad := sorted(c for c in countries if len(c) != 2 or not c.isalpha()):
            raise InvalidQueryError(f"country: {', '.join(bad)} is no ISO 3166-1 alpha-2 code")
        kind = _one(params, "kind")
        if kind is not None and kind not in _KINDS:
            raise InvalidQueryError(f"kind: {kind!r} is not one of {', '.join(_KINDS)}")
        return cls(
            min_level=level,
            categories=categories,
            countries=countries,
            entity=_one(params, "entity"),
            kind=kind,
            story=_one(params, "story"),
        )

    def params(self) -> dict[str, str]:
        """The query as parameters again (comma-joined), leaving out what is not set."""
        params = {
            "level": "" if self.min_level == "none" else self.min_level,
            "category": ",".join(sorted(self.categories)),
            "country": ",".join(sorted(self.countries)),
            "entity": self.entity or "",
            "kind": self.kind or "",
            "story": self.story or "",
        }
        return {name: value for name, value in params.items() if value}
