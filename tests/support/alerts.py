"""Invented alerts for the live page's tests: realistic news, no real article behind them."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

from streams.models import Alert, AlertPlace

_NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def _stamp(minutes_ago: float, now: datetime = _NOW) -> str:
    when = now - timedelta(minutes=minutes_ago)
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


def _place(name: str, lat: float, lon: float, country: str | None) -> AlertPlace:
    return AlertPlace(name=name, lat=lat, lon=lon, country=country)


KHARKIV = _place("Kharkiv", 49.99, 36.23, "UA")
UKRAINE = _place("Ukraine", 50.45, 30.52, "UA")
RUSSIA = _place("Russia", 55.75, 37.62, "RU")
TAIPEI = _place("Taipei", 25.03, 121.57, "TW")
CHINA = _place("China", 39.90, 116.40, "CN")
KHARTOUM = _place("Khartoum", 15.50, 32.56, "SD")
DARFUR = _place("El Fasher", 13.63, 25.35, "SD")
TALLINN = _place("Tallinn", 59.44, 24.75, "EE")
LIMA = _place("Lima", -12.05, -77.04, "PE")
GAZA = _place("Gaza", 31.50, 34.47, "PS")
SANAA = _place("Sanaa", 15.37, 44.19, "YE")
RED_SEA = _place("Red Sea", 20.0, 38.5, None)


def make_alert(
    key: str,
    *,
    level: str = "high",
    title: str = "Shelling hits residential district of Kharkiv",
    summary: str = "Artillery struck a residential district of Kharkiv overnight, "
    "regional officials said.",
    entities: list[str] | None = None,
    categories: list[str] | None = None,
    places: list[AlertPlace] | None = None,
    source: str | None = "Eastern Europe Wire",
    minutes_ago: float = 1,
    story_id: str | None = None,
    kind: str = "escalation",
    reason: str | None = None,
    now: datetime = _NOW,
) -> Alert:
    """An alert whose ids derive from `key`, so a test can name it."""
    digest = hashlib.blake2b(key.encode(), digest_size=12).hexdigest()
    fields: dict[str, Any] = {
        "alert_id": digest,
        "kind": kind,
        "level": level,
        "title": title,
        "summary": summary,
        "article_id": None if kind == "spike" else f"art-{key}",
        "entities": entities if entities is not None else ["Kharkiv", "Ukraine"],
        "categories": categories if categories is not None else ["military"],
        "actions": ["ASSAULT"] if kind == "escalation" else [],
        "published_at": None if kind == "spike" else _stamp(minutes_ago + 3, now)[:19] + "+00:00",
        "source": None if kind == "spike" else source,
        "url": None if kind == "spike" else f"https://news.example.org/{key}",
        "created_at": _stamp(minutes_ago, now),
        "reason": reason or f"rule default: level {level} (score 0.71), strongest term 'shelling'",
        "story_id": None if kind == "spike" else (story_id or f"art-{key}"),
        "places": places if places is not None else [KHARKIV, UKRAINE],
        "rules": ["default"],
    }
    return Alert.model_validate(fields)


def realistic_alerts(now: datetime = _NOW) -> list[Alert]:
    """Eight alerts of a busy morning before `now`, oldest first (invented events)."""
    alerts = [
        make_alert(
            "tallinn-cyber",
            level="medium",
            title="Estonian government portals hit by coordinated denial-of-service attack",
            summary="Several Estonian state e-services were unreachable for three hours after "
            "what officials called a coordinated denial-of-service attack.",
            entities=["Estonia", "Tallinn", "CERT-EE"],
            categories=["cyber"],
            places=[TALLINN],
            source="Baltic Times Desk",
            minutes_ago=95,
            reason="rule default: level medium (score 0.46), strongest term 'denial-of-service "
            "attack'",
        ),
        make_alert(
            "lima-protest",
            level="low",
            title="Thousands march in Lima against fuel price rise",
            summary="Thousands of people marched through central Lima on Monday to protest "
            "a 12 percent rise in fuel prices; police used tear gas near Congress.",
            entities=["Lima", "Peru", "Congress"],
            categories=["civil_unrest", "economic"],
            places=[LIMA],
            source="Andes Report",
            minutes_ago=80,
            reason="rule default: level low (score 0.28), strongest term 'tear gas'",
        ),
        make_alert(
            "red-sea-shipping",
            level="high",
            title="Cargo ship reports explosion off Yemen's coast in the Red Sea",
            summary="A bulk carrier reported an explosion near its hull 40 nautical miles west "
            "of Hodeidah; the crew is safe and the vessel is heading to the next port.",
            entities=["Yemen", "Hodeidah", "UKMTO"],
            categories=["military", "economic"],
            places=[RED_SEA, SANAA],
            source="Maritime Security Bulletin",
            minutes_ago=61,
            reason="rule default: level high (score 0.68), strongest term 'explosion'",
        ),
        make_alert(
            "taiwan-drills",
            level="high",
            title="China begins live-fire drills in waters east of Taiwan",
            summary="China's military said it had begun two days of live-fire exercises in "
            "waters east of Taiwan, and warned ships to stay out of six zones.",
            entities=["China", "Taiwan", "People's Liberation Army", "Taipei"],
            categories=["military"],
            places=[TAIPEI, CHINA],
            source="Pacific Asia Desk",
            minutes_ago=44,
            reason="rule default: level high (score 0.66), strongest term 'live-fire exercises'",
        ),
        make_alert(
            "darfur-aid",
            level="critical",
            title="Aid convoy attacked near El Fasher; at least 14 killed",
            summary="Gunmen attacked a humanitarian convoy near El Fasher on Sunday, killing at "
            "least 14 people, including five aid workers, the UN said.",
            entities=["El Fasher", "Sudan", "United Nations", "Darfur"],
            categories=["humanitarian", "military"],
            places=[DARFUR, KHARTOUM],
            source="Africa Newswire",
            minutes_ago=30,
            reason="rule default: level critical (score 0.93), strongest term 'attacked', "
            "14 killed",
        ),
        make_alert(
            "kharkiv-shelling",
            level="high",
            minutes_ago=18,
            entities=["Kharkiv", "Ukraine", "Oleh Syniehubov"],
            reason="rule default: level high (score 0.71), strongest term 'shelling'",
        ),
        make_alert(
            "kharkiv-shelling-2",
            level="high",
            title="Kharkiv shelling: regional governor says nine wounded",
            summary="Nine people were wounded when shells hit apartment blocks in Kharkiv, the "
            "regional governor said, raising an earlier toll.",
            minutes_ago=9,
            story_id="art-kharkiv-shelling",
            source="Kyiv Morning Post",
            reason="rule default: level high (score 0.70), strongest term 'shells hit'; repeats "
            "story art-kharkiv-shelling",
        ),
        make_alert(
            "spike-ukraine",
            kind="spike",
            level="medium",
            title="Spike: 7 escalating articles on Ukraine within 10 min",
            summary="7 escalating articles named Ukraine in 10 minutes, against a baseline of 1.4.",
            entities=["Ukraine"],
            categories=["military"],
            places=[UKRAINE],
            minutes_ago=4,
            reason="spike on country:UA: 7 >= threshold 5 (3 x baseline 1.4)",
        ),
    ]
    if now == _NOW:
        return alerts
    shift = now - _NOW
    return [
        a.model_copy(
            update={
                "created_at": _shifted(a.created_at, shift),
                "published_at": a.published_at and _shifted(a.published_at, shift),
            }
        )
        for a in alerts
    ]


def _shifted(stamp: str, shift: timedelta) -> str:
    when = datetime.fromisoformat(stamp.replace("Z", "+00:00")) + shift
    if stamp.endswith("Z"):
        return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"
    return when.isoformat(timespec="seconds")


def enriched_record(
    article_id: str,
    title: str,
    *,
    duplicate_of: str | None = None,
    level: str = "high",
    source: str = "Eastern Europe Wire",
    published_at: str = "2026-03-02T11:40:00+00:00",
) -> dict[str, Any]:
    """The fields of an enriched article the story index reads (a real one has many more)."""
    return {
        "schema": "newsstream.enriched/1",
        "article_id": article_id,
        "title": title,
        "source": source,
        "url": f"https://news.example.org/{article_id}",
        "published_at": published_at,
        "text": "...",
        "escalation": {"level": level},
        "duplicate_of": duplicate_of,
    }
