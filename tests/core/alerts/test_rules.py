"""Subscriber rules: parsing with clear errors, and matching on level, category, entity, country."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.core.alerts.rules import Rule, default_rules, load_rules, matching_rules, parse_rules
from streams.errors import ConfigError
from streams.models import EnrichedArticle, Entity, Escalation, Geo, Level

RULES = """
rules:
  - name: military-desk
    min_level: medium
    categories: [military, nuclear]
  - name: baltic-watch
    min_level: low
    countries: [ee, LV]
    topic: alerts.baltic
  - name: people
    min_level: low
    entities: [sergey lavrov]
  - name: sanctions
    min_level: low
    actions: [SANCTION]
"""


def _article(level: Level, categories: list[str], *entities: Entity) -> EnrichedArticle:
    return EnrichedArticle(
        article_id="a",
        text="x",
        received_at="2025-01-01T00:00:00Z",
        processed_at="2025-01-01T00:00:00Z",
        fingerprint="0" * 16,
        pipeline_version="t",
        entities=list(entities),
        escalation=Escalation(flag=level != "none", level=level, categories=categories),  # type: ignore[arg-type]
    )


TALLINN = Entity(
    text="Tallinn",
    type="LOC",
    canonical="Tallinn",
    start=0,
    end=7,
    geo=Geo(lat=59.4, lon=24.7, country="EE"),
)
LAVROV = Entity(
    text="Lavrov", type="PERSON", canonical="Sergey Lavrov", aliases=["Lavrov"], start=0, end=6
)


@pytest.mark.parametrize(
    ("article", "names"),
    [
        (_article("high", ["military"]), ["military-desk"]),
        (_article("low", ["military"]), []),
        (_article("low", ["diplomatic"], TALLINN), ["baltic-watch"]),
        (_article("medium", ["nuclear"], LAVROV), ["military-desk", "people"]),
        (_article("none", [], LAVROV), []),
    ],
)
def test_rules_match_every_condition(article: EnrichedArticle, names: list[str]) -> None:
    assert [r.name for r in matching_rules(article, parse_rules(RULES))] == names


def test_rules_load_from_a_file_and_keep_topics(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(RULES)
    rules = load_rules(path)
    assert [r.topic for r in rules] == [None, "alerts.baltic", None, None]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("rules: [{name: a, min_level: extreme}]", "min_level"),
        ("rules: [{name: a, colour: red}]", "colour"),
        ("rules: [{name: a}, {name: a}]", "unique"),
        ("rules: []", "no rules"),
        ("rules: [unclosed", "invalid rules"),
    ],
)
def test_rules_errors_say_what_is_wrong(text: str, words: str) -> None:
    with pytest.raises(ConfigError, match=words):
        parse_rules(text)


def test_rules_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read rules file"):
        load_rules(tmp_path / "absent.yaml")


def test_rules_default_is_a_level_threshold() -> None:
    (rule,) = default_rules("high")
    assert rule.matches(_article("critical", []))
    assert not rule.matches(_article("medium", []))


def test_rules_bundled_example_file_is_valid() -> None:
    from streams.commands.produce import sample_feed_path

    rules = load_rules(sample_feed_path().parent / "rules.yaml")
    assert "military-desk" in [r.name for r in rules]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "rules: [{name: ok}, {name: desk, min_level: extreme}]",
            "rules: invalid rules: rule 2 ('desk'): min_level: Input should be 'none', 'low', "
            "'medium', 'high' or 'critical'",
        ),
        (
            "rules: [{name: desk, colour: red}]",
            "rules: invalid rules: rule 1 ('desk'): colour: Extra inputs are not permitted",
        ),
        ("rules: [unclosed", "rules: invalid rules: line 1, column 17: expected ',' or ']', but"),
    ],
)
def test_rules_errors_are_one_line_naming_the_rule(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_rules(text)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value) and "http" not in str(caught.value)


def test_rules_refuse_yaml_aliases_before_expanding_them() -> None:
    levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 10):
        prev, name = chr(96 + i), chr(97 + i)
        levels.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]")
    bomb = "\n".join([*levels, "rules: [{name: x, entities: *j}]"])
    with pytest.raises(ConfigError, match=r"line 2, column \d+: aliases .* not allowed") as caught:
        parse_rules(bomb)
    assert "\n" not in str(caught.value)


def test_rules_spikes_match_on_the_thing_that_spiked() -> None:
    from streams.core.alerts.spikes import SpikeSubject
    from tests.support.articles import CLEAN_ESCALATION, enriched

    article = enriched(CLEAN_ESCALATION)
    caucasus = Rule(name="caucasus", min_level="low", countries=("GE", "AM", "AZ"))
    people = Rule(name="people", entities=("Russia",))
    us = SpikeSubject("country:US", "United States", frozenset({"united states"}), "US")
    ru = SpikeSubject("country:RU", "Russia", frozenset({"russia"}), "RU")
    tbilisi = SpikeSubject("entity:Tbilisi", "Tbilisi", frozenset({"tbilisi"}), "GE")
    assert not caucasus.matches_spike(us, "high", article)
    assert caucasus.matches_spike(tbilisi, "medium", article)
    assert people.matches_spike(ru, "medium", article)
    assert not people.matches_spike(ru, "low", article)  # below the rule's min_level


def test_rules_webhooks_parse_with_their_defaults() -> None:
    (rule,) = parse_rules(
        "rules:\n"
        "  - name: desk\n"
        "    webhooks:\n"
        "      - {url: 'https://hooks.example.org/a', secret_env: HOOK_SECRET}\n"
        "      - {url_env: SLACK_WEBHOOK_URL, format: slack, rate_limit: {count: 5, per_s: 60}}\n"
    )
    signed, slack = rule.webhooks
    assert (signed.url, signed.secret_env, signed.format, signed.rate_limit) == (
        "https://hooks.example.org/a",
        "HOOK_SECRET",
        "json",
        None,
    )
    assert (slack.url_env, slack.format) == ("SLACK_WEBHOOK_URL", "slack")
    assert slack.rate_limit is not None and (slack.rate_limit.count, slack.rate_limit.per_s) == (
        5,
        60,
    )


@pytest.mark.parametrize(
    ("webhook", "words"),
    [
        ("{url: 'https://a.example/x', url_env: HOOK}", "exactly one of url and url_env"),
        ("{secret_env: HOOK}", "exactly one of url and url_env"),
        ("{url: 'ftp://a.example/x'}", "webhooks.0.url"),
        ("{url_env: 'not a name'}", "webhooks.0.url_env"),
        ("{url: 'https://a.example', format: xml}", "webhooks.0.format"),
        ("{url: 'https://a.example', rate_limit: {count: 0, per_s: 1}}", "rate_limit.count"),
        ("{url: 'https://a.example', token: x}", "webhooks.0.token"),
    ],
)
def test_rules_webhook_errors_name_the_field(webhook: str, words: str) -> None:
    with pytest.raises(ConfigError, match="rule 1 \\('desk'\\)") as caught:
        parse_rules(f"rules:\n  - name: desk\n    webhooks: [{webhook}]\n")
    assert words in str(caught.value)
