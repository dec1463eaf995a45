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
        webhooks:
          - url_env: SLACK_WEBHOOK_URL      # the URL is a secret: read from the environment
            format: slack
          - url: https://hooks.example.org/newsstream
            secret_env: NEWSSTREAM_HOOK_SECRET  # signs each POST (X-Newsstream-Signature)
            rate_limit: {count: 30, per_s: 60}

`newsstream notify` POSTs every alert a rule matched to each of the rule's webhooks.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from streams.errors import ConfigError
from streams.models import LEVELS, Action, Category, EnrichedArticle, Level, WebhookFormat

if TYPE_CHECKING:
    from streams.core.alerts.spikes import SpikeSubject

__all__ = [
    "MAX_RULES_FILE_BYTES",
    "RateLimit",
    "Webhook",
    "Rule",
    "default_rules",
    "parse_rules",
    "load_rules",
    "matching_rules",
    "spike_rules",
]

#: Largest rules file read. A desk's rules fit in a few kilobytes; the bound keeps a
#: mistaken path (a log, a dump) from being parsed at all.
MAX_RULES_FILE_BYTES = 1_000_000


#: An environment variable's name, as a webhook's `url_env` and `secret_env` give it.
ENV_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"


class RateLimit(BaseModel):
    """At most `count` messages to a webhook per `per_s` seconds; beyond, alerts are held
    and sent together in one digest when the window ends."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    count: int = Field(ge=1, le=100_000)
    per_s: float = Field(gt=0, le=86_400)


class Webhook(BaseModel):
    """Where a rule's alerts are POSTed: a URL (or the environment variable holding it,
    as a Slack URL is a secret), the variable holding the signing secret, the format."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str | None = Field(default=None, pattern=r"^https?://[^\s/?#]+")
    url_env: str | None = Field(default=None, pattern=ENV_NAME)
    secret_env: str | None = Field(default=None, pattern=ENV_NAME)
    format: WebhookFormat = "json"
    rate_limit: RateLimit | None = None  # None: NEWSSTREAM_NOTIFY_RATE_COUNT per ..._WINDOW_S

    @model_validator(mode="after")
    def _one_url(self) -> Webhook:
        if (self.url is None) == (self.url_env is None):
            raise ValueError("give exactly one of url and url_env")
        return self


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
    webhooks: tuple[Webhook, ...] = ()  # `newsstream notify` POSTs matching alerts here

    def admits(
        self,
        level: Level,
        categories: Collection[str],
        actions: Collection[str],
        names: Collection[str],
        countries: Collection[str],
    ) -> bool:
        """True when every condition holds; `names` are casefolded, `countries` ISO codes."""
        if LEVELS.index(level) < LEVELS.index(self.min_level):
            return False
        if self.categories and not set(self.categories) & set(categories):
            return False
        if self.actions and not set(self.actions) & set(actions):
            return False
        if self.entities and not {name.casefold() for name in self.entities} & set(names):
            return False
        return not self.countries or bool({c.upper() for c in self.countries} & set(countries))

    def matches(self, article: EnrichedArticle) -> bool:
        """True when the article meets every condition of the rule."""
        esc = article.escalation
        if not esc.flag:
            return False
        names = {e.canonical.casefold() for e in article.entities}
        names |= {alias.casefold() for e in article.entities for alias in e.aliases}
        codes = {e.geo.country for e in article.entities if e.geo and e.geo.country}
        return self.admits(esc.level, esc.categories, esc.actions, names, codes)

    def matches_spike(self, subject: SpikeSubject, level: Level, article: EnrichedArticle) -> bool:
        """True when a spike on `subject`, fired by `article`, meets every condition.

        The entity and country conditions ask about the thing that spiked (a Caucasus desk
        wants spikes on Georgia, not on the United States named in the same story); the
        categories and actions are those of the article that crossed the threshold.
        """
        countries = {subject.country} if subject.country else set()
        esc = article.escalation
        return self.admits(level, esc.categories, esc.actions, subject.names, countries)


class _RulesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rules: list[Rule]


class _NoAliasLoader(yaml.SafeLoader):
    """A safe loader that refuses anchors' aliases: a few lines of nested aliases ("billion
    laughs") expand to billions of values, which validating or reporting would walk."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        """Refuse an alias where one stands, else compose as usual."""
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in a rules file", event.start_mark
            )
        return super().compose_node(parent, index)


def _yaml_problem(exc: yaml.YAMLError) -> str:
    """A YAML error on one line: where, and what."""
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        mark = exc.problem_mark
        return f"line {mark.line + 1}, column {mark.column + 1}: {exc.problem}"
    return " ".join(str(exc).split())


def _validation_problem(exc: ValidationError, data: object) -> str:
    """The first validation error on one line, naming the rule by position and name."""
    error = exc.errors(include_url=False)[0]
    loc = list(error["loc"])
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
        index = loc[1]
        rules = data.get("rules") if isinstance(data, dict) else None
        raw = rules[index] if isinstance(rules, list) and index < len(rules) else None
        name = raw.get("name") if isinstance(raw, dict) else None
        where = f"rule {index + 1}" + (f" ({name!r})" if isinstance(name, str) else "")
        field = ".".join(str(part) for part in loc[2:])
        return f"{where}: {field + ': ' if field else ''}{error['msg']}{more}"
    if not loc:
        return f"expected a mapping with a 'rules' list: {error['msg']}{more}"
    return f"{'.'.join(str(part) for part in loc)}: {error['msg']}{more}"


def default_rules(min_level: Level) -> tuple[Rule, ...]:
    """The rule used when no rules file is configured: one level threshold."""
    return (Rule(name="default", min_level=min_level),)


def parse_rules(text: str, origin: str = "rules") -> tuple[Rule, ...]:
    """Rules from YAML text; ConfigError with a one-line message saying what is wrong."""
    if len(text) > MAX_RULES_FILE_BYTES:
        raise ConfigError(f"{origin}: invalid rules: larger than {MAX_RULES_FILE_BYTES} bytes")
    try:
        data = yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise ConfigError(f"{origin}: invalid rules: {_yaml_problem(exc)}") from exc
    try:
        rules = _RulesFile.model_validate(data).rules
    except ValidationError as exc:
        raise ConfigError(f"{origin}: invalid rules: {_validation_problem(exc, data)}") from exc
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
        with file.open("rb") as handle:
            raw = handle.read(MAX_RULES_FILE_BYTES + 1)
        text = raw.decode("utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read rules file {file}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{file}: invalid rules: not UTF-8 text ({exc.reason})") from exc
    return parse_rules(text, str(file))


def matching_rules(article: EnrichedArticle, rules: Sequence[Rule]) -> list[Rule]:
    """The rules the article matches, in file order."""
    return [rule for rule in rules if rule.matches(article)]


def spike_rules(
    subject: SpikeSubject, level: Level, article: EnrichedArticle, rules: Sequence[Rule]
) -> list[Rule]:
    """The rules a spike on `subject` (fired by `article`) matches, in file order."""
    return [rule for rule in rules if rule.matches_spike(subject, level, article)]
