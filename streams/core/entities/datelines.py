"""Dateline places and agencies ("KYIV, March 5 (Reuters) -") as typed entity mentions."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from streams.core.entities.chunks import Mention
from streams.core.entities.gazetteer import city_rows, gazetteer
from streams.models import Geo

__all__ = ["Dateline", "city_geo", "find_datelines"]

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
# At a paragraph start: an all-caps place of one to four words, an optional region
# ("Pakistan", "Calif."), then a date and/or an agency in parentheses, then a dash.
_DATELINE = re.compile(
    r"(?m)^[ \t\"“*•]*(?P<city>[A-Z][A-Z'’.]*[A-Z](?:[ -][A-Z][A-Z'’.]*[A-Z])*)"
    r"(?:,[ \t]+(?P<region>[A-Z][\w.'’]*(?:[ -][A-Z][\w.'’]*){0,3}))?"
    r"(?:(?P<date>,?[ \t]+" + _MONTH + r"[ \t]+\d{1,2}(?:,[ \t]+\d{4})?)"
    r"|(?=[ \t]*\())"
    r"(?:[ \t]*\((?P<agency>[A-Z][^()\n]{1,40})\))?"
    r"[ \t]*[-–—]"
)


class Dateline:
    """The mentions found in one dateline and where the article body starts after it."""

    __slots__ = ("body_start", "mentions")

    def __init__(self, mentions: list[Mention], body_start: int) -> None:
        self.mentions = mentions
        self.body_start = body_start


@cache
def _cities() -> dict[str, list[dict[str, Any]]]:
    # The most populous namesake is taken for a dateline city unknown to the main gazetteer:
    # the gazetteer's own city table (cities over GEONAMES_MIN_POPULATION), shared with it.
    by_name: dict[str, list[dict[str, Any]]] = {}
    for c in city_rows():
        by_name.setdefault(c["name"].casefold(), []).append(c)
    for rows in by_name.values():
        rows.sort(key=lambda c: -int(c["population"]))
    return by_name


def city_geo(name: str, country: str | None = None) -> Geo | None:
    """Coordinates of the most populous city called name (in country, when given)."""
    rows = _cities().get(name.casefold(), [])
    for c in rows:
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


def find_datelines(text: str) -> list[Dateline]:
    """Dateline place (LOC, case normalised, with geo) and agency (ORG) mentions in text."""
    out: list[Dateline] = []
    if not text:
        return out
    for m in _DATELINE.finditer(text):
        if m.group("date") is None and m.group("agency") is None:
            continue
        mentions = [_place(text, m.start("city"), m.end("city"), m.group("region"))]
        if m.group("agency") is not None:
            s, e = m.span("agency")
            agency = text[s:e].strip()
            e = s + len(agency)
            mentions.append(Mention(s, e, agency, "ORG", agency, None, True))
        out.append(Dateline(mentions, m.end()))
    return out
