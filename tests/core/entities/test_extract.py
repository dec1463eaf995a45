"""Unit tests for streams.core.entities.extract on hand-written news sentences."""

from __future__ import annotations

import pytest

from streams.core.entities.extract import extract_entities
from streams.models import Entity

ARTICLE = (
    "Lavrov: Washington ignored Moscow's proposals\n\n"
    "Russian Foreign Minister Sergey Lavrov told reporters in Geneva on Tuesday that the US "
    "had not answered the central question of NATO enlargement. Meanwhile, German Chancellor "
    "Olaf Scholz met Ukrainian officials in Berlin. According to Interfax, Lavrov said the "
    "Russian Foreign Ministry would publish its reply. Reuters and TASS also reported that "
    "U.S. Ambassador Lynne Tracy was summoned. Соцсети обсуждают заявление.\n"
)


def _by_canonical(entities: list[Entity]) -> dict[str, Entity]:
    return {e.canonical: e for e in entities}


@pytest.fixture(scope="module")
def found() -> dict[str, Entity]:
    return _by_canonical(extract_entities(ARTICLE))


@pytest.mark.parametrize(
    ("canonical", "etype"),
    [
        ("Sergey Lavrov", "PERSON"),
        ("Olaf Scholz", "PERSON"),
        ("Lynne Tracy", "PERSON"),
        ("United States", "LOC"),
        ("NATO", "ORG"),
        ("Interfax", "ORG"),
        ("Reuters", "ORG"),
        ("TASS", "ORG"),
        ("Foreign Ministry", "ORG"),  # after a nationality, as CoNLL-2003 marks it
        ("Russia", "LOC"),
        ("Geneva", "LOC"),
        ("Berlin", "LOC"),
        ("Ukraine", "LOC"),
        ("Germany", "LOC"),
    ],
)
def test_entities_finds_expected(found: dict[str, Entity], canonical: str, etype: str) -> None:
    assert canonical in found, sorted(found)
    assert found[canonical].type == etype


def test_entities_resolves_surname_to_full_name(found: dict[str, Entity]) -> None:
    lavrov = found["Sergey Lavrov"]
    assert lavrov.text == "Lavrov"  # the headline mention comes first
    assert "Sergey Lavrov" in lavrov.aliases
    assert lavrov.count == 3


def test_entities_merges_country_short_forms(found: dict[str, Entity]) -> None:
    us = found["United States"]
    assert us.text == "US"
    assert "U.S." in us.aliases
    assert us.geo is not None and us.geo.country == "US"


@pytest.mark.parametrize("word", ["Meanwhile", "According", "Tuesday", "Соцсети", "Minister"])
def test_entities_skips_non_names(word: str) -> None:
    surfaces = {s for e in extract_entities(ARTICLE) for s in (e.text, *e.aliases)}
    assert word not in surfaces


def test_entities_offsets_index_text() -> None:
    for e in extract_entities(ARTICLE):
        assert ARTICLE[e.start : e.end] == e.text


def test_entities_demonym_is_country_location(found: dict[str, Entity]) -> None:
    russia = found["Russia"]
    assert russia.type == "LOC"
    assert russia.text == "Russian"
    assert russia.geo is not None and russia.geo.country == "RU"


@pytest.mark.parametrize(
    ("text", "surface", "etype"),
    [
        ("Shares of Northwind Holdings Inc. fell on Monday.", "Northwind Holdings Inc.", "ORG"),
        (
            "It was drafted by the Baltic Shipping Agency last year.",
            "Baltic Shipping Agency",
            "ORG",
        ),
        ("Airline chief executive Maria Kovacs said demand rose.", "Maria Kovacs", "PERSON"),
        ("Spokesman Dieter Vollmann declined to comment.", "Dieter Vollmann", "PERSON"),
        ("The plant near Lake Ontario employs 900 people.", "Lake Ontario", "LOC"),
        ("Prices rose at Acme Ltd, said analyst Priya Raman.", "Priya Raman", "PERSON"),
        ("The GAO report criticised the deal.", "GAO", "ORG"),
    ],
)
def test_entities_context_cues(text: str, surface: str, etype: str) -> None:
    hits = [e for e in extract_entities(text) if e.text == surface]
    assert hits, [e.text for e in extract_entities(text)]
    assert hits[0].type == etype


def test_entities_acronym_joins_long_name() -> None:
    text = "The Northern Grid Authority (NGA) raised tariffs. NGA officials defended the move."
    ents = [e for e in extract_entities(text) if e.canonical == "Northern Grid Authority"]
    assert len(ents) == 1
    assert "NGA" in ents[0].aliases
    assert ents[0].count == 3


def test_entities_person_shadowing_city_resolves_to_person() -> None:
    text = "Chief executive Paul Henderson resigned. Henderson said the board agreed."
    ents = extract_entities(text)
    person = [e for e in ents if e.canonical == "Paul Henderson"]
    assert person and person[0].type == "PERSON" and person[0].count == 2


def test_entities_currency_code_is_not_a_country() -> None:
    assert extract_entities("It cost US$40 million.") == []


@pytest.mark.parametrize("text", ["", "nothing capitalised here at all."])
def test_entities_empty_input(text: str) -> None:
    assert extract_entities(text) == []


DATELINE_TEXT = (
    "Grain talks stall\n\n"
    "ODESA, June 12 (Harbourline) - Tens of thousands of tonnes of grain sat in silos on "
    "Thursday. Artillery fire was heard overnight near Mykolaiv airport.\n\n"
    "PORT LOUIS, Mauritius (Harbourline) - Officials said the Harbourline report was wrong."
)


@pytest.fixture(scope="module")
def dated() -> dict[str, Entity]:
    return _by_canonical(extract_entities(DATELINE_TEXT))


@pytest.mark.parametrize(
    ("canonical", "etype", "surface"),
    [
        ("Odesa", "LOC", "ODESA"),
        ("Port Louis", "LOC", "PORT LOUIS"),
        ("Harbourline", "ORG", "Harbourline"),
    ],
)
def test_entities_dateline_place_and_agency(
    dated: dict[str, Entity], canonical: str, etype: str, surface: str
) -> None:
    assert canonical in dated, sorted(dated)
    assert dated[canonical].type == etype
    assert dated[canonical].text == surface


@pytest.mark.parametrize(
    ("canonical", "country"), [("Odesa", "UA"), ("Port Louis", "MU"), ("Mauritius", "MU")]
)
def test_entities_dateline_places_have_geo(
    dated: dict[str, Entity], canonical: str, country: str
) -> None:
    geo = dated[canonical].geo
    assert geo is not None
    assert geo.country == country


@pytest.mark.parametrize("word", ["Tens", "Artillery", "Officials", "ODESA", "PORT"])
def test_entities_dateline_openers_are_not_names(dated: dict[str, Entity], word: str) -> None:
    assert word not in dated


def test_entities_word_before_airport_is_place(dated: dict[str, Entity]) -> None:
    assert dated["Mykolaiv"].type == "LOC"


@pytest.mark.parametrize(
    ("sentence", "canonical", "etype"),
    [
        ("Passengers on Air Tasman were stranded, the carrier said.", "Air Tasman", "ORG"),
        ("Shares of QuantaLink rose after the results were published.", "QuantaLink", "ORG"),
        ("Vela Motors LLC Chairman Ruth Okonjo said sales rose.", "Ruth Okonjo", "PERSON"),
        ("Thousands of Ukrainians crossed the border on foot.", "Ukraine", "LOC"),
    ],
)
def test_entities_company_and_people_cues(sentence: str, canonical: str, etype: str) -> None:
    found = _by_canonical(extract_entities(sentence))
    assert canonical in found, sorted(found)
    assert found[canonical].type == etype


@pytest.mark.parametrize(
    "run",
    ["Aa " * 400, "Mr " * 300, "Aa Inc " * 1500, "The Bank of " * 200, "Ab-Cd " * 300],
)
def test_entities_long_capitalised_run_is_no_name(run: str) -> None:
    text = f"Troops were deployed by {run}on Monday."
    entities = extract_entities(text)
    assert all(len(e.text) < 40 for e in entities)
    for e in entities:
        assert text[e.start : e.end] == e.text


def test_entities_gazetteer_name_inside_a_long_run_is_kept() -> None:
    text = "Talks were held in " + "Aa " * 300 + "Kyiv Aa and ended."
    assert "Kyiv" in {e.canonical for e in extract_entities(text)}


def test_entities_ten_token_name_is_still_read_by_the_rules() -> None:
    text = "Delegates of the Security Council of the Russian Federation met in Geneva."
    canon = {e.canonical for e in extract_entities(text, tagger=False)}
    assert "Security Council of the Russian Federation" in canon


@pytest.mark.parametrize(
    ("city", "country"),
    [
        ("London", "GB"),  # not London, Ontario
        ("Madrid", "ES"),
        ("Santiago", "CL"),
        ("Tripoli", "LY"),
        ("Kingston", "JM"),
        ("Wellington", "NZ"),
        ("Georgetown", "GY"),
        ("Colombo", "LK"),
        ("Paris", "FR"),
    ],
)
def test_entities_namesake_city_is_the_capital_or_the_largest(city: str, country: str) -> None:
    found = {e.canonical: e for e in extract_entities(f"Talks in {city} ended on Monday.", "en")}
    assert city in found, sorted(found)
    geo = found[city].geo
    assert geo is not None and geo.country == country
