"""Subscriber rules: parsing with clear errors, and matching on level, category, entity, country."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.core.alerts.rules import default_rules, load_rules, matching_rules, parse_rules
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
