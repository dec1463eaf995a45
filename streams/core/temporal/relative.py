"""Rules for relative and vague time: "yesterday", "last week", "three days", "every year"."""

from __future__ import annotations

import re
from functools import cache

from streams.core.temporal.dates import DIGITS, PARTS_OF_DAY, Found, TimexRule
from streams.core.temporal.lexicon import (
    FULL_WEEKDAY_RE,
    NUMBER_RE,
    WEEKDAY_NAMES,
    WEEKDAYS,
    YEAR_RE,
    number_value,
)
from streams.core.temporal.resolve import (
    Anchor,
    duration_value,
    future_point,
    quarter_value,
    shift_days,
    shift_months,
    tense,
    week_value,
    year_value,
)

__all__ = ["relative_rules"]

_UNIT_WORDS = ("second", "minute", "hour", "day", "night", "week", "fortnight", "month", "year",
               "decade", "centur")  # fmt: skip
_SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
_POD_WORDS = tuple(PARTS_OF_DAY)
_SEASON_WORDS = tuple(_SEASONS)
_RELDAY_WORDS = ("today", "tonight", "yesterday", "tomorrow", "day", *_POD_WORDS)
_RELUNIT_WORDS = ("week", "month", "year", "quarter", "decade", "century", *_SEASON_WORDS)
_PLURAL_WORDS = ("years", "months", "weeks", "days", "decades", "hours", "minutes", "centuries")
_REF_WORDS = ("now", "currently", "moment", "present", "nowadays", "these", "current", "ongoing",
              "recent", "earlier", "past", "lately", "soon", "shortly", "future", "term",
              "coming", "later")  # fmt: skip
_SET_WORDS = ("every", "each", "per", "once", "twice", "times", "daily", "weekly", "monthly",
              "yearly", "annual", "hourly", "nightly", "quarterly", "biannual", "biennial",
              "fortnightly")  # fmt: skip


_SHIFT = {
    "this": 0, "current": 0, "last": -1, "previous": -1, "next": 1, "coming": 1,
    "following": 1, "the": 0, "early": 0, "late": 0, "": 0,
}  # fmt: skip
_VAGUE = r"a few|few|several|many|some|numerous|a number of|a couple of|the last few|the past few"
_UNITS = r"second|minute|hour|day|night|week|fortnight|month|year|decade|centur(?:y|ie)"
_ORDINAL = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4,
            "4th": 4, "final": 4, "last": 4}  # fmt: skip
# Before a "a day"/"a year": shows a rate ("15 a year", "twice a day"), so the phrase is a SET.
_RATE_BEFORE = re.compile(
    r"(?:\d[\d,.]*(?:\s+(?:thousand|million|billion))?(?:\s+[a-z]+)?|times|once|twice)\s+$"
)
_IN_BEFORE = re.compile(r"\b(?:in|within)\s+(?:just\s+|only\s+)?$", re.IGNORECASE)
_AGE_BEFORE = re.compile(r"\b(?:his|her|their|my|your|our|its)\s+(?:early\s+|mid-?\s*|late\s+)?$")


def _unit_key(raw: str) -> str:
    unit = raw.lower()
    return "century" if unit.startswith("centur") else unit


def _relday(m: re.Match[str], text: str, anchor: Anchor) -> Found | None:
    g = m.groupdict()
    if g["rd"]:
        if text[max(0, m.start() - 4) : m.start()] == "USA ":
            return None
        word = g["rd"].lower()
        shift = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1,
                 "the day before yesterday": -2, "the day after tomorrow": 2}[word]  # fmt: skip
        part = "TNI" if word == "tonight" else PARTS_OF_DAY.get((g["rpart"] or "").lower(), "")
    elif g["tpart"]:
        shift = -1 if g["this"].lower() == "last" else 0
        part = PARTS_OF_DAY[g["tpart"].lower()]
    else:
        shift = -1 if g["bpart"] else 1
        word = (g["bpart"] or g["apart"] or g["ppart"] or "").lower()
        if g["ppart"]:
            shift = -1
        part = PARTS_OF_DAY.get(word, "")
    value = shift_days(anchor, shift) + part
    return m.start(), m.end(), "TIME" if part else "DATE", value


def _relunit(m: re.Match[str], text: str, anchor: Anchor) -> Found | None:
    """A calendar unit named from the anchor: "this week", "last year", "the spring before"."""
    g = m.groupdict()
    rel = (g["urel"] or g["urel2"] or g["the"] or "").lower()
    rel = rel[4:].lstrip() if rel.startswith("the ") else rel
    unit = g["unit"].lower()
    if rel == "the" and not (g["umod"] or g["uprev"]):
        return None  # "the year": which one is not said
    if rel == "past":
        return _past_unit(m, unit)
    shift = -1 if g["uprev"] else _SHIFT.get(rel, 0)
    return m.start(), m.end(), "DATE", _unit_date(anchor, unit, shift)


def _past_unit(m: re.Match[str], unit: str) -> Found | None:
    """A duration for "the past year" (the year up to now); none for "the past summer"."""
    if unit in _SEASONS or unit == "weekend":
        return None
    return m.start(), m.end(), "DURATION", duration_value(1, _unit_key(unit))


def _unit_date(anchor: Anchor, unit: str, shift: int) -> str:
    """The value of the unit `shift` units from the anchor's own (a season: in its year)."""
    if unit == "week":
        return week_value(anchor, shift)
    if unit == "weekend":
        return week_value(anchor, shift, weekend=True)
    if unit == "month":
        return shift_months(anchor, shift)
    if unit == "year":
        return year_value(anchor, shift)
    if unit == "quarter":
        return quarter_value(anchor, None, None, shift)
    if unit == "decade":
        return "XXX" if anchor is None else f"{anchor.year // 10 + shift:03d}"
    if unit == "century":
        return "XX" if anchor is None else f"{anchor.year // 100 + shift:02d}"
    return f"{year_value(anchor, shift)}-{_SEASONS[unit]}"


def _duration(m: re.Match[str], text: str, anchor: Anchor) -> Found | None:
    g = m.groupdict()
    num = g["num"].lower()
    unit = _unit_key(g["du"])
    vague = bool(re.fullmatch(_VAGUE, num))
    amount = None if vague else number_value(num)
    if amount is not None and g["half"]:
        amount += 0.5
    if unit == "second" and num in ("a", "an", "one") or (amount is not None and amount <= 0):
        return None
    start, end = m.start(), m.end()
    tail = (g["ago"] or "").strip().lower()
    if tail == "ago" and amount is not None:
        if anchor is None:
            return start, end, "DATE", "PAST_REF"
        return start, end, "DATE", future_point(anchor, -amount, unit)
    if tail in ("ago", "earlier", "before", "previously") and amount is None:
        return start, end, "DATE", "PAST_REF"
    if tail in ("from now", "hence") and amount is not None:
        return start, end, "DATE", future_point(anchor, amount, unit)
    if tail:
        end = m.start("ago")
    rate = _RATE_BEFORE.search(text, max(0, start - 30), start)
    if num in ("a", "an") and not g["dpre"] and rate:
        return start, end, "SET", duration_value(1, unit)
    if (
        amount is not None
        and not g["dpre"]
        and not g["hyph"]
        and _IN_BEFORE.search(text, max(0, start - 16), start)
        and tense(text, start, end) > 0
    ):
        return start, end, "DATE", future_point(anchor, amount, unit)
    return start, end, "DURATION", duration_value(amount, unit)


def _bare(m: re.Match[str], text: str, anchor: Anchor) -> Found | None:
    unit = _unit_key(m.group("bu")[:-1] if m.group("bu").endswith("s") else m.group("bu"))
    if unit == "centurie":
        unit = "century"
    start = m.start("bpre") if (m.group("bpre") or "").lower() == "recent" else m.start("bu")
    value = "PXDE" if unit == "decade" else duration_value(None, unit)
    return start, m.end("bu"), "DURATION", value


def _ref(m: re.Match[str], text: str, anchor: Anchor) -> Found | None:
    g = m.groupdict()
    if g["later"] and tense(text, m.start(), m.end()) < 0:
        return None
    if g["present"]:
        value = "PRESENT_REF"
    elif g["past"]:
        value = "PAST_REF"
    else:
        value = "FUTURE_REF"
    return m.start(), m.end(), "DATE", value


def _set(m: re.Match[str], text: str, anchor: Anchor) -> Found | None:
    g = m.groupdict()
    if g["adj"]:
        adj = g["adj"].lower()
        value = {"daily": "P1D", "nightly": "P1D", "weekly": "P1W", "fortnightly": "P2W",
                 "monthly": "P1M", "quarterly": "P3M", "biannual": "P6M", "biennial": "P2Y",
                 "hourly": "PT1H"}.get(adj, "P1Y")  # fmt: skip
        return m.start(), m.end(), "SET", value
    unit = (g["su"] or g["fu"]).lower()
    if unit in WEEKDAY_NAMES:
        return m.start(), m.end(), "SET", f"XXXX-WXX-{WEEKDAYS[unit] + 1}"
    if unit in PARTS_OF_DAY:
        return m.start(), m.end(), "SET", f"XXXX-XX-XX{PARTS_OF_DAY[unit]}"
    if unit == "weekend":
        return m.start(), m.end(), "SET", "XXXX-WXX-WE"
    amount = (number_value(g["snum"]) if g["snum"] else None) or 1.0
    if g["other"]:
        amount = 2.0
    key = _unit_key(unit)
    value = f"P{3 * int(amount)}M" if key == "quarter" else duration_value(amount, key)
    return m.start(), m.end(), "SET", value


def _quarter(m: re.Match[str], text: str, anchor: Anchor) -> Found | None:
    g = m.groupdict()
    if g["qn"]:
        q = int(g["qn"])
        year: int | None = int(g["qy2"]) if g["qy2"] else 2000 + int(g["qy3"]) if g["qy3"] else None
    else:
        q = _ORDINAL[g["qo"].lower()]
        year = int(g["qy"]) if g["qy"] else None
        if g["qrel"] and anchor is not None:
            year = anchor.year + {"last": -1, "next": 1}.get(g["qrel"].lower(), 0)
        if g["qh"].lower() == "half":
            if q > 2:
                return None
            ys = f"{year:04d}" if year else (year_value(anchor, 0))
            return m.start(), m.end(), "DATE", f"{ys}-H{q}"
    if year is None and anchor is None:
        return m.start(), m.end(), "DATE", f"XXXX-Q{q}"
    direction = tense(text, m.start(), m.end())
    return m.start(), m.end(), "DATE", quarter_value(anchor, q, year, direction)


def _season(m: re.Match[str], text: str, anchor: Anchor) -> Found | None:
    year = m.group("sy") or year_value(anchor, 0)
    return m.start(), m.end(), "DATE", f"{year}-{_SEASONS[m.group('season').lower()]}"


def _decade(m: re.Match[str], text: str, anchor: Anchor) -> Found | None:
    g = m.groupdict()
    if _AGE_BEFORE.search(text, max(0, m.start() - 20), m.start()):
        return None
    if g["dc"]:
        return m.start(), m.end(), "DATE", g["dc"] + g["dd"]
    digit = g["dd2"] or g["dd3"]
    century = "19"
    if anchor is not None and int(f"20{digit}0") <= anchor.year:
        century = "20" if int(digit) <= (anchor.year % 100) // 10 else "19"
    return m.start(), m.end(), "DATE", century + digit


@cache
def relative_rules() -> list[TimexRule]:
    """Compiled (pattern, handler) pairs for relative, vague and periodic expressions."""
    i = re.IGNORECASE
    pod = r"morning|afternoon|evening|night"
    return [
        TimexRule(
            re.compile(
                r"\b(?:(?:earlier|later|early|late)\s+)?(?P<rd>today|tonight|yesterday|tomorrow|"
                r"the day before yesterday|the day after tomorrow)"
                rf"(?:\s+(?P<rpart>{pod}))?(?!['’]s)\b"
                rf"|\b(?P<this>this|last)\s+(?P<tpart>{pod})\b"
                rf"|\bthe\s+(?:(?P<bpart>day|{pod})\s+before|(?P<apart>day|{pod})\s+after)\b"
                rf"|\bthe\s+previous\s+(?P<ppart>day|{pod})\b",
                i,
            ),
            _relday,
            _RELDAY_WORDS,
            45,
            40,
        ),
        TimexRule(
            re.compile(
                r"\b(?:(?P<umod>earlier|later|early|late|(?:the\s+)?(?:start|beginning|middle|end|"
                r"rest|remainder)\s+of)\s+)?"
                r"(?:(?P<urel>this|last|next|past|previous|coming|following|current)"
                r"|(?P<urel2>the\s+(?:last|past|previous|coming|following|next|current))"
                r"|(?P<the>the))\s+(?P<unit>week|weekend|month|year|quarter|decade|century|"
                r"spring|summer|autumn|fall|winter)\b(?P<uprev>\s+(?:previous|before))?",
                i,
            ),
            _relunit,
            _RELUNIT_WORDS,
            50,
            40,
        ),
        TimexRule(
            re.compile(
                r"\b(?P<dpre>(?:(?:over|in|during|for|within)\s+)?the\s+(?:past|last|next|coming|"
                r"previous|following|first|final)\s+)?"
                r"(?:(?:about|around|nearly|almost|more than|over|at least|up to|roughly|"
                r"approximately|less than|fewer than|just|only)\s+)?"
                rf"(?P<num>{_VAGUE}|{NUMBER_RE})(?P<half>\s+and\s+a\s+half)?"
                rf"(?:\s+|(?P<hyph>-))(?P<du>{_UNITS})s?\b"
                r"(?P<ago>\s+(?:ago|earlier|later|before|after|from now|hence|previously)\b)?",
                i,
            ),
            _duration,
            _UNIT_WORDS,
            75,
            35,
        ),
        TimexRule(
            re.compile(
                r"\b(?:(?P<bpre>for|over the|over|recent|within|after|the past|the last)\s+)"
                r"(?P<bu>years|months|weeks|days|decades|hours|minutes|centuries)\b"
                r"|\b(?P<bpre2>)(?P<bu2>years|decades|months)(?=-long)",
                i,
            ),
            _bare_or_long,
            _PLURAL_WORDS,
            15,
            20,
        ),
        TimexRule(
            re.compile(
                r"\b(?:(?P<present>right now|now|currently|at the moment|at present|presently|"
                r"nowadays|these days|current|ongoing)"
                r"|(?P<past>recently|recent|earlier|the past|lately)"
                r"|(?P<future>soon|shortly|in the (?:very |not too |not so |distant |foreseeable |"
                r"immediate )?(?:near )?future"
                r"|the (?:near |very near |distant |foreseeable )?future"
                r"|the (?:long|short|medium|near) term"
                r"|(?:in )?the coming (?:days|weeks|months|years))"
                r"|(?P<later>later))\b(?![-'’])",
                i,
            ),
            _ref,
            _REF_WORDS,
            30,
            40,
        ),
        TimexRule(
            re.compile(
                r"\b(?:(?:every|each|per)\s+(?P<other>other\s+)?(?:(?P<snum>\d+|two|three|four|five|"
                r"six|ten|twelve)\s+)?(?P<su>second|minute|hour|day|night|week|month|quarter|year|"
                r"decade|morning|evening|afternoon|weekend|" + FULL_WEEKDAY_RE + r")s?"
                r"|(?:once|twice|three times|\d+ times)\s+(?:a|an|per|each)\s+"
                r"(?P<fu>day|week|month|year|hour|minute|quarter)"
                r"|(?P<adj>daily|weekly|monthly|yearly|annually|annual|hourly|nightly|quarterly|"
                r"biannual|biennial|fortnightly))\b"
            ),
            _set,
            _SET_WORDS,
            8,
            35,
        ),
        TimexRule(
            re.compile(
                r"\b(?:the\s+)?(?P<qo>first|second|third|fourth|final|last|1st|2nd|3rd|4th)[\s-]+"
                r"(?P<qh>quarter|half)\b(?:\s+(?:of\s+)?(?:(?P<qy>" + YEAR_RE + r")|(?P<qrel>this|"
                r"last|next|the)\s+(?:fiscal\s+|financial\s+)?year))?"
                r"|\bQ(?P<qn>[1-4])\b(?:\s*(?:of\s+)?(?P<qy2>" + YEAR_RE + r")|\s*'(?P<qy3>\d\d))?",
                i,
            ),
            _quarter,
            ("quarter", "half", *DIGITS),
            30,
            35,
        ),
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
                r"\b(?:(?:early|late|mid)[\s-]+)?(?P<season>[Ss]pring|[Ss]ummer|[Aa]utumn|[Ww]inter)\b"
                r"(?:\s+(?:of\s+)?(?P<sy>" + YEAR_RE + r"))?"
            ),
            _season,
            _SEASON_WORDS,
            12,
            20,
        ),
    ]


def _bare_or_long(m: re.Match[str], text: str, anchor: Anchor) -> Found | None:
    if m.group("bu2"):
        unit = m.group("bu2")[:-1].lower()
        value = "PXDE" if unit == "decade" else duration_value(None, unit)
        return m.start("bu2"), m.end("bu2") + len("-long"), "DURATION", value
    return _bare(m, text, anchor)
