"""Which alerts a subscriber wants to see: the one filter of `newsstream alerts` and of the
live page (its page, stream and API)."""

from __future__ import annotations

from dataclasses import dataclass

from streams.models import LEVELS, Alert, Level

__all__ = ["AlertFilter"]


@dataclass(frozen=True)
class AlertFilter:
    """Conditions on an alert, each one optional; an empty filter takes every alert.

    `entity` is a substring of an entity's or place's name, in any case; `countries` are
    ISO 3166-1 alpha-2 codes of the alert's places; `story` a story id.
    """

    min_level: Level = "none"
    categories: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    entity: str | None = None
    kind: str | None = None
    story: str | None = None

    def accepts(self, alert: Alert) -> bool:
        """True when the alert passes every condition."""
        if LEVELS.index(alert.level) < LEVELS.index(self.min_level):
            return False
        if self.kind is not None and alert.kind != self.kind:
            return False
        if self.story is not None and alert.story_id != self.story:
            return False
        if self.categories and not self.categories.intersection(alert.categories):
            return False
        if self.countries and not any(p.country in self.countries for p in alert.places):
            return False
        if self.entity:
            wanted = self.entity.casefold()
            names = [*alert.entities, *(p.name for p in alert.places)]
            return any(wanted in name.casefold() for name in names)
        return True
