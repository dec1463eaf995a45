"""Calendar arithmetic for TIMEX3 values: shifts from the anchor, weeks, quarters, tense."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta
from functools import lru_cache

from streams.core.text.sentences import Sentences

__all__ = [
    "ANAPHOR",
    "SAME_DAY",
    "Anchor",
    "sentence_bounds",
    "known_sentences",
    "UNIT_CODES",
    "tense",
    "clause_tense",
    "shift_days",
    "shift_months",
    "week_value",
    "year_value",
    "quarter_value",
    "weekday_date",
    "month_year",
    "duration_value",
    "future_point",
]

# TIMEX3 duration letters for each unit; time units go after "T" (PT48H).
UNIT_CODES: dict[str, tuple[str, bool]] = {
    "second": ("S", True), "minute": ("M", True), "hour": ("H", True), "day": ("D", False),
    "night": ("D", False), "week": ("W", False), "fortnight": ("W", False),
    "month": ("M", False), "quarter": ("Q", False), "year": ("Y", False),
    "decade": ("Y", False), "century": ("Y", False),
}  # fmt: skip
_UNIT_FACTOR = {"fortnight": 2, "decade": 10, "century": 100}
# Clock units whose fraction is written in the next smaller one ("PT1M30S", as TimeBank
# does); calendar units keep a decimal ("P2.5Y", as MEANTIME does; ISO 8601 allows both).
_SMALLER = {"minute": ("second", 60), "hour": ("minute", 60)}

# Words that put a clause in the future; without one, news text is read as past tense.
# "would", "was to" and "planned to" are the future seen from a past report ("patrols would
# visit on Wednesday"): in news that future is, as a rule, still ahead of the publication.
_FUTURE = re.compile(
    r"\b(?:will|won't|shall|should|would|going to|plans? to|planned to|planning to|scheduled|"
    r"slated|expects? to|expected to|(?:is|are|was|were) (?:due )?to|set to|intends? to|"
    r"intended to|upcoming|next(?!\s+to\b)|from now|hopes? to|aims? to)\b|'ll\b"
    # "coming" as an adjective ("the coming week"), not a verb ("coming from Jordan")
    r"|\bcoming\b(?!\s+(?:from|to|out|back|in|into|up|down|off|under|after|at|as|through)\b)"
    # an infinitive of a span's start or end ("to run through June", "to resume Monday")
    r"|\bto\s+(?:run|last|continue|remain|stay|begin|start|end|open|close|expire|resume)\b"
    # a new date set for something ("postponed until Saturday", "extended to June")
    r"|\b(?:postpon|delay|adjourn|defer|extend|reschedul|push(?:ed)? back|put off|moved? back)"
    r"\w*\s+(?:\w+\s+){0,3}?(?:until|till|to)\b",
    re.IGNORECASE,
)
# A past-tense verb ("announced Friday", "said on Monday"); a participle after a form of "be"
# is passive and takes its tense from the auxiliary ("will be held on Monday").
_PAST_WORD_RE = (
    # lower case only for the -ed rule: "United", "Reed" are names; some -ed words are not verbs
    r"(?:(?!(?:hundred|united|sacred|naked|wicked|kindred|hatred)\b)(?-i:[a-z]+[^e\W]ed)"
    r"|said|told|was|were|had|did|made|took|gave|came|went|began|won|lost|"
    r"sold|bought|rose|fell|left|met|saw|became|got|held|paid|led|spent|sent|brought|found|"
    r"built|chose|wrote|spoke|broke|flew|drove|grew|shut|quit)"
)
_PAST_VERB = re.compile(
    r"(?<!\bbe )(?<!\bbeen )(?<!\bbeing )\b" + _PAST_WORD_RE + r"\b", re.IGNORECASE
)
# Every match of _PAST_VERB is one whole word (a run of \w from a word start) that this
# matches; every match of _FUTURE starts with a word this matches, or with an apostrophe
# ("'ll"). Only there are the patterns tried (_cue_matches); tests/core/temporal/test_tense.py
# checks that this finds what finditer finds.
_PAST_WORD = re.compile(_PAST_WORD_RE, re.IGNORECASE)
_FUTURE_FIRST = re.compile(
    r"will|won|shall|should|would|going|plans?|planned|planning|scheduled|slated|expects?|"
    r"expected|is|are|was|were|set|intends?|intended|upcoming|next|from|hopes?|aims?|coming|"
    r"to|push(?:ed)?|put|moved?|(?:postpon|delay|adjourn|defer|extend|reschedul)\w*",
    re.IGNORECASE,
)
# The places a cue may start: word starts (the first run of a window is no word start when
# the window cuts a word: \b looks before it), and apostrophes.
_WORD_START = re.compile(r"\b\w+|'")
_CUE_WORDS = 1 << 16  # words whose cue kinds are remembered (news vocabulary repeats)
# A preposition right before the expression that points one way when no verb decides:
# "until June", "by Friday" look ahead; "since March" looks back. ("through June" is both:
# "sales this year through August"; "to run through June" gets its future from "to run".)
_AHEAD_BEFORE = re.compile(r"\b(?:until|till|by)\s+(?:(?:on|the)\s+)?$", re.I)
# Adjectives that name a deadline or a start date right before it ("payable Dec. 7",
# "effective Feb. 1"): they outweigh the tense of the announcing verb.
_DEADLINE_BEFORE = re.compile(r"\b(?:payable|effective|due|expir(?:es|ing))\s+(?:on\s+)?$", re.I)
_BACK_BEFORE = re.compile(r"\b(?:since|ago)\s+(?:(?:on|the)\s+)?$", re.I)
# How far around an expression its own verb is looked for (characters), chosen on news text:
# about five words before and three after.
LOCAL_BEFORE = 45
LOCAL_AFTER = 25
# Verbs of saying after an expression attribute the clause ("... on Tuesday, Castro said"):
# they tell when it was said, not when the clause happens.
_ATTRIBUTION = frozenset({"said", "told", "added", "announced", "reported", "stated", "wrote"})
_ATTRIBUTION_GAP = re.compile(r"[,\"”’']")
# Tolerances for months named without a year (tense cues are imperfect): a past-tense
# sentence may still name next month, a future-tense one last month. Chosen by hand.
PAST_AHEAD_MONTHS = 1
FUTURE_BEHIND_MONTHS = 1
QUARTER_TOLERANCE = 1
# A month named with no tense cue around it: news mostly reports the past, so it is ahead of
# the anchor only when at most this many months ahead, else behind (tried 2-5 on the TBAQ
# tuning split: 2 best by a hair, 3 and 5 within 0.001).
NO_CUE_AHEAD_MONTHS = 2
# How far (in characters) either side of an expression its sentence is searched for tense
# cues when no sentence end comes sooner.
SENTENCE_REACH = 200


Anchor = datetime | None
#: Starts a value to be counted from the story's last named time ("@+1:year"), not the anchor.
ANAPHOR = "@"
#: Starts a clock time's value whose day is the one its sentence names, else the one the
#: story last named ("on Tuesday ... at 18:00 UTC"); the value after it has the anchor's day.
SAME_DAY = "@day:"


def tense(text: str, start: int, end: int) -> int:
    """+1 when the clause around text[start:end] speaks of the future, else -1 (past)."""
    return clause_tense(text, start, end) or -1


def clause_tense(text: str, start: int, end: int) -> int:
    """+1 (future), -1 (past) or 0 (no cue) for the clause around text[start:end].

    A deadline word right before the expression ("payable Dec. 7") decides first; then the
    tense cue nearest the expression within a few words; then a preposition right before it
    ("until", "since"); then the nearest cue in the rest of the sentence. Sentence ends bound
    every look, so a neighbour sentence never decides.
    """
    left, right = sentence_bounds(text, start, end)
    if _DEADLINE_BEFORE.search(text, max(left, start - 16), start):
        return 1
    lo, hi = max(left, start - LOCAL_BEFORE), min(right, end + LOCAL_AFTER)
    local = _nearest(text, lo, start, end, hi)
    if local:
        return local
    possessive = text[end : end + 2] in ("'s", "’s")  # "hit by Friday's storm": an agent
    if not possessive and _AHEAD_BEFORE.search(text, max(left, start - 16), start):
        return 1
    if _BACK_BEFORE.search(text, max(left, start - 16), start):
        return -1
    return _nearest(text, left, start, end, right)


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Bounds of the sentence around text[start:end], at most SENTENCE_REACH either side
    (sentence ends as the text stage finds them: "Gen. Smith" does not end one)."""
    sentences = _sentences(text)
    left = sentences.around(start)[0]
    right = sentences.around(max(start, end - 1))[1]
    return max(left, start - SENTENCE_REACH), min(right, end + SENTENCE_REACH)


def _sentences(text: str) -> Sentences:
    """The sentences of a text: the caller's (known_sentences), else split once for all the
    expressions found in it."""
    known = _KNOWN.get()
    if known is not None and known[0] is text:
        return known[1]
    return _split(text)


@lru_cache(maxsize=8)
def _split(text: str) -> Sentences:
    return Sentences.of(text)


#: A text being read and its sentences, as the pipeline split them (known_sentences).
_KNOWN: ContextVar[tuple[str, Sentences] | None] = ContextVar("known_sentences", default=None)


@contextmanager
def known_sentences(text: str, sentences: Sentences | None) -> Iterator[None]:
    """Within this block, take `sentences` (Sentences.of(text), already split by the caller)
    as the sentences of `text` instead of splitting it again."""
    if sentences is None:
        yield
        return
    token = _KNOWN.set((text, sentences))
    try:
        yield
    finally:
        _KNOWN.reset(token)


def _nearest(text: str, lo: int, start: int, end: int, hi: int) -> int:
    """The direction of the tense cue nearest text[start:end] within [lo, hi), 0 if none.

    On a tie (a cue inside another, "expected to") the future reading wins."""
    best: tuple[int, int] | None = None
    for m, sign in _cue_matches(text, lo, hi):
        if start <= m.start() < end:
            continue  # a word of the expression itself ("next Monday")
        if (
            m.start() >= end
            and m.group().lower() in _ATTRIBUTION
            and _ATTRIBUTION_GAP.search(text, end, m.start())
        ):
            continue  # "... on Tuesday, Castro said": not "Bush on Tuesday said"
        gap = start - m.end() if m.end() <= start else m.start() - end
        if best is None or (gap, -sign) < (best[0], -best[1]):
            best = (gap, sign)
    return best[1] if best else 0


def _cue_matches(text: str, lo: int, hi: int) -> Iterator[tuple[re.Match[str], int]]:
    """What _FUTURE.finditer(text, lo, hi) yields (with +1) and _PAST_VERB's (with -1),
    trying each pattern only at the word starts and apostrophes where it may match.

    A search is a match tried at each position in turn, so trying only where a match can
    start finds the same matches, several times faster than the regex's own scan.
    """
    future_at = past_at = lo  # where each pattern's search goes on (after its last match)
    for token in _WORD_START.finditer(text, lo, hi):
        kinds = _cue_kinds(token.group())
        if not kinds:
            continue
        at = token.start()
        if kinds & _MAY_FUTURE and at >= future_at:
            found = _FUTURE.match(text, at, hi)
            if found is not None:
                future_at = found.end()
                yield found, 1
        if kinds & _MAY_PAST and at >= past_at:
            found = _PAST_VERB.match(text, at, hi)
            if found is not None:
                past_at = found.end()
                yield found, -1


_MAY_FUTURE = 1  # a _FUTURE match may start with the word
_MAY_PAST = 2  # the word is a past-tense verb (_PAST_VERB matches it unless after "be")


@lru_cache(maxsize=_CUE_WORDS)
def _cue_kinds(word: str) -> int:
    """Which cues may start at this word (or apostrophe), as _MAY_FUTURE | _MAY_PAST bits."""
    kinds = _MAY_FUTURE if word == "'" or _FUTURE_FIRST.fullmatch(word) else 0
    return kinds | (_MAY_PAST if _PAST_WORD.fullmatch(word) else 0)


def shift_days(anchor: Anchor, days: int) -> str:
    """The anchor's date moved by `days`, or XXXX-XX-XX without an anchor."""
    if anchor is None:
        return "XXXX-XX-XX"
    return (anchor.date() + timedelta(days=days)).isoformat()


def shift_months(anchor: Anchor, months: int) -> str:
    """The anchor's month moved by `months` (YYYY-MM)."""
    if anchor is None:
        return "XXXX-XX"
    index = anchor.year * 12 + anchor.month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def week_value(anchor: Anchor, weeks: int, weekend: bool = False) -> str:
    """ISO week of the anchor moved by `weeks` (YYYY-Www, or YYYY-Www-WE for a weekend)."""
    if anchor is None:
        return "XXXX-WXX" + ("-WE" if weekend else "")
    year, week, _ = (anchor.date() + timedelta(weeks=weeks)).isocalendar()
    return f"{year:04d}-W{week:02d}" + ("-WE" if weekend else "")


def year_value(anchor: Anchor, years: int) -> str:
    """The anchor's year moved by `years`."""
    return "XXXX" if anchor is None else f"{anchor.year + years:04d}"


def quarter_value(anchor: Anchor, quarter: int | None, year: int | None, direction: int) -> str:
    """YYYY-Qn: a quarter with no year is placed in the tense's direction from the anchor."""
    if anchor is None and year is None:
        return f"XXXX-Q{quarter}" if quarter else "XXXX-QX"
    if anchor is not None and quarter is None:  # "the last quarter", shift relative
        index = anchor.year * 4 + (anchor.month - 1) // 3 + direction
        return f"{index // 4:04d}-Q{index % 4 + 1}"
    if quarter is None:
        return "XXXX-QX"
    if year is None and anchor is not None:
        current = (anchor.month - 1) // 3 + 1
        year = anchor.year
        if direction < 0 and quarter - current > QUARTER_TOLERANCE:
            year -= 1
        elif direction > 0 and current - quarter > QUARTER_TOLERANCE:
            year += 1
    return f"{year:04d}-Q{quarter}"


def weekday_date(anchor: Anchor, weekday: int, direction: int, explicit: bool) -> str:
    """Date of the named weekday: the anchor's own day, else the nearest one in `direction`.

    `explicit` marks "last"/"next": then the anchor's own weekday means a week away.
    """
    if anchor is None:
        return f"XXXX-WXX-{weekday + 1}"
    d = anchor.date()
    delta = (weekday - d.weekday()) % 7
    if delta == 0:
        return (d + timedelta(days=7 * direction)).isoformat() if explicit else d.isoformat()
    if direction < 0:
        delta -= 7
    return (d + timedelta(days=delta)).isoformat()


def month_year(anchor: Anchor, month: int, direction: int) -> int | None:
    """Year of a month named without one: the anchor's year, or the one before/after.

    A past-tense mention more than PAST_AHEAD_MONTHS after the anchor's month is last year's;
    a future-tense one more than FUTURE_BEHIND_MONTHS before it is next year's; with no tense
    cue (direction 0) it is ahead only when at most NO_CUE_AHEAD_MONTHS ahead.
    """
    if anchor is None:
        return None
    if direction == 0:
        ahead = (month - anchor.month) % 12
        if ahead == 0 or ahead > NO_CUE_AHEAD_MONTHS:
            return anchor.year if month <= anchor.month else anchor.year - 1
        return anchor.year if month >= anchor.month else anchor.year + 1
    if direction < 0 and month - anchor.month > PAST_AHEAD_MONTHS:
        return anchor.year - 1
    if direction > 0 and anchor.month - month > FUTURE_BEHIND_MONTHS:
        return anchor.year + 1
    return anchor.year


def duration_value(amount: float | None, unit: str) -> str:
    """TIMEX3 duration (P3D, PT48H, P2.5Y; PXD when the amount is vague)."""
    code, is_time = UNIT_CODES[unit]
    if amount is None:
        return ("PT" if is_time else "P") + "X" + code
    amount *= _UNIT_FACTOR.get(unit, 1)
    if amount != int(amount) and unit in _SMALLER:
        # "a minute and a half" -> PT1M30S
        smaller, factor = _SMALLER[unit]
        whole, rest = int(amount), (amount - int(amount)) * factor
        if rest == int(rest):
            head = duration_value(whole, unit) if whole else ("PT" if is_time else "P")
            tail = duration_value(rest, smaller)
            return head + (tail[2:] if is_time else tail[1:]) if whole else tail
    qty = str(int(amount)) if amount == int(amount) else f"{amount:g}"
    return ("PT" if is_time else "P") + qty + code


def future_point(anchor: Anchor, amount: float, unit: str) -> str:
    """The anchor moved forward by a duration, at the duration's granularity ("in two weeks")."""
    if anchor is None:
        return "FUTURE_REF"
    n = int(amount * _UNIT_FACTOR.get(unit, 1))
    if unit in ("year", "decade", "century"):
        return year_value(anchor, n)
    if unit in ("month", "quarter"):
        return shift_months(anchor, n * (3 if unit == "quarter" else 1))
    if unit in ("hour", "minute", "second"):
        seconds = {"hour": 3600, "minute": 60, "second": 1}[unit] * amount
        moved = anchor + timedelta(seconds=seconds)
        has_clock = (anchor.hour, anchor.minute) != (0, 0)
        return moved.strftime("%Y-%m-%dT%H:%M") if has_clock else moved.date().isoformat()
    if unit in ("week", "fortnight"):
        return week_value(anchor, n)  # a fortnight's factor is in n already
    return shift_days(anchor, n)
