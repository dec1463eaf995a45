"""Subscriber rules: which escalation alerts a desk wants, and where they are routed.

A rules file (YAML, `NEWSSTREAM_RULES_FILE`) holds a list of rules; every condition a rule
gives must hold (within one condition, any listed value will do). An article alerts when at
least one rule matches; the alert goes to news.alerts once, and also to the `topic` of each
matching rule that names one.

    rules:
      - name: military-desk
        min_level: medium
        categories: [military, nuclear]
      - name: baltic-watch
        min_level: low
        countries: [EE, LV, LT]
        topic: alerts.baltic
      - name: people-we-follow
        entities: [Sergey Lavrov, NATO]
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from streams.errors import ConfigError
from streams.models import LEVELS, Action, Category, EnrichedArticle, Level

__all__ = ["Rule", "default_rules", "parse_rules", "load_rules", "matching_rules"]


class Rule(BaseModel):
    """One subscriber rule."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    min_level: Level = "medium"
    categories: tuple[Category, ...] = ()
    actions: tuple[Action, ...] = ()
    entities: tuple[str, ...] = ()  # canonical names, matched case-insensitively
    countries: tuple[str, ...] = ()  # ISO 3166 alpha-2 codes of LOC entities
    topic: str | None = None  # also publish matching alerts here

    def matches(self, article: EnrichedArticle) -> bool:
        """True when the article meets every condition of the rule."""
        esc = article.escalation
        if not esc.flag or LEVELS.index(esc.level) < LEVELS.index(self.min_level):
            return False
        if self.categories and not set(self.categories) & set(esc.categories):
            return False
        if self.actions and not set(self.actions) & set(esc.actions):
            return False
        if self.entities:
            wanted = {name.casefold() for name in self.entities}
            names = {e.canonical.casefold() for e in article.entities}
            names |= {alias.casefold() for e in article.entities for alias in e.aliases}
            if not wanted & names:
                return False
        if self.countries:
            codes = {e.geo.country for e in article.entities if e.geo and e.geo.country}
            if not {c.upper() for c in self.countries} & codes:
                return False
        return True


class _RulesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rules: list[Rule]


def default_rules(min_level: Level) -> tuple[Rule, ...]:
    """The rule used when no rules file is configured: one level threshold."""
    return (Rule(name="default", min_level=min_level),)


def parse_rules(text: str, origin: str = "rules") -> tuple[Rule, ...]:
    """Rules from YAML text; ConfigError saying what is wrong."""
    try:
        data = yaml.safe_load(text)
        rules = _RulesFile.model_validate(data).rules
    except (yaml.YAMLError, ValidationError) as exc:
        raise ConfigError(f"{origin}: invalid rules: {exc}") from exc
    names = [rule.name for rule in rules]
    if len(set(names)) != len(names):
        raise ConfigError(f"{origin}: rule names must be unique: {names}")
    if not rules:
        raise ConfigError(f"{origin}: no rules")
    return tuple(rules)


def load_rules(path: str | Path) -> tuple[Rule, ...]:
    """Rules from a YAML file."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read rules file {file}: {exc.strerror}") from exc
    return parse_rules(text, str(file))


def matching_rules(article: EnrichedArticle, rules: Sequence[Rule]) -> list[Rule]:
    """The rules the article matches, in file order."""
    return [rule for rule in rules if rule.matches(article)]
