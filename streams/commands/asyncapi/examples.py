"""The example messages of the AsyncAPI document: one fictional story, built as the models.

Built with the pydantic models (and dumped as they go on the wire), so every example is valid
by construction; tests/commands/test_asyncapi.py validates them against the JSON Schemas all
the same. The story, its outlet and its people are invented; the places are real.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import asdict
from typing import Any

import orjson
from pydantic import BaseModel

from streams import __version__
from streams.core.alerts.compose import alert_id_of
from streams.core.alerts.dedup import Seen
from streams.core.alerts.state import STORY_PREFIX
from streams.core.delivery.payloads import Payload, digest_payload, single_payload
from streams.core.delivery.signing import request_headers
from streams.models import (
    Action,
    Alert,
    AlertPlace,
    Category,
    DeadLetter,
    EnrichedArticle,
    Entity,
    EntityType,
    ErrorInfo,
    Escalation,
    EscalationEvent,
    EscalationMatch,
    Geo,
    Level,
    Modality,
    Quote,
    RawArticle,
    Timex,
    UndeliveredAlert,
)

__all__ = [
    "EXAMPLE_SECRET",
    "ARTICLE_ID",
    "ALERT_ID",
    "wire",
    "raw_article",
    "enriched_article",
    "escalation_alert",
    "spike_alert",
    "dead_letter",
    "undelivered_alert",
    "webhook_posts",
    "state_record",
    "state_key",
]

#: The signing secret of the examples' webhook headers: their signatures can be checked.
EXAMPLE_SECRET = "example-signing-secret"  # noqa: S105 - published with the examples

ARTICLE_ID = "bw-2026-05-16-0417"
TITLE = "Lithuania summons Belarusian envoy after military drone crashes near border"
TEXT = (
    "VILNIUS, May 16 (Baltic Wire) - Lithuania summoned the Belarusian charge d'affaires on "
    "Saturday after a military drone crashed near the border town of Druskininkai, and ordered "
    "additional troops to the area. Defence Minister Laura Kaunaite said the flight was "
    'deliberate. "We will not tolerate any violation of our airspace," Kaunaite told reporters '
    "in Vilnius. Minsk denied that any of its aircraft had crossed the border."
)
SUMMONS = "summoned the Belarusian charge d'affaires"
TROOPS = "ordered additional troops"
CROSSING = "aircraft had crossed the border"
SOURCE = "Baltic Wire"
URL = "https://news.example.org/baltic-wire/2026/05/16/lithuania-drone-border"
PUBLISHED_AT = "2026-05-16T09:40:00+03:00"
RECEIVED_AT = "2026-05-16T06:41:12.000Z"
PROCESSED_AT = "2026-05-16T06:41:12.384Z"
CREATED_AT = "2026-05-16T06:41:12.913Z"
ALERT_ID = alert_id_of("escalation", ARTICLE_ID, "medium")

#: name -> (latitude, longitude, country) of the story's places (GeoNames coordinates).
PLACES = {
    "Vilnius": (54.68916, 25.2798, "LT"),
    "Lithuania": (54.68916, 25.2798, "LT"),
    "Druskininkai": (54.01573, 23.98703, "LT"),
    "Minsk": (53.9, 27.56667, "BY"),
    "Belarus": (53.9, 27.56667, "BY"),
}


def wire(model: BaseModel, exclude_unset: bool = False) -> dict[str, Any]:
    """A model as it goes on the wire: JSON names (`schema`), JSON types; `exclude_unset`
    leaves out the fields a producer did not give."""
    return model.model_dump(mode="json", by_alias=True, exclude_unset=exclude_unset)


def _span(term: str) -> tuple[int, int]:
    """Offsets of `term` in the example's text (its first occurrence)."""
    start = TEXT.index(term)
    return start, start + len(term)


def _entity(text: str, kind: EntityType, canonical: str, aliases: list[str], count: int) -> Entity:
    start, end = _span(text)
    place = PLACES.get(canonical)
    geo = Geo(lat=place[0], lon=place[1], country=place[2]) if place else None
    return Entity(
        text=text,
        type=kind,
        canonical=canonical,
        aliases=aliases,
        start=start,
        end=end,
        count=count,
        geo=geo,
    )


def _timex(text: str, value: str) -> Timex:
    start, end = _span(text)
    return Timex(text=text, type="DATE", value=value, start=start, end=end)


def raw_article() -> RawArticle:
    """What a feed reader publishes on news.raw."""
    return RawArticle(
        id=ARTICLE_ID,
        source=SOURCE,
        url=URL,
        title=TITLE,
        body=TEXT,
        published_at="2026-05-16T09:40:00",
        lang="en",
        tz="Europe/Vilnius",
        received_at="2026-05-16T06:41:12Z",
    )


def _matches() -> list[EscalationMatch]:
    found: list[tuple[str, Action, Category, float, Modality]] = [
        (SUMMONS, "PROTEST", "diplomatic", 0.3, "asserted"),
        (TROOPS, "MOBILIZE", "military", 0.5, "asserted"),
        ("will not tolerate", "THREATEN", "diplomatic", 0.35, "reported"),
        (CROSSING, "MOBILIZE", "military", 0.5, "negated"),
    ]
    matches = []
    for term, action, category, weight, modality in found:
        start, end = _span(term)
        matches.append(
            EscalationMatch(
                term=term,
                action=action,
                category=category,
                weight=weight,
                start=start,
                end=end,
                modality=modality,
            )
        )
    return matches


def _events() -> list[EscalationEvent]:
    first = TEXT[: TEXT.index("area.") + len("area.")]
    denial = TEXT[TEXT.index("Minsk denied") :]
    # (term, class, mode, category, level, modality, actor, target, place, sentence)
    found: list[
        tuple[str, Action, str, Category, Level, Modality, str, str | None, str | None, str]
    ] = [
        (SUMMONS, "PROTEST", "summons", "diplomatic", "low", "asserted", "Lithuania", "Belarus",
         "Vilnius", first),
        (TROOPS, "MOBILIZE", "deployment", "military", "medium", "asserted", "Lithuania", None,
         "Druskininkai", first),
        (CROSSING, "MOBILIZE", "incursion", "military", "none", "negated", "Belarus", None, None,
         denial),
    ]  # fmt: skip
    events = []
    for term, event_class, mode, category, level, modality, actor, target, place, text in found:
        start, end = _span(term)
        events.append(
            EscalationEvent(
                event_class=event_class,
                mode=mode,
                category=category,
                level=level,
                modality=modality,
                term=term,
                start=start,
                end=end,
                actor=actor,
                target=target,
                place=place,
                sentence=text,
            )
        )
    return events


def enriched_article() -> EnrichedArticle:
    """The enriched form of the raw example, on news.enriched (and the stories topic)."""
    quote = "We will not tolerate any violation of our airspace,"
    quote_at = _span(quote)
    return EnrichedArticle(
        article_id=ARTICLE_ID,
        source=SOURCE,
        url=URL,
        lang="en",
        title=TITLE,
        text=TEXT,
        published_at=PUBLISHED_AT,
        published_at_source="field",
        received_at=RECEIVED_AT,
        processed_at=PROCESSED_AT,
        entities=[
            _entity("VILNIUS", "LOC", "Vilnius", ["Vilnius"], 2),
            _entity("Baltic Wire", "ORG", "Baltic Wire", [], 1),
            _entity("Lithuania", "LOC", "Lithuania", [], 1),
            _entity("Belarusian", "LOC", "Belarus", [], 1),
            _entity("Druskininkai", "LOC", "Druskininkai", [], 1),
            _entity("Laura Kaunaite", "PERSON", "Laura Kaunaite", ["Kaunaite"], 2),
            _entity("Minsk", "LOC", "Minsk", [], 1),
        ],
        timexes=[_timex("May 16", "2026-05-16"), _timex("Saturday", "2026-05-16")],
        quotes=[Quote(text=quote, speaker="Laura Kaunaite", start=quote_at[0], end=quote_at[1])],
        escalation=Escalation(
            flag=True,
            level="medium",
            score=0.6413,
            categories=["military", "diplomatic"],
            actions=["THREATEN", "MOBILIZE", "PROTEST"],
            matches=_matches(),
            events=_events(),
        ),
        fingerprint="9c3e52a1f0d87b64",
        duplicate_of=None,
        pipeline_version=__version__,
    )


def escalation_alert() -> Alert:
    """The alert the example article raises, on news.alerts and the rules' topics."""
    article = enriched_article()
    places = ["Vilnius", "Lithuania", "Belarus", "Druskininkai", "Minsk"]
    return Alert(
        alert_id=ALERT_ID,
        kind="escalation",
        level="medium",
        title=TITLE,
        summary=article.text[: article.text.index("area.") + len("area.")],
        article_id=ARTICLE_ID,
        entities=[
            "Vilnius",
            "Laura Kaunaite",
            "Baltic Wire",
            "Lithuania",
            "Belarus",
            "Druskininkai",
            "Minsk",
        ],
        categories=["military", "diplomatic"],
        actions=["THREATEN", "MOBILIZE", "PROTEST"],
        published_at=PUBLISHED_AT,
        source=SOURCE,
        url=URL,
        created_at=CREATED_AT,
        reason="rule military-desk, baltic-watch: level medium (score 0.64, strongest "
        "'ordered additional troops'); event mobilize/deployment 'ordered additional troops', "
        "by Lithuania, in Druskininkai",
        story_id=ARTICLE_ID,
        places=[
            AlertPlace(name=name, lat=PLACES[name][0], lon=PLACES[name][1], country=PLACES[name][2])
            for name in places
        ],
        rules=["military-desk", "baltic-watch"],
    )


def spike_alert() -> Alert:
    """A spike: more escalating stories on one country than its baseline."""
    lat, lon, country = PLACES["Lithuania"]
    window_start = 1778913000.0  # 2026-05-16 06:30 UTC
    return Alert(
        alert_id=alert_id_of("spike", "country:LT", window_start),
        kind="spike",
        level="medium",
        title="Spike: 6 escalating articles on Lithuania within 10 min",
        summary="6 escalation-flagged articles mention Lithuania in the window starting "
        "2026-05-16 06:30 UTC, against a baseline of 0.8 per window.",
        article_id=None,
        entities=["Lithuania"],
        categories=["diplomatic", "military"],
        actions=[],
        published_at=None,
        created_at="2026-05-16T06:44:51.207Z",
        reason="spike on country:LT: 6 >= threshold 5.0 (factor 3.0 x baseline 0.80, min 5)",
        places=[AlertPlace(name="Lithuania", lat=lat, lon=lon, country=country)],
        rules=["baltic-watch"],
    )


def dead_letter() -> DeadLetter:
    """A raw message that is not UTF-8 (a Latin-1 feed), on news.deadletter."""
    payload = "Vilnius: Lietuvos kariuomen\u0117 pasienyje".encode("cp1257")
    try:
        payload.decode("utf-8")
    except UnicodeDecodeError as exc:
        error = exc
    else:  # pragma: no cover - the bytes above are not UTF-8
        raise AssertionError("the example payload must not be UTF-8")
    return DeadLetter(
        error=ErrorInfo(
            type="decode_error",
            message=f"payload is not valid UTF-8: {error.reason} at byte {error.start}",
        ),
        payload_b64=base64.b64encode(payload).decode("ascii"),
        payload_size=len(payload),
        payload_sha256=hashlib.sha256(payload).hexdigest(),
        key_b64=base64.b64encode(b"lt-feed-5531").decode("ascii"),
        topic="news.raw",
        partition=2,
        offset=184467,
        received_at="2026-05-16T06:41:13.020Z",
    )


def undelivered_alert() -> UndeliveredAlert:
    """An alert a webhook kept refusing, parked on news.alerts.undelivered."""
    return UndeliveredAlert(
        alert=escalation_alert(),
        rule="baltic-watch",
        destination="https://hooks.example.org:443",
        format="json",
        attempts=6,
        last_error="HTTP 503 Service Unavailable",
        first_attempt_at="2026-05-16T06:41:13.105Z",
        parked_at="2026-05-16T06:42:09.871Z",
    )


def _webhook(payload: Payload, secret: str | None, timestamp: int) -> dict[str, Any]:
    """A POST as `newsstream notify` makes it: its headers (signed with `secret` unless it is
    None) and its body."""
    key = secret.encode("utf-8") if secret is not None else None
    return {
        "headers": request_headers(payload.body, payload.key, key, timestamp),
        "payload": orjson.loads(payload.body),
    }


def webhook_posts() -> dict[str, dict[str, Any]]:
    """The example POSTs: an alert and a digest to a `json` webhook with a secret (signed
    with EXAMPLE_SECRET), the same to a `slack` webhook without one."""
    alerts = [escalation_alert(), spike_alert()]
    rule, window = "baltic-watch", 60.0
    return {
        "json": _webhook(single_payload(alerts[0], "json"), EXAMPLE_SECRET, 1778913673),
        "json-digest": _webhook(
            digest_payload(rule, alerts, window, "json"), EXAMPLE_SECRET, 1778913720
        ),
        "slack": _webhook(single_payload(alerts[0], "slack"), None, 1778913673),
        "slack-digest": _webhook(digest_payload(rule, alerts, window, "slack"), None, 1778913720),
    }


def state_record() -> dict[str, Any]:
    """A story the alert stage remembers, as its changelog stores it."""
    seen = Seen(
        fingerprint=int("9c3e52a1f0d87b64", 16),
        seen_at=1778913672.0,
        root=ARTICLE_ID,
        alerted=2,
        triggered=2,
    )
    return asdict(seen)


def state_key() -> str:
    """The changelog key of the example story."""
    return f"{STORY_PREFIX}{ARTICLE_ID}"
