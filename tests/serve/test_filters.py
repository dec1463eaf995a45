"""Filtering alerts by the query string: level, categories, countries, entity, kind, story."""

from __future__ import annotations

import pytest
from multidict import MultiDict

from streams.serve.filters import AlertQuery, InvalidQueryError
from tests.support.alerts import realistic_alerts

ALERTS = {a.article_id or a.title: a for a in realistic_alerts()}


def _matching(params: MultiDict[str]) -> list[str]:
    query = AlertQuery.from_params(params)
    return sorted(a.alert_id for a in realistic_alerts() if query.accepts(a))


def _ids(*titles: str) -> list[str]:
    wanted = [a for a in realistic_alerts() if any(t in (a.title or "") for t in titles)]
    return sorted(a.alert_id for a in wanted)


@pytest.mark.parametrize(
    ("params", "titles"),
    [
        ({}, ("",)),
        ({"level": "critical"}, ("Aid convoy",)),
        (
            {"level": "high"},
            ("Aid convoy", "Cargo ship", "live-fire", "Shelling hits", "nine wounded"),
        ),
        ({"category": "cyber"}, ("Estonian",)),
        ({"category": "cyber,civil_unrest"}, ("Estonian", "Lima")),
        ({"country": "sd"}, ("Aid convoy",)),
        ({"country": "PE,EE"}, ("Estonian", "Lima")),
        ({"entity": "people's liberation"}, ("live-fire",)),
        ({"entity": "red sea"}, ("Cargo ship",)),  # a place's name counts too
        ({"kind": "spike"}, ("Spike:",)),
        ({"story": "art-kharkiv-shelling"}, ("Shelling hits", "nine wounded")),
        ({"level": "high", "country": "UA"}, ("Shelling hits", "nine wounded")),
        ({"level": "critical", "category": "cyber"}, ()),
    ],
)
def test_filters_accept_what_the_parameters_ask(
    params: dict[str, str], titles: tuple[str, ...]
) -> None:
    assert _matching(MultiDict(params)) == _ids(*titles)


def test_filters_repeated_parameters_add_up() -> None:
    params = MultiDict([("category", "cyber"), ("category", "civil_unrest")])
    assert _matching(params) == _ids("Estonian", "Lima")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"level": "severe"}, "level: 'severe'"),
        ({"category": "militray"}, "category: militray"),
        ({"country": "Ukraine"}, "country: UKRAINE"),
        ({"country": "U1"}, "country: U1"),
        ({"kind": "other"}, "kind: 'other'"),
        ({"entity": "x" * 600}, "entity: longer than"),
    ],
)
def test_filters_reject_bad_values_naming_them(params: dict[str, str], message: str) -> None:
    with pytest.raises(InvalidQueryError, match=message):
        AlertQuery.from_params(MultiDict(params))


def test_filters_params_round_trip() -> None:
    query = AlertQuery.from_params(
        MultiDict({"level": "high", "category": "nuclear,cyber", "country": "ua", "entity": "Kyiv"})
    )
    assert query.params() == {
        "level": "high",
        "category": "cyber,nuclear",
        "country": "UA",
        "entity": "Kyiv",
    }
    assert AlertQuery.from_params(MultiDict(query.params())) == query
    assert AlertQuery().params() == {}
