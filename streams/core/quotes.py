"""Direct quotations and who said them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from streams.core.gazetteer import cues
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


def _speaker(
    phrase: str, entities: Sequence[Entity], last: str | None, latest: bool = True
) -> str | None:
    """The entity named in phrase (latest or earliest), else `last` for "he", "the minister"."""
    phrase = phrase.strip(" ,.-–—")
    if not phrase:
        return None
    people = [e for e in entities if e.type == "PERSON"]
    for group in (people, [e for e in entities if e.type != "PERSON"]):
        best, best_at = None, -1
        for e in group:
            for form in (e.canonical, e.text, *e.aliases):
                at = (phrase.rfind(form) if latest else phrase.find(form)) if form else -1
                key = at if latest else (len(phrase) - at if at >= 0 else -1)
                if key > best_at:
                    best, best_at = e.canonical, key
        if best is not None:
            return best
    if _NOMINAL.match(phrase):
        return last
    return None


def _last_person(text: str, pos: int, entities: Sequence[Entity], lo: int = 0) -> str | None:
    best, best_at = None, -1
    for e in entities:
        if e.type != "PERSON":
            continue
        for form in (e.text, *e.aliases):
            at = text.rfind(form, lo, pos)
            if at > best_at:
                best, best_at = e.canonical, at
    return best


@cache
def _any_verb() -> re.Pattern[str]:
    return re.compile(rf"\b(?:{_verbs()})\b")


def _same_sentence(text: str, pos: int, entities: Sequence[Entity]) -> str | None:
    """The last person named before pos in the same sentence, if a speech verb follows them."""
    begin = max(text.rfind(". ", 0, pos), text.rfind("\n", 0, pos)) + 1
    if not _any_verb().search(text, begin, pos):
        return None
    return _last_person(text, pos, entities, begin)


def extract_quotes(text: str, entities: Sequence[Entity]) -> list[Quote]:
    """Return the quotations in text with their speaker's canonical name, or None."""
    out: list[Quote] = []
    last: str | None = None
    for m in _QUOTE.finditer(text):
        g = next(i for i in (1, 2, 3) if m.group(i) is not None)
        inner = m.group(g)
        if len(inner.split()) < MIN_QUOTE_WORDS:
            continue
        s, e = m.start(g), m.end(g)
        speaker = None
        tail = text[m.end() : m.end() + _WINDOW]
        after = _after().match(tail)
        context = _last_person(text, m.start(), entities)
        if after is not None:
            end = tail.find(". ", after.end())
            phrase = tail[: end if end >= 0 else len(tail)]
            speaker = _speaker(phrase, entities, context or last, latest=False)
        if speaker is None:
            lo = max(0, m.start() - _WINDOW)
            window = text[lo : m.start()]
            if _before().search(window) is not None:
                cut = max(window.rfind(". "), window.rfind("\n")) + 1
                speaker = _speaker(window[cut:], entities, context or last)
        if speaker is None:
            speaker = _same_sentence(text, m.start(), entities)
        out.append(Quote(text=text[s:e], speaker=speaker, start=s, end=e))
        last = speaker or last
    return out
