"""Rules for periods written in words or as runs: centuries, decades and years spelled out,
year ranges ("2009-10"), the year's end and race times ("finished in 3:07:35")."""

from __future__ import annotations

import re
from functools import cache

from streams.core.temporal.dates import DIGITS, Found, TimexRule
from streams.core.temporal.lexicon import SPELLED_YEAR_RE, YEAR_RE, number_value, spelled_year
from streams.core.temporal.resolve import Anchor

__all__ = ["period_rules", "decade_century"]

_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
             "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth",
             "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth")  # fmt: skip
_ORDINAL_NUMBER = {word: n for n, word in enumerate(_ORDINALS, start=1)}
_DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6,
                 "seventies": 7, "eighties": 8, "nineties": 9}  # fmt: skip
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_UNITS = "one|two|three|four|five|six|seven|eight|nine"
_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
# A possessive before a decade makes it an age ("in her late sixties"), not a period.
_AGE_BEFORE = re.compile(r"\b(?:his|her|their|my|your|our|its)\s+(?:early\s+|mid-?\s*|late\s+)?$")
# Words right before an h:mm:ss figure that make it a length of time (a race, a flight, a
# recording), not a clock reading: "finished in 3:07:35", "a time of 2:08:30".
_DURATION_BEFORE = re.compile(
    r"\b(?:in|of|time|timed|clocked|finished|record|took|lasted|ran|winning|best)\s+"
    r"(?:(?:just|only|about|around|under|over)\s+)?$",
    re.IGNORECASE,
)


def decade_century(digit: int, anchor: Anchor) -> str:
    """The century of a decade named without one ("the '90s", "the nineties"): the 1900s,
    unless that decade of the 2000s has already begun by the anchor ("the twenties" in 2025)."""
    if anchor is not None and 2000 + 10 * digit <= anchor.year:
        return "20" if digit <= (anchor.year % 100) // 10 else "19"
    return "19"


def _century(m: re.Match[str], text: str, anchor: Anchor) -> Found | None:
    """ "the 20th century" -> 19 (TIMEX3 writes a century as its first two digits)."""
    raw = (m.group("cn") or m.group("cw")).lower()
    n = int(raw) if raw.isdigit() else _ORDINAL_NUMBER.get(raw.replace("twenty-", ""), 0)
    if raw.startswith("twenty-"):
        n += 20
    if not 1 <= n <= 21:
        return None
    return m.start(), m.end(), "DATE", f"{n - 1:02d}"


def _decade(m: re.Match[str], text: str, anchor: Anchor) -> Found | None:
    """ "the 1990s" -> 199, "the '90s" -> 199 (TIMEX3 writes a decade as its first three digits)."""
    g = m.groupdict()
    if _AGE_BEFORE.search(text, max(0, m.start() - 20), m.start()):
        return None
    if g["dc"]:
        return m.start(), m.end(), "DATE", g["dc"] + g["dd"]
    digit = int(g["dd2"] or g["dd3"])
    return m.start(), m.end(), "DATE", f"{decade_century(digit, anchor)}{digit}"


def _decade_word(m: re.Match[str], text: str, anchor: Anchor) -> Found | None:
    """ "the nineties", "the nineteen-sixties" -> 199, 196."""
    if _AGE_BEFORE.search(text, max(0, m.start() - 20), m.start()):
        return None
    digit = _DECADE_WORDS[m.group("dw").lower()]
    cent = m.group("dcent")
    century = {"nineteen": "19", "eighteen": "18"}[cent.lower()] if cent else None
    return m.start(), m.end(), "DATE", f"{century or decade_century(digit, anchor)}{digit}"


def _spelled_year(m: re.Match[str], text: str, anchor: Anchor) -> Found | None:
    """ "nineteen ninety-six" -> 1996, "the year two thousand" -> 2000."""
    if m.group("thousand"):
        rest = number_value(m.group("trest")) if m.group("trest") else 0
        return m.start(), m.end(), "DATE", f"{2000 + int(rest or 0):04d}"
    year = spelled_year(m.group("spelled"))
    return (m.start(), m.end(), "DATE", f"{year:04d}") if year else None


def _year_tail(m: re.Match[str], text: str, anchor: Anchor) -> Found | None:
    """The second year of a range written short: "2009-10" -> 2010 (the first is a year)."""
    century = int(text[m.start() - 5 : m.start() - 3])
    first, last = int(text[m.start() - 3 : m.start() - 1]), int(m.group("yy"))
    if last > first:
        year = century * 100 + last
    elif first >= 90 and last < 10:  # "1999-00", "1998-2"
        year = (century + 1) * 100 + last
    else:
        return None  # "2010-05" runs backwards: not a range of years
    return m.start(), m.end(), "DATE", f"{year:04d}"


def _year_end(m: re.Match[str], text: str, anchor: Anchor) -> Found | None:
    """ "by year-end" -> the year (TIMEX3 mod END); "since year-end" -> the one before."""
    if m.group("yey"):
        return m.start(), m.end(), "DATE", m.group("yey")
    if anchor is None:
        return m.start(), m.end(), "DATE", "XXXX"
    since = re.search(r"\bsince\s+$", text[max(0, m.start() - 8) : m.start()], re.IGNORECASE)
    return m.start(), m.end(), "DATE", f"{anchor.year - (1 if since else 0):04d}"


def _race_time(m: re.Match[str], text: str, anchor: Anchor) -> Found | None:
    """ "finished in 3:07:35" -> PT3H7M35S; without such a cue the figure is a clock time."""
    if not _DURATION_BEFORE.search(text, max(0, m.start() - 24), m.start()):
        return None
    h, mi, s = int(m.group("rh")), int(m.group("rm")), m.group("rs")
    value = "PT" + (f"{h}H" if h else "") + (f"{mi}M" if mi else "")
    seconds = float(s + (m.group("rf") or ""))
    if seconds:
        value += f"{seconds:g}S"
    return m.start(), m.end(), "DURATION", value


@cache
def period_rules() -> list[TimexRule]:
    """Compiled (pattern, handler) pairs for centuries, decades, spelled years and ranges."""
    i = re.IGNORECASE
    ordinal = "|".join(_ORDINALS)
    return [
        TimexRule(
            re.compile(
                r"(?<![\w$£€])(?:the\s+)?(?:(?:early|mid|late)[\s-]+)?(?:(?P<dc>1[6-9]|20)(?P<dd>\d)0"
                r"|['’](?P<dd2>\d)0|(?P<dd3>[2-9])0)s\b"
            ),
            _decade,
            DIGITS,
            20,
            8,
        ),
        TimexRule(
            re.compile(
                r"\b(?:the\s+)?(?:(?:early|mid|late)[\s-]+)?"
                rf"(?:(?P<cn>\d{{1,2}})(?:st|nd|rd|th)|(?P<cw>(?:twenty-)?(?:{ordinal})))"
                r"[\s-]+century\b",
                i,
            ),
            _century,
            ("century",),
            40,
            12,
        ),
        TimexRule(
            re.compile(
                r"\bthe\s+(?:(?:early|mid|late)[\s-]+)?(?:(?P<dcent>nineteen|eighteen)[\s-]+)?"
                rf"(?P<dw>{'|'.join(_DECADE_WORDS)})\b",
                i,
            ),
            _decade_word,
            tuple(_DECADE_WORDS),
            30,
            12,
        ),
        TimexRule(
            re.compile(
                rf"\b(?:(?P<spelled>{SPELLED_YEAR_RE})"
                rf"|(?:the\s+year\s+|(?<=\bin\s))(?P<thousand>two\s+thousand)"
                rf"(?:(?:\s+and)?\s+(?P<trest>{_TEENS}|{_UNITS}|(?:{_TENS})(?:[\s-](?:{_UNITS}))?))?"
                r")\b",
                i,
            ),
            _spelled_year,
            ("nineteen", "eighteen", "thousand"),
            20,
            40,
        ),
        TimexRule(
            re.compile(r"(?<=(?:1[6-9]|20)\d\d[-–])(?P<yy>\d\d)(?![\w-])"),
            _year_tail,
            DIGITS,
            0,
            4,
        ),
        TimexRule(
            re.compile(
                r"\b(?:year[-\s]end|year['’]s\s+end)(?:\s+(?P<yey>" + YEAR_RE + r"))?\b",
                i,
            ),
            _year_end,
            ("year",),
            2,
            20,
        ),
        TimexRule(
            re.compile(
                r"(?<![\d:.])(?P<rh>\d{1,2}):(?P<rm>[0-5]\d):(?P<rs>[0-5]\d)(?P<rf>\.\d{1,3})?"
                r"(?![\d:])(?!\s*(?:[aApP]\.?[mM]\b|[AP]M\b))"
            ),
            _race_time,
            DIGITS,
            0,
            12,
        ),
    ]
