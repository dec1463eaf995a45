"""Dateline places and agencies ("KYIV, March 5 (Reuters) -") as typed entity mentions."""

from __future__ import annotations

from dataclasses import dataclass

from streams.core.entities.chunks import Mention
from streams.core.entities.gazetteer import cities_named, gazetteer
from streams.core.temporal.dateline import line_datelines
from streams.models import Geo

__all__ = ["DatelineMentions", "city_geo", "find_datelines"]


@dataclass(frozen=True)
class DatelineMentions:
    """The mentions found in one dateline and where the article body starts after it.

    `region` is the state or country written after the place ("Mass.", "Ontario"): the
    place resolver reads the place in it.
    """

    mentions: list[Mention]
    body_start: int
    region: str | None = None


def city_geo(name: str, country: str | None = None) -> Geo | None:
    """Coordinates of the most populous city called name (in country, when given)."""
    for c in cities_named(name):
        if country is None or c["countrycode"] == country:
            return Geo(lat=c["latitude"], lon=c["longitude"], country=c["countrycode"])
    return None


def _title(word: str) -> str:
    return " ".join("-".join(p.capitalize() for p in w.split("-")) for w in word.split())


def _place(text: str, s: int, e: int, region: str | None) -> Mention:
    surface = text[s:e]
    gaz = gazetteer().by_surface
    name = _title(surface)
    entry = gaz.get(name) or gaz.get(surface)
    country = None
    if region is not None:
        reg = gaz.get(region)
        if reg is not None and reg.geo is not None:
            country = reg.geo.country
    if entry is not None and entry.type == "LOC":
        geo = entry.geo
        if country is not None and geo is not None and geo.country != country:
            geo = city_geo(name, country) or geo
        return Mention(s, e, surface, "LOC", entry.canonical, geo, True)
    return Mention(s, e, surface, "LOC", name, city_geo(name, country), True)


def find_datelines(text: str) -> list[DatelineMentions]:
    """Dateline place (LOC, case normalised, with geo) and agency (ORG) mentions in text.

    A wire dateline opens a paragraph: a place in capitals, then a date or an agency, then a
    dash ("KYIV, March 5 (Reuters) -").
    """
    out: list[DatelineMentions] = []
    for found in line_datelines(text) if text else ():
        if found.place is None or not found.dash or not (found.has_date or found.agency):
            continue
        s, e = found.place
        mentions = [_place(text, s, e, found.region)]
        if found.agency is not None:
            s, e = found.agency
            mentions.append(Mention(s, e, text[s:e], "ORG", text[s:e], None, True))
        out.append(DatelineMentions(mentions, found.end, found.region))
    return out
