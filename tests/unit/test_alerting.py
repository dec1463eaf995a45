"""Alert rules: level threshold, stable ids, summaries that quote the strongest matches."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from streams.core.alerting import AlertRules, alert_for, alert_id_of, summarize
from streams.models import EnrichedArticle, Entity, Escalation, EscalationMatch, Level

NOW = datetime(2025, 3, 1, 12, tzinfo=UTC)
TEXT = (
    "Talks were held in Geneva. The army deployed troops to the border on Monday. "
    "Officials denied that missiles were moved. A general mobilisation was ordered at night."
)


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
    alert = alert_for(_article(level), AlertRules(min_level=minimum), NOW)
    assert (alert is not None) is alerts


def test_alerting_never_alerts_an_unflagged_article() -> None:
    assert alert_for(_article("none", flag=False), AlertRules(min_level="none"), NOW) is None


def test_alerting_ids_are_stable_per_article_and_level() -> None:
    first = alert_for(_article("high"), AlertRules(), NOW)
    again = alert_for(_article("high"), AlertRules(), datetime(2030, 1, 1, tzinfo=UTC))
    assert first is not None and again is not None
    assert first.alert_id == again.alert_id == alert_id_of("escalation", "a-1", "high")
    assert alert_id_of("escalation", "a-1", "critical") != first.alert_id


def test_alerting_summary_quotes_strongest_asserted_matches_not_denials() -> None:
    summary = summarize(_article("high"))
    assert summary.startswith("A general mobilisation was ordered at night.")
    assert "deployed troops" in summary
    assert "denied" not in summary


def test_alerting_alert_carries_entities_categories_and_reason() -> None:
    alert = alert_for(_article("high"), AlertRules(), NOW)
    assert alert is not None
    assert alert.entities == ["Geneva"]
    assert alert.categories == ["military"]
    assert "high" in alert.reason and "medium" in alert.reason
    assert alert.schema_ == "newsstream.alert/1"
