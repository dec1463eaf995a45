"""Direct quotations and who said them."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from functools import cache

import ahocorasick_rs

from streams.core.entities.gazetteer import cues
from streams.core.text.sentences import Sentences
from streams.models import Entity, Quote

__all__ = ["MIN_QUOTE_WORDS", "extract_quotes"]

# Shorter quoted spans are names, titles or scare quotes ("Dreamliner", "political
# interference"), not statements; four words keeps short real statements ("We will not
# back down") and drops those.
MIN_QUOTE_WORDS = 4
# How far (characters) after or before a quotation its attribution is looked for.
_WINDOW = 80

_QUOTE = re.compile(r"“([^“”]{2,}?)”|«([^«»]{2,}?)»|\"([^\"\n]{2,}?)\"")
_NOMINAL = re.compile(
    r"^(?:he|she|the\s+(?:\w+\s+)?(?:minister|diplomat|spokesman|spokeswoman|official|president|"
    r"chairman|ambassador|secretary|senator|politician|envoy|ceo|executive|leader))\b",
    re.IGNORECASE,
)


@cache
def _verbs() -> str:
    return "|".join(sorted(cues().speech_verbs))


@cache
def _after() -> re.Pattern[str]:
    v = _verbs()
    name = r"((?:the\s+)?[\w’'.\- ]{1,50}?)"
    return re.compile(
        rf"^[\s,.:;]*[-–—]?\s*(?:(?:{v}|according\s+to)\s+{name}(?=[\s,.;:(]|$)"
        rf"|{name}\s+(?:has\s+|had\s+)?(?:{v})\b)",
        re.IGNORECASE,
    )


@cache
def _before() -> re.Pattern[str]:
    v = _verbs()
    return re.compile(rf"\b(?:according\s+to\s+[^.!?\n]{{1,50}}|(?:{v}))[\s,:]*$", re.IGNORECASE)


def _automaton(forms: list[str]) -> ahocorasick_rs.AhoCorasick:
    # built per article: the NFA builds four times faster than the default DFA on a few
    # dozen names and searches a few thousand characters about as fast
    nfa = ahocorasick_rs.Implementation.NoncontiguousNFA
    return ahocorasick_rs.AhoCorasick(forms, implementation=nfa)


class _Names:
    """Every place an entity's forms occur in the text, found once (Aho-Corasick) and then
    looked up per quotation, so the work stays linear in the text however many quotations
    and entities it holds.

    Ties go to the entity listed first, as a scan of the entity list in order would give.
    """

    def __init__(self, text: str, entities: Sequence[Entity]) -> None:
        # per form: the first PERSON entity with it, the first other entity with it, and the
        # first PERSON entity with it as a surface (text or alias, not the canonical name)
        owners: dict[str, list[int | None]] = {}
        for index, e in enumerate(entities):
            person = e.type == "PERSON"
            for k, form in enumerate((e.canonical, e.text, *e.aliases)):
                if not form:
                    continue
                slot = owners.setdefault(form, [None, None, None])
                if slot[0 if person else 1] is None:
                    slot[0 if person else 1] = index
                if person and k > 0 and slot[2] is None:
                    slot[2] = index
        self.canonical = [e.canonical for e in entities]
        forms = list(owners)
        self.owners = [owners[f] for f in forms]
        found = _automaton(forms).find_matches_as_indexes(text, overlapping=True) if forms else []
        found.sort(key=lambda f: (f[1], f[2]))
        self.found = found
        self.starts = [f[1] for f in found]
        # the sweep behind last_person(): surface occurrences of people, by end
        people: list[tuple[int, int, int]] = []  # (end, start, entity index)
        for which, start, end in found:
            who = self.owners[which][2]
            if who is not None:
                people.append((end, start, who))
        people.sort(key=lambda o: o[0])
        self.people = people
        self.next = 0
        self.best: tuple[int, int] | None = None  # (start, -entity index) of the latest so far

    def last_person(self, pos: int, lo: int = 0) -> str | None:
        """Canonical name of the person whose text or alias occurs last in text[lo:pos].

        Calls must come with pos never decreasing.
        """
        people, k = self.people, self.next
        while k < len(people) and people[k][0] <= pos:
            _end, start, index = people[k]
            key = (start, -index)
            if self.best is None or key > self.best:
                self.best = key
            k += 1
        self.next = k
        if self.best is None or self.best[0] < lo:
            return None
        return self.canonical[-self.best[1]]

    def speaker(self, a: int, b: int, last: str | None, latest: bool = True) -> str | None:
        """The entity named in text[a:b] (latest or earliest), else `last` for "he", "the
        minister"; people before other entities."""
        best: list[tuple[int, int] | None] = [None, None]  # per group: (key, -entity index)
        k = bisect_left(self.starts, a)
        while k < len(self.found) and self.found[k][1] < b:
            which, start, end = self.found[k]
            k += 1
            if end > b:
                continue
            key = start if latest else b - start
            for group in (0, 1):
                index = self.owners[which][group]
                if index is not None:
                    cand = (key, -index)
                    current = best[group]
                    if current is None or cand > current:
                        best[group] = cand
        for found in best:
            if found is not None:
                return self.canonical[-found[1]]
        return None


_STRIP = " ,.-–—"


def _speaker(
    names: _Names, text: str, a: int, b: int, last: str | None, latest: bool = True
) -> str | None:
    """The entity named in text[a:b] (stripped), else `last` for "he", "the minister"."""
    phrase = text[a:b]
    lead = len(phrase) - len(phrase.lstrip(_STRIP))
    phrase = phrase.strip(_STRIP)
    if not phrase:
        return None
    a += lead
    found = names.speaker(a, a + len(phrase), last, latest)
    if found is not None:
        return found
    if _NOMINAL.match(phrase):
        return last
    return None


@cache
def _any_verb() -> re.Pattern[str]:
    return re.compile(rf"\b(?:{_verbs()})\b")


class _SpeechVerbs:
    """Speech verbs before a position in its sentence, for positions that never decrease
    (each character is looked at once, not once per quotation)."""

    def __init__(self, text: str, sentences: Sentences) -> None:
        self.text = text
        self.sentences = sentences
        self.begin = -1
        self.searched = 0  # the verb search of the current sentence covered [begin, searched)
        self.verb = False

    def start(self, pos: int) -> int:
        """Where the sentence holding pos starts."""
        return self.sentences.around(pos)[0]

    def has_verb(self, begin: int, pos: int) -> bool:
        """Whether a speech verb stands in text[begin:pos] (text[pos] opens a quotation, so a
        verb found for an earlier pos of the same sentence still stands)."""
        if begin != self.begin:
            self.begin, self.searched, self.verb = begin, begin, False
        if not self.verb and pos > self.searched:
            self.verb = _any_verb().search(self.text, self.searched, pos) is not None
            self.searched = pos
        return self.verb


def _same_sentence(sentences: _SpeechVerbs, names: _Names, pos: int) -> str | None:
    """The last person named before pos in the same sentence, if a speech verb follows them."""
    begin = sentences.start(pos)
    if not sentences.has_verb(begin, pos):
        return None
    return names.last_person(pos, begin)


def extract_quotes(
    text: str, entities: Sequence[Entity], sentences: Sentences | None = None
) -> list[Quote]:
    """Return the quotations in text with their speaker's canonical name, or None."""
    out: list[Quote] = []
    last: str | None = None
    names: _Names | None = None
    verbs = _SpeechVerbs(text, sentences or Sentences.of(text))
    for m in _QUOTE.finditer(text):
        g = next(i for i in (1, 2, 3) if m.group(i) is not None)
        inner = m.group(g)
        if len(inner.split()) < MIN_QUOTE_WORDS:
            continue
        if names is None:
            names = _Names(text, entities)
        s, e = m.start(g), m.end(g)
        speaker = None
        tail = text[m.end() : m.end() + _WINDOW]
        after = _after().match(tail)
        context = names.last_person(m.start())
        if after is not None:
            end = tail.find(". ", after.end())
            size = end if end >= 0 else len(tail)
            speaker = _speaker(names, text, m.end(), m.end() + size, context or last, False)
        if speaker is None:
            lo = max(0, m.start() - _WINDOW)
            window = text[lo : m.start()]
            if _before().search(window) is not None:
                cut = max(window.rfind(". "), window.rfind("\n")) + 1
                speaker = _speaker(names, text, lo + cut, m.start(), context or last)
        if speaker is None:
            speaker = _same_sentence(verbs, names, m.start())
        out.append(Quote(text=text[s:e], speaker=speaker, start=s, end=e))
        last = speaker or last
    return out
