"""The one sentence splitter: where sentences end, and the sentence around a position."""

from __future__ import annotations

import pytest

from streams.core.text.sentences import Sentences, sentence_spans


def _sentences(text: str) -> list[str]:
    return [text[start:end].strip() for start, end in sentence_spans(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Troops moved. Talks stalled! Why? Nobody knows…",
            ["Troops moved.", "Talks stalled!", "Why?", "Nobody knows…"],
        ),
        (
            'He said "we will respond." Then he left.',
            ['He said "we will respond."', "Then he left."],
        ),
        (
            "U.S. troops and Gen. Smith arrived at 3 a.m. as planned.",
            ["U.S. troops and Gen. Smith arrived at 3 a.m. as planned."],
        ),
        (
            "It ends on September 9. The next one starts.",
            ["It ends on September 9.", "The next one starts."],
        ),
        (
            "A headline with no stop\nThe first sentence.",
            ["A headline with no stop", "The first sentence."],
        ),
        ("Talks with Gen.\nSmith resume.", ["Talks with Gen.", "Smith resume."]),
        ("", []),
    ],
)
def test_sentences_end_at_stops_and_line_breaks_not_at_abbreviations(
    text: str, expected: list[str]
) -> None:
    assert _sentences(text) == expected


def test_sentences_cover_the_text_without_gaps() -> None:
    text = 'One. Two?\n\nThree "four." Five'
    spans = sentence_spans(text)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:], strict=False))


def test_sentences_around_a_position() -> None:
    text = "First one here. Second one there."
    sentences = Sentences.of(text)
    assert text[slice(*sentences.around(text.index("Second")))].strip() == "Second one there."
    assert text[slice(*sentences.around(0))].strip() == "First one here."
    assert Sentences.of("").around(3) == (3, 3)
