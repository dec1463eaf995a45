"""Unit tests for streams.core.text.bounds: where the text the steps read is cut."""

from __future__ import annotations

import pytest

from streams.core.text.bounds import (
    BOUNDARY_WINDOW,
    MAX_ARTICLE_CHARS,
    MAX_TITLE_CHARS,
    article_cut,
    bounded_title,
)

SENTENCE = "Troops were deployed near the border on Monday, officials said. "


def _long(unit: str, size: int = MAX_ARTICLE_CHARS + 5_000) -> str:
    return unit * (size // len(unit) + 1)


def test_bounds_text_within_the_limit_is_not_cut() -> None:
    text = _long(SENTENCE, MAX_ARTICLE_CHARS)[:MAX_ARTICLE_CHARS]
    assert article_cut(text) is None


def test_bounds_long_text_is_cut_after_its_last_whole_sentence() -> None:
    text = _long(SENTENCE)
    cut = article_cut(text)
    assert cut is not None
    assert MAX_ARTICLE_CHARS - len(SENTENCE) < cut <= MAX_ARTICLE_CHARS
    assert text[:cut].endswith("officials said. ")


@pytest.mark.parametrize("unit", ["Aa, ", "Monday ", "12:30 ", "Nuclear war declared "])
def test_bounds_text_without_sentence_ends_is_cut_at_a_space(unit: str) -> None:
    text = _long(unit)
    cut = article_cut(text)
    assert cut is not None
    assert MAX_ARTICLE_CHARS - BOUNDARY_WINDOW < cut <= MAX_ARTICLE_CHARS
    assert text[cut - 1] == " "


def test_bounds_line_breaks_end_sentences() -> None:
    text = _long("Aa\n")
    cut = article_cut(text)
    assert cut is not None and text[cut - 1] == "\n"


def test_bounds_one_endless_word_is_cut_at_the_limit() -> None:
    assert article_cut("A" * (2 * MAX_ARTICLE_CHARS)) == MAX_ARTICLE_CHARS


def test_bounds_abbreviation_before_the_limit_is_no_sentence_end() -> None:
    head = "Aa " * ((MAX_ARTICLE_CHARS - 100) // 3)
    text = head + "Gen. Aa " + "Bb " * 1_000
    cut = article_cut(text)
    assert cut is not None and cut > len(head) + len("Gen. ")
    assert text[cut - 1] == " "


def test_bounds_full_stop_at_the_limit_counts_only_before_a_space() -> None:
    # "U.S" + "A" across the limit: the full stop just before the limit is no sentence end
    text = "x" * (MAX_ARTICLE_CHARS - 1) + ".Ab cd" + "e" * 100
    assert article_cut(text) == MAX_ARTICLE_CHARS


def test_bounds_title_is_read_only_to_its_bound() -> None:
    title = "Troops deployed " * 1_000
    read = bounded_title(title)
    assert read is not None and len(read) <= MAX_TITLE_CHARS
    assert title.startswith(read) and title[len(read)] == " "
    assert bounded_title("Troops deployed") == "Troops deployed"
    assert bounded_title(None) is None
