"""Places resolved in context: which of the places sharing a name a document means.

Without context the gazetteer reads a name one way (of namesake cities the capital, then
the most populous). A document often says otherwise: its dateline ("CAMBRIDGE, Mass."), a
state or country written right after the name ("Paris, Texas"), the other places it names
and its nationality words ("Venezuelan"), above all those in the same sentence. Every
reading of a LOC entity (readings.py) is scored and the best one places all its mentions:

    score    = prior + evidence
    evidence = W_QUALIFIER * [its country is written right after a mention]
             + W_STATE * [its US state is written after it, or holds another place named]
             + W_DATELINE * [it lies in the dateline's country]
             + W_CONTEXT * log2(1 + places and nationality words of its country)
             + W_NEAR * log2(1 + those in a sentence with a mention of it)

The other places count softly: each by the share of its readings' weight (10**score) that
lies in a country, so "Georgia" lends to both Georgias and "Ottawa" nearly all to Canada;
the shares come from the priors and the qualifiers alone. A province or lower subdivision
is placed only where another place of the document (or the dateline) lies in its country:
such names are often words ("Centre", "Unity", "Gulf"), and a wrong country is worse than
none. Per document the work is dict lookups and a scan of the text for the LOC entities'
mentions.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from streams.core.entities.datelines import DatelineMentions
from streams.core.entities.gazetteer import gazetteer
from streams.core.entities.places.readings import (
    Place,
    Region,
    candidates,
    qualifier_at,
    region_of,
)
from streams.core.text.sentences import Sentences
from streams.models import Entity

__all__ = ["W_CONTEXT", "W_DATELINE", "W_NEAR", "W_QUALIFIER", "W_STATE", "resolve_places"]

# The evidence weights, in decades of population like the prior (readings.py), chosen with
# it on the development split: context 0.5-1.5 and near 1.5-3 all scored within 0.03.
# W_CONTEXT + W_NEAR is held at 3: one nationality word in the sentence then outweighs
# Tripoli, Libya's capital, for Tripoli, Lebanon (a prior 2.75 lower) but not London for
# London, Ontario (3.3 lower); 4.5 scored 0.003 more (one mention) and flipped London on it.
# "Paris, Texas", "LONDON, Ontario": the writer says which place; it outweighs any prior.
W_QUALIFIER = 10.0
# The candidate's US state written after it, or holding another place of the text (0-1
# and, for the dateline, 1-2.5 scored the same on the development split: few cases).
W_STATE = 0.5
# The dateline's country: where the story was filed.
W_DATELINE = 1.5
# The other places and nationality words of a candidate's country, anywhere in the text...
W_CONTEXT = 1.0
# ...and, again, those in a sentence with a mention of it ("a town in southern Romania").
W_NEAR = 2.0
# Readings that need another place of their country in the document to be chosen.
_AREAS = frozenset({"province", "area"})


@dataclass(slots=True)
class _Name:
    """A name of the document that says where something is: its readings, the sentences it
    is written in, the regions written after it, and how its readings share the countries."""

    entity: Entity
    places: tuple[Place, ...]
    sentences: frozenset[int]
    qualifiers: frozenset[Region] = frozenset()
    shares: dict[str, float] = field(default_factory=dict)
    best: Place | None = None


@dataclass(slots=True)
class _Context:
    """The document's evidence as one name sees it: the other names' countries and states."""

    total: dict[str, float]
    near: dict[str, float]
    states: frozenset[str]
    dateline: str | None


def _mentions(text: str, e: Entity) -> list[tuple[int, int]]:
    """Where the entity's surfaces are written in text, as whole words."""
    spans = {(e.start, e.end)}
    for surface in {e.text, *e.aliases}:
        pos = text.find(surface)
        while pos >= 0:
            end = pos + len(surface)
            if (pos == 0 or not text[pos - 1].isalnum()) and not text[end : end + 1].isalnum():
                spans.add((pos, end))
            pos = text.find(surface, end)
    return sorted(spans)


def _fixed(etype: str, text: str, aliases: tuple[str, ...], canonical: str) -> tuple[Place, ...]:
    """A nationality word's one reading, its country: "Venezuelan", "Pakistani Army"."""
    by_surface = gazetteer().by_surface
    if etype == "LOC":
        words: tuple[str, ...] = (text, *aliases)
    elif etype in ("ORG", "MISC"):
        parts = canonical.split(" ", 2)  # "Costa Rican", "Pakistani Army"
        words = (canonical, " ".join(parts[:2]), parts[0])
    else:
        words = ()
    for word in words:
        g = by_surface.get(word)
        if g is not None and g.geo is not None and g.geo.country:
            if g.kind == "demonym" or (etype != "LOC" and g.kind == "country"):
                return (Place("country", g.geo.country, None, g.geo.lat, g.geo.lon, 0.0),)
    return ()


def _readings(e: Entity) -> tuple[Place, ...]:
    """The readings of an entity: a nationality word's country, else its name's places."""
    return _name_readings(e.type, e.text, tuple(e.aliases), e.canonical)


@lru_cache(maxsize=16384)
def _name_readings(
    etype: str, text: str, aliases: tuple[str, ...], canonical: str
) -> tuple[Place, ...]:
    """_readings of an entity with this type, text, aliases and canonical name: the same
    names come back story after story, and their readings are the gazetteer's alone.

    A LOC name the gazetteer holds as no one country's (a continent, "Kashmir") has none;
    a MISC name (no rule typed it) counts only as evidence, an ORG's only by its first word.
    """
    fixed = _fixed(etype, text, aliases, canonical)
    if fixed or etype not in ("LOC", "MISC"):
        return fixed
    entry = gazetteer().by_surface.get(canonical) or gazetteer().by_surface.get(text)
    if entry is not None and entry.kind in ("region", "demonym", "org") and not entry.country:
        return ()
    for key in (canonical, text):  # not an alias: a wrong grouping would lend its place
        found = candidates(key)
        if found:
            return found
    return ()


def _names(entities: Sequence[Entity], text: str, split: Sentences | None) -> list[_Name]:
    """The entities that place something, with their mentions' sentences and qualifiers.

    The sentences are found only when there are two names: one has no evidence to weigh.
    """
    found = [(e, places) for e in entities if (places := _readings(e))]
    if len(found) > 1:
        starts = [s for s, _ in (split or Sentences.of(text)).spans]
    else:
        starts = []
    out = []
    for e, places in found:
        spans = _mentions(text, e) if e.type == "LOC" else [(e.start, e.end)]
        sentences = frozenset(bisect_right(starts, s) for s, _ in spans)
        qualifiers: set[Region] = set()
        if len(places) > 1 and e.type == "LOC":
            for _, end in spans:
                if text[end : end + 1] == ",":
                    qualifiers |= qualifier_at(text, end)
        out.append(_Name(e, places, sentences, frozenset(qualifiers)))
    return out


def _score(p: Place, name: _Name, ctx: _Context) -> float:
    """Prior plus the document's evidence for one reading (see the module docstring)."""
    score = p.prior
    if any(country == p.country for country, _ in name.qualifiers):
        score += W_QUALIFIER
    if p.admin1 is not None and (
        p.admin1 in ctx.states or any(state == p.admin1 for _, state in name.qualifiers)
    ):
        score += W_STATE
    if p.country == ctx.dateline:
        score += W_DATELINE
    score += W_CONTEXT * math.log2(1 + ctx.total.get(p.country, 0.0))
    return score + W_NEAR * math.log2(1 + ctx.near.get(p.country, 0.0))


def _shares(places: Sequence[Place], scores: Sequence[float]) -> dict[str, float]:
    """How a name's readings divide among countries: in proportion to 10**score (scores
    are in decades of population, so a share goes by population times the bonuses)."""
    top = max(scores)
    weights = [10.0 ** (s - top) for s in scores]
    total = sum(weights)
    shares: dict[str, float] = {}
    for p, w in zip(places, weights, strict=True):
        shares[p.country] = shares.get(p.country, 0.0) + w / total
    return shares


@dataclass(slots=True)
class _Totals:
    """The document's evidence summed once: shares per country, in all and per sentence, and
    the US states the names' best readings lie in."""

    total: dict[str, float]
    by_sentence: dict[int, dict[str, float]]
    states: dict[str, int]
    dateline: str | None


def _own_state(name: _Name) -> str | None:
    """The US state of a name's best reading, when most of its weight lies in that country."""
    best = name.best
    if best is None or not best.admin1 or name.shares.get(best.country, 0.0) < 0.5:
        return None
    return best.admin1


def _totals(names: Sequence[_Name], dateline: str | None) -> _Totals:
    """Sum every name's shares once, so each name's context costs its own size only."""
    total: dict[str, float] = {}
    by_sentence: dict[int, dict[str, float]] = {}
    states: dict[str, int] = {}
    for name in names:
        for country, share in name.shares.items():
            total[country] = total.get(country, 0.0) + share
            for k in name.sentences:
                sums = by_sentence.setdefault(k, {})
                sums[country] = sums.get(country, 0.0) + share
        if (state := _own_state(name)) is not None:
            states[state] = states.get(state, 0) + 1
    return _Totals(total, by_sentence, states, dateline)


def _context(name: _Name, t: _Totals) -> _Context:
    """The evidence of the document's other names, as `name` sees it (its own taken out; a
    place named with it in two sentences counts twice)."""
    own = name.shares
    total = {c: v - own.get(c, 0.0) for c, v in t.total.items()}
    near: dict[str, float] = {}
    for k in name.sentences:
        for c, v in t.by_sentence[k].items():
            near[c] = near.get(c, 0.0) + v - own.get(c, 0.0)
    mine = _own_state(name)
    states = frozenset(a for a, n in t.states.items() if n > (a == mine))
    return _Context(total, near, states, t.dateline)


def _choose(names: Sequence[_Name], dated: Sequence[_Name]) -> None:
    """Score every reading of every name with the others' evidence and keep the best; then
    drop an area's reading when nothing else of the document lies in its country."""
    dateline = next((d.best.country for d in dated if d.best is not None), None)
    totals = _totals(names, dateline)
    for name in names:
        if len(name.places) > 1:
            ctx = _context(name, totals)
            name.best = max(name.places, key=lambda p: _score(p, name, ctx))
    placed: dict[str, int] = {}
    for name in names:
        if name.best is not None:
            placed[name.best.country] = placed.get(name.best.country, 0) + 1
    for name in names:
        best = name.best
        if best is not None and best.kind in _AREAS and best.country != dateline:
            if placed.get(best.country, 0) < 2:  # itself only
                name.best = None


def _dated(names: Sequence[_Name], datelines: Sequence[DatelineMentions]) -> list[_Name]:
    """The names the datelines place the story at, with the region written after each."""
    by_name = {n.entity.canonical.casefold(): k for k, n in enumerate(names)}
    out = []
    for d in datelines:
        for m in d.mentions:
            k = by_name.get((m.canonical or m.text).casefold())
            if m.type != "LOC" or k is None:
                continue
            name = names[k]
            if d.region:
                name.qualifiers |= region_of(d.region)
            out.append(name)
    return out


def resolve_places(
    entities: list[Entity],
    text: str,
    datelines: Sequence[DatelineMentions] = (),
    sentences: Sentences | None = None,
) -> list[Entity]:
    """Set each LOC entity's `geo` to the reading of its name the document supports best.

    Changes the entities in place (other types are read as evidence, never changed) and
    returns them.
    """
    names = _names(entities, text, sentences)
    if not names:
        return entities
    dated = _dated(names, datelines)
    none = _Context({}, {}, frozenset(), None)
    for name in names:  # the first shares: priors and qualifiers only
        scores = [_score(p, name, none) for p in name.places]
        name.shares = _shares(name.places, scores)
        name.best = name.places[max(range(len(scores)), key=scores.__getitem__)]
    _choose(names, dated)
    for name in names:
        if name.entity.type == "LOC" and name.best is not None:
            name.entity.geo = name.best.geo
    return entities
