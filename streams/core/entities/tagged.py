"""Name mentions from the trained tagger, with the gazetteer and rules as corrections.

The tagger decides where names are and their first type. The gazetteer then gives each
name it knows a canonical form and a place (a tagged "U.S." is the United States, at its
capital); a demonym tagged MISC ("Iraqi") is read as its country, as the rules read it; a
time-zone abbreviation ("ET", "GMT"), a currency code or a title alone is no name,
and a person's name starts after its titles. Known names the tagger passed over are kept
from the gazetteer, so a name the rules always found is not lost.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection, Sequence
from functools import cache, lru_cache

from streams.core.entities.chunks import MAX_NAME_TOKENS, Mention, find_mentions, title_length
from streams.core.entities.gazetteer import GazEntry, cues, gazetteer
from streams.core.entities.spans import is_initial
from streams.core.entities.tagger import default_tagger
from streams.core.temporal.lexicon import zone_abbreviations
from streams.core.text.sentences import Sentences
from streams.models import EntityType

__all__ = ["find_tagged_mentions", "rule_spans"]

_WORD = re.compile(r"[^\W_][\w&'’.-]*")
_TITLE_CASE = r"[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ][\w'’&-]*"
# (?<![\w'’&-])(?:{_TITLE_CASE}[ \t]+){MAX_NAME_TOKENS,}{_TITLE_CASE}, written to open with the
# first word's capital so that the search skips to capitals (a pattern that opens with a
# lookbehind is tried at every character); the lookbehind then looks past that capital.
_LONG_RUN = re.compile(
    rf"[A-ZÀ-ÖØ-Þ](?<![\w'’&-].)[a-zß-öø-ÿ][\w'’&-]*[ \t]+"
    rf"(?:{_TITLE_CASE}[ \t]+){{{MAX_NAME_TOKENS - 1},}}{_TITLE_CASE}"
)
_CONNECTORS = frozenset({"of", "the", "and", "for", "&", "de", "in"})
_TYPES: dict[str, EntityType] = {"PER": "PERSON", "ORG": "ORG", "LOC": "LOC", "MISC": "MISC"}
# Gazetteer kinds whose type wins over the tagger's: hand-kept names, and demonyms (read as
# their country, where the tagger follows CoNLL-2003 and calls them MISC).
_TRUSTED_KINDS = frozenset({"org", "demonym"})
# Gazetteer kinds kept when the tagger passed over the name (all are capitalised proper names).
_KEEP_KINDS = frozenset({"country", "state", "city", "region", "org", "province"})


@cache
def _currency_codes() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.currencies)


def _not_a_name(text: str, s: int, e: int) -> bool:
    """A tagged span that names nothing: a time zone ("ET"), a currency ("USD", the "US" of
    "US$40") or a title alone ("Chief Executive Officer")."""
    return text[e : e + 1] == "$" or _names_nothing(text[s:e])


@lru_cache(maxsize=16384)
def _names_nothing(surface: str) -> bool:
    """_not_a_name for the surface alone (a time zone, a currency code, titles only)."""
    if surface in zone_abbreviations() or surface in _currency_codes():
        return True
    return _title_words(surface) == len(_WORD.findall(surface))


@lru_cache(maxsize=16384)
def _title_words(surface: str) -> int:
    """How many words at the start of surface make titles ("President", "Chief Executive")."""
    words = _WORD.findall(surface)
    taken = 0
    while step := title_length(words[taken:]):
        taken += step
    return taken


def _after_titles(text: str, s: int, e: int) -> int:
    """Where a person's name starts once the titles before it are left out."""
    count = _title_words(text[s:e])
    if count == 0:
        return s
    words = list(_WORD.finditer(text, s, e))
    return words[count].start() if count < len(words) else s


def _overlaps(s: int, e: int, spans: Sequence[tuple[int, int]]) -> bool:
    """Whether [s, e) overlaps one of spans (sorted, not overlapping one another)."""
    if not spans:
        return False  # the common case for datelines and Title Case runs
    k = bisect_right(spans, (s, s))
    return (k > 0 and spans[k - 1][1] > s) or (k < len(spans) and spans[k][0] < e)


def _long_runs(text: str) -> list[tuple[int, int]]:
    """Runs of more than MAX_NAME_TOKENS Title Case words: prose or a list, not a name (the
    rules' bound, chunks.MAX_NAME_TOKENS). Punctuation ends a run ("Essex, Kent"); a headline
    in capitals is no Title Case run."""
    return [m.span() for m in _LONG_RUN.finditer(text)]


def _trim_connectors(text: str, s: int, e: int) -> int:
    """The span's end without the connectors it ends on ("Security Council of the")."""
    if text[s:e].rsplit(None, 1)[-1] not in _CONNECTORS:
        return e
    words = list(_WORD.finditer(text, s, e))
    while len(words) > 1 and words[-1].group() in _CONNECTORS:
        words.pop()
    return words[-1].end() if words else e


def _inside(s: int, e: int, spans: Sequence[tuple[int, int]]) -> bool:
    """Whether [s, e) lies within one of spans (sorted, not overlapping) and is not all of it."""
    k = bisect_right(spans, (s, e)) - 1
    if k >= 0 and spans[k] == (s, e):
        return False
    return k >= 0 and spans[k][0] <= s and e <= spans[k][1]


def _mention(text: str, s: int, e: int, etype: EntityType, hit: GazEntry | None) -> Mention:
    if hit is not None and (hit.type == etype or hit.kind in _TRUSTED_KINDS):
        etype = hit.type
        m = Mention(s, e, text[s:e], etype, hit.canonical, hit.geo, True)
    elif hit is not None and etype == "LOC" and hit.geo is not None:
        m = Mention(s, e, text[s:e], etype, None, hit.geo, False)
    else:
        m = Mention(s, e, text[s:e], etype)
    m.initial = is_initial(text, s)
    return m


def rule_spans(
    text: str,
    reserved: Sequence[tuple[int, int]] = (),
    openers: Collection[int] = (),
    hits: Sequence[tuple[int, int, GazEntry]] | None = None,
) -> list[tuple[int, int, str]]:
    """The rules' mentions as (start, end, type) spans, "none" where no cue typed one."""
    found = find_mentions(text, reserved, openers, hits)
    return [(m.start, m.end, m.type or "none") for m in found]


def find_tagged_mentions(
    text: str,
    reserved: Sequence[tuple[int, int]] = (),
    openers: Collection[int] = (),
    sentences: Sentences | None = None,
) -> list[Mention]:
    """Typed name mentions in text order; spans in reserved (datelines) are left out."""
    hits = gazetteer().find(text)
    by_span = {(s, e): entry for s, e, entry in hits}
    out: list[Mention] = []
    tagged: list[tuple[int, int]] = []
    ruled = rule_spans(text, reserved, openers, hits)
    spans = default_tagger().tag(text, hits, ruled, sentences)
    runs = _long_runs(text)
    reserved = sorted(reserved)
    for s, e, kind in spans:
        tagged.append((s, e))
        if _overlaps(s, e, reserved) or _not_a_name(text, s, e):
            continue
        if text.count(" ", s, e) >= MAX_NAME_TOKENS or _overlaps(s, e, runs):
            tagged.pop()  # Title Case prose, not a name: its gazetteer names are kept below
            continue
        e = _trim_connectors(text, s, e)
        if kind == "PER":
            s = _after_titles(text, s, e)
        out.append(_mention(text, s, e, _TYPES[kind], by_span.get((s, e))))
    misc = [(s, e) for s, e, kind in spans if kind == "MISC"]
    for s, e, entry in hits:
        if entry.kind not in _KEEP_KINDS or not text[s].isupper() or _overlaps(s, e, reserved):
            continue
        if _inside(s, e, misc) or not _overlaps(s, e, tagged):
            out.append(_mention(text, s, e, entry.type, entry))
    out.extend(_repeats(text, ruled, tagged, out))
    _surnames_are_people(out)
    out.sort(key=lambda m: m.start)
    return _headed_organisations(text, ruled, out)


def _surnames_are_people(found: list[Mention]) -> None:
    """A lone word that is the surname of a person named in full in the story is that person
    ("Paul Henderson ... Henderson said"), whatever else the word could be (a town in
    Nevada): its type is left to the person's group."""
    surnames = {m.text.rsplit(None, 1)[-1] for m in found if m.type == "PERSON" and " " in m.text}
    for m in found:
        if m.type != "PERSON" and " " not in m.text and m.text in surnames:
            m.type = None


def _headed_organisations(
    text: str, ruled: Sequence[tuple[int, int, str]], found: list[Mention]
) -> list[Mention]:
    """One organisation where the tagger cut a name that ends in an organisation's head word
    into pieces: "China Eastern Airlines" is no place and an airline, but one airline. A
    leading nationality stays apart ("Russian" "Foreign Ministry"), as CoNLL-2003 has it."""
    heads = cues().org_heads
    readings = gazetteer().by_surface
    out = found
    for s, e, kind in ruled:
        if kind != "ORG" or text[s:e].rsplit(None, 1)[-1] not in heads:
            continue
        inside = [m for m in out if s <= m.start and m.end <= e]
        if not inside or (len(inside) == 1 and (inside[0].start, inside[0].end) == (s, e)):
            continue
        if any(m.start < e and s < m.end for m in out if m not in inside):
            continue  # a piece reaches out of the span: the two readings disagree
        lead = readings.get(inside[0].text)
        if inside[0].type == "MISC" or (lead is not None and lead.kind == "demonym"):
            continue
        merged = Mention(s, e, text[s:e], "ORG", initial=is_initial(text, s))
        out = [m for m in out if m not in inside]
        out.append(merged)
    out.sort(key=lambda m: m.start)
    return out


def _repeats(
    text: str,
    ruled: Sequence[tuple[int, int, str]],
    tagged: Sequence[tuple[int, int]],
    found: Sequence[Mention],
) -> list[Mention]:
    """Untyped mentions for the capitalised words the tagger passed over here but named
    elsewhere in the story: a name is a name throughout ("Lavrov:" in a headline, where
    "Sergey Lavrov" is tagged in the body). A person's surname counts as their name.
    Grouping then joins each to the entity it repeats."""
    names = {m.text for m in found if m.type != "MISC"}
    names.update(m.text.rsplit(None, 1)[-1] for m in found if m.type == "PERSON")
    return [
        Mention(s, e, text[s:e], None, initial=is_initial(text, s))
        for s, e, _ in ruled
        if text[s:e] in names and not _overlaps(s, e, tagged)
    ]
