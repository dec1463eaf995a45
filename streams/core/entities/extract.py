"""Named entities (PERSON, ORG, LOC, MISC) with canonical names and in-document coreference."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from streams.core.entities.chunks import Mention, find_mentions
from streams.core.entities.datelines import find_datelines
from streams.core.entities.places import resolve_places
from streams.core.entities.tagged import find_tagged_mentions
from streams.core.text.sentences import Sentences
from streams.models import Entity, EntityType, Geo

__all__ = ["DEFAULT_MULTIWORD_TYPE", "DEFAULT_TYPE", "extract_entities", "group_mentions"]

# Types given to a name (one word / several words) that neither a gazetteer nor a context
# cue typed. Uncued capitalised names in news are as often products, events and programmes
# as organisations; on the dev set MISC for both scored F1 0.83 against 0.80 (multi-word
# ORG) and 0.74 (both ORG).
DEFAULT_TYPE: EntityType = "MISC"
DEFAULT_MULTIWORD_TYPE: EntityType = "MISC"
_STOP_INITIALS = frozenset({"of", "and", "the", "for", "&", "de"})
_WORD = re.compile(r"[\w&]+(?:['’.-][\w&]+)*")
_SPACE = re.compile(r"\s*")  # \s is str.isspace, so this skips what str.lstrip() strips
# Short forms looked up against longer names have at most this many words (see _find_long's
# callers), so only word prefixes and suffixes up to this length are indexed.
_SHORT_FORM_WORDS = 2


@dataclass(slots=True)
class _Group:
    mentions: list[Mention] = field(default_factory=list)
    canonical: str | None = None
    type: EntityType | None = None
    geo: Geo | None = None
    words: list[str] = field(default_factory=list)
    order: int = 0


def _words(m: Mention) -> list[str]:
    return m.tokens or list(_text_words(m.text))


@lru_cache(maxsize=16384)
def _text_words(text: str) -> tuple[str, ...]:
    """The words of a mention's text; the same names come back mention after mention."""
    return tuple(_WORD.findall(text))


def _skip_space(text: str, pos: int) -> int:
    m = _SPACE.match(text, pos)
    return m.end() if m else pos


def _acronym(words: list[str]) -> str:
    return "".join(w[0] for w in words if w.lower() not in _STOP_INITIALS and w[0].isupper())


def _norm(s: str) -> str:
    return s.casefold().replace("’", "'")


class _Index:
    """Groups keyed by their word prefixes, suffixes and acronym, for short-form lookup."""

    __slots__ = ("acronyms", "prefixes", "suffixes")

    def __init__(self) -> None:
        self.prefixes: dict[tuple[str, ...], list[_Group]] = {}
        self.suffixes: dict[tuple[str, ...], list[_Group]] = {}
        self.acronyms: dict[str, list[_Group]] = {}

    def add(self, g: _Group) -> None:
        gw = g.words
        if len(gw) < 2:
            return
        for k in range(1, min(len(gw), _SHORT_FORM_WORDS + 1)):
            self.prefixes.setdefault(tuple(gw[:k]), []).append(g)
            self.suffixes.setdefault(tuple(gw[-k:]), []).append(g)
        acr = _acronym(gw)
        if len(acr) >= 2:
            self.acronyms.setdefault(acr, []).append(g)


def _find_long(m: Mention, words: list[str], index: _Index) -> _Group | None:
    """The group a short mention ("Lavrov", "Northrop", "GAO") abbreviates, if any."""
    if len(words) > _SHORT_FORM_WORDS:
        return None
    key = tuple(words)
    cands: list[_Group] = []
    if m.type in (None, "PERSON"):
        cands += [g for g in index.suffixes.get(key, ()) if g.type == "PERSON"]
    for g in index.prefixes.get(key, ()):
        if g.type in (None, "ORG", "MISC") and m.type in (None, "ORG", g.type):
            cands.append(g)
    if len(words) == 1 and len(words[0]) >= 2:
        for g in index.acronyms.get(words[0], ()):
            if g.type in (None, "ORG", "MISC") and m.type in (None, "ORG", g.type):
                cands.append(g)
    best: _Group | None = None
    best_key = (1 << 30, 0)
    for g in cands:
        dist = min(abs(x.start - m.start) for x in g.mentions)
        if (dist, g.order) < best_key:
            best, best_key = g, (dist, g.order)
    return best


def _group(mentions: list[Mention]) -> list[_Group]:
    by_key: dict[str, _Group] = {}
    groups: list[_Group] = []
    index = _Index()
    words_of = [_words(m) for m in mentions]
    # Gazetteer readings first, then the longest names, so short forms find their owner.
    keys = [
        (len(w) < 2, not m.from_gazetteer, -len(w), m.start)
        for m, w in zip(mentions, words_of, strict=True)
    ]
    for k in sorted(range(len(mentions)), key=keys.__getitem__):
        m, words = mentions[k], words_of[k]
        text_key = _norm(m.text)
        key = _norm(m.canonical) if m.canonical else text_key
        g = by_key.get(key) or by_key.get(text_key)
        if g is None and not m.from_gazetteer and len(words) <= 2:
            g = _find_long(m, words, index)
        if g is None and m.from_gazetteer and m.type == "LOC" and len(words) == 1:
            person = _find_long(Mention(m.start, m.end, m.text, "PERSON"), words, index)
            g = person if person is not None and person.type == "PERSON" else None
        if g is None:
            g = _Group(canonical=m.canonical or m.text, type=m.type, geo=m.geo, words=words)
            g.order = len(groups)
            groups.append(g)
            index.add(g)
        elif g.type is None:
            g.type = m.type
        g.mentions.append(m)
        by_key.setdefault(key, g)
        by_key.setdefault(text_key, g)
    return groups


def _voted_type(g: _Group) -> EntityType | None:
    """The type most of the group's typed mentions have (a gazetteer reading counts twice).

    One name keeps one type through a story: a lone "Europrop" that looks like a surname is
    outvoted by the mentions where it reads as a company. Ties go to the group's first type.
    """
    votes: dict[EntityType, int] = {}
    for m in g.mentions:
        if m.type is not None:
            votes[m.type] = votes.get(m.type, 0) + (2 if m.from_gazetteer else 1)
    if not votes or len(votes) == 1:
        return g.type
    top = max(votes.values())
    if g.type is not None and votes.get(g.type) == top:
        return g.type
    return next(t for t, n in votes.items() if n == top)


def _entity(g: _Group) -> Entity | None:
    ms = sorted(g.mentions, key=lambda m: m.start)
    if all(m.initial for m in ms) and g.type is None and not any(m.from_gazetteer for m in ms):
        return None  # a capitalised sentence opener with no other evidence
    first = ms[0]
    etype = _voted_type(g) or (DEFAULT_TYPE if len(g.words) == 1 else DEFAULT_MULTIWORD_TYPE)
    surfaces: list[str] = []
    for m in ms:
        if m.text != first.text and m.text not in surfaces:
            surfaces.append(m.text)
    return Entity(
        text=first.text,
        type=etype,
        canonical=g.canonical or first.text,
        aliases=surfaces,
        start=first.start,
        end=first.end,
        count=len(ms),
        geo=g.geo if etype == "LOC" else None,
    )


def extract_entities(
    text: str,
    lang: str | None = None,
    *,
    tagger: bool = True,
    sentences: Sentences | None = None,
) -> list[Entity]:
    """Return one Entity per distinct entity in text, first mention offsets, canonical names.

    English text (or text of unknown language) is read by the trained tagger unless tagger
    is False; other languages and tagger=False take the rules alone. sentences are the
    text's, when the caller has split it already (the pipeline has).
    """
    if not text:
        return []
    sentences = sentences or Sentences.of(text)
    datelines = find_datelines(text)
    reserved = [(m.start, m.end) for d in datelines for m in d.mentions]
    openers = {_skip_space(text, d.body_start) for d in datelines}
    if tagger and lang in (None, "en"):
        mentions = find_tagged_mentions(text, reserved, openers, sentences)
    else:
        mentions = find_mentions(text, reserved, openers)
    mentions += [m for d in datelines for m in d.mentions]
    out = [e for g in _group(mentions) if (e := _entity(g)) is not None]
    resolve_places(out, text, datelines, sentences)
    out.sort(key=lambda e: e.start)
    return out


def group_mentions(mentions: list[Mention], existing: list[Entity]) -> list[Entity]:
    """Group extra mentions into new entities; short forms of existing ones join those.

    Used by the optional model layer: "Djamal" found by the model becomes an alias of an
    existing "Jusman Syafii Djamal" rather than a new entity.
    """
    index = _Index()
    by_group: dict[int, Entity] = {}
    for k, e in enumerate(existing):
        g = _Group(canonical=e.canonical, type=e.type, words=_WORD.findall(e.canonical))
        g.order = k
        g.mentions.append(Mention(e.start, e.end, e.text, e.type))
        index.add(g)
        by_group[id(g)] = e
    out: list[Entity] = []
    for g in _group(mentions):
        words = g.words
        probe = Mention(g.mentions[0].start, g.mentions[0].end, g.mentions[0].text, g.type)
        owner = _find_long(probe, words, index) if len(words) <= 2 else None
        target = by_group.get(id(owner)) if owner is not None else None
        if target is not None:
            for m in g.mentions:
                if m.text != target.text and m.text not in target.aliases:
                    target.aliases.append(m.text)
            target.count += len(g.mentions)
            continue
        made = _entity(g)
        if made is not None:
            out.append(made)
    return out
