"""Spike detection: flagged articles per key (entity, country) in tumbling windows vs a baseline.

For each key the state holds the current window's start and count, and an exponentially
weighted moving average (EWMA) of the counts of the windows before it. A window spikes when
its count reaches ``min_count`` and ``factor`` times the baseline; it alerts once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache

import pycountry

from streams.models import EnrichedArticle, Entity, Level

__all__ = [
    "SpikeParams",
    "SpikeState",
    "SpikeSubject",
    "country_name",
    "observe",
    "ranked_entities",
    "spike_keys",
    "spike_level",
    "spike_subjects",
    "stale",
    "threshold",
]

#: Entities per flagged article that count towards spikes (most mentioned first).
MAX_SPIKE_ENTITIES = 10

#: Empty windows folded into the EWMA at most; after this many the average is ~0 anyway.
MAX_EMPTY_WINDOWS = 200

#: A key's state may be forgotten once its last window is this many windows old and its
#: baseline has decayed to the floor: a fresh state then fires at the same count (one hour
#: at the default 10-minute window keeps keys of an active story from churning).
STALE_AFTER_WINDOWS = 6


@dataclass(frozen=True)
class SpikeParams:
    """Tumbling window, EWMA smoothing and firing thresholds (see the README for tuning)."""

    window_s: float = 600.0
    alpha: float = 0.3  # weight of the newest window in the EWMA
    factor: float = 3.0  # a spike is at least this many times the baseline
    min_count: int = 5  # and at least this many flagged articles in the window
    floor: float = 1.0  # the baseline never counts as less than this


@dataclass(frozen=True)
class SpikeState:
    """One key's window and baseline."""

    window_start: float
    count: int = 0
    baseline: float = 0.0
    windows: int = 0  # closed windows folded into the baseline
    fired: bool = False
    # The input position (offset in the alert stage's one partition) of the last article
    # counted: an input at or before it is a replay and is not counted again. One number,
    # not the ids of the window, so a stored state stays small however hot the key.
    position: int = -1
    fired_by: str | None = None  # the id whose arrival fired this window


def _window_of(moment: float, params: SpikeParams) -> float:
    return moment - moment % params.window_s


def _rolled_baseline(state: SpikeState, empty: int, params: SpikeParams) -> float:
    """The EWMA once the state's window and then `empty` empty windows are folded into it."""
    baseline = params.alpha * state.count + (1 - params.alpha) * state.baseline
    baseline *= (1 - params.alpha) ** min(empty, MAX_EMPTY_WINDOWS)
    return baseline


def threshold(state: SpikeState, params: SpikeParams) -> float:
    """The count at which the current window spikes."""
    return max(float(params.min_count), params.factor * max(state.baseline, params.floor))


def observe(
    state: SpikeState | None, moment: float, params: SpikeParams, item: str, position: int
) -> tuple[SpikeState, bool]:
    """Count flagged article `item` at `moment`; the new state, and whether it fires now.

    `position` orders the inputs (they come from one partition: its offset). Late articles
    (before the current window) are not counted: a window that has closed is part of the
    baseline already. An input at or before the last position counted is a replay: it is
    not counted again, and fires again if it was the one that fired (same alert id).
    """
    window = _window_of(moment, params)
    if state is not None and position <= state.position:
        return state, window == state.window_start and state.fired_by == item
    if state is None:
        state = SpikeState(window_start=window)
    elif window < state.window_start:
        return state, False
    elif window > state.window_start:
        empty = int((window - state.window_start) // params.window_s) - 1
        baseline = _rolled_baseline(state, empty, params)
        state = SpikeState(
            window_start=window, baseline=baseline, windows=state.windows + 1 + empty
        )
    state = replace(state, count=state.count + 1, position=position)
    fires = not state.fired and state.count >= threshold(state, params)
    if fires:
        state = replace(state, fired=True, fired_by=item)
    return state, fires


def stale(state: SpikeState, moment: float, params: SpikeParams) -> bool:
    """True when forgetting the state changes nothing: an old window, a baseline at the floor.

    Without this the state would keep every entity ever flagged; with it, only those of the
    last hour or so, plus those with a baseline of their own.
    """
    closed = int((_window_of(moment, params) - state.window_start) // params.window_s)
    if closed < STALE_AFTER_WINDOWS:
        return False
    return _rolled_baseline(state, closed - 1, params) <= params.floor


def spike_level(state: SpikeState, params: SpikeParams) -> Level:
    """Medium at the threshold, high at twice it."""
    return "high" if state.count >= 2 * threshold(state, params) else "medium"


@dataclass(frozen=True)
class SpikeSubject:
    """The one real-world thing a spike key counts: an entity, or a country.

    A country is counted under ``country:CC`` whether the article names it ("Russia") or
    only places in it ("Moscow"), so it never spikes twice under two keys.
    """

    key: str  # ``entity:CANONICAL`` or ``country:CC``
    name: str  # how alerts name it: the canonical name the articles' entities carry
    names: frozenset[str] = frozenset()  # casefolded canonical name and aliases (for rules)
    country: str | None = None  # ISO 3166 alpha-2 code of the country it is, or is in


@cache
def _country_names() -> dict[str, str]:
    """ISO code -> the canonical name the entity stage gives the country ("Russia")."""
    from streams.core.entities.gazetteer import gazetteer

    return {
        entry.geo.country: entry.canonical
        for entry in gazetteer().entries
        if entry.kind == "country" and entry.geo is not None and entry.geo.country
    }


def country_name(code: str) -> str:
    """The country's name as the articles' entities carry it, else pycountry's, else the code."""
    known = _country_names().get(code)
    if known is not None:
        return known
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name)


def _is_country(entity: Entity) -> bool:
    """True for an entity that is a country itself, not a place in one."""
    code = entity.geo.country if entity.geo else None
    return entity.type == "LOC" and code is not None and country_name(code) == entity.canonical


def ranked_entities(article: EnrichedArticle) -> list[Entity]:
    """The article's PERSON, ORG and LOC entities, most mentioned first (then first seen):
    the order in which spikes count them and alerts list them."""
    return sorted(
        (e for e in article.entities if e.type in ("PERSON", "ORG", "LOC")),
        key=lambda e: (-e.count, e.start),
    )


def spike_subjects(article: EnrichedArticle) -> list[SpikeSubject]:
    """The entities and countries an article counts towards, one subject per real thing."""
    subjects: dict[str, SpikeSubject] = {}
    for entity in ranked_entities(article)[:MAX_SPIKE_ENTITIES]:
        names = frozenset(n.casefold() for n in (entity.canonical, *entity.aliases))
        code = entity.geo.country if entity.geo else None
        key = f"country:{code}" if _is_country(entity) else f"entity:{entity.canonical}"
        subjects.setdefault(key, SpikeSubject(key, entity.canonical, names, code))
    for entity in article.entities:
        code = entity.geo.country if entity.geo else None
        if code and f"country:{code}" not in subjects:
            name = country_name(code)
            subjects[f"country:{code}"] = SpikeSubject(
                f"country:{code}", name, frozenset({name.casefold()}), code
            )
    return list(subjects.values())


def spike_keys(article: EnrichedArticle) -> list[tuple[str, str]]:
    """(key, display name) of the entities and countries an article counts towards."""
    return [(subject.key, subject.name) for subject in spike_subjects(article)]
