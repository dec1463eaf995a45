"""Pydantic v2 models of every message on the wire; the JSON Schemas in streams/schemas/ come
from them (``python -m streams.commands.schema_export``), descriptions included.

Character offsets (``start``, ``end``) everywhere index the enriched article's ``text`` in
Unicode code points (Python string indices, not bytes or UTF-16 units), ``end`` exclusive.
"""

from __future__ import annotations

import re
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = [
    "EntityType",
    "TimexType",
    "Level",
    "LEVELS",
    "Category",
    "CATEGORIES",
    "Action",
    "ACTIONS",
    "Modality",
    "ErrorType",
    "PublishedSource",
    "TruncatedField",
    "RawArticle",
    "Geo",
    "Entity",
    "Timex",
    "Quote",
    "EscalationMatch",
    "CasualtyCount",
    "Casualties",
    "EscalationEvent",
    "Escalation",
    "EnrichedArticle",
    "WebhookFormat",
    "AlertPlace",
    "Alert",
    "UndeliveredAlert",
    "AlertDigest",
    "ErrorInfo",
    "DeadLetter",
]

EntityType = Literal["PERSON", "ORG", "LOC", "MISC"]
TimexType = Literal["DATE", "TIME", "DURATION", "SET"]
Level = Literal["none", "low", "medium", "high", "critical"]
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
    "REDUCE",
    "MASS_VIOLENCE",
    "AGREE",
    "RETREAT",
    "RELEASE",
    "AID",
]
Modality = Literal["asserted", "negated", "hypothetical", "future", "reported"]
ErrorType = Literal[
    "decode_error",
    "invalid_schema",
    "empty_article",
    "too_large",
    "publish_refused",
    "internal_error",
]
#: A webhook's payload: the Alert as published, or Slack-compatible incoming-webhook blocks.
WebhookFormat = Literal["json", "slack"]
PublishedSource = Literal["field", "html", "dateline", "message_timestamp"]
#: The fields of an EnrichedArticle that are cut when it would not fit in one message.
TruncatedField = Literal[
    "html",
    "title",
    "url",
    "source",
    "text",
    "entities",
    "timexes",
    "quotes",
    "escalation.matches",
    "escalation.events",
]

#: The escalation levels, lowest first: compare levels by their index here.
LEVELS: tuple[Level, ...] = get_args(Level)
#: The escalation categories, in the order an Escalation lists them.
CATEGORIES: tuple[Category, ...] = get_args(Category)
#: The PLOVER-style actions, in the order an Escalation lists them.
ACTIONS: tuple[Action, ...] = get_args(Action)

#: Characters an id may not hold: C0 and C1 controls and the Unicode line separators.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")

_UTC_STAMP = "ISO 8601 in UTC to the millisecond with a Z suffix (2024-04-12T11:05:00.000Z)"


def _unwrap_description(schema: dict[str, Any]) -> None:
    """A docstring's paragraphs as single lines in the JSON Schema, not the source's wrapping."""
    text = schema.get("description")
    if isinstance(text, str):
        schema["description"] = "\n\n".join(" ".join(p.split()) for p in text.split("\n\n"))


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra=_unwrap_description)


class RawArticle(BaseModel):
    """A producer's article on news.raw, as a JSON object.

    A message may also be a JSON string or plain UTF-8 text / HTML, read as `body`. Unknown
    fields are ignored; known ones must have their JSON type (strict: no number for a
    string), except `id`, where an integer is taken as its decimal text. At least one of
    `body` and `html` must be given and not blank.
    """

    model_config = ConfigDict(extra="ignore", strict=True, json_schema_extra=_unwrap_description)

    id: str | None = Field(
        default=None,
        max_length=512,
        description="The producer's id of the article, at most 512 characters without line "
        "breaks or other control characters (it becomes the Kafka key and appears in logs); it "
        "becomes `article_id` (trimmed). When absent or blank, `article_id` is derived from `url`, "
        "else from the cleaned text.",
    )
    source: str | None = Field(
        default=None,
        description="Name of the outlet or feed, free text; passed through to the enriched "
        "article.",
    )
    url: str | None = Field(
        default=None,
        description="Address of the article; passed through, and the basis of `article_id` "
        "when `id` is absent.",
    )
    title: str | None = Field(
        default=None,
        description="Headline. When absent, the page's title (HTML) or a headline recovered "
        "from the first line of the text is used.",
    )
    body: str | None = Field(
        default=None,
        description="Article text: plain text, or HTML (parsed as a page when it looks like "
        "HTML). Used when `html` is absent or blank.",
    )
    html: str | None = Field(
        default=None,
        description="The article's full HTML page; its main text is extracted, and its title, "
        "language and publication time are read from the markup. Takes precedence over "
        "`body` when not blank.",
    )
    published_at: str | None = Field(
        default=None,
        description="Publication time, ISO 8601 (date only allowed). A value without offset "
        "is in `tz`, else NEWSSTREAM_SOURCE_TZ, else UTC. An unreadable value is ignored and "
        "the time is looked for in the HTML, then a dateline, then the Kafka timestamp.",
    )
    lang: str | None = Field(
        default=None,
        description="Language of the text, a BCP 47 tag whose primary subtag is an ISO 639 "
        "code (`en`, `en-GB`, `pt_BR`); taken, normalised, instead of detecting the language. "
        "Anything else is not an error: the language is detected and the enriched article's "
        "`warnings` say so.",
    )
    tz: str | None = Field(
        default=None,
        description="IANA time zone of the source (e.g. Europe/Tallinn), for times without "
        "offset; overrides NEWSSTREAM_SOURCE_TZ. An unknown zone dead-letters the message "
        "as invalid_schema.",
    )
    received_at: str | None = Field(
        default=None,
        description="When the producer fetched the article, ISO 8601 (without offset: in "
        "`tz`, else NEWSSTREAM_SOURCE_TZ, else UTC). The reference time that completes "
        "datelines without a year; an unreadable value dead-letters the message as "
        "invalid_schema.",
    )

    @field_validator("id")
    @classmethod
    def _id_on_one_line(cls, value: str | None) -> str | None:
        """An id becomes a Kafka key and a log field: a line break there would forge lines."""
        if value is not None and _CONTROL.search(value):
            raise ValueError("must not contain line breaks or other control characters")
        return value


class Geo(_Model):
    """Where a place is: WGS 84 coordinates and its country."""

    lat: float = Field(
        description="Latitude in decimal degrees (WGS 84), north positive. A country is "
        "placed at its capital, a province or region without coordinates at its country's "
        "capital, a city at the namesake the article's context supports (else the capital, "
        "else the most populous)."
    )
    lon: float = Field(description="Longitude in decimal degrees (WGS 84), east positive.")
    country: str | None = Field(
        default=None,
        description="ISO 3166-1 alpha-2 code of the country the place is in (or is); null "
        "for a place in no single country, such as a continent.",
    )


class Entity(_Model):
    """One distinct named entity of the article, with all its mentions counted together."""

    text: str = Field(description="The first mention as written in `text`.")
    type: EntityType = Field(
        description="PERSON, ORG (organisation), LOC (place; a nationality word counts as "
        "its country) or MISC (a name no rule could type)."
    )
    canonical: str = Field(
        description="Normalised full name the mentions resolve to: the gazetteer name of a "
        "known entity (Russian -> Russia), the full name of a person mentioned later by "
        "surname, else the first mention."
    )
    aliases: list[str] = Field(
        default_factory=list,
        description="The other surface forms of the entity in `text`, in order of first "
        "appearance, without the first mention's form; empty when there are none.",
    )
    start: int = Field(description="Offset of the first mention in `text` (code points).")
    end: int = Field(description="Offset just after the first mention in `text` (exclusive).")
    count: int = Field(default=1, description="Number of mentions in `text`, the first included.")
    geo: Geo | None = Field(
        default=None,
        description="Coordinates and country of a LOC entity found in the gazetteers; null "
        "for other types and for unknown places.",
    )


TimexMod = Literal[
    "START", "MID", "END", "APPROX", "LESS_THAN", "MORE_THAN", "EQUAL_OR_LESS", "EQUAL_OR_MORE"
]


class Timex(_Model):
    """A time expression in the text, normalised to a TIMEX3 value."""

    text: str = Field(description="The expression as written in `text`.")
    type: TimexType = Field(
        description="TIMEX3 type: DATE (a day, week, month, quarter, year or vague "
        "reference), TIME (a clock time or part of a day), DURATION (a length of time) or "
        "SET (a recurrence)."
    )
    value: str = Field(
        description="TIMEX3 value, resolved against the publication time (else the reference "
        "time): 2022-01-27, 2022-W03, 2022-Q2, 2021, 2022-01-26T16:40-05:00, 2022-01-25TMO, "
        "P3D, PT48H, PT3H7M35S, PAST_REF / PRESENT_REF / FUTURE_REF, a decade 199, a century "
        "19; a SET's period or pattern: P1W, XXXX-WXX-1, XXXX-07."
    )
    start: int = Field(description="Offset of the expression in `text` (code points).")
    end: int = Field(description="Offset just after the expression in `text` (exclusive).")
    mod: TimexMod | None = Field(
        default=None,
        description="TIMEX3 modifier, where the words give one: START (early 2009), MID, END "
        "(by the end of the year: the value is the year), APPROX (about two weeks), "
        "LESS_THAN, MORE_THAN, EQUAL_OR_LESS, EQUAL_OR_MORE; null when there is none.",
    )


class Quote(_Model):
    """A direct quotation of at least four words, and who said it."""

    text: str = Field(description="The quoted words, without the quotation marks.")
    speaker: str | None = Field(
        default=None,
        description="Canonical name of the person the quotation is attributed to; null when "
        "no speaker was found.",
    )
    start: int = Field(description="Offset of the quoted words in `text` (after the mark).")
    end: int = Field(description="Offset just after the quoted words in `text` (exclusive).")


class EscalationMatch(_Model):
    """One match of the escalation lexicon in the text."""

    term: str = Field(description="The matched words as written in `text`.")
    action: Action = Field(description="PLOVER-style action the matched lexicon entry names.")
    category: Category = Field(
        description="Category the match counts under (a generic term such as 'bombing' "
        "moves to the story's terrorism or nuclear category when it has one)."
    )
    weight: float = Field(
        description="Strength of the lexicon entry on the 0-1 level scale (low from 0.15, "
        "medium from 0.40, high from 0.65, critical from 0.90), before the modality factor; "
        "3 decimals."
    )
    start: int = Field(description="Offset of the match in `text` (code points).")
    end: int = Field(description="Offset just after the match in `text` (exclusive).")
    modality: Modality = Field(
        default="asserted",
        description="How the text presents it: asserted (as fact), negated (denied or ruled "
        "out; never counts), hypothetical (could, might, if; counts one level lower), future "
        "(will, plans to; one level lower) or reported (said, according to, quoted).",
    )


class CasualtyCount(_Model):
    """A number of people the text states were killed, injured or went missing."""

    count: int = Field(ge=0, description="The number (0 for 'no casualties').")
    text: str = Field(description="The number phrase as written ('at least 12', 'dozens').")
    start: int = Field(description="Offset of `text` in the article's `text` (code points).")
    end: int = Field(description="Offset just after `text` (exclusive).")
    approximate: bool = Field(
        default=False,
        description="A bound or a vague amount ('at least 12', 'dozens' = 24, 'several' = 3).",
    )


class Casualties(_Model):
    """Casualties of the story's violent events: the largest figure stated for each kind."""

    killed: CasualtyCount | None = Field(default=None, description="People killed.")
    injured: CasualtyCount | None = Field(default=None, description="People injured.")
    missing: CasualtyCount | None = Field(
        default=None, description="People missing, abducted, kidnapped or taken hostage."
    )


class EscalationEvent(_Model):
    """One event of the event model: who did what to whom, of which class, how told."""

    event_class: Action = Field(
        description="PLOVER/CAMEO-style class (ASSAULT, FIGHT, MASS_VIOLENCE, PROTEST, "
        "THREATEN, MOBILIZE, COERCE, SANCTION, REDUCE, ...; AGREE, RETREAT, RELEASE and AID "
        "are cooperative and never count)."
    )
    mode: str = Field(description="How, within the class: shooting, bombardment, riot, ...")
    category: Category = Field(description="Category the event counts under.")
    level: Level = Field(
        description="Level this event supports: its class and mode, raised by deaths in its "
        "sentence, one lower when hypothetical or future, none when negated or cooperative."
    )
    modality: Modality = Field(description="How the text presents it (as in matches).")
    term: str = Field(description="The words that name the event, as written in `text`.")
    start: int = Field(description="Offset of `term` in `text` (code points).")
    end: int = Field(description="Offset just after `term` (exclusive).")
    actor: str | None = Field(
        default=None, description="Canonical name of the entity that acts, when named."
    )
    target: str | None = Field(
        default=None, description="Canonical name of the entity acted upon, when named."
    )
    place: str | None = Field(
        default=None, description="Canonical name of the place where it happened, when named."
    )
    sentence: str = Field(description="The sentence that reports it (at most 600 characters).")


class Escalation(_Model):
    """How far the story escalates, from the matches of the escalation lexicon."""

    flag: bool = Field(
        default=False, description="True when `level` is above none (some match counts)."
    )
    level: Level = Field(
        default="none",
        description="Set by the strongest counting match (title included): low = rhetoric, "
        "protests; medium = expulsions, sanctions, deployments; high = lethal strikes, "
        "mobilisation, ultimatums; critical = nuclear threats, declared war.",
    )
    score: float = Field(
        default=0.0,
        ge=0.0,
        le=1.0,
        description="Strength from 0 to 1: a damped noisy-OR over the distinct counting "
        "entries (title included), 4 decimals; 0 when nothing counts.",
    )
    categories: list[Category] = Field(
        default_factory=list,
        description="Categories of the counting matches (those of hedged ones only when no "
        "match is asserted or reported), each once, in the order of the Category enum.",
    )
    actions: list[Action] = Field(
        default_factory=list,
        description="Actions of the counting matches, each once, in the order of the Action enum.",
    )
    matches: list[EscalationMatch] = Field(
        default_factory=list,
        description="Every lexicon match in `text`, negated ones included, in text order; "
        "matches in the title count towards level and score but are not listed.",
    )
    events: list[EscalationEvent] = Field(
        default_factory=list,
        description="The events the matches report, one per class and sentence (the "
        "strongest match), in text order; negated and cooperative ones included.",
    )
    casualties: Casualties = Field(
        default_factory=Casualties,
        description="Killed, injured and missing of the story's counting violent events.",
    )


class EnrichedArticle(_Model):
    """An article after enrichment, on news.enriched (schema newsstream.enriched/1).

    `text` is the cleaned article text; every offset in `entities`, `timexes`, `quotes` and
    `escalation.matches` indexes it.
    """

    schema_: Literal["newsstream.enriched/1"] = Field(
        default="newsstream.enriched/1",
        alias="schema",
        description="Message type and version of this schema.",
    )
    article_id: str = Field(
        description="The raw message's `id` (trimmed), else 24 hex digits of a BLAKE2b hash "
        "of its `url`, else of the cleaned text: the same input always gets the same id. "
        "Also the Kafka key."
    )
    source: str | None = Field(
        default=None, description="The raw message's `source`; null when it gave none."
    )
    url: str | None = Field(default=None, description="The raw message's `url`; null when absent.")
    lang: str | None = Field(
        default=None,
        description="Language code: the raw message's `lang`, else the page's declared "
        "language, else the ISO 639-1 code detected from the text; null when the text is "
        "too short or the detection unsure.",
    )
    title: str | None = Field(
        default=None,
        description="Headline: the raw message's `title`, else the page's title, else one "
        "recovered from the first line of the text; null when there is none.",
    )
    text: str = Field(
        description="The cleaned article text: an HTML page's main text, or the given text "
        "without its clutter (repeated headline, section labels, photo credits, share and "
        "subscribe lines, trailers); never empty."
    )
    published_at: str | None = Field(
        default=None,
        description="Publication time, ISO 8601: with its UTC offset when the zone is known, "
        "without one for a dateline's local wall-clock time in no known zone, YYYY-MM-DD "
        "when only the day is known. Null when no source gave one.",
    )
    published_at_source: PublishedSource | None = Field(
        default=None,
        description="Where `published_at` came from: field (the raw message's "
        "`published_at`), html (the page's metadata), dateline (the text), "
        "message_timestamp (the Kafka timestamp); null when `published_at` is null.",
    )
    received_at: str = Field(
        description="When the article arrived: the raw message's `received_at`, else the "
        f"Kafka message timestamp, else the processing time; {_UTC_STAMP}."
    )
    processed_at: str = Field(description=f"When enrichment finished; {_UTC_STAMP}.")
    entities: list[Entity] = Field(
        default_factory=list,
        description="Named entities of `text`, one per distinct entity, in order of first mention.",
    )
    timexes: list[Timex] = Field(
        default_factory=list, description="Time expressions of `text`, in text order."
    )
    quotes: list[Quote] = Field(
        default_factory=list, description="Direct quotations in `text`, in text order."
    )
    escalation: Escalation = Field(
        default_factory=Escalation,
        description="Escalation assessment of the title and text.",
    )
    fingerprint: str = Field(
        description="64-bit SimHash of the cleaned text's word shingles as 16 lowercase hex "
        "digits; near-duplicates differ in few bits (NEWSSTREAM_DEDUP_MAX_DISTANCE)."
    )
    duplicate_of: str | None = Field(
        default=None,
        description="`article_id` of the first article of the story when this one is its "
        "near-duplicate (within NEWSSTREAM_DEDUP_WINDOW_S); null for a new story. Set by the "
        "alert stage, so always null on the internal stories topic.",
    )
    truncated: dict[TruncatedField, int] | None = Field(
        default=None,
        description="Null when the article is whole; otherwise what was left out. Reading "
        "is bounded: `html` counts the characters of a page past its element or attribute "
        "bound, left unparsed, and `text` the characters of the text past 50,000, left unread; "
        "everything else describes the part read. The article is then fitted into one message "
        "of NEWSSTREAM_MAX_OUTPUT_BYTES: per list field (entities, timexes, quotes, "
        "escalation.matches, escalation.events), the number of items dropped (kept: the most "
        "mentioned entities, the strongest matches and events, else the first in text order; "
        "always in text order); per "
        "string field (text, title, url, source), the number of characters cut from its end "
        "(added to what was unread). Items beyond a cut `text` are dropped. Level, score, "
        "categories, actions, counts and the fingerprint still describe all that was read.",
    )
    warnings: list[str] = Field(
        default_factory=list,
        description="What in the raw message could not be used and was done without, one "
        "line each, naming the field: a `published_at` that is not an ISO 8601 time (the "
        "publication time then comes from the page, a dateline or the message timestamp), a "
        "`lang` that is not a BCP 47 language tag (the language is then detected). Empty "
        "when everything given was used.",
    )
    pipeline_version: str = Field(description="Version of newsstream that enriched the article.")

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class AlertPlace(_Model):
    """A place an alert is about, where a map draws it."""

    name: str = Field(description="Canonical name of the LOC entity.")
    lat: float = Field(description="Latitude in decimal degrees (WGS 84), north positive.")
    lon: float = Field(description="Longitude in decimal degrees (WGS 84), east positive.")
    country: str | None = Field(
        default=None, description="ISO 3166-1 alpha-2 code of its country (null for none)."
    )


class Alert(_Model):
    """An alert on news.alerts (schema newsstream.alert/1), also routed to the `topic` of
    every matching subscriber rule that names one.

    kind `escalation`: an article matched a subscriber rule (once per story and level);
    kind `spike`: escalation-flagged stories about one entity or country outnumbered their
    baseline in a tumbling window.
    """

    schema_: Literal["newsstream.alert/1"] = Field(
        default="newsstream.alert/1",
        alias="schema",
        description="Message type and version of this schema.",
    )
    alert_id: str = Field(
        description="24 hex digits of a BLAKE2b hash of what the alert is about (article and "
        "level; spike key and window start), so a replay gives the same id. Also the Kafka "
        "key."
    )
    kind: Literal["escalation", "spike"] = Field(
        description="escalation: one article matched a subscriber rule; spike: an entity or "
        "country is named by unusually many escalating stories."
    )
    level: Level = Field(
        description="escalation: the article's escalation level; spike: medium at the "
        "threshold, high at twice it."
    )
    title: str | None = Field(
        description="escalation: the article's title (null when it has none); spike: a "
        "generated line such as 'Spike: 7 escalating articles on NATO within 10 min'."
    )
    summary: str = Field(
        description="escalation: the one or two sentences holding the strongest "
        "asserted or reported matches, in article order (else the title or the text's start); "
        "cut at 400 characters; spike: the count and the baseline in words."
    )
    article_id: str | None = Field(
        description="escalation: the article's `article_id`; spike: null."
    )
    entities: list[str] = Field(
        default_factory=list,
        description="escalation: canonical names of up to 8 PERSON, ORG and LOC entities, "
        "most mentioned first; spike: the one entity or country name that spiked.",
    )
    categories: list[Category] = Field(
        default_factory=list,
        description="escalation: the article's escalation categories; spike: those of the "
        "article that crossed the threshold, alphabetical.",
    )
    actions: list[Action] = Field(
        default_factory=list,
        description="escalation: the article's escalation actions; spike: empty.",
    )
    published_at: str | None = Field(
        default=None,
        description="escalation: the article's `published_at` (same format, may be null); "
        "spike: null.",
    )
    source: str | None = Field(
        default=None, description="escalation: the article's `source` (may be null); spike: null."
    )
    url: str | None = Field(
        default=None, description="escalation: the article's `url` (may be null); spike: null."
    )
    created_at: str = Field(description=f"When the alert was made; {_UTC_STAMP}.")
    reason: str = Field(
        description="Why it fired, for people: the matching rules, level, score and strongest "
        "asserted or reported term (and the story it repeats, for a near-duplicate that "
        "escalated), or the spike's count against its threshold and baseline."
    )

    story_id: str | None = Field(
        default=None,
        description="escalation: `article_id` of the story's first article (the article's "
        "`duplicate_of`, else its own id), shared by the alerts and near-duplicates of one "
        "story; spike: null.",
    )
    places: list[AlertPlace] = Field(
        default_factory=list,
        description="escalation: up to 8 places named (LOC entities with coordinates), most "
        "mentioned first, for a map; spike: the country that spiked, when it is one.",
    )
    rules: list[str] = Field(
        default_factory=list,
        description="Names of the subscriber rules the alert matched, in file order (`default` "
        "without a rules file): `newsstream notify` delivers it to their webhooks.",
    )

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class UndeliveredAlert(_Model):
    """An alert a webhook did not take after every attempt, on news.alerts.undelivered
    (schema newsstream.undelivered/1), with the last error: parked, not lost."""

    schema_: Literal["newsstream.undelivered/1"] = Field(
        default="newsstream.undelivered/1",
        alias="schema",
        description="Message type and version of this schema.",
    )
    alert: Alert = Field(description="The alert, exactly as it was read from news.alerts.")
    rule: str = Field(description="Name of the subscriber rule whose webhook it was for.")
    destination: str = Field(
        description="The webhook's scheme, host and port only (a path or query can hold a "
        "token, as Slack's do): which endpoint failed, without its secret."
    )
    format: WebhookFormat = Field(description="The payload format of that webhook.")
    attempts: int = Field(description="How many times delivery was tried.")
    last_error: str = Field(
        description="The last attempt's failure: an HTTP status and reason, a timeout or a "
        "connection error; at most 500 characters."
    )
    first_attempt_at: str = Field(description=f"When delivery was first tried; {_UTC_STAMP}.")
    parked_at: str = Field(description=f"When it was given up and parked here; {_UTC_STAMP}.")

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class AlertDigest(_Model):
    """What a `json` webhook receives instead of single alerts while its rate limit is
    exceeded (schema newsstream.alert-digest/1): every alert held back, in one message."""

    schema_: Literal["newsstream.alert-digest/1"] = Field(
        default="newsstream.alert-digest/1",
        alias="schema",
        description="Message type and version of this schema.",
    )
    rule: str = Field(description="Name of the subscriber rule the webhook belongs to.")
    count: int = Field(description="How many alerts the digest holds.")
    window_s: float = Field(description="Length of the rate limit's window, in seconds.")
    alerts: list[Alert] = Field(description="The alerts held back, oldest first.")

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class ErrorInfo(_Model):
    """Why a message was dead-lettered."""

    type: ErrorType = Field(
        description="Kind of error; streams.errors.ERROR_TYPES and the README say what each means."
    )
    message: str = Field(
        description="What exactly was wrong, for people (may quote part of the input); at "
        "most 500 characters."
    )


class DeadLetter(_Model):
    """A message that could not be processed, on news.deadletter (schema
    newsstream.deadletter/1), with its exact original bytes (an excerpt of them when the
    letter would not fit in one message) and where it was read."""

    schema_: Literal["newsstream.deadletter/1"] = Field(
        default="newsstream.deadletter/1",
        alias="schema",
        description="Message type and version of this schema.",
    )
    error: ErrorInfo = Field(description="What was wrong with the message.")
    payload_b64: str = Field(
        description="The message's exact original value, standard base64 (RFC 4648, padded); "
        "when the letter would not fit in one message of NEWSSTREAM_MAX_OUTPUT_BYTES, only "
        "its first bytes (at most 64 KiB) and `payload_excerpt` is true."
    )
    payload_size: int = Field(
        description="Length in bytes of the whole original value, also when `payload_b64` "
        "holds an excerpt."
    )
    payload_sha256: str = Field(
        description="SHA-256 of the whole original value, 64 lowercase hex digits: finds the "
        "message, or checks a copy of it, when `payload_b64` holds an excerpt."
    )
    payload_excerpt: bool = Field(
        default=False,
        description="True when `payload_b64` holds only the first bytes of the value.",
    )
    key_b64: str | None = Field(
        default=None,
        description="The message's original Kafka key, standard base64; null when it had no key.",
    )
    topic: str | None = Field(
        default=None,
        description="Topic the message was read from (news.raw, or the internal stories "
        "topic); null outside Kafka (the enrich command).",
    )
    partition: int | None = Field(
        default=None, description="Partition it was read from; null outside Kafka."
    )
    offset: int | None = Field(
        default=None, description="Offset in that partition; null outside Kafka."
    )
    received_at: str = Field(description=f"When the message was dead-lettered; {_UTC_STAMP}.")

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
