"""The Python API: one article in, the same model the stream publishes out."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

import streams
from streams.models import DeadLetter, EnrichedArticle

TEXT = "Russian troops were deployed near Kharkiv on Monday, the defence ministry said."
PAGE = (
    "<html><head><title>Talks resume</title></head><body><article>"
    "<p>NATO said on Friday that talks would resume in Brussels next week.</p>"
    "</article></body></html>"
)


def test_api_text_gives_the_enriched_article() -> None:
    article = streams.enrich(TEXT, reference_time=datetime(2026, 3, 4, 12))
    assert isinstance(article, EnrichedArticle)
    assert article.escalation.flag
    assert {"Russia", "Kharkiv"} <= {e.canonical for e in article.entities}
    assert [t.value for t in article.timexes] == ["2026-03-02"]  # naive reference = UTC


def test_api_html_bytes_and_dict_take_the_stream_path() -> None:
    page = streams.enrich(PAGE)
    payload = orjson.dumps({"id": "a-1", "body": TEXT, "published_at": "2026-03-04T10:00:00Z"})
    raw = streams.enrich(payload)
    fields = streams.enrich({"id": "a-1", "body": TEXT, "published_at": "2026-03-04T10:00:00Z"})
    assert isinstance(page, EnrichedArticle) and page.title == "Talks resume"
    assert isinstance(raw, EnrichedArticle) and isinstance(fields, EnrichedArticle)
    assert raw.model_dump(exclude={"processed_at", "received_at"}) == fields.model_dump(
        exclude={"processed_at", "received_at"}
    )
    assert raw.article_id == "a-1" and raw.published_at == "2026-03-04T10:00:00+00:00"


def test_api_bad_input_gives_a_dead_letter_not_an_exception() -> None:
    letter = streams.enrich({"title": "no body"})
    assert isinstance(letter, DeadLetter) and letter.error.type == "invalid_schema"
    assert isinstance(streams.enrich("   "), DeadLetter)


def test_api_reference_time_keeps_an_aware_zone() -> None:
    moment = datetime(2026, 3, 4, 23, tzinfo=UTC)
    article = streams.enrich("Officials met yesterday.", reference_time=moment)
    assert isinstance(article, EnrichedArticle)
    assert [t.value for t in article.timexes] == ["2026-03-03"]


def test_api_readme_example_prints_what_the_readme_says(
    capsys: pytest.CaptureFixture[str],
) -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```python\n(.*?)```", readme, re.DOTALL)
    assert block is not None
    code = block.group(1)
    expected = [line.removeprefix("# ") for line in code.splitlines() if line.startswith("# ")]
    exec(compile(code, "README.md", "exec"), {})  # noqa: S102 - the README's own example
    assert capsys.readouterr().out.splitlines() == expected
