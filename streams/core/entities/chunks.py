"""Rule-based typing of capitalised-word chunks into entity mentions."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import TypeAlias

from streams.core.entities.gazetteer import (
    GazEntry,
    cues,
    first_names,
    gazetteer,
    stopwords,
    titles,
)
from streams.core.entities.spans import Token, find_chunks, is_initial, strip_stopwords
from streams.models import EntityType, Geo

__all__ = ["MAX_NAME_TOKENS", "Mention", "find_mentions", "title_length"]

_PLACE_BEFORE = re.compile(r"\b(?:in|near|based in|outside)\s+$")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_ACRONYM = re.compile(r"^(?:[A-Z][A-Z&]{1,5}|(?:[A-Z]\.){2,})$")
_CORP_SUFFIXES = frozenset(
    "LLC Inc Inc. Corp Corp. Ltd Ltd. PLC plc AG SpA S.p.A. GmbH N.V. NV S.A. LLP".split()
)
# An inner capital after a lower-case letter marks a company name ("WorldCom"); the
# surname prefixes below make names such as "McDonald" and "MacLeod" instead.
_CAMEL = re.compile(r"^[A-Z][a-z]+[A-Z][a-z]")
_SURNAME_PREFIX = ("Mc", "Mac", "De", "Di", "La", "Le", "Van", "Von", "Du", "Fitz")
_WORD_START = re.compile(r"\b\w")
# How far (in characters) before a span a lower-case title may stand: "chief executive X".
_TITLE_WINDOW = 40
# A capitalised run of more tokens than this (connectors included) is Title Case prose (a
# headline, a list, a run of initials), not a name: the longest names in news run to about
# eight words ("Security Council of the Russian Federation" is six tokens). Only the
# gazetteer names inside such a run are kept. This also bounds the work spent per run.
MAX_NAME_TOKENS = 10
# The gazetteer matches of a text: start -> (end, entry).
_Hits: TypeAlias = dict[int, tuple[int, GazEntry]]


@dataclass(slots=True)
class Mention:
    """One typed mention of a name in the text."""

    start: int
    end: int
    text: str
    type: EntityType | None
    canonical: str | None = None
    geo: Geo | None = None
    from_gazetteer: bool = False
    initial: bool = False
    tokens: list[str] = field(default_factory=list)


@cache
def _title_tail() -> re.Pattern[str]:
    words = sorted((" ".join(t) for t in titles()), key=len, reverse=True)
    alt = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
    return re.compile(rf"\b(?:{alt})\.?,?\s+$", re.IGNORECASE)


@cache
def _title_last_words() -> frozenset[str]:
    return frozenset(t[-1] for t in titles())


def _title_before(text: str, pos: int) -> bool:
    """Whether a (possibly lower-case) title stands right before pos: "chief executive X"."""
    lo = max(0, pos - _TITLE_WINDOW)
    if pos == 0 or not text[pos - 1].isspace():
        return False
    before = text[lo:pos].rstrip()
    parts = before.rsplit(None, 1)
    if not parts or not _ends_a_title(parts[-1]):
        return False
    return _title_tail().search(text, lo, pos) is not None


@lru_cache(maxsize=16384)
def _ends_a_title(word: str) -> bool:
    """Whether the word's last ASCII letters (after a comma or full stop) end some title."""
    word = word.removesuffix(",").removesuffix(".")
    k = len(word)
    while k > 0 and word[k - 1].isascii() and word[k - 1].isalpha():
        k -= 1
    return word[k:].lower() in _title_last_words()


@cache
def _speech_after() -> re.Pattern[str]:
    alt = "|".join(sorted(cues().speech_verbs))
    return re.compile(rf"^(?:,[^,.;\n]{{1,60}},)?\s+(?:has\s+|had\s+|also\s+)?(?:{alt})\b")


@cache
def _speech_before() -> re.Pattern[str]:
    alt = "|".join(sorted(cues().speech_verbs))
    return re.compile(rf"\b(?:{alt}),?\s+$")


def _mention(text: str, toks: list[Token], etype: EntityType | None) -> Mention:
    s, e = toks[0].start, toks[-1].end
    return Mention(s, e, text[s:e], etype, tokens=[t.text for t in toks if not t.conn])


def _gaz_mention(text: str, s: int, e: int, entry: GazEntry) -> Mention:
    return Mention(s, e, text[s:e], entry.type, entry.canonical, entry.geo, True, tokens=[])


def _lead_place(text: str, toks: list[Token], entry: GazEntry) -> list[Mention]:
    """The country a listed body's name starts with: "US" in "US Air Force"."""
    if entry.type != "ORG" or len(toks) < 2:
        return []
    first = gazetteer().by_surface.get(toks[0].text)
    if first is None or first.kind != "country":
        return []
    return [_gaz_mention(text, toks[0].start, toks[0].end, first)]


def _head(toks: list[Token]) -> str:
    for k, t in enumerate(toks):
        if t.conn and t.text == "of" and k > 0:
            return toks[k - 1].text
    return toks[-1].text


def _next_word(text: str, pos: int) -> str:
    """The lower-case word right after pos ("airport" in "Heathrow airport"), else ""."""
    if pos >= len(text) or text[pos] != " ":
        return ""
    end = pos + 1
    while end < len(text) and text[end].isalpha() and text[end].islower():
        end += 1
    return text[pos + 1 : end]


def _classify_run(text: str, run: list[Token], after_title: bool) -> Mention | None:
    """Type a run of capitalised words that no gazetteer entry covers.

    Cyrillic runs are dropped: the cues below are English and say nothing about them.
    """
    run = strip_stopwords(run)
    if not run or _CYRILLIC.search(text, run[0].start, run[-1].end):
        return None
    words = [t.text for t in run if not t.conn]
    m = _mention(text, run, _run_type(text, run, words, after_title))
    m.initial = is_initial(text, run[0].start)
    return m


def _run_type(
    text: str, run: list[Token], words: list[str], after_title: bool
) -> EntityType | None:
    """The type the cues give a run, in order of trust; None when none decides."""
    if len(words) >= 2 and (by_head := _type_by_head(run, words)) is not None:
        return by_head
    if any(map(str.isdigit, "".join(words))) or words[0][0].islower():
        return "MISC"  # "A380", "iPhone": a model or product, not a name
    if after_title or _title_before(text, run[0].start):
        return "PERSON" if len(words) <= 4 else None  # a longer run is no name the title heads
    if len(words) == 1:
        return _lone_word_type(text, run, words[0])
    if len(words) <= 4 and words[0] in first_names():
        return "PERSON"
    if len(words) <= 3 and _speech_near(text, run):
        return "PERSON"
    return None


def _type_by_head(run: list[Token], words: list[str]) -> EntityType | None:
    """ORG or LOC from a head word ("Acme Holdings", "Red River", "Lake Chad")."""
    c = cues()
    head = _head(run)
    if head in c.org_heads:
        return "ORG"
    if head in c.loc_heads or words[0] in c.loc_heads:
        return "LOC"
    return None


def _lone_word_type(text: str, run: list[Token], word: str) -> EntityType | None:
    """ORG or LOC for a one-word run from its shape or neighbours; None when they say nothing."""
    if _ACRONYM.match(word):
        return "ORG"
    if _CAMEL.match(word) and not word.startswith(_SURNAME_PREFIX):
        return "ORG"
    return _neighbours_type(text, run[0].start, run[-1].end)


def _neighbours_type(text: str, start: int, end: int) -> EntityType | None:
    """LOC for a one-word run [start, end) that a place word follows or precedes, else None."""
    if _next_word(text, end) in cues().loc_tails:
        return "LOC"  # "Heathrow airport"
    if _PLACE_BEFORE.search(text, max(0, start - 12), start):
        return "LOC"  # "based in Tilbury"
    return None


def _speech_near(text: str, run: list[Token]) -> bool:
    """Whether a speech verb follows or precedes the run: only people speak ("Ann Lee said")."""
    start, end = run[0].start, run[-1].end
    return bool(
        _speech_after().match(text, end) or _speech_before().search(text, max(0, start - 20), start)
    )


def _chunk_mentions(text: str, toks: list[Token], hits: _Hits) -> list[Mention]:
    """The mentions in one chunk: the first case that applies decides, else split at names."""
    if len(toks) == 1 and (lone := _lone_word(text, toks, hits)) is not None:
        return lone
    toks = strip_stopwords(toks)
    if not toks:
        return []
    for case in _CHUNK_CASES:
        found = case(text, toks, hits)
        if found is not None:
            return found
    return _split_at_names(text, toks, hits)


def _lone_word(text: str, toks: list[Token], hits: _Hits) -> list[Mention] | None:
    """A one-word chunk, the common case (often a sentence opener), settled without the rest.

    None (left to the general cases) for a word that starts a longer gazetteer name or a title.
    """
    t = toks[0]
    facts = _word_facts(t.text)
    if facts.stop:
        return []
    hit = hits.get(t.start)
    if hit is not None and hit[0] == t.end:
        return [_gaz_mention(text, t.start, t.end, hit[1])]
    if hit is None and not facts.title:
        one = _classify_lone(text, t, facts)
        return [one] if one is not None else []
    return None


@dataclass(frozen=True, slots=True)
class _WordFacts:
    """What one word says about a one-word chunk by itself, kept per word (see _lone_word)."""

    stop: bool  # a stopword: no name
    title: bool  # a title on its own ("President")
    cyrillic: bool  # left untyped: the cues are English
    shape: EntityType | None  # MISC for "A380", "iPhone"; ORG for "NATO", "WorldCom"


@lru_cache(maxsize=65536)
def _word_facts(word: str) -> _WordFacts:
    misc = any(map(str.isdigit, word)) or word[0].islower()
    org = _ACRONYM.match(word) or (_CAMEL.match(word) and not word.startswith(_SURNAME_PREFIX))
    return _WordFacts(
        stop=word.lower().rstrip(".") in stopwords(),
        title=title_length([word]) > 0,
        cyrillic=_CYRILLIC.search(word) is not None,
        shape="MISC" if misc else "ORG" if org else None,
    )


def _classify_lone(text: str, t: Token, facts: _WordFacts) -> Mention | None:
    """_classify_run for a one-word run that is no stopword, its word's facts known.

    The cues are taken in _run_type's order: the word's digits or lower-case start, a title
    before it, its shape, then its neighbours (_lone_word_type).
    """
    if facts.cyrillic:
        return None
    etype: EntityType | None = "MISC" if facts.shape == "MISC" else None
    if etype is None and _title_before(text, t.start):
        etype = "PERSON"
    if etype is None:
        etype = facts.shape or _neighbours_type(text, t.start, t.end)
    m = Mention(t.start, t.end, text[t.start : t.end], etype, tokens=[t.text])
    m.initial = is_initial(text, t.start)
    return m


def _listed_whole(text: str, toks: list[Token], hits: _Hits) -> list[Mention] | None:
    """The whole chunk is a gazetteer name (with the country it starts with, if a body)."""
    exact = hits.get(toks[0].start)
    if exact is None or exact[0] != toks[-1].end:
        return None
    return [
        _gaz_mention(text, toks[0].start, exact[0], exact[1]),
        *_lead_place(text, toks, exact[1]),
    ]


def _split_after_suffix(text: str, toks: list[Token], hits: _Hits) -> list[Mention] | None:
    """A company suffix inside the chunk ends one name: "Chrysler LLC Jim Press" is two."""
    for k in range(1, len(toks) - 1):
        if toks[k].text in _CORP_SUFFIXES:
            return _chunk_mentions(text, toks[: k + 1], hits) + _chunk_mentions(
                text, toks[k + 1 :], hits
            )
    return None


def _prefixed_org(text: str, toks: list[Token], hits: _Hits) -> list[Mention] | None:
    """Two words, the first an organisation prefix: one body, whatever the second word is."""
    words = [t for t in toks if not t.conn]
    if len(words) != 2 or words[0].text not in cues().org_prefixes:
        return None
    m = _mention(text, toks, "ORG")
    m.initial = is_initial(text, toks[0].start)
    return [m]


def _titled_person(text: str, toks: list[Token], hits: _Hits) -> list[Mention] | None:
    """A person's name after any titles; after a title it need not open with a known first name.

    "President Joe Biden", "Chancellor Scholz".
    """
    lead = 0
    while lead < len(toks) and (k := _title_at(toks, lead)):
        lead += k
    rest = toks[lead:]
    if not rest or not (
        _is_person(rest, hits) or (lead and _is_person(rest, hits, need_first=False))
    ):
        return None
    m = _mention(text, rest, "PERSON")
    m.initial = is_initial(text, rest[0].start)
    return [m]


def _headed_name(text: str, toks: list[Token], hits: _Hits) -> list[Mention] | None:
    """A name with an ORG or LOC head word, typed whole, plus the places listed inside it.

    "University of Texas" is one body, and Texas is named too (a demonym inside is not).
    """
    c = cues()
    words = [t for t in toks if not t.conn]
    head = _head(toks)
    if len(words) < 2 or not (
        head in c.org_heads or head in c.loc_heads or words[0].text in c.loc_heads
    ):
        return None
    whole = _classify_run(text, toks, False)
    out = [whole] if whole is not None else []
    span = (toks[0].start, toks[-1].end)
    for t in toks:
        h = hits.get(t.start)
        if (
            h is not None
            and h[1].type == "LOC"
            and h[1].kind != "demonym"
            and (t.start, h[0]) != span
        ):
            out.append(_gaz_mention(text, t.start, h[0], h[1]))
    return out


_ChunkCase: TypeAlias = Callable[[str, list[Token], _Hits], list[Mention] | None]
# The cases of a multi-word chunk, in order: the first that returns a list decides.
_CHUNK_CASES: tuple[_ChunkCase, ...] = (
    _listed_whole,
    _split_after_suffix,
    _prefixed_org,
    _titled_person,
    _headed_name,
)


def _split_at_names(text: str, toks: list[Token], hits: _Hits) -> list[Mention]:
    """Cut the chunk at its gazetteer names and titles and type each run between on its own.

    A run after a title is a person's name; the title still holds across a place that
    follows it ("President of the United States Barack Obama").
    """
    out: list[Mention] = []
    run: list[Token] = []
    after_title = False
    i = 0
    while i < len(toks):
        t = toks[i]
        hit = hits.get(t.start)
        hit_len = _tokens_to(toks, i, hit[0]) if hit is not None else 0
        title_len = _title_at(toks, i)
        if not (hit_len or title_len):
            run.append(t)
            i += 1
            continue
        _add_run(out, text, run, after_title)
        run = []
        if hit is not None and hit_len >= title_len:
            out.append(_gaz_mention(text, t.start, hit[0], hit[1]))
            after_title = after_title and hit[1].type == "LOC"
            i += hit_len
        else:
            after_title = True
            i += title_len
    _add_run(out, text, run, after_title)
    return out


def _add_run(out: list[Mention], text: str, run: list[Token], after_title: bool) -> None:
    """Append the typed mention of a run, if it has one."""
    if run and (m := _classify_run(text, run, after_title)) is not None:
        out.append(m)


def _tokens_to(toks: list[Token], i: int, end: int) -> int:
    """How many tokens from toks[i] on end exactly at character `end` (0 when none does)."""
    for k in range(i, len(toks)):
        if toks[k].end >= end:
            return k - i + 1 if toks[k].end == end else 0
    return 0


def _is_person(
    toks: list[Token], hits: dict[int, tuple[int, GazEntry]], need_first: bool = True
) -> bool:
    """A first name then one to three capitalised words that name no country or body."""
    if not 2 <= len(toks) <= 4 or (need_first and toks[0].text not in first_names()):
        return False
    c = cues()
    if toks[-1].text in c.org_heads or toks[-1].text in c.loc_heads:
        return False
    for t in toks:
        if t.conn or not t.text[0].isupper() or any(map(str.isdigit, t.text)):
            return False
        hit = hits.get(t.start)
        if hit is not None and hit[1].kind not in ("city", "state"):
            return False
    return True


@cache
def _title_firsts() -> frozenset[str]:
    return frozenset(t[0] for t in titles())


def title_length(words: Sequence[str]) -> int:
    """How many of the first words make one title ("chief executive", "Gen."); 0 for none."""
    if not words or words[0].lower().rstrip(".") not in _title_firsts():
        return 0
    tt = titles()
    for n in (4, 3, 2, 1):
        if n <= len(words) and tuple(w.lower().rstrip(".") for w in words[:n]) in tt:
            return n
    return 0


def _title_at(toks: list[Token], i: int) -> int:
    if toks[i].text.lower().rstrip(".") not in _title_firsts():
        return 0  # the common case, decided without building the words
    return title_length([t.text for t in toks[i : i + 4]])


def find_mentions(
    text: str,
    reserved: Sequence[tuple[int, int]] = (),
    openers: Collection[int] = (),
    found: Sequence[tuple[int, int, GazEntry]] | None = None,
) -> list[Mention]:
    """Return typed name mentions (type None where no cue decides) in text order.

    Spans in reserved (a dateline's place and agency) are left to the caller; a word
    starting at a position in openers starts a sentence, whatever precedes it. found holds
    the gazetteer's matches in text when the caller has them already.
    """
    matches = gazetteer().find(text) if found is None else found
    hits = {s: (e, entry) for s, e, entry in matches}
    out: list[Mention] = []
    covered: set[int] = set()
    skip = {s + w.start() for s, e in reserved for w in _WORD_START.finditer(text[s:e])}
    for toks in find_chunks(text):
        if len(toks) > MAX_NAME_TOKENS:
            continue  # its gazetteer names are added below, as for words the chunker skips
        covered.update(t.start for t in toks)
        if toks[0].start in skip:
            continue
        out.extend(_chunk_mentions(text, toks, hits))
    for s, (e, entry) in hits.items():
        if s not in covered and s not in skip:  # a name the chunker cannot see ("al-Qaeda")
            out.append(_gaz_mention(text, s, e, entry))
    if openers:
        for m in out:
            if m.start in openers:
                m.initial = True
    out.sort(key=lambda m: m.start)
    return out
