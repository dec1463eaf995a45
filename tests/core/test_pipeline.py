"""`enrich`: one entry point, an EnrichedArticle or a DeadLetter, never an exception."""

from __future__ import annotations

import base64
import subprocess
import sys
from datetime import UTC, datetime

import orjson
import pytest

from streams.core import steps
from streams.core.pipeline import CoreOptions, MessageContext, enrich
from streams.models import DeadLetter, EnrichedArticle
from tests.support.articles import (
    BAD_MESSAGES,
    CALM_SPORT,
    CLEAN_ESCALATION,
    HTML_PAGE,
    SCRAPED_ESCALATION,
    as_bytes,
)

REFERENCE = datetime(2025, 3, 15, 12, 0, tzinfo=UTC)


def _enriched(message: object, **ctx: object) -> EnrichedArticle:
    result = enrich(as_bytes(message), MessageContext(reference_time=REFERENCE, **ctx))  # type: ignore[arg-type]
    assert isinstance(result, EnrichedArticle), result
    return result


@pytest.mark.parametrize("payload,error_type", BAD_MESSAGES)
def test_pipeline_dead_letters_bad_input_with_its_bytes(payload: bytes, error_type: str) -> None:
    ctx = MessageContext(key=b"k1", topic="news.raw", partition=2, offset=41)
    # outputs up to 2 MB: the 1.25 MB too_large payload is kept whole too (else an excerpt)
    options = CoreOptions(max_message_bytes=1_000_000, max_output_bytes=2_000_000)
    result = enrich(payload, ctx, options)
    assert isinstance(result, DeadLetter)
    assert result.error.type == error_type
    assert result.error.message
    assert base64.b64decode(result.payload_b64) == payload
    assert (result.key_b64, result.topic, result.partition, result.offset) == (
        base64.b64encode(b"k1").decode(),
        "news.raw",
        2,
        41,
    )


def test_pipeline_turns_a_failing_step_into_an_internal_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def explode(doc: steps.Document) -> None:
        raise RuntimeError("boom in a step")

    monkeypatch.setattr(steps, "STEPS", (*steps.STEPS, steps.Step("explode", explode)))
    monkeypatch.setattr("streams.core.pipeline.STEPS", steps.STEPS)
    result = enrich(as_bytes(CALM_SPORT))
    assert isinstance(result, DeadLetter)
    assert result.error.type == "internal_error"
    assert "boom in a step" in result.error.message


def test_pipeline_keeps_the_producer_fields() -> None:
    article = _enriched(CLEAN_ESCALATION)
    assert article.article_id == "esc-json-1"
    assert article.source == "wire"
    assert article.url == CLEAN_ESCALATION["url"]
    assert article.published_at_source == "field"
    assert article.published_at is not None and article.published_at.startswith("2024-02-24T07:30")
    assert article.schema_ == "newsstream.enriched/1"
    assert len(article.fingerprint) == 16


def test_pipeline_ids_are_stable_and_derived_from_url_or_text() -> None:
    by_url = {"url": "https://example.org/a", "body": "Some article text about a summit."}
    by_text = {"body": "Some article text about a summit."}
    assert _enriched(by_url).article_id == _enriched(by_url).article_id
    assert _enriched(by_url).article_id != _enriched(by_text).article_id
    assert (
        _enriched(by_text).article_id == _enriched("Some article text about a summit.").article_id
    )


def test_pipeline_cleans_scraped_text_and_finds_the_dateline() -> None:
    article = _enriched(SCRAPED_ESCALATION)
    assert article.title == "Minister: allied warships moved closer to the Baltic coast"
    assert article.text.count("allied warships moved closer") == 0
    assert "Found a typo" not in article.text
    assert "Соцсети" not in article.text
    assert article.published_at_source == "dateline"
    assert article.published_at is not None and article.published_at.startswith("2025-03-14T09:15")
    names = {e.canonical for e in article.entities}
    assert {"Maria Kowalska", "NATO", "Mark Rutte"} <= names
    assert article.escalation.flag
    assert "military" in article.escalation.categories


def test_pipeline_offsets_index_the_cleaned_text() -> None:
    article = _enriched(SCRAPED_ESCALATION)
    spans = [*article.entities, *article.timexes, *article.quotes, *article.escalation.matches]
    assert spans
    for span in article.entities + article.timexes:
        assert article.text[span.start : span.end] == span.text


def test_pipeline_extracts_html_pages() -> None:
    article = _enriched({"id": "h1", "html": HTML_PAGE})
    assert article.title == "Parliament approves new budget"
    assert "cookies" not in article.text.lower()
    assert "Related:" not in article.text
    assert article.published_at_source == "html"
    assert article.lang == "en"


def test_pipeline_treats_html_looking_text_as_html() -> None:
    article = _enriched(HTML_PAGE)
    assert "Finance Minister" in article.text
    assert "<p>" not in article.text


def test_pipeline_calm_story_does_not_escalate() -> None:
    article = _enriched(CALM_SPORT)
    assert not article.escalation.flag
    assert article.escalation.level == "none"


def test_pipeline_escalating_story_is_flagged_high() -> None:
    article = _enriched(CLEAN_ESCALATION)
    assert article.escalation.level in ("high", "critical")
    assert "military" in article.escalation.categories


def test_pipeline_message_timestamp_is_the_last_resort_for_published_at() -> None:
    stamp = datetime(2025, 1, 2, 3, 4, tzinfo=UTC)
    article = _enriched({"body": "Talks resumed between the two delegations."}, timestamp=stamp)
    assert article.published_at_source == "message_timestamp"
    assert article.published_at is not None and article.published_at.startswith("2025-01-02T03:04")


def test_pipeline_core_imports_no_kafka() -> None:
    code = (
        "import sys, streams.core.pipeline, streams.core.alerts.compose;"
        "bad = [m for m in ('faust', 'aiokafka', 'mode', 'asyncio') if m in sys.modules];"
        "print(','.join(bad)); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, f"the core imported {proc.stdout.strip()}"


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"tz": "Europe"}, "tz: unknown"),  # a folder of the zone database, not a zone
        ({"tz": "A" * 100_000}, "tz: unknown"),
        ({"received_at": "9999-12-31T23:59:59Z"}, "received_at"),
        ({"received_at": "0001-01-01T00:00:00Z"}, "received_at"),
    ],
)
def test_pipeline_out_of_range_fields_are_invalid_schema_naming_the_field(
    fields: dict[str, str], words: str
) -> None:
    payload = orjson.dumps({"body": "KYIV, March 5 - Troops moved yesterday.", **fields})
    result = enrich(payload)
    assert isinstance(result, DeadLetter)
    assert result.error.type == "invalid_schema"
    assert result.error.message.startswith(words)
    assert "site-packages" not in result.error.message


def test_pipeline_implausible_published_at_is_not_taken_for_the_publication_time() -> None:
    payload = orjson.dumps({"body": "Troops moved yesterday.", "published_at": "0001-01-01"})
    result = enrich(payload, MessageContext(reference_time=datetime(2026, 3, 4, tzinfo=UTC)))
    assert isinstance(result, EnrichedArticle)
    assert result.published_at is None
    assert [t.value for t in result.timexes] == ["2026-03-03"]


def test_pipeline_unreadable_published_at_is_a_warning_naming_the_field() -> None:
    article = _enriched({**CLEAN_ESCALATION, "published_at": "last Tuesday"})
    assert article.published_at_source == "dateline"
    [warning] = article.warnings
    assert warning.startswith("published_at: 'last Tuesday' is not an ISO 8601 time")
    assert warning.endswith("taken from the dateline")
    assert _enriched(CLEAN_ESCALATION).warnings == []


@pytest.mark.parametrize(
    ("lang", "expected", "warned"),
    [("en-gb", "en-GB", False), ("EN", "en", False), ("english", "en", True), ("zz", "en", True)],
)
def test_pipeline_lang_is_a_language_tag_or_detected_with_a_warning(
    lang: str, expected: str, warned: bool
) -> None:
    article = _enriched({**CLEAN_ESCALATION, "lang": lang})
    assert article.lang == expected
    assert [w.startswith("lang: ") for w in article.warnings] == ([True] if warned else [])


@pytest.mark.parametrize("id_", ["a\nb", "a\rb", "a\x00b", "a\u2028b", "a\x85b"])
def test_pipeline_id_with_a_line_break_is_invalid_schema(id_: str) -> None:
    result = enrich(as_bytes({**CLEAN_ESCALATION, "id": id_}))
    assert isinstance(result, DeadLetter)
    assert result.error.type == "invalid_schema"
    assert result.error.message.startswith("invalid article: id: ")


def test_pipeline_title_is_one_line() -> None:
    article = _enriched({**CLEAN_ESCALATION, "title": "Border clashes\r\nFAKE: second line"})
    assert article.title == "Border clashes FAKE: second line"


@pytest.mark.parametrize(
    ("message", "field"),
    [
        ({"body": "Troops were deployed to the border on Monday. " * 2_000}, "text"),
        ({"html": "<html><body>" + "<p>Troops were deployed.</p>" * 6_000}, "html"),
    ],
)
def test_pipeline_text_past_the_reading_bound_is_marked_truncated(
    message: dict[str, str], field: str
) -> None:
    article = _enriched(message)
    assert article.truncated is not None
    assert article.truncated[field] > 0  # type: ignore[index]
    assert _enriched(CLEAN_ESCALATION).truncated is None
