"""Hostile texts of about 100 KB through the whole core: each must come back as an article or
a plain dead letter (never an internal error), with output that stays sane.

Times are not asserted here (they vary with the machine); benchmarks/fuzz_worst_case.py and
the performance notes measure them.
"""

from __future__ import annotations

import orjson
import pytest

from streams.core.entities.chunks import MAX_NAME_TOKENS
from streams.core.pipeline import MessageContext, enrich
from streams.models import DeadLetter, EnrichedArticle

SIZE = 100_000
LEAD = "Troops were deployed near the border on Monday. "

# (name, prefix, repeated unit): runs built to make a step rescan the text from every match
PATTERNS = [
    ("capitalised_run", LEAD, "Aa "),
    ("hyphenated_caps", "", "Ab-Cd "),
    ("repeated_date", "", "27 January, "),
    ("repeated_action", "", "troops "),
    ("repeated_honorific", "", "Mr "),
    ("repeated_honorific_dot", "", "Mr. "),
    ("title_then_name", "", "President Aa "),
    ("corporate_suffixes", "", "Aa Inc "),
    ("connectors", "", "The Bank of "),
    ("of_the", LEAD, "of the "),
    ("initials", LEAD, "A."),
    ("single_long_token", LEAD, "a"),
    ("single_long_capital_token", LEAD, "A"),
    ("digits", LEAD, "1"),
    ("full_stops", LEAD, "."),
    ("dashes", LEAD, "-"),
    ("opening_quotes", LEAD, "\u201c"),
    ("straight_quotes", LEAD, '"'),
    ("guillemets", LEAD, "\u00ab"),
    ("unclosed_quotations", "Troops ", "\u201cAa "),
    ("sentences_without_spaces", "", "Troops.Were."),
    ("datelines_inline", "", "MOSCOW, Jan 27 (Wire) - "),
    ("datelines_by_line", "", "MOSCOW, Jan 27 (Reuters) - Troops were deployed.\n"),
    ("quotations_with_speakers", "", "\u201cWe will fight on,\u201d said John Smith. "),
    ("quotations_without_verbs", "John Smith spoke. ", "\u201cWe will fight on now\u201d "),
    ("clock_times", "", "at 10:30 am on Monday "),
    ("relative_weeks", "", "next week "),
    ("slash_dates", LEAD, "12/01/2024 "),
    ("months", "", "in May "),
    ("gazetteer_names", "", "Kyiv "),
    ("acronyms", "", "NATO "),
    ("colon_heads", "", "Aa: "),
    ("long_line_no_newline", "", "Aa bb "),
    ("short_lines", LEAD, "Aa\n"),
    ("html_paragraphs", "<html><body>", "<p>Troops were deployed.</p>"),
]


def _payload(prefix: str, unit: str) -> bytes:
    return orjson.dumps(prefix + unit * ((SIZE - len(prefix)) // len(unit)))


@pytest.mark.parametrize(("name", "prefix", "unit"), PATTERNS, ids=[p[0] for p in PATTERNS])
def test_hostile_text_enriches_or_dead_letters_sanely(name: str, prefix: str, unit: str) -> None:
    result = enrich(_payload(prefix, unit), MessageContext(reference_time=None))
    if isinstance(result, DeadLetter):
        assert result.error.type != "internal_error", result.error.message
        return
    assert isinstance(result, EnrichedArticle)
    text = result.text
    for e in result.entities:
        assert text[e.start : e.end] == e.text
        assert len(e.text.split()) <= MAX_NAME_TOKENS, e.text[:80]
    for t in result.timexes:
        assert text[t.start : t.end] == t.text
        assert len(t.text) < 200
    for q in result.quotes:
        assert text[q.start : q.end] == q.text
    for m in result.escalation.matches:
        assert text[m.start : m.end] == m.term


@pytest.mark.parametrize(
    ("unit", "count"),
    [("Aa ", 5_000), ("Mr Mr ", 3_000), ("Ab-Cd ", 3_000), ("The Bank of ", 2_000)],
)
def test_hostile_text_long_capitalised_run_is_not_one_entity(unit: str, count: int) -> None:
    text = "Troops were deployed by " + unit * count + "on Monday."
    result = enrich(orjson.dumps(text))
    assert isinstance(result, EnrichedArticle)
    assert all(len(e.text) < 100 for e in result.entities)


def test_hostile_text_gazetteer_names_inside_a_long_run_are_kept() -> None:
    text = "Talks were held in " + "Aa " * 3_000 + "Kyiv Aa Aa and ended."
    result = enrich(orjson.dumps(text))
    assert isinstance(result, EnrichedArticle)
    assert "Kyiv" in {e.canonical for e in result.entities}


@pytest.mark.parametrize("count", [2_000, 8_000])
def test_hostile_text_every_repeated_date_is_found(count: int) -> None:
    result = enrich(orjson.dumps("27 January, " * count))
    assert isinstance(result, EnrichedArticle)
    assert len(result.timexes) == count


def test_hostile_text_many_speakers_each_keep_their_quotation() -> None:
    names = [f"{a} {b}" for a in ("Anna", "Mark", "Olga", "Peter") for b in ("Berg", "Stone")]
    text = "".join(
        f"\u201cWe will not give up the port,\u201d said {names[k % len(names)]}. "
        for k in range(2_000)
    )
    result = enrich(orjson.dumps(text))
    assert isinstance(result, EnrichedArticle)
    assert len(result.quotes) == 2_000
    assert [q.speaker for q in result.quotes[:3]] == names[:3]
