"""Unit tests for streams.core.text.html_bounds: pages bounded before the parser sees them."""

from __future__ import annotations

import re
from pathlib import Path

import orjson
import pytest

import streams
from streams.core.text import html as html_module
from streams.core.text.html import extract_html
from streams.core.text.html_bounds import _ATTRIBUTE as ATTRIBUTE
from streams.core.text.html_bounds import MAX_HTML_ELEMENTS, MAX_TAG_ATTRIBUTES, bound_html

LEAD = "Missiles struck the port of Odesa overnight, officials said."
_START_TAG = re.compile(r"<[A-Za-z]")


def _sample_page() -> str:
    feed = Path(streams.__file__).parent / "samples" / "feed.jsonl"
    for line in feed.read_text(encoding="utf-8").splitlines():
        message = orjson.loads(line)
        if message.get("html"):
            return str(message["html"])
    raise AssertionError("the sample feed holds no HTML page")


def _attributes_page(count: int, value: str = "1") -> str:
    names = " ".join(f"a{k:x}={value}" for k in range(count))
    return f"<html><body><p {names}>{LEAD}</p></body></html>"


def test_html_bounds_real_page_passes_unchanged() -> None:
    page = _sample_page()
    bounded = bound_html(page)
    assert bounded.html == page
    assert bounded.cut_at is None and bounded.trimmed_tags == 0


@pytest.mark.parametrize("value", ["1", '"x>y"', "'a b'"])
def test_html_bounds_tag_with_80k_attributes_keeps_only_the_bound(value: str) -> None:
    bounded = bound_html(_attributes_page(80_000, value))
    tag = bounded.html[bounded.html.index("<p ") + 3 : bounded.html.index(">" + LEAD)]
    assert len(ATTRIBUTE.findall(tag)) == MAX_TAG_ATTRIBUTES
    assert bounded.trimmed_tags == 1
    assert bounded.html.endswith(f">{LEAD}</p></body></html>")


def test_html_bounds_attributes_are_cut_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[str] = []
    parse = html_module._parse

    def recording_parse(page: str) -> object:
        parsed.append(page)
        return parse(page)

    monkeypatch.setattr(html_module, "_parse", recording_parse)
    extract = extract_html(_attributes_page(80_000))
    assert extract.text == LEAD
    assert len(parsed) == 1 and parsed[0].count("=1") == MAX_TAG_ATTRIBUTES


@pytest.mark.parametrize("unit", ["Aa<br>", "<div><span>Aa</span></div>", "<p>Aa</p>"])
def test_html_bounds_page_is_cut_past_the_element_bound(unit: str) -> None:
    page = "<html><body>" + unit * (1_000_000 // len(unit))
    bounded = bound_html(page)
    assert len(_START_TAG.findall(bounded.html)) == MAX_HTML_ELEMENTS
    assert bounded.cut_at == len(bounded.html)
    assert page.startswith(bounded.html)


def test_html_bounds_script_and_style_content_are_not_elements() -> None:
    script = "<script>" + "if (a<b) { c<d; }\n" * MAX_HTML_ELEMENTS + "</script>"
    style = "<style>" + "p<b {}\n" * MAX_HTML_ELEMENTS + "</style>"
    page = f"<html><head>{script}{style}</head><body><p>{LEAD}</p></body></html>"
    assert bound_html(page).html == page
    assert extract_html(page).text == LEAD


def test_html_extract_reports_where_the_page_was_cut() -> None:
    page = "<html><body><article>" + f"<p>{LEAD}</p>" * (2 * MAX_HTML_ELEMENTS)
    extract = extract_html(page)
    assert extract.cut_at is not None and extract.cut_at < len(page)
    assert LEAD in extract.text
    assert extract_html(_sample_page()).cut_at is None
