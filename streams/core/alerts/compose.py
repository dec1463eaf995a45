"""Alert rules: which enriched articles become alerts, and what an alert says."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime

from streams.core.alerts.rules import Rule
from streams.core.alerts.spikes import (
    SpikeParams,
    SpikeState,
    ranked_entities,
    spike_level,
    threshold,
)
from streams.core.temporal.published import utc_iso
from streams.core.text.sentences import Sentences
from streams.models import (
    LEVELS,
    Alert,
    AlertPlace,
    Category,
    EnrichedArticle,
    EscalationEvent,
    EscalationMatch,
    Modality,
)

__all__ = [
    "ASSERTED_MODALITIES",
    "alert_places",
    "alert_id_of",
    "asserted_matches",
    "escalation_alert",
    "spike_alert",
    "strongest_event",
    "summarize",
]

#: How many canonical entity names an alert lists (most mentioned first).
MAX_ALERT_ENTITIES = 8
#: Longest summary, in characters.
MAX_SUMMARY_CHARS = 400
#: The modalities an alert may cite: stated as fact, by the article or a source it reports.
ASSERTED_MODALITIES: frozenset[Modality] = frozenset({"asserted", "reported"})


def alert_id_of(kind: str, subject: str, detail: object) -> str:
    """Stable alert id from what the alert is about: the same input gives the same id."""
    digest = hashlib.blake2b(f"{kind}|{subject}|{detail}".encode(), digest_size=12)
    return digest.hexdigest()


def _sentence_around(text: str, sentences: Sentences, match: EscalationMatch) -> tuple[int, str]:
    start, end = sentences.around(match.start)
    end = max(end, sentences.around(max(match.end - 1, start))[1])
    return start, " ".join(text[start:end].split())


def asserted_matches(article: EnrichedArticle) -> list[EscalationMatch]:
    """The matches the article states as fact, itself or through a source it quotes.

    Negated ("not a planned invasion"), hypothetical and future matches say what did not or
    may yet happen: an alert that cites them as its reason would claim what the text denies.
    """
    return [m for m in article.escalation.matches if m.modality in ASSERTED_MODALITIES]


def strongest_event(article: EnrichedArticle) -> EscalationEvent | None:
    """The asserted or reported event of the highest level (the first of them in the text)."""
    events = [
        e
        for e in article.escalation.events
        if e.modality in ASSERTED_MODALITIES and e.level != "none"
    ]
    return max(events, key=lambda e: (LEVELS.index(e.level), -e.start), default=None)


def summarize(article: EnrichedArticle, max_sentences: int = 2) -> str:
    """One or two sentences: the strongest event's, then those of the strongest matches.

    The sentences are given in the article's order, so the summary reads as the article does.
    """
    sentences = Sentences.of(article.text)
    event = strongest_event(article)
    ranked = sorted(asserted_matches(article), key=lambda m: (-m.weight, m.start))
    if event is not None:
        ranked = [m for m in ranked if m.start == event.start] + ranked
    chosen: dict[str, int] = {}
    for match in ranked:
        start, sentence = _sentence_around(article.text, sentences, match)
        if sentence and sentence != article.title and sentence not in chosen:
            chosen[sentence] = start
        if len(chosen) == max_sentences:
            break
    summary = " ".join(sorted(chosen, key=chosen.__getitem__)) or (
        article.title or article.text[:200]
    )
    if len(summary) > MAX_SUMMARY_CHARS:
        summary = summary[: MAX_SUMMARY_CHARS - 1].rstrip() + "\u2026"
    return summary


def _event_reason(event: EscalationEvent | None, article: EnrichedArticle) -> str:
    """The strongest event and the casualties, as said in an alert's reason."""
    if event is None:
        return ""
    parts = [f"{event.event_class.lower()}/{event.mode} {event.term!r}"]
    parts += [
        f"{role} {name}"
        for role, name in (("by", event.actor), ("on", event.target), ("in", event.place))
        if name
    ]
    toll = article.escalation.casualties
    parts += [
        f"{kind} {count.count}"
        for kind, count in (
            ("killed", toll.killed),
            ("injured", toll.injured),
            ("missing", toll.missing),
        )
        if count is not None
    ]
    return "; event " + ", ".join(parts)


def alert_places(article: EnrichedArticle) -> list[AlertPlace]:
    """The article's places with coordinates, most mentioned first: where a map draws it."""
    return [
        AlertPlace(name=e.canonical, lat=e.geo.lat, lon=e.geo.lon, country=e.geo.country)
        for e in ranked_entities(article)
        if e.type == "LOC" and e.geo is not None
    ][:MAX_ALERT_ENTITIES]


def escalation_alert(article: EnrichedArticle, matched: Sequence[Rule], now: datetime) -> Alert:
    """The alert for an article that matched `matched` rules (at least one)."""
    esc = article.escalation
    entities = ranked_entities(article)
    strongest = max(asserted_matches(article), key=lambda m: m.weight, default=None)
    reason = f"rule {', '.join(r.name for r in matched)}: level {esc.level} (score {esc.score:.2f}"
    reason += f", strongest {strongest.term!r})" if strongest else ")"
    reason += _event_reason(strongest_event(article), article)
    if article.duplicate_of:
        reason += f"; near-duplicate of {article.duplicate_of}, at a higher level than before"
    return Alert(
        alert_id=alert_id_of("escalation", article.article_id, esc.level),
        kind="escalation",
        level=esc.level,
        title=article.title,
        summary=summarize(article),
        article_id=article.article_id,
        entities=[e.canonical for e in entities[:MAX_ALERT_ENTITIES]],
        categories=list(esc.categories),
        actions=list(esc.actions),
        published_at=article.published_at,
        source=article.source,
        url=article.url,
        created_at=utc_iso(now),
        reason=reason,
        story_id=article.duplicate_of or article.article_id,
        places=alert_places(article),
        rules=[r.name for r in matched],
    )


def spike_alert(
    key: str,
    name: str,
    state: SpikeState,
    params: SpikeParams,
    categories: Sequence[Category],
    now: datetime,
    matched: Sequence[Rule] = (),
    place: AlertPlace | None = None,
) -> Alert:
    """The alert for a key (``entity:NAME`` or ``country:CC``) whose window spiked, for the
    `matched` rules; `place`: where the subject is, when it is a place."""
    start = datetime.fromtimestamp(state.window_start, UTC)
    minutes = params.window_s / 60
    limit = threshold(state, params)
    return Alert(
        alert_id=alert_id_of("spike", key, state.window_start),
        kind="spike",
        level=spike_level(state, params),
        title=f"Spike: {state.count} escalating articles on {name} within {minutes:.0f} min",
        summary=(
            f"{state.count} escalation-flagged articles mention {name} in the window starting "
            f"{start:%Y-%m-%d %H:%M} UTC, against a baseline of {state.baseline:.1f} per window."
        ),
        article_id=None,
        entities=[name],
        categories=sorted(set(categories)),
        actions=[],
        published_at=None,
        created_at=utc_iso(now),
        reason=(
            f"spike on {key}: {state.count} >= threshold {limit:.1f} "
            f"(factor {params.factor} x baseline {state.baseline:.2f}, min {params.min_count})"
        ),
        places=[place] if place is not None else [],
        rules=[r.name for r in matched],
    )
