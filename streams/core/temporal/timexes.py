"""Time expressions (TIMEX3) found in text and resolved against the publication time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache

import ahocorasick_rs

from streams.core.temporal.anaphora import resolve_anaphors
from streams.core.temporal.dates import TimexRule, date_rules
from streams.core.temporal.discourse import discourse_rules
from streams.core.temporal.holidays import holiday_rules
from streams.core.temporal.mods import timex_mod
from streams.core.temporal.periods import period_rules
from streams.core.temporal.quarters import quarter_rules
from streams.core.temporal.relative import relative_rules
from streams.core.temporal.resolve import Anchor, known_sentences
from streams.core.text.sentences import Sentences
from streams.models import Timex

__all__ = ["extract_timexes"]

_Hit = tuple[int, int, int, str, str]  # start, end, rule priority, type, value


@cache
def _rules() -> list[TimexRule]:
    """All rules; on an overlap of equal length the earlier one wins (race times before clock
    times, dates before relative expressions)."""
    return [
        *period_rules(),
        *date_rules(),
        *holiday_rules(),
        *quarter_rules(),
        *relative_rules(),
        *discourse_rules(),
    ]


@cache
def _triggers() -> tuple[ahocorasick_rs.AhoCorasick, list[tuple[int, ...]], list[bool]]:
    """An automaton over every rule's trigger words, the rules each wakes, which are digits."""
    rules = _rules()
    words = sorted({w for rule in rules for w in rule.triggers})
    wakes = [tuple(i for i, rule in enumerate(rules) if w in rule.triggers) for w in words]
    automaton = ahocorasick_rs.AhoCorasick(words, matchkind=ahocorasick_rs.MatchKind.Standard)
    return automaton, wakes, [w.isdigit() for w in words]


@cache
def _rule_index() -> dict[str, int]:
    return {rule.handler.__name__: i for i, rule in enumerate(_rules())}


def _number_rules(text: str, start: int) -> list[int]:
    """The number rules worth trying at a number, judged by its shape ("2008", "16:40", "9/11")."""
    index = _rule_index()
    end = start
    size = len(text)
    while end < size and text[end].isdigit():
        end += 1
    n = end - start
    nxt, after = text[end : end + 1], text[end + 1 : end + 2]
    names = []
    if n == 4:
        names.append("_year")
        if nxt == "-" and after.isdigit():
            names.append("_iso")
    if n == 2 and start >= 5 and text[start - 1] in "-–" and text[start - 5 : start - 1].isdigit():
        names.append("_year_tail")
    if n <= 2 and nxt == ":" and text[end + 3 : end + 4] == ":":
        names.append("_race_time")
    if n <= 2 and nxt and nxt in "/.-" and after.isdigit():
        names.append("_numeric")
    rest = text[end : end + 12].lstrip()
    if n <= 2 and (
        nxt == ":"
        or (nxt == "." and after.isdigit())
        or rest[:1] in ("a", "p", "A", "P")
        or rest.startswith(("in the", "o'clock"))
    ):
        names.append("_clock")
    if nxt == "s" or (nxt in ("'", "’") and after == "s"):
        names.append("_decade")
    if start and text[start - 1] in "Qq":
        names.append("_quarter")
    return [index[name] for name in names]


def _windows(text: str) -> dict[int, list[tuple[int, int]]]:
    """Per rule, the merged text windows around its trigger words (each window sorted)."""
    automaton, wakes, is_digit = _triggers()
    rules = _rules()
    low = text.lower()
    if len(low) != len(text):  # a few characters lower-case to two; keep offsets aligned
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    size = len(text)
    spans: dict[int, list[tuple[int, int]]] = {}
    for word, start, _end in automaton.find_matches_as_indexes(low, overlapping=True):
        if is_digit[word]:
            if start and low[start - 1].isdigit():
                continue  # inside a number
            woken: Sequence[int] = _number_rules(text, start)
        elif start and low[start - 1].isalnum():
            continue  # not the start of a word
        else:
            woken = wakes[word]
        for index in woken:
            rule = rules[index]
            lo, hi = max(0, start - rule.back), min(size, start + rule.ahead)
            bucket = spans.setdefault(index, [])
            if bucket and lo <= bucket[-1][1]:
                bucket[-1] = (bucket[-1][0], max(bucket[-1][1], hi))
            else:
                bucket.append((lo, hi))
    return spans


def _candidates(text: str, anchor: Anchor) -> list[_Hit]:
    rules = _rules()
    size = len(text)
    seen: set[tuple[int, int, int]] = set()
    hits: list[_Hit] = []
    for index, windows in _windows(text).items():
        rule = rules[index]
        for lo, hi in windows:
            for m in rule.pattern.finditer(text, lo, hi):
                if m.end() == hi < size or (index, m.start(), m.end()) in seen:
                    continue  # cut by the window edge, or already seen
                seen.add((index, m.start(), m.end()))
                hit = rule.handler(m, text, anchor)
                if hit is not None and hit[1] > hit[0]:
                    hits.append((hit[0], hit[1], index, hit[2], hit[3]))
    return hits


def extract_timexes(
    text: str, anchor: datetime | None, sentences: Sentences | None = None
) -> list[Timex]:
    """Return every time expression in text with its TIMEX3 value anchored on `anchor`.

    `sentences` are the text's (Sentences.of(text)) when the caller has them: the tense of
    an expression is read within its sentence, and the text need not be split again.
    """
    if not text:
        return []
    # Relative days count in the writer's wall-clock time, so an aware anchor loses its zone.
    local = anchor.replace(tzinfo=None) if anchor is not None else None
    with known_sentences(text, sentences):
        taken = resolve_anaphors(_longest(_candidates(text, local), len(text)), local, text)
    return [
        Timex(text=text[s:e], type=kind, value=value, start=s, end=e, mod=timex_mod(text[s:e]))  # type: ignore[arg-type]
        for s, e, kind, value in taken
    ]


def _longest(hits: list[_Hit], size: int) -> list[tuple[int, int, str, str]]:
    """The longest expression wins an overlap; on equal length the earlier rule."""
    hits.sort(key=lambda h: (h[0] - h[1], h[2], h[0]))
    taken: list[tuple[int, int, str, str]] = []
    used = bytearray(size)  # 1 where a taken expression covers the character
    for start, end, _prio, kind, value in hits:
        if used.find(1, start, end) < 0:
            taken.append((start, end, kind, value))
            used[start:end] = b"\x01" * (end - start)
    taken.sort()
    return taken
