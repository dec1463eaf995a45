"""Alert rules: level threshold, stable ids, summaries that quote the strongest matches."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import pytest

from streams.core.alerts.compose import alert_id_of, escalation_alert, spike_alert, summarize
from streams.core.alerts.rules import Rule, default_rules, matching_rules
from streams.core.alerts.spikes import SpikeParams, SpikeState
from streams.models import (
    Alert,
    EnrichedArticle,
    Entity,
    Escalation,
    EscalationMatch,
    Geo,
    Level,
)

NOW = datetime(2025, 3, 1, 12, tzinfo=UTC)
TEXT = (
    "Talks were held in Geneva. The army deployed troops to the border on Monday. "
    "Officials denied that missiles were moved. A general mobilisation was ordered at night."
)


def alert_for(
    article: EnrichedArticle, rules: Sequence[Rule], now: datetime
) -> tuple[Alert, list[Rule]] | None:
    """What the alert stage does with an article: the rules it matches, and their alert."""
    matched = matching_rules(article, rules)
    return (escalation_alert(article, matched, now), matched) if matched else None


def _article(level: Level, flag: bool = True) -> EnrichedArticle:
    troops = TEXT.index("deployed troops")
    missiles = TEXT.index("missiles")
    mobil = TEXT.index("mobilisation")
    return EnrichedArticle(
        article_id="a-1",
        title="Border tension",
        text=TEXT,
        received_at="2025-03-01T11:00:00Z",
        processed_at="2025-03-01T11:00:01Z",
        fingerprint="0" * 16,
        pipeline_version="test",
        entities=[Entity(text="Geneva", type="LOC", canonical="Geneva", start=18, end=24)],
        escalation=Escalation(
            flag=flag,
            level=level,
            score=0.7,
            categories=["military"],
            actions=["MOBILIZE"],
            matches=[
                EscalationMatch(
                    term="deployed troops",
                    action="MOBILIZE",
                    category="military",
                    weight=0.5,
                    start=troops,
                    end=troops + 15,
                ),
                EscalationMatch(
                    term="missiles",
                    action="THREATEN",
                    category="military",
                    weight=0.9,
                    start=missiles,
                    end=missiles + 8,
                    modality="negated",
                ),
                EscalationMatch(
                    term="mobilisation",
                    action="MOBILIZE",
                    category="military",
                    weight=0.7,
                    start=mobil,
                    end=mobil + 12,
                ),
            ],
        ),
    )


@pytest.mark.parametrize(
    ("level", "minimum", "alerts"),
    [
        ("low", "medium", False),
        ("medium", "medium", True),
        ("high", "medium", True),
        ("critical", "critical", True),
        ("high", "critical", False),
    ],
)
def test_alerting_respects_the_minimum_level(level: Level, minimum: Level, alerts: bool) -> None:
    alert = alert_for(_article(level), default_rules(minimum), NOW)
    assert (alert is not None) is alerts


def test_alerting_never_alerts_an_unflagged_article() -> None:
    assert alert_for(_article("none", flag=False), default_rules("none"), NOW) is None


def test_alerting_ids_are_stable_per_article_and_level() -> None:
    first = alert_for(_article("high"), default_rules("medium"), NOW)
    again = alert_for(_article("high"), default_rules("medium"), datetime(2030, 1, 1, tzinfo=UTC))
    assert first is not None and again is not None
    assert first[0].alert_id == again[0].alert_id == alert_id_of("escalation", "a-1", "high")
    assert alert_id_of("escalation", "a-1", "critical") != first[0].alert_id


def test_alerting_summary_quotes_strongest_asserted_matches_not_denials() -> None:
    summary = summarize(_article("high"))
    assert "A general mobilisation was ordered at night." in summary
    assert "deployed troops" in summary
    assert "denied" not in summary


def test_alerting_summary_keeps_the_article_order_of_its_sentences() -> None:
    summary = summarize(_article("high"))  # mobilisation weighs more but comes later
    assert summary == (
        "The army deployed troops to the border on Monday. "
        "A general mobilisation was ordered at night."
    )


def test_alerting_alert_carries_entities_categories_and_reason() -> None:
    found = alert_for(_article("high"), default_rules("medium"), NOW)
    assert found is not None
    alert, matched = found
    assert [rule.name for rule in matched] == ["default"]
    assert alert.entities == ["Geneva"]
    assert alert.categories == ["military"]
    assert "rule default" in alert.reason and "level high" in alert.reason
    assert alert.schema_ == "newsstream.alert/1"


def test_alerting_duplicate_alerts_say_which_story_escalated() -> None:
    article = _article("critical").model_copy(update={"duplicate_of": "root-7"})
    found = alert_for(article, default_rules("medium"), NOW)
    assert found is not None and "near-duplicate of root-7" in found[0].reason


def test_alerting_spike_alert_ids_are_stable_per_key_and_window() -> None:
    params = SpikeParams(min_count=3)
    state = SpikeState(window_start=1_700_000_400.0, count=7, baseline=0.5, windows=4, fired=True)
    one = spike_alert("entity:NATO", "NATO", state, params, ["military"], NOW)
    two = spike_alert("entity:NATO", "NATO", state, params, ["military"], datetime.now(UTC))
    assert one.alert_id == two.alert_id
    assert (one.kind, one.level, one.article_id, one.entities) == ("spike", "high", None, ["NATO"])
    assert "7 >= threshold 3.0" in one.reason


def test_alerting_summary_does_not_end_a_sentence_at_an_abbreviation() -> None:
    text = "Blasts shook the city. Shelling began at 3 a.m. as air defences engaged drones."
    start = text.index("Shelling")
    shelling = EscalationMatch(
        term="Shelling",
        action="ASSAULT",
        category="military",
        weight=0.8,
        start=start,
        end=start + 8,
    )
    high = _article("high")
    escalation = high.escalation.model_copy(update={"matches": [shelling]})
    article = high.model_copy(update={"text": text, "escalation": escalation})
    assert summarize(article) == "Shelling began at 3 a.m. as air defences engaged drones."


def test_compose_reason_and_summary_cite_only_asserted_matches() -> None:
    from tests.support.articles import enriched

    article = enriched(
        {
            "id": "negated-1",
            "title": "Exercise near the border",
            "body": "Officials said the troop movement near the border was an exercise, not a "
            "planned invasion. Artillery shelling killed two soldiers on Monday.",
        }
    )
    assert any(m.term == "invasion" and m.modality == "negated" for m in article.escalation.matches)
    result = alert_for(article, default_rules("low"), NOW)
    assert result is not None
    alert, _ = result
    assert "invasion" not in alert.reason and "strongest" in alert.reason
    assert "invasion" not in alert.summary


def test_compose_escalation_alert_carries_source_and_url() -> None:
    from tests.support.articles import CLEAN_ESCALATION, enriched

    result = alert_for(enriched(CLEAN_ESCALATION), default_rules("low"), NOW)
    assert result is not None
    assert (result[0].source, result[0].url) == ("wire", CLEAN_ESCALATION["url"])


def test_alerting_alert_carries_its_story_places_and_rules() -> None:
    geneva = Entity(
        text="Geneva",
        type="LOC",
        canonical="Geneva",
        start=18,
        end=24,
        geo=Geo(lat=46.2, lon=6.15, country="CH"),
    )
    article = _article("high").model_copy(update={"entities": [geneva]})
    rules = (Rule(name="desk", min_level="low"), Rule(name="quiet", min_level="critical"))
    found = alert_for(article, rules, NOW)
    assert found is not None
    alert = found[0]
    assert alert.rules == ["desk"]
    assert alert.story_id == "a-1"
    assert [(p.name, p.lat, p.lon, p.country) for p in alert.places] == [
        ("Geneva", 46.2, 6.15, "CH")
    ]
    duplicate = alert_for(article.model_copy(update={"duplicate_of": "root-7"}), rules, NOW)
    assert duplicate is not None and duplicate[0].story_id == "root-7"


def test_alerting_places_leave_out_names_without_coordinates() -> None:
    found = alert_for(_article("high"), default_rules("medium"), NOW)
    assert found is not None and found[0].places == []
