"""The escalation lexicon (data/escalation.yaml) compiled into word-slot patterns and cue tables."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, cast

import yaml
from ahocorasick_rs import AhoCorasick, MatchKind

from streams.core.escalation.frames import anchor_slot, frame_entries, load_events
from streams.core.escalation.literals import may_match, required_strings
from streams.models import ACTIONS, CATEGORIES, LEVELS, Action, Category, Modality

__all__ = [
    "CueSet",
    "Context",
    "Entry",
    "Pattern",
    "Lexicon",
    "expand",
    "lexicon",
    "phrase_tokens",
]

_BRACE_RE = re.compile(r"\{([^{}]*)\}")
_WORD_RE = re.compile(r"[^\W_]+(?:['’]t\b)?")
_GAP_RE = re.compile(r"^\.\.(\d+)$")
_CATEGORIES: frozenset[str] = frozenset(CATEGORIES)
_ACTIONS: frozenset[str] = frozenset(ACTIONS)


@dataclass(frozen=True, slots=True)
class Entry:
    """One lexicon entry: what its patterns mean and how much they weigh."""

    id: str
    category: Category
    action: Action
    weight: float
    level: int  # index in LEVELS
    exclude: tuple[tuple[str, ...], ...]
    support: bool = False  # corroborates its category only, never introduces it
    defer_to: tuple[str, ...] = ()  # counted under the first of these present in the story
    boost: bool = False  # raised to the lethal floor when its sentence reports deaths
    hedge_keeps_level: bool = False  # a hedged nuclear threat is still a nuclear threat
    exclude_firsts: frozenset[str] = frozenset()  # first words of the exclude phrases
    with_violence: bool = False  # counts only in a story with a counting violent event
    agent: bool = False  # built from an agent group (events.yaml): it names who acts
    mode: str = ""  # the event class's mode (events.yaml), else the entry id
    cooperative: bool = False  # a cooperative event (peace deal, release): never counts


@dataclass(frozen=True, slots=True)
class Pattern:
    """A compiled pattern: word slots and the largest gap allowed before each later slot."""

    entry: int
    slots: tuple[frozenset[str], ...]
    gaps: tuple[int, ...]
    anchor: int = 0  # the slot naming the event: its words select the sentences to read


@dataclass(frozen=True, slots=True)
class CueSet:
    """Cue phrases: single words (set lookup) and multi-word tuples keyed by their first word."""

    words: frozenset[str]
    phrases: dict[str, tuple[tuple[str, ...], ...]]
    firsts: frozenset[str]

    def found_in(self, tokens: tuple[str, ...], wordset: frozenset[str] | None = None) -> bool:
        """True when any cue occurs in the token sequence (wordset: its words, if known)."""
        present = frozenset(tokens) if wordset is None else wordset
        if not self.words.isdisjoint(present):
            return True
        if self.firsts.isdisjoint(present):
            return False
        # only where a phrase's first word stands (tuple.index finds it without a Python loop)
        for first in self.firsts & present:
            index = -1
            for _ in range(tokens.count(first)):
                index = tokens.index(first, index + 1)
                for phrase in self.phrases[first]:
                    if tokens[index : index + len(phrase)] == phrase:
                        return True
        return False


@dataclass(frozen=True, slots=True)
class Context:
    """A domain or trap context detected by cue words in the sentence of a match."""

    name: str
    categories: frozenset[str] | None  # None = all categories
    factor: float
    cues: CueSet
    patterns: re.Pattern[str] | None  # regular expressions over the lowercased sentence
    unless: CueSet
    story: CueSet | None = None  # cues that set the domain of a whole story from its lead
    story_patterns: re.Pattern[str] | None = None
    reach: int = 0  # words either side of a match its cues must stand in (0: the sentence)
    triggers: frozenset[str] = frozenset()  # words one of which its cues need (no regex)
    # strings without which `patterns` (`story_patterns`) cannot match: tested before a search
    needs: tuple[str, ...] | None = None
    story_needs: tuple[str, ...] | None = None

    def may_apply(self, wordset: frozenset[str]) -> bool:
        """False when no cue of the sentence context can be in the sentence (cheap test)."""
        return self.patterns is not None or not self.triggers.isdisjoint(wordset)

    def story_active(self, words: tuple[str, ...], wordset: frozenset[str]) -> bool:
        """True when the story cues are in the lead (title and first sentences)."""
        if self.story is None:
            return False
        found = self.story.found_in(words, wordset) or (
            self.story_patterns is not None
            and _searched(self.story_patterns, self.story_needs, " ".join(words))
        )
        return found and not self.unless.found_in(words, wordset)

    def active(
        self, words: tuple[str, ...], wordset: frozenset[str], joined: str | None = None
    ) -> bool:
        """True when the context's cues are in the sentence and no `unless` cue is."""
        found = self.cues.found_in(words, wordset) or (
            self.patterns is not None
            and _searched(self.patterns, self.needs, " ".join(words) if joined is None else joined)
        )
        return found and not self.unless.found_in(words, wordset)


def _searched(pattern: re.Pattern[str], needs: tuple[str, ...] | None, text: str) -> bool:
    """True when the pattern matches in text; its needs rule most texts out without a search."""
    return may_match(needs, text) and pattern.search(text) is not None


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Everything the matcher needs, compiled once."""

    entries: tuple[Entry, ...]
    patterns: tuple[Pattern, ...]
    first_words: frozenset[str]  # words that stand in a pattern's first slot
    first_bits: dict[str, int]  # patterns (bit n: pattern n) with the word in their first slot
    last_words: frozenset[str]
    last_bits: dict[str, int]  # patterns with the word in their last slot
    automaton: Any  # ahocorasick_rs.AhoCorasick over the anchor words (_anchor_words)
    level_floors: tuple[float, ...]
    factors: dict[Modality, float]
    secondary_damping: float
    window: int
    denial: CueSet  # denials, searched over `denial_window` words before a match
    denial_window: int
    cues: dict[str, CueSet]
    contexts: tuple[Context, ...]
    near_contexts: tuple[Context, ...]  # those with a reach: weighed per match
    lethal: CueSet
    lethal_unless: CueSet
    lethal_floor: float
    lead_chars: int

    def level_of(self, weight: float) -> int:
        """Index in LEVELS of the band a weight falls in (0 = none)."""
        level = 0
        for index, floor in enumerate(self.level_floors, start=1):
            if weight >= floor:
                level = index
        return level


def expand(text: str) -> list[str]:
    """Brace-expand 'deploy{,s,ed}' into ['deploy', 'deploys', 'deployed']; recursive."""
    match = _BRACE_RE.search(text)
    if match is None:
        return [text]
    head, tail = text[: match.start()], text[match.end() :]
    out: list[str] = []
    for option in match.group(1).split(","):
        out.extend(expand(head + option + tail))
    return out


def phrase_tokens(phrase: str) -> tuple[str, ...]:
    """Split a phrase into lowercase word tokens, the way texts are tokenised."""
    return tuple(m.group().lower().replace("’", "'") for m in _WORD_RE.finditer(phrase))


def _compile_pattern(source: str, entry: int) -> list[Pattern]:
    slots: list[frozenset[str]] = []
    gaps: list[int] = []
    gap = 0
    for part in source.split():
        gap_match = _GAP_RE.match(part)
        if gap_match:
            gap = int(gap_match.group(1))
            continue
        forms: set[str] = set()
        for alternative in part.split("|"):
            for form in expand(alternative):
                words = phrase_tokens(form)
                if len(words) != 1:
                    raise ValueError(f"slot {form!r} of pattern {source!r} is not one word")
                forms.add(words[0])
        if slots:
            gaps.append(gap)
        slots.append(frozenset(forms))
        gap = 0
    if not slots:
        raise ValueError(f"empty pattern in entry {entry}")
    return [Pattern(entry, tuple(slots), tuple(gaps), anchor_slot(slots))]


def _cue_set(phrases: list[str]) -> CueSet:
    words: set[str] = set()
    multi: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        for form in expand(phrase):
            tokens = ("n't",) if form == "n't" else phrase_tokens(form)
            if len(tokens) == 1:
                words.add(tokens[0])
            elif tokens:
                multi.setdefault(tokens[0], []).append(tokens)
    return CueSet(
        frozenset(words), {first: tuple(found) for first, found in multi.items()}, frozenset(multi)
    )


def _entry(item: dict[str, Any], floors: tuple[float, ...]) -> Entry:
    """One escalation.yaml entry, checked against the categories, actions and level bands."""
    if item["category"] not in _CATEGORIES or item["action"] not in _ACTIONS:
        raise ValueError(f"entry {item['id']}: unknown category or action")
    weight = float(item["weight"])
    level = sum(1 for floor in floors if weight >= floor)
    cooperative = bool(item.get("cooperative", False))
    if not cooperative and (not 0.0 < weight <= 1.0 or level == 0):
        raise ValueError(f"entry {item['id']}: weight {weight} is outside the level bands")
    exclude = tuple(
        phrase_tokens(form) for phrase in item.get("exclude", []) for form in expand(phrase)
    )
    return Entry(
        id=str(item["id"]),
        category=cast(Category, item["category"]),
        action=cast(Action, item["action"]),
        weight=weight,
        level=level,
        exclude=exclude,
        exclude_firsts=frozenset(phrase[0] for phrase in exclude if phrase),
        support=bool(item.get("support", False)),
        defer_to=tuple(item.get("defer_to", ())),
        boost=bool(item.get("boost", False)),
        hedge_keeps_level=bool(item.get("hedge_keeps_level", False)),
        mode=str(item.get("mode", item["id"])),
        with_violence=bool(item.get("with_violence", False)),
        agent=bool(item.get("agent", False)),
        cooperative=cooperative,
    )


def _triggers(phrases: list[str]) -> frozenset[str]:
    """The single words and first words of multi-word cues."""
    cues = _cue_set(phrases)
    return cues.words | cues.firsts


def _context(name: str, spec: dict[str, Any]) -> Context:
    """One context of escalation.yaml, its regexes compiled with the strings they need."""
    patterns = re.compile("|".join(spec["regex"])) if spec.get("regex") else None
    story = re.compile("|".join(spec["story_regex"])) if spec.get("story_regex") else None
    return Context(
        name=name,
        categories=None if spec["categories"] == "all" else frozenset(spec["categories"]),
        factor=float(spec["factor"]),
        cues=_cue_set(spec.get("cues", [])),
        patterns=patterns,
        unless=_cue_set(spec.get("unless", [])),
        story=_cue_set(spec["story"]) if spec.get("story") else None,
        story_patterns=story,
        reach=int(spec.get("reach", 0)),
        triggers=_triggers(spec.get("cues", [])),
        needs=required_strings(patterns) if patterns is not None else None,
        story_needs=required_strings(story) if story is not None else None,
    )


def _bits(numbers: Iterable[int]) -> int:
    """The set of pattern numbers as an integer bit set."""
    value = 0
    for number in numbers:
        value |= 1 << number
    return value


def _anchor_words(patterns: list[Pattern]) -> set[str]:
    """Words one of which every sentence that can match a pattern holds: the words of each
    pattern's anchor slot (the verb of "two men were shot", not "men"), so sentences that
    only name people or forces are never tokenised."""
    anchors: set[str] = set()
    for pattern in patterns:
        anchors |= pattern.slots[pattern.anchor]
    return anchors


def _build(raw: dict[str, Any], events: dict[str, Any] | None = None) -> Lexicon:
    levels = raw["levels"]
    floors = tuple(float(levels[name]) for name in LEVELS[1:])
    entries: list[Entry] = []
    patterns: list[Pattern] = []
    for index, item in enumerate(raw["entries"]):
        entries.append(_entry(item, floors))
        for source in item["patterns"]:
            patterns.extend(_compile_pattern(str(source), index))
    for frame in frame_entries(events) if events else ():
        index = len(entries)
        item = {
            "id": frame.id,
            "category": frame.category,
            "action": frame.event_class,
            "weight": frame.weight,
            "exclude": list(frame.exclude),
            "boost": frame.boost,
            "hedge_keeps_level": frame.hedge_keeps_level,
            "support": frame.support,
            "agent": frame.agent,
            "mode": frame.mode,
            "cooperative": frame.cooperative,
        }
        entries.append(_entry(item, floors))
        patterns.extend(
            Pattern(index, slots, gaps, anchor) for slots, gaps, anchor in frame.patterns
        )
        for source in frame.sources:
            patterns.extend(_compile_pattern(str(source), index))
    first: dict[str, list[int]] = {}
    last: dict[str, set[int]] = {}
    for number, pattern in enumerate(patterns):
        for word in pattern.slots[0]:
            first.setdefault(word, []).append(number)
        for word in pattern.slots[-1]:
            last.setdefault(word, set()).add(number)
    modality = raw["modality"]
    cue_kinds = ("live_threat", "negated", "negated_after", "hypothetical", "future", "reported")
    contexts = tuple(_context(name, spec) for name, spec in raw["contexts"].items())
    lethal = raw["lethal"]
    return Lexicon(
        entries=tuple(entries),
        patterns=tuple(patterns),
        first_words=frozenset(first),
        first_bits={word: _bits(numbers) for word, numbers in first.items()},
        last_words=frozenset(last),
        last_bits={word: _bits(numbers) for word, numbers in last.items()},
        automaton=AhoCorasick(sorted(_anchor_words(patterns)), matchkind=MatchKind.LeftmostLongest),
        level_floors=floors,
        factors={cast(Modality, k): float(v) for k, v in modality["factors"].items()},
        secondary_damping=float(raw["score"]["secondary_damping"]),
        window=int(modality["window"]),
        denial=_cue_set(modality["denial"]),
        denial_window=int(modality["denial_window"]),
        cues={kind: _cue_set(modality[kind]) for kind in cue_kinds},
        contexts=contexts,
        near_contexts=tuple(c for c in contexts if c.reach),
        lethal=_cue_set(lethal["cues"]),
        lethal_unless=_cue_set(lethal["unless"]),
        lethal_floor=float(lethal["floor"]),
        lead_chars=int(raw["story"]["lead_chars"]),
    )


@cache
def lexicon() -> Lexicon:
    """Load and compile data/escalation.yaml and data/events.yaml once per process."""
    source = resources.files("streams.core.escalation").joinpath("data/escalation.yaml")
    raw = yaml.safe_load(source.read_text(encoding="utf-8"))
    return _build(cast(dict[str, Any], raw), load_events())
