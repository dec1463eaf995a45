"""Rules for relative and vague time: "yesterday", "last week", "three days", "every year"."""

from __future__ import annotations

import re
from functools import cache

from streams.core.temporal.dates import PARTS_OF_DAY, WORD_NEXT, Found, TimexRule
from streams.core.temporal.lexicon import (
    FULL_MONTH_RE,
    FULL_WEEKDAY_RE,
    MONTHS,
    NUMBER_RE,
    SPELLED_YEAR_RE,
    WEEKDAY_NAMES,
    WEEKDAYS,
    YEAR_RE,
    number_value,
    spelled_year,
)
from streams.core.temporal.quarters import context_quarter, reported_quarter
from streams.core.temporal.resolve import (
    ANAPHOR,
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

__all__ = ["relative_rules", "unit_date"]

_UNIT_WORDS = ("second", "minute", "hour", "day", "night", "week", "fortnight", "month", "year",
               "decade", "centur")  # fmt: skip
_SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
_POD_WORDS = tuple(PARTS_OF_DAY)
_SEASON_WORDS = tuple(_SEASONS)
_RELDAY_WORDS = ("today", "tonight", "yesterday", "tomorrow", "day", *_POD_WORDS)
_RELUNIT_WORDS = ("week", "month", "year", "quarter", "decade", "century", "day", *_SEASON_WORDS)
_PLURAL_WORDS = ("years", "months", "weeks", "days", "decades", "hours", "minutes", "centuries")
_REF_WORDS = ("now", "currently", "moment", "present", "nowadays", "these", "current", "ongoing",
              "recent", "earlier", "past", "lately", "soon", "shortly", "future", "term",
              "coming", "later")  # fmt: skip
_SET_WORDS = ("every", "each", "per", "once", "twice", "times", "daily", "weekly", "monthly",
              "yearly", "annual", "hourly", "nightly", "quarterly", "biannual", "biennial",
              "fortnightly")  # fmt: skip


_SHIFT = {
    "this": 0, "current": 0, "last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1,
    "following": 1, "the": 0, "early": 0, "late": 0, "that": 0, "same": 0, "": 0,
}  # fmt: skip
_VAGUE = r"a few|few|several|many|some|numerous|a number of|a couple of|the last few|the past few"
# A duration counted back or ahead from the publication ("two years ago", "a week earlier")
# is a point at the unit's granularity. "later"/"after" mostly count from an event of the
# story ("ten days later, he left"), so the expression stays a duration.
_BACK_TAILS = frozenset({"ago", "earlier", "before", "previously"})
_AHEAD_TAILS = frozenset({"from now", "hence"})
_UNITS = r"second|minute|hour|day|night|week|fortnight|month|year|decade|centur(?:y|ie)"
# Before a "a day"/"a year": shows a rate ("15 a year", "twice a day"), so the phrase is a SET.
_RATE_BEFORE = re.compile(
    r"(?:\d[\d,.]*(?:\s+(?:thousand|million|billion))?(?:\s+[a-z]+)?|times|once|twice)\s+$"
)
# After "before"/"after"/"later" a clause or noun phrase names the event counted from.
_SUBORDINATE_AFTER = re.compile(
    r"\s+(?:(?:the|a|an|his|her|their|its|he|she|it|they|we|i)\b|[A-Z]|[a-z]+ing\b)"
)
_IN_BEFORE = re.compile(r"\b(?:in|within)\s+(?:just\s+|only\s+)?$", re.IGNORECASE)


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
    else:  # "the day before", "the night after", "the previous day": from the story's day
        shift = -1 if g["bpart"] or g["ppart"] else 1
        word = (g["bpart"] or g["apart"] or g["ppart"] or "").lower()
        part = PARTS_OF_DAY.get(word, "")
        return m.start(), m.end(), "TIME" if part else "DATE", f"{ANAPHOR}{shift:+d}:day:{part}"
    if g["rd"] and g["rd"].lower() == "today" and not part and text[m.end() : m.end() + 1] in "'’":
        return m.start(), m.end(), "DATE", "PRESENT_REF"  # "today's GM": the present, generic
    value = shift_days(anchor, shift) + part
    return m.start(), m.end(), "TIME" if part else "DATE", value


# A year defined by its last day ("the year ended June 30") is a span of a year, as TimeML
# annotates results periods.
_ENDED_AFTER = re.compile(r"\s+(?:ended|ending|that\s+ended|to)\b", re.IGNORECASE)


_YEAR_OF_BEFORE = re.compile(r"\b(?:for|of|during|throughout)\s+$", re.IGNORECASE)


def _relunit(m: re.Match[str], text: str, anchor: Anchor) -> Found | None:
    """A calendar unit named from the anchor: "this week", "last year", "the spring before"."""
    g = m.groupdict()
    rel = (g["urel"] or g["urel2"] or g["the"] or "").lower()
    rel = rel[4:].lstrip() if rel.startswith("the ") else rel
    unit = g["unit"].lower()
    if rel == "the" and unit == "weekend" and not (g["umod"] or g["uprev"]):
        return m.start(), m.end(), "DATE", _the_weekend(text, m, anchor)
    if rel == "the" and unit == "year" and _ENDED_AFTER.match(text, m.end()):
        return m.start(), m.end(), "DURATION", "P1Y"  # "the year ended June 30": a fiscal year
    bare_year = _YEAR_OF_BEFORE.search(text, max(0, m.start() - 12), m.start())
    if rel == "the" and unit == "year" and (g["whole"] or bare_year):
        reported = reported_quarter(anchor)  # "the full year": of the results reported now
        return m.start(), m.end(), "DATE", f"{reported[0]:04d}" if reported else "XXXX"
    if rel == "the" and not (g["umod"] or g["uprev"]):
        return None  # "the year": which one is not said
    shift = -1 if g["uprev"] else _SHIFT.get(rel, 0)
    if g["uprev"] or rel in ("that", "same") or (g["urel2"] and rel in ("following", "previous")):
        # "the following year", "that day": counted from the time the story last named
        return m.start(), m.end(), "DATE", f"{ANAPHOR}{shift:+d}:{unit}"
    return m.start(), m.end(), "DATE", unit_date(anchor, unit, shift)


def _the_weekend(text: str, m: re.Match[str], anchor: Anchor) -> str:
    """ "over the weekend": the weekend just past, or the coming one in a future clause."""
    ahead = tense(text, m.start(), m.end()) > 0
    in_weekend = anchor is not None and anchor.weekday() >= 5
    shift = (1 if in_weekend else 0) if ahead else (0 if in_weekend else -1)
    return week_value(anchor, shift, weekend=True)


def unit_date(anchor: Anchor, unit: str, shift: int) -> str:
    """The value of the unit `shift` units from the anchor's own (a season: in its year)."""
    if unit == "day":
        return shift_days(anchor, shift)
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
    if amount is not None and (g["half"] or g["half2"]):
        amount += 0.5
    if unit == "second" and num in ("a", "an", "one") or (amount is not None and amount <= 0):
        return None
    start, end = m.start(), m.end()
    tail = " ".join((g["ago"] or "").lower().split())
    if tail in ("before", "earlier") and _SUBORDINATE_AFTER.match(text, m.end()):
        tail, end = "", m.start("ago")  # "three days before the vote": from an event
    point = _counted_point(text, start, anchor, amount, unit, tail)
    if point is not None:
        return start, end, "DATE", point
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


def _counted_point(
    text: str, start: int, anchor: Anchor, amount: float | None, unit: str, tail: str
) -> str | None:
    """The point a duration counted from now names ("two years ago", "a year earlier")."""
    if tail in _BACK_TAILS:
        if amount is None or anchor is None:
            return "PAST_REF"
        quarter = context_quarter(text, start, anchor) if (amount, unit) == (1, "year") else None
        if quarter is not None:  # "up from $3 million a year ago" in a quarter's results
            return f"{quarter[0] - 1:04d}-Q{quarter[1]}"
        return future_point(anchor, -amount, unit)
    if tail in _AHEAD_TAILS and amount is not None:
        return future_point(anchor, amount, unit)
    return None


def _bare(m: re.Match[str], text: str, anchor: Anchor) -> Found | None:
    unit = _unit_key(m.group("bu")[:-1] if m.group("bu").endswith("s") else m.group("bu"))
    if unit == "centurie":
        unit = "century"
    start = m.start("bpre") if (m.group("bpre") or "").lower() == "recent" else m.start("bu")
    value = "PXDE" if unit == "decade" else duration_value(None, unit)
    return start, m.end("bu"), "DURATION", value


# "as soon as", "soon after the vote", "the earlier offer": a conjunction, a preposition's
# degree or an adjective, not a time of their own (TimeML marks the event they relate to).
_NOT_REF_BEFORE = re.compile(r"\b(?:as|the|an|its|his|her|their|our|my|your)\s+$", re.I)
_AS_SOON_AS_POSSIBLE = re.compile(r"\s+as\s+(?:possible|practicable|feasible)\b", re.I)
_NOT_REF_AFTER = re.compile(r"\s+(?:after|before|thereafter|afterwards?)\b", re.I)


def _ref(m: re.Match[str], text: str, anchor: Anchor) -> Found | None:
    g = m.groupdict()
    if g["later"] and tense(text, m.start(), m.end()) < 0:
        return None
    word = m.group().lower()
    if (
        word in ("soon", "shortly", "earlier", "later")
        and not _AS_SOON_AS_POSSIBLE.match(text, m.end())
        and (
            _NOT_REF_BEFORE.search(text, max(0, m.start() - 8), m.start())
            or _NOT_REF_AFTER.match(text, m.end())
        )
    ):
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
    if unit in MONTHS:
        return m.start(), m.end(), "SET", f"XXXX-{MONTHS[unit]:02d}"
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


def _season(m: re.Match[str], text: str, anchor: Anchor) -> Found | None:
    spelled = spelled_year(m.group("syw")) if m.group("syw") else None
    year = m.group("sy") or (f"{spelled:04d}" if spelled else year_value(anchor, 0))
    return m.start(), m.end(), "DATE", f"{year}-{_SEASONS[m.group('season').lower()]}"


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
                rf"(?:\s+(?P<rpart>{pod}))?\b"
                rf"|\b(?:(?:earlier|later|early|late)\s+)?(?P<this>this|last)\s+(?P<tpart>{pod})\b"
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
                rf"\b{WORD_NEXT}"
                r"(?:(?P<umod>earlier|later|early|late|(?:the\s+)?(?:start|beginning|middle|end|"
                r"rest|remainder)\s+of)\s+)?"
                r"(?:(?P<urel>this|last|next|past|previous|coming|following|current|that)"
                r"|(?P<urel2>the\s+(?:last|past|previous|coming|following|next|current|same))"
                r"|(?P<the>the))\s+(?:(?P<whole>full|entire|whole)\s+)?(?:fiscal\s+|financial\s+)?"
                r"(?P<unit>(?<=that\s)day|(?<=following\s)day|(?<=previous\s)day|(?<=same\s)day|"
                r"week|weekend|month|year|quarter|decade|century|"
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
                rf"\b{WORD_NEXT}"
                r"(?P<dpre>(?:(?:over|in|during|for|within)\s+)?the\s+(?:past|last|next|coming|"
                r"previous|following|first|final)\s+)?"
                r"(?:(?:about|around|nearly|almost|more than|over|at least|up to|roughly|"
                r"approximately|less than|fewer than|just|only)\s+)?"
                rf"(?P<num>{_VAGUE}|{NUMBER_RE})(?P<half>\s+and\s+a\s+half)?"
                r"(?:\s+(?:more|additional|further|straight|consecutive|trading|business|working))?"
                rf"(?:\s+|(?P<hyph>-))(?P<du>{_UNITS})s?\b(?![-‑]old|\s+old\b)"
                r"(?P<half2>\s+and\s+a\s+half)?"
                r"(?:\s+or\s+(?:so|more))?"
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
                r"|(?P<past>recently|recent|the past|lately)"
                r"|(?P<future>soon|shortly|in the (?:very |not too |not so |distant |foreseeable |"
                r"immediate )?(?:near )?future"
                r"|the (?:near |very near |distant |foreseeable )?future"
                r"|the (?:long|short|medium|near) term"
                r"|(?:in )?(?:the )?coming (?:days|weeks|months|years))"
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
                r"decade|morning|evening|afternoon|weekend|"
                + FULL_WEEKDAY_RE
                + "|"
                + FULL_MONTH_RE
                + r")s?"
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
                r"\b(?:(?:early|late|mid)[\s-]+)?(?P<season>[Ss]pring|[Ss]ummer|[Aa]utumn|[Ww]inter)\b"
                r"(?:\s+(?:of\s+)?(?:(?P<sy>" + YEAR_RE + r")|(?P<syw>" + SPELLED_YEAR_RE + r")))?"
            ),
            _season,
            _SEASON_WORDS,
            12,
            45,
        ),
    ]


def _bare_or_long(m: re.Match[str], text: str, anchor: Anchor) -> Found | None:
    if m.group("bu2"):
        unit = m.group("bu2")[:-1].lower()
        value = "PXDE" if unit == "decade" else duration_value(None, unit)
        return m.start("bu2"), m.end("bu2") + len("-long"), "DURATION", value
    return _bare(m, text, anchor)
