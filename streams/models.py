"""Pydantic v2 models of every message on the wire (DESIGN §3); JSON Schemas come from them."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "ENRICHED_SCHEMA",
    "ALERT_SCHEMA",
    "DEADLETTER_SCHEMA",
    "EntityType",
    "TimexType",
    "Level",
    "LEVELS",
    "Category",
    "Action",
    "Modality",
    "ErrorType",
    "PublishedSource",
    "RawArticle",
    "Geo",
    "Entity",
    "Timex",
    "Quote",
    "EscalationMatch",
    "Escalation",
    "EnrichedArticle",
    "Alert",
    "ErrorInfo",
    "DeadLetter",
]

ENRICHED_SCHEMA = "newsstream.enriched/1"
ALERT_SCHEMA = "newsstream.alert/1"
DEADLETTER_SCHEMA = "newsstream.deadletter/1"

EntityType = Literal["PERSON", "ORG", "LOC", "MISC"]
TimexType = Literal["DATE", "TIME", "DURATION", "SET"]
Level = Literal["none", "low", "medium", "high", "critical"]
LEVELS: tuple[Level, ...] = ("none", "low", "medium", "high", "critical")
Category = Literal[
    "military",
    "diplomatic",
    "economic",
    "cyber",
    "civil_unrest",
    "humanitarian",
    "nuclear",
    "terrorism",
]
Action = Literal[
    "THREATEN",
    "MOBILIZE",
    "ASSAULT",
    "FIGHT",
    "SANCTION",
    "COERCE",
    "DEMAND",
    "REJECT",
    "PROTEST",
]
Modality = Literal["asserted", "negated", "hypothetical", "future", "reported"]
ErrorType = Literal[
    "decode_error", "invalid_schema", "empty_article", "too_large", "internal_error"
]
PublishedSource = Literal["field", "html", "dateline", "message_timestamp"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RawArticle(BaseModel):
    """A producer's article on news.raw; unknown fields are ignored, known ones are typed."""

    model_config = ConfigDict(extra="ignore", strict=True)

    id: str | None = Field(default=None, max_length=512)
    source: str | None = None
    url: str | None = None
    title: str | None = None
    body: str | None = None
    html: str | None = None
    published_at: str | None = Field(default=None, description="ISO 8601; naive = source zone")
    lang: str | None = None
    tz: str | None = Field(default=None, description="IANA zone of the source")
    received_at: str | None = Field(default=None, description="when the producer fetched it")


class Geo(_Model):
    lat: float
    lon: float
    country: str | None = None


class Entity(_Model):
    text: str
    type: EntityType
    canonical: str
    aliases: list[str] = Field(default_factory=list)
    start: int
    end: int
    count: int = 1
    geo: Geo | None = None


class Timex(_Model):
    text: str
    type: TimexType
    value: str
    start: int
    end: int


class Quote(_Model):
    text: str
    speaker: str | None = None
    start: int
    end: int


class EscalationMatch(_Model):
    term: str
    action: Action
    category: Category
    weight: float
    start: int
    end: int
    modality: Modality = "asserted"


class Escalation(_Model):
    flag: bool = False
    level: Level = "none"
    score: float = Field(default=0.0, ge=0.0, le=1.0)
    categories: list[Category] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)
    matches: list[EscalationMatch] = Field(default_factory=list)


class EnrichedArticle(_Model):
    schema_: Literal["newsstream.enriched/1"] = Field(
        default="newsstream.enriched/1", alias="schema"
    )
    article_id: str
    source: str | None = None
    url: str | None = None
    lang: str | None = None
    title: str | None = None
    text: str
    published_at: str | None = None
    published_at_source: PublishedSource | None = None
    received_at: str
    processed_at: str
    entities: list[Entity] = Field(default_factory=list)
    timexes: list[Timex] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    escalation: Escalation = Field(default_factory=Escalation)
    fingerprint: str
    duplicate_of: str | None = None
    pipeline_version: str

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Alert(_Model):
    schema_: Literal["newsstream.alert/1"] = Field(default="newsstream.alert/1", alias="schema")
    alert_id: str
    kind: Literal["escalation", "spike"]
    level: Level
    title: str | None
    summary: str
    article_id: str | None
    entities: list[str] = Field(default_factory=list)
    categories: list[Category] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)
    published_at: str | None = None
    created_at: str
    reason: str

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class ErrorInfo(_Model):
    type: ErrorType
    message: str


class DeadLetter(_Model):
    schema_: Literal["newsstream.deadletter/1"] = Field(
        default="newsstream.deadletter/1", alias="schema"
    )
    error: ErrorInfo
    payload_b64: str
    key_b64: str | None = None
    topic: str | None = None
    partition: int | None = None
    offset: int | None = None
    received_at: str

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
