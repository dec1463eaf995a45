"""Hostile texts of about 100 KB through the whole core: each must come back as an article or
a plain dead letter (never an internal error), with output that stays sane.

Messages up to the 1 MB limit are read only to the bounds of streams.core.text.bounds and
html_bounds; the tests at the end check those cuts (what the steps read), not the time.
Times are not asserted here (they vary with the machine); benchmarks/fuzz_worst_case.py and
the performance notes measure them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import orjson
import pytest

from streams.core import steps as steps_module
from streams.core.decode import decode_message
from streams.core.entities.chunks import MAX_NAME_TOKENS
from streams.core.escalation.assess import assess_escalation
from streams.core.pipeline import MessageContext, enrich
from streams.core.steps import STEPS, Document
from streams.core.text.bounds import BOUNDARY_WINDOW, MAX_ARTICLE_CHARS, MAX_TITLE_CHARS
from streams.core.text.html_bounds import MAX_HTML_ELEMENTS
from streams.core.text.sentences import Sentences
from streams.models import DeadLetter, EnrichedArticle, Entity, Escalation

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


@pytest.mark.parametrize("count", [2_000, 4_000, 8_000])
def test_hostile_text_every_repeated_date_is_found(count: int) -> None:
    # 4,000 dates fill 48,000 characters, within the bound; of 8,000 only those before the
    # cut are read (and every one of them is found)
    result = enrich(orjson.dumps("27 January, " * count))
    assert isinstance(result, EnrichedArticle)
    expected = min(count, MAX_ARTICLE_CHARS // len("27 January, "))
    assert len(result.timexes) == result.text.count("27 January") == expected


@pytest.mark.parametrize("count", [1_000, 2_000])
def test_hostile_text_many_speakers_each_keep_their_quotation(count: int) -> None:
    # 1,000 quotations fill about 48,000 characters, within the bound; of 2,000 only those
    # before the cut are read, each with its speaker
    names = [f"{a} {b}" for a in ("Anna", "Mark", "Olga", "Peter") for b in ("Berg", "Stone")]
    text = "".join(
        f"\u201cWe will not give up the port,\u201d said {names[k % len(names)]}. "
        for k in range(count)
    )
    result = enrich(orjson.dumps(text))
    assert isinstance(result, EnrichedArticle)
    read = result.text.count("\u201cWe will")
    assert read == count if count == 1_000 else 1_000 <= read < count
    assert len(result.quotes) == read
    assert [q.speaker for q in result.quotes[:3]] == names[:3]
    assert result.quotes[-1].speaker in names


def _run_steps(payload: bytes) -> Document:
    """The Document after every step (or after the step that dead-letters it)."""
    doc = Document(
        raw=decode_message(payload, 2_000_000),
        reference_time=datetime(2026, 1, 15, 12, tzinfo=UTC),
        message_time=None,
        source_tz=None,
    )
    for step in STEPS:
        step.run(doc)
    return doc


@pytest.mark.parametrize(
    "unit", ["Aa, ", "Monday ", "12:30 ", "Nuclear war declared ", "Aa\n", "troops "]
)
def test_hostile_text_megabyte_run_is_read_only_to_the_cut(unit: str) -> None:
    body = LEAD + unit * (1_000_000 // len(unit))
    doc = _run_steps(body.encode("utf-8"))
    assert doc.extraction_cut_at is not None
    assert MAX_ARTICLE_CHARS - BOUNDARY_WINDOW < doc.extraction_cut_at <= MAX_ARTICLE_CHARS
    assert len(doc.text) <= doc.extraction_cut_at
    spans = [(e.start, e.end) for e in doc.entities] + [(t.start, t.end) for t in doc.timexes]
    spans += [(m.start, m.end) for m in doc.escalation.matches]
    assert all(end <= len(doc.text) for _, end in spans)


def test_hostile_text_long_article_reports_only_what_precedes_the_cut() -> None:
    filler = "The talks went on through the night without a statement. "
    head = "Officials in Kyiv said on Monday that troops were deployed. "
    tail = "Later, NATO ministers met in Brussels on Friday and declared war."
    kept = head + filler * ((MAX_ARTICLE_CHARS - len(head)) // len(filler))
    body = kept + tail + filler * 10  # the tail sentence straddles the bound
    result = enrich(orjson.dumps({"body": body}))
    assert isinstance(result, EnrichedArticle)
    assert result.text.endswith(filler.strip()) and "Brussels" not in result.text
    names = {e.canonical for e in result.entities}
    assert "Kyiv" in names and "Brussels" not in names and "NATO" not in names
    assert [t.text for t in result.timexes] == ["Monday"]
    assert result.escalation.level != "critical"
    doc = _run_steps(orjson.dumps({"body": body}))
    assert doc.extraction_cut_at == len(kept)


def test_hostile_text_article_within_the_bound_is_not_cut() -> None:
    body = "Officials in Kyiv said on Monday that troops were deployed. " * 500
    doc = _run_steps(orjson.dumps({"body": body}))
    assert doc.extraction_cut_at is None and doc.html_cut_at is None
    assert doc.text == body.strip()


def test_hostile_text_page_of_many_elements_is_cut_before_parsing() -> None:
    page = "<html><body><article>" + "".join(
        f"<p>Troops were deployed to sector {k}.</p>" for k in range(40_000)
    )
    doc = _run_steps(page.encode("utf-8")[:1_000_000])
    assert doc.html_cut_at is not None and doc.html_cut_at < 1_000_000
    assert "sector 0." in doc.text and f"sector {MAX_HTML_ELEMENTS}." not in doc.text


def test_hostile_text_huge_title_is_read_only_to_its_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    titles: list[str | None] = []

    def recording_assess(
        text: str, title: str | None, sentences: Sentences, entities: Sequence[Entity]
    ) -> Escalation:
        titles.append(title)
        return assess_escalation(text, title, sentences, entities)

    monkeypatch.setattr(steps_module, "assess_escalation", recording_assess)
    payload = orjson.dumps({"title": "troops " * 140_000, "body": LEAD})
    result = enrich(payload)
    assert isinstance(result, EnrichedArticle)
    assert len(titles) == 1 and titles[0] is not None
    assert len(titles[0]) <= MAX_TITLE_CHARS
