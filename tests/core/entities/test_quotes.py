"""Unit tests for streams.core.entities.quotes on hand-written news sentences."""

from __future__ import annotations

import pytest

from streams.core.entities.extract import extract_entities
from streams.core.entities.quotes import extract_quotes


def _quotes(text: str) -> list[tuple[str, str | None]]:
    qs = extract_quotes(text, extract_entities(text))
    for q in qs:
        assert text[q.start : q.end] == q.text
    return [(q.text, q.speaker) for q in qs]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Foreign Minister Sergey Lavrov spoke in Moscow. “We see no answer to our main "
            "question about security”, - Lavrov said.",
            "Sergey Lavrov",
        ),
        (
            'Mayor Anna Berg said: "The bridge will reopen before the winter season."',
            "Anna Berg",
        ),
        (
            '"Our engineers found no structural damage at all," said Tom Hadley, a spokesman '
            "for the airport.",
            "Tom Hadley",
        ),
        (
            "Markets fell. «Investors are clearly worried about the new tariffs», according to "
            "Reuters.",
            "Reuters",
        ),
        (
            'Ambassador Peter Lang arrived late. "We will continue the talks next week," the '
            "diplomat told reporters.",
            "Peter Lang",
        ),
    ],
)
def test_quotes_attributes_speaker(text: str, speaker: str) -> None:
    quotes = _quotes(text)
    assert len(quotes) == 1
    assert quotes[0][1] == speaker


def test_quotes_unattributed_is_none() -> None:
    assert _quotes('The sign read "no entry beyond this point for visitors" in red.') == [
        ("no entry beyond this point for visitors", None)
    ]


@pytest.mark.parametrize("text", ['The new jet, dubbed "Skyliner", flew today.', "No quotes here."])
def test_quotes_skips_short_or_missing(text: str) -> None:
    assert _quotes(text) == []


def test_quotes_several_in_order() -> None:
    text = (
        'Analyst Rita Moreno said: "Demand for new aircraft keeps growing every year." '
        'Later, CEO Jan Novak added: "We are ready to double our production rate soon."'
    )
    assert [s for _, s in _quotes(text)] == ["Rita Moreno", "Jan Novak"]


def test_quotes_distant_speaker_is_found_for_a_pronoun() -> None:
    text = (
        "Mayor Anna Berg spoke to residents on Friday. "
        + "The river kept rising through the night and the roads were closed. " * 200
        + "\u201cWe will rebuild every bridge in this valley,\u201d she said."
    )
    assert _quotes(text)[-1] == ("We will rebuild every bridge in this valley,", "Anna Berg")


@pytest.mark.parametrize("count", [3, 300])
def test_quotes_many_speakers_each_get_their_own(count: int) -> None:
    people = ["Anna Berg", "Tom Hadley", "Olga Stone"]
    text = "".join(
        f"\u201cThe port will stay open all winter,\u201d said {people[k % 3]}. "
        for k in range(count)
    )
    found = _quotes(text)
    assert [s for _, s in found] == [people[k % 3] for k in range(count)]
