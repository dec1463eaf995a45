"""The event model's vocabulary (data/events.yaml) turned into word-slot patterns.

A mode of an event class lists lemmas; this module inflects them with lemminflect and builds
the patterns of every order a sentence takes (verb-object, passive, subject-verb, noun
alone, instrument and use both ways), so no inflection or word order is written by hand and
a new verb or noun is one word in the YAML.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any, cast

import yaml
from lemminflect import getAllInflections, getAllInflectionsOOV

__all__ = ["Frame", "FrameEntry", "anchor_slot", "frame_entries", "noun_forms", "verb_forms"]

# Largest gaps (words between the slots) of the generated orders; gaps never cross a clause.
VERB_OBJECT_GAP = 4  # "shot and killed a local man", "attacks on a police station"
OBJECT_VERB_GAP = 3  # "three soldiers were reportedly killed"
AGENT_VERB_GAP = 3  # "gunmen on motorbikes shot", "Israeli warplanes overnight struck"
PHRASE_GAP = 0  # the words of one multi-word lemma stand together

#: (slots, gaps before each later slot, anchor: the index of the slot that names the event).
Slots = tuple[tuple[frozenset[str], ...], tuple[int, ...], int]


@dataclass(frozen=True, slots=True)
class FrameEntry:
    """One lexicon entry built from a mode: its meaning and its patterns (slots and gaps)."""

    id: str
    event_class: str
    mode: str
    category: str
    weight: float
    boost: bool
    hedge_keeps_level: bool  # a hedged threat is still the threat
    cooperative: bool
    support: bool  # corroborates its category only, never introduces it
    agent: bool  # built from an agent group: the actor is named
    exclude: tuple[str, ...]
    patterns: tuple[Slots, ...]
    sources: tuple[str, ...]  # patterns written in the YAML's pattern syntax


@dataclass(frozen=True, slots=True)
class Frame:
    """A mode as written in the YAML, before inflection."""

    event_class: str
    mode: str
    spec: dict[str, Any]


def _words(lemma: str) -> list[str]:
    return lemma.lower().replace("-", " ").split()


@cache
def _inflect(word: str, upos: str) -> frozenset[str]:
    table = getAllInflections(word, upos) or getAllInflectionsOOV(word, upos)
    forms = {word}
    for values in table.values():
        forms.update(v.lower() for v in values)
    return frozenset(forms)


def verb_forms(lemma: str, participle_only: bool = False) -> tuple[frozenset[str], ...]:
    """Slots of a (multi-word) verb lemma, its first word inflected: 'open fire' -> opened fire.

    With participle_only, the first slot holds the past participle and past forms (passive).
    """
    words = _words(lemma)
    if participle_only:
        table = getAllInflections(words[0], "VERB") or getAllInflectionsOOV(words[0], "VERB")
        first = frozenset(
            v.lower() for tag in ("VBN", "VBD") for v in table.get(tag, ())
        ) or frozenset({words[0]})
    else:
        first = _inflect(words[0], "VERB")
    return (first, *(frozenset({w}) for w in words[1:]))


def noun_forms(lemma: str) -> tuple[frozenset[str], ...]:
    """Slots of a (multi-word) noun lemma, its last word inflected: 'fighter jet' -> jets."""
    words = _words(lemma)
    last = _inflect(words[-1], "NOUN")
    return (*(frozenset({w}) for w in words[:-1]), last)


def _merge(phrases: Iterable[tuple[frozenset[str], ...]]) -> list[tuple[frozenset[str], ...]]:
    """Phrases merged slot-wise where they differ in one end slot only: one-word phrases into
    one slot, "armed men" and "armed group" into armed men|group, "open fire" and "cease
    fire" into open|cease fire (fewer patterns, the same matches)."""
    by_shape: dict[tuple[int, tuple[frozenset[str], ...]], set[str]] = {}
    for phrase in phrases:
        key = (len(phrase), phrase[:-1])
        by_shape.setdefault(key, set()).update(phrase[-1])
    merged = [(*head, frozenset(last)) for (_, head), last in by_shape.items()]
    by_tail: dict[tuple[int, tuple[frozenset[str], ...]], set[str]] = {}
    for phrase in merged:
        key = (len(phrase), phrase[1:])
        by_tail.setdefault(key, set()).update(phrase[0])
    return [(frozenset(first), *tail) for (_, tail), first in by_tail.items()]


def _heads(groups: dict[str, Any], names: Iterable[str]) -> frozenset[str]:
    """Every form of the head (last) word of the nouns of the named groups."""
    heads: set[str] = set()
    for name in names:
        for noun in groups[name]["nouns"]:
            heads |= noun_forms(noun)[-1]
    return frozenset(heads)


#: Words too common in news to select sentences by: particles, prepositions, articles, and
#: "state" ("state of alert" is found by "alert", not by every "state media").
_COMMON = frozenset(
    "a an the of on in to at by up down into onto out off over under back away with against "
    "for from state".split()
)


def anchor_slot(slots: Sequence[frozenset[str]]) -> int:
    """The slot of a phrase that best names it: not a common word, and of those the one whose
    shortest word is longest ("strike" of "air strike", "attack" of "attack on")."""
    return max(
        range(len(slots)),
        key=lambda i: (slots[i].isdisjoint(_COMMON), min(len(w) for w in slots[i]), -i),
    )


def _chain(*parts: tuple[tuple[frozenset[str], ...], int], anchor: int = 0) -> Slots:
    """Slots of phrases joined by gaps: ((phrase, gap before the next phrase), ...); `anchor`
    is the part that names the event (the verb, the event noun, the weapon), not the
    group noun ("men" of "two men were shot")."""
    slots: list[frozenset[str]] = []
    gaps: list[int] = []
    at = 0
    for index, (phrase, _) in enumerate(parts):
        if index == anchor:
            at = len(slots) + anchor_slot(phrase)
        for position, slot in enumerate(phrase):
            if slots:
                gaps.append(PHRASE_GAP if position else parts[index - 1][1])
            slots.append(slot)
    return tuple(slots), tuple(gaps), at


def _object_orders(spec: dict[str, Any], groups: dict[str, Any]) -> Iterator[Slots]:
    """Verb-object ("shot two men") and passive ("two men were shot") patterns."""
    objects = _heads(groups, spec.get("objects", ()))
    if not objects:
        return
    verbs = spec.get("verbs", [])
    for verb in _merge(verb_forms(v) for v in verbs):
        yield _chain((verb, VERB_OBJECT_GAP), ((objects,), 0))
    for verb in _merge(verb_forms(v, participle_only=True) for v in verbs):
        yield _chain(((objects,), OBJECT_VERB_GAP), (verb, 0), anchor=1)


def _instrument_orders(spec: dict[str, Any]) -> Iterator[Slots]:
    """Use-instrument ("fired rockets") and instrument-use ("rockets were fired") patterns."""
    uses = _merge(verb_forms(u) for u in spec.get("uses", []))
    for instrument in _merge(noun_forms(n) for n in spec.get("instruments", [])):
        for use in uses:
            yield _chain((use, VERB_OBJECT_GAP), (instrument, 0), anchor=1)
            yield _chain((instrument, OBJECT_VERB_GAP), (use, 0))


def _orders(spec: dict[str, Any], groups: dict[str, Any]) -> Iterator[tuple[str | None, Slots]]:
    """(agent group or None, slots) of every pattern a mode generates."""
    for slots in _object_orders(spec, groups):
        yield None, slots
    for verb in _merge(verb_forms(v) for v in spec.get("alone", [])):
        yield None, _chain((verb, 0))
    agent_verbs = _merge(verb_forms(v) for v in spec.get("agent_verbs", spec.get("verbs", [])))
    for group in spec.get("agents", []):
        for agent in _merge(noun_forms(n) for n in groups[group]["nouns"]):
            for verb in agent_verbs:
                yield group, _chain((agent, AGENT_VERB_GAP), (verb, 0), anchor=1)
    for noun in _merge(noun_forms(n) for n in spec.get("nouns", [])):
        yield None, _chain((noun, 0))
    for slots in _instrument_orders(spec):
        yield None, slots


def _entries(frame: Frame, groups: dict[str, Any]) -> list[FrameEntry]:
    spec = frame.spec
    base = f"{frame.event_class.lower()}.{frame.mode}"
    by_agent: dict[str | None, list[Slots]] = {}
    for agent, slots in _orders(spec, groups):
        by_agent.setdefault(agent, []).append(slots)
    plain = FrameEntry(
        id=base,
        event_class=frame.event_class,
        mode=frame.mode,
        category=str(spec["category"]),
        weight=float(spec["weight"]),
        boost=bool(spec.get("boost", False)),
        hedge_keeps_level=bool(spec.get("hedge_keeps_level", False)),
        cooperative=bool(spec.get("cooperative", False)),
        support=bool(spec.get("plain_support", False)),
        agent=False,
        exclude=tuple(spec.get("exclude", ())),
        patterns=tuple(by_agent.pop(None, [])),
        sources=tuple(spec.get("patterns", ())),
    )
    # an agent names the actor: its patterns never need corroboration, and its group may set
    # the category ("security forces" -> military)
    return [plain] + [
        replace(
            plain,
            id=f"{base}.{agent}",
            category=str(groups[str(agent)].get("category", spec["category"])),
            support=False,
            agent=True,
            patterns=tuple(patterns),
            sources=(),
        )
        for agent, patterns in by_agent.items()
    ]


def frame_entries(raw: dict[str, Any]) -> list[FrameEntry]:
    """Every entry the modes of an events.yaml document generate, in document order."""
    groups = cast(dict[str, Any], raw["groups"])
    out: list[FrameEntry] = []
    for event_class, modes in raw["classes"].items():
        for mode, spec in modes.items():
            out.extend(_entries(Frame(str(event_class), str(mode), spec), groups))
    return out


def load_events() -> dict[str, Any]:
    """The parsed data/events.yaml."""
    source = resources.files("streams.core.escalation").joinpath("data/events.yaml")
    return cast(dict[str, Any], yaml.safe_load(source.read_text(encoding="utf-8")))
