"""Unit tests for streams.core.entities.places: namesakes placed by the document's evidence."""

from __future__ import annotations

import pytest

from streams.core.entities.datelines import find_datelines
from streams.core.entities.extract import extract_entities
from streams.core.entities.gazetteer import gazetteer
from streams.core.entities.places import candidates, region_of, resolve_places
from streams.models import Entity


def _entities(text: str, names: list[str]) -> list[Entity]:
    """LOC entities as the extractor makes them: the dateline's place, then named places read
    from the gazetteer (so these tests do not depend on how names are found)."""
    out = []
    for d in find_datelines(text):
        m = d.mentions[0]
        out.append(
            Entity(text=m.text, type="LOC", canonical=m.canonical or m.text, start=m.start,
                   end=m.end, geo=m.geo)
        )  # fmt: skip
    for name in names:
        entry = gazetteer().by_surface.get(name)
        start = text.index(name)
        etype = entry.type if entry is not None else "LOC"
        canonical = entry.canonical if entry is not None else name
        geo = entry.geo if entry is not None else None
        out.append(Entity(text=name, type=etype, canonical=canonical, start=start,
                          end=start + len(name), geo=geo))  # fmt: skip
    return out


def _country(text: str, name: str, others: tuple[str, ...] = ()) -> str | None:
    """The country resolve_places gives `name` in text, with `others` also named there."""
    entities = _entities(text, [n for n in (name, *others) if n in text])
    resolve_places(entities, text, find_datelines(text))
    for e in entities:
        if name in (e.text, e.canonical):
            return e.geo.country if e.geo is not None else None
    raise AssertionError(f"{name!r} is not among {[e.text for e in entities]}")


@pytest.mark.parametrize(
    ("text", "name", "others", "country"),
    [
        ("Talks in London ended on Monday.", "London", (), "GB"),
        ("The council of London, Ontario, voted to shut a bridge.", "London", ("Ontario",), "CA"),
        ("LONDON, Ontario, March 3 (CP) - Police closed the bridge.", "London", (), "CA"),
        ("Traffic in Paris was light on Sunday.", "Paris", (), "FR"),
        ("Residents of Paris, Texas, were told to boil water.", "Paris", ("Texas",), "US"),
        ("CAMBRIDGE, Mass., Jan 3 (AP) - The university said it would reopen.", "Cambridge", (),
         "US"),
        ("Springfield, Illinois, held a vote on the budget.", "Springfield", ("Illinois",), "US"),
        ("Victoria, Seychelles, hosted the summit.", "Victoria", ("Seychelles",), "SC"),
        ("Rome, Georgia and Armenia signed the accord.", "Rome", ("Georgia", "Armenia"), "IT"),
        ("Delegates from Athens, Georgia and Turkey met.", "Athens", ("Georgia", "Turkey"), "GR"),
        ("Moscow, Idaho, is a college town.", "Moscow", ("Idaho",), "US"),
        ("A steelworks in Newcastle, in KwaZulu-Natal, will shut.", "Newcastle", (), "ZA"),
    ],
)  # fmt: skip
def test_places_qualifier_and_plain_reading(
    text: str, name: str, others: tuple[str, ...], country: str
) -> None:
    assert _country(text, name, others) == country


@pytest.mark.parametrize(
    ("text", "name", "others", "country"),
    [
        ("GEORGETOWN, Guyana, May 4 (Reuters) - The government said talks would go on.",
         "Georgetown", (), "GY"),
        ("VICTORIA, Seychelles, May 2 (AFP) - The island nation's president spoke.",
         "Victoria", (), "SC"),
        ("Protesters marched in Valencia, and Venezuelan police in Maracay made arrests.",
         "Valencia", ("Venezuelan", "Maracay"), "VE"),
        ("Valencia fans celebrated as Spanish police watched; Madrid and Seville were calm.",
         "Valencia", ("Spanish", "Madrid", "Seville"), "ES"),
        ("Police in Hyderabad arrested two men, Pakistani officials said.", "Hyderabad",
         ("Pakistani",), "PK"),
        ("Police in Hyderabad arrested two men, Indian officials said.", "Hyderabad",
         ("Indian",), "IN"),
        ("CARACAS, June 1 (Reuters) - Troops were sent to Valencia on Monday.", "Valencia", (),
         "VE"),
        ("MADRID, June 1 (Reuters) - Troops were sent to Valencia on Monday.", "Valencia", (),
         "ES"),
    ],
)  # fmt: skip
def test_places_context_picks_the_namesake(
    text: str, name: str, others: tuple[str, ...], country: str
) -> None:
    assert _country(text, name, others) == country


@pytest.mark.parametrize(
    ("text", "name", "others", "country"),
    [
        ("A Canadian delegation arrived in London for talks.", "London", ("Canadian",), "GB"),
        ("Texas officials flew to Paris to sign the deal.", "Paris", ("Texas",), "FR"),
        ("American investors in Rome said the bank would recover.", "Rome", ("American",), "IT"),
    ],
)
def test_places_world_city_not_flipped_by_one_weak_cue(
    text: str, name: str, others: tuple[str, ...], country: str
) -> None:
    assert _country(text, name, others) == country


@pytest.mark.parametrize(
    ("text", "others", "country"),
    [
        ("Georgia recalled its ambassador, Tbilisi said.", ("Tbilisi",), "GE"),
        ("Storms hit Georgia; Atlanta lost power.", ("Atlanta",), "US"),
        ("Georgia is on the Black Sea.", (), "GE"),
    ],
)
def test_places_country_and_state_namesakes(
    text: str, others: tuple[str, ...], country: str
) -> None:
    assert _country(text, "Georgia", others) == country


def test_places_capital_wins_ties() -> None:
    assert _country("Officials met in Washington.", "Washington") == "US"
    washington = candidates("Washington")[0]
    assert washington.kind == "city" and washington.admin1 == "DC"


@pytest.mark.parametrize(
    ("text", "name", "others", "country"),
    [
        ("Floods hit Ontario and Quebec.", "Ontario", ("Quebec",), "CA"),
        ("Rallies were held across Punjab, Indian police said.", "Punjab", ("Indian",), "IN"),
        ("Rallies were held across Punjab, Pakistani police said.", "Punjab", ("Pakistani",),
         "PK"),
        ("Fishing boats left Scotland at dawn.", "Scotland", (), "GB"),
    ],
)  # fmt: skip
def test_places_area_gets_its_country(
    text: str, name: str, others: tuple[str, ...], country: str
) -> None:
    assert _country(text, name, others) == country


@pytest.mark.parametrize(
    ("text", "name", "others", "country"),
    [
        ("Plateau state authorities imposed a curfew on Jos.", "Plateau", ("Jos",), "NG"),
        ("A tanker left a Gulf port, Iranian media said.", "Gulf", ("Iranian",), None),
        ("Ministers of the Government of National Unity met in Juba.", "Unity", ("Juba",), "SS"),
        ("Ministers of the Government of National Unity met in Kyiv.", "Unity", ("Kyiv",), None),
    ],
)
def test_places_area_needs_another_place_of_its_country(
    text: str, name: str, others: tuple[str, ...], country: str | None
) -> None:
    entities = _entities(text, [name, *others])
    for e in entities:
        e.geo = None  # as the extractor leaves a province it has no point for
    resolve_places(entities, text)
    geo = entities[0].geo
    assert (geo.country if geo is not None else None) == country


def test_places_nationality_word_inside_a_body_counts() -> None:
    text = "The Pakistani Army said militants attacked a post near Hyderabad."
    army = Entity(text="Pakistani Army", type="ORG", canonical="Pakistani Army", start=4, end=18)
    city = _entities(text, ["Hyderabad"])
    resolve_places([army, *city], text)
    assert city[0].geo is not None and city[0].geo.country == "PK"


@pytest.mark.parametrize(
    ("text", "name", "others", "country"),
    [
        ("Lebanese soldiers arrested a man in Tripoli.", "Tripoli", ("Lebanese",), "LB"),
        ("Riots broke out in Tripoli on Friday.", "Tripoli", (), "LY"),
        ("A town of 40,000 in southern Romania, Alexandria, lost its factory.", "Alexandria",
         ("Romania",), "RO"),
        ("Cargo ships were stuck off Alexandria.", "Alexandria", (), "EG"),
    ],
)  # fmt: skip
def test_places_same_sentence_cue_outweighs_a_smaller_lead(
    text: str, name: str, others: tuple[str, ...], country: str
) -> None:
    assert _country(text, name, others) == country


def test_places_many_small_namesakes_lend_little() -> None:
    # Oxford has several small US namesakes; together they must not make it American.
    text = "A rail line between Cambridge and Oxford was approved."
    assert _country(text, "Cambridge", ("Oxford",)) == "GB"


@pytest.mark.parametrize("name", ["CORDOBA", "Cordoba", "córdoba"])
def test_places_names_match_without_case_or_accents(name: str) -> None:
    assert {p.country for p in candidates(name)} >= {"AR", "ES", "MX"}


def test_places_islands_and_english_region_names_are_known() -> None:
    assert _country("SAN FERNANDO, Trinidad (Reuters) - Police said.", "San Fernando") == "TT"
    assert {p.country for p in candidates("Brittany")} == {"FR"}


def test_places_untyped_place_name_is_evidence_only() -> None:
    text = "Trains from Valencia to Sevilla were cancelled."
    start = text.index("Sevilla")
    sevilla = Entity(text="Sevilla", type="MISC", canonical="Sevilla", start=start,
                     end=start + 7)  # fmt: skip
    valencia = _entities(text, ["Valencia"])
    resolve_places([*valencia, sevilla], text)
    assert valencia[0].geo is not None and valencia[0].geo.country == "ES"
    assert sevilla.geo is None  # its type is the extractor's to decide


def test_places_town_too_small_for_the_gazetteer_found_by_its_region() -> None:
    assert _country("Residents of Paris, Texas, voted.", "Paris", ("Texas",)) == "US"
    assert _country("Officials in Bakhmut, Ukraine, said.", "Bakhmut", ("Ukraine",)) == "UA"


def test_places_all_mentions_share_one_reading() -> None:
    text = "Officials in London, Ontario, said the river rose. London schools will close."
    locs = [e for e in extract_entities(text) if e.canonical == "London"]
    assert len(locs) == 1 and locs[0].count == 2
    assert locs[0].geo is not None and locs[0].geo.country == "CA"


def test_places_extract_entities_resolves_places() -> None:
    text = "GEORGETOWN, Guyana, May 4 (Reuters) - Ministers met in Georgetown on Monday."
    found = {e.canonical: e for e in extract_entities(text)}
    geo = found["Georgetown"].geo
    assert geo is not None and geo.country == "GY"


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [("Mass.", ("US", "MA")), ("Ont.", ("CA", None)), ("Texas", ("US", "TX"))],
)
def test_places_region_names_and_abbreviations(
    phrase: str, expected: tuple[str, str | None]
) -> None:
    assert expected in region_of(phrase)


def test_places_leaves_other_types_alone() -> None:
    person = Entity(text="Paris Hilton", type="PERSON", canonical="Paris Hilton", start=0, end=12)
    assert resolve_places([person], "Paris Hilton, Texas, smiled.")[0].geo is None


def test_places_gazetteer_keeps_one_reading_and_all_namesakes() -> None:
    gaz = gazetteer()
    london = gaz.by_surface["London"]
    assert london.kind == "city" and london.geo is not None and london.geo.country == "GB"
    countries = {r.geo.country for r in gaz.readings["London"] if r.geo is not None}
    assert {"GB", "CA"} <= countries
    assert {p.country for p in candidates("Georgia")} == {"GE", "US"}
