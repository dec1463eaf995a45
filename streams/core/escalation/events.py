"""Events from escalation matches: class, mode, level, and who did what to whom, where.

The actor, target and place come from the entities already extracted, by their position in
the event's sentence: the named entity nearest before the event is the actor (after "by"
in a passive: "was shelled by Russian forces"; a name followed by "said", "denied" ... is a
source, not an actor), the first one after it is the target, unless a locative preposition
("in", "near", ...) introduces it: then it is the place.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from streams.models import LEVELS, Action, Category, Entity, EscalationEvent, Modality

__all__ = ["EventHit", "build_events", "MAX_EVENT_SENTENCE"]

MAX_EVENT_SENTENCE = 600  # characters of the sentence kept on an event
_PLACE_WORDS = frozenset(
    {"in", "at", "near", "outside", "inside", "across", "around", "into", "from", "of", "on"}
)
_BY_RE = re.compile(r"\bby\s+(?:the\s+)?$", re.IGNORECASE)
_LAST_WORD_RE = re.compile(r"([A-Za-z]+)\W*$")
# a name followed by a reporting verb is who tells of the event, not who does it
_SPEAKER_RE = re.compile(
    r"\W*(?:\w+\s+){0,2}(?:said|says|say|told|tells|denied|denies|deny|claimed|claims|"
    r"announced|announces|stated|states|added|adds|confirmed|confirms|reported|reports|"
    r"according)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class EventHit:
    """What the matcher found, as the event builder needs it (offsets into the text)."""

    event_class: Action
    mode: str
    category: Category
    level: int  # index in LEVELS that the hit supports (0 when negated or cooperative)
    weight: float
    modality: Modality
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int
    end: int
    name: str
    place: bool  # a location


def _surfaces(entities: Sequence[Entity]) -> list[tuple[str, Entity]]:
    """Every way the entities are written (text, canonical name, aliases), longest first."""
    return sorted(
        ((s, e) for e in entities for s in {e.text, e.canonical, *e.aliases} if len(s) > 1),
        key=lambda item: -len(item[0]),
    )


def _mentions(text: str, low: int, high: int, surfaces: list[tuple[str, Entity]]) -> list[_Mention]:
    """Where the entities occur in text[low:high], longest surface first, no overlaps."""
    found: list[_Mention] = []
    taken: list[tuple[int, int]] = []
    for surface, entity in surfaces:
        position = text.find(surface, low, high)
        while position != -1:
            end = position + len(surface)
            bounded = (position == 0 or not text[position - 1].isalnum()) and (
                end >= len(text) or not text[end].isalnum()
            )
            if bounded and all(end <= a or position >= b for a, b in taken):
                taken.append((position, end))
                found.append(_Mention(position, end, entity.canonical, entity.type == "LOC"))
            position = text.find(surface, end, high)
    found.sort(key=lambda m: m.start)
    return found


def _preceding_word(text: str, low: int, position: int) -> str:
    match = _LAST_WORD_RE.search(text, max(low, position - 20), position)
    return match.group(1).lower() if match else ""


def _roles(
    text: str, low: int, hit: EventHit, mentions: list[_Mention]
) -> tuple[str | None, str | None, str | None]:
    """(actor, target, place) of an event among the entity mentions of its sentence."""
    actor = target = place = None
    doers = [m for m in mentions if not _SPEAKER_RE.match(text, m.end, m.end + 40)]
    before = [m for m in doers if m.end <= hit.start]
    after = [m for m in doers if m.start > hit.start]  # in or after the event's words
    for mention in after:
        word = _preceding_word(text, low, mention.start)
        if _BY_RE.search(text, max(low, mention.start - 8), mention.start) and actor is None:
            actor = mention.name
        elif mention.place and word in _PLACE_WORDS:
            place = place or mention.name
        elif target is None and mention.name != actor:
            target = mention.name
    if actor is None and before:
        actor = before[-1].name
    if place is None:
        place = next((m.name for m in reversed(before) if m.place and m.name != actor), None)
    if target == actor:
        target = None
    return actor, target, place


def _sentence(text: str, low: int, high: int, hit: EventHit) -> str:
    sentence = " ".join(text[low:high].split())
    if len(sentence) <= MAX_EVENT_SENTENCE:
        return sentence
    start = max(low, hit.start - MAX_EVENT_SENTENCE // 2)
    space = text.find(" ", start, hit.start)  # start at a word
    start = space + 1 if start > low and space != -1 else start
    return " ".join(text[start : start + MAX_EVENT_SENTENCE - 1].split()) + "\u2026"


def build_events(
    text: str,
    hits: Sequence[EventHit],
    spans: Sequence[tuple[int, int]],
    entities: Sequence[Entity],
) -> list[EscalationEvent]:
    """One event per class and sentence (the strongest hit of it), in text order."""
    size = len(text)
    best: dict[tuple[int, str], tuple[EventHit, int]] = {}
    for hit in hits:
        index = bisect_right(spans, (hit.start, size + 1)) - 1
        key = (index, hit.event_class)
        held = best.get(key)
        if held is None or (hit.level, hit.weight) > (held[0].level, held[0].weight):
            best[key] = (hit, index)
    events: list[EscalationEvent] = []
    cache: dict[int, list[_Mention]] = {}
    surfaces = _surfaces(entities) if best else []
    for hit, index in sorted(best.values(), key=lambda item: item[0].start):
        low, high = spans[index] if index >= 0 else (0, size)
        if index not in cache:
            cache[index] = _mentions(text, low, high, surfaces)
        actor, target, place = _roles(text, low, hit, cache[index])
        events.append(
            EscalationEvent.model_construct(  # every field is built here, typed: no validation
                event_class=hit.event_class,
                mode=hit.mode,
                category=hit.category,
                level=LEVELS[hit.level],
                modality=hit.modality,
                term=text[hit.start : hit.end],
                start=hit.start,
                end=hit.end,
                actor=actor,
                target=target,
                place=place,
                sentence=_sentence(text, low, high, hit),
            )
        )
    return events
