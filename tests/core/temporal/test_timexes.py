"""Unit tests for time-expression extraction and TIMEX3 value resolution."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from streams.core.temporal.lexicon import ZONE_RE, number_value, zone_abbreviations, zone_of
from streams.core.temporal.timexes import extract_timexes

# A Thursday afternoon.
ANCHOR = datetime(2023, 3, 9, 15, 30)


def _values(text: str, anchor: datetime | None = ANCHOR) -> dict[str, str]:
    return {t.text: t.value for t in extract_timexes(text, anchor)}


@pytest.mark.parametrize(
    ("text", "mention", "value"),
    [
        ("The treaty was signed on October 4, 2021 in Geneva.", "October 4, 2021", "2021-10-04"),
        ("Talks resumed on 2 March after a pause.", "2 March", "2023-03-02"),
        ("The records from 2021-11-30 were lost.", "2021-11-30", "2021-11-30"),
        ("The plant opened in June 2019.", "June 2019", "2019-06"),
        ("Output peaked in 2016, officials said.", "2016", "2016"),
        ("The statement came at 11:20 p.m. local time.", "11:20 p.m.", "2023-03-09T23:20"),
        ("Polls close at 20:00 UTC.", "20:00 UTC", "2023-03-09T20:00Z"),
        ("The minister resigned on Monday.", "Monday", "2023-03-06"),
        ("The vote will take place on Monday.", "Monday", "2023-03-13"),
        ("Protesters gathered on Thursday.", "Thursday", "2023-03-09"),
        ("Rescuers arrived yesterday.", "yesterday", "2023-03-08"),
        ("The mayor will speak tomorrow.", "tomorrow", "2023-03-10"),
        ("Shelling resumed overnight and again tonight.", "tonight", "2023-03-09TNI"),
        ("Guards heard shots the night before.", "the night before", "2023-03-08TNI"),
        ("Flights were cancelled last night.", "last night", "2023-03-08TNI"),
        ("The ruling came this morning.", "this morning", "2023-03-09TMO"),
        ("Prices rose last week.", "last week", "2023-W09"),
        ("The envoy travels next week.", "next week", "2023-W11"),
        ("Exports fell last month.", "last month", "2023-02"),
        ("Turnout rose last year.", "last year", "2022"),
        ("Growth slowed this year.", "this year", "2023"),
        ("Profits doubled in the third quarter of 2022.", "the third quarter of 2022", "2022-Q3"),
        ("Inflation soared in the 1970s.", "the 1970s", "197"),
        ("The siege lasted three days.", "three days", "P3D"),
        ("Crews worked for 48 hours straight.", "48 hours", "PT48H"),
        ("The visit lasted two weeks.", "two weeks", "P2W"),
        ("The outage lasted a few days.", "a few days", "PXD"),
        ("The dispute has gone on for years.", "years", "PXY"),
        ("A truce will hold within 48 hours.", "48 hours", "2023-03-11T15:30"),
        ("A few days earlier, troops had moved.", "A few days earlier", "PAST_REF"),
        ("The border was recently reopened.", "recently", "PAST_REF"),
        ("The crossing is now closed.", "now", "PRESENT_REF"),
        ("At the moment, no talks are planned.", "At the moment", "PRESENT_REF"),
        ("Aid should arrive in the near future.", "in the near future", "FUTURE_REF"),
        ("Details will be released soon.", "soon", "FUTURE_REF"),
        ("Inspectors visit the site every week.", "every week", "P1W"),
        ("The bulletin is published daily.", "daily", "P1D"),
        ("The summit is held annually.", "annually", "P1Y"),
        ("The firm builds 40 jets a year.", "a year", "P1Y"),
        ("The pact was agreed two years ago.", "two years ago", "2021"),
    ],
)
def test_timex_values(text: str, mention: str, value: str) -> None:
    assert _values(text).get(mention) == value


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("The siege lasted three days.", "DURATION"),
        ("Inspectors visit the site every week.", "SET"),
        ("The statement came at 11:20 p.m. local time.", "TIME"),
        ("Rescuers arrived yesterday.", "DATE"),
    ],
)
def test_timex_types(text: str, kind: str) -> None:
    (found,) = extract_timexes(text, ANCHOR)
    assert found.type == kind


@pytest.mark.parametrize(
    "text",
    [
        "Officials may march to the square, and one second-hand stall sold US$100 of goods.",
        "The Sun reported that shoppers sat down.",
        "Theresa May spoke to reporters.",
        "The firm hired 2015 workers and sold 1999 cars.",
        "Supporters may decide to march on the capital.",
    ],
)
def test_timex_no_false_dates(text: str) -> None:
    assert extract_timexes(text, ANCHOR) == []


def test_timex_offsets_index_text_exactly() -> None:
    text = "Москва — On Tuesday, March 7, 2023, officials met; talks resume next month."
    found = extract_timexes(text, ANCHOR)
    assert [t.text for t in found] == ["Tuesday, March 7, 2023", "next month"]
    assert all(text[t.start : t.end] == t.text for t in found)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Rescuers arrived yesterday.", "XXXX-XX-XX"),
        ("Prices rose last week.", "XXXX-WXX"),
        ("Turnout rose last year.", "XXXX"),
        ("The minister resigned on Monday.", "XXXX-WXX-1"),
        ("Talks resumed on 2 March after a pause.", "XXXX-03-02"),
        ("The border was recently reopened.", "PAST_REF"),
    ],
)
def test_timex_without_anchor_stays_unresolved(text: str, value: str) -> None:
    (found,) = extract_timexes(text, None)
    assert found.value == value


def test_timex_aware_anchor_uses_wall_clock_date() -> None:
    anchor = datetime(2023, 3, 9, 23, 30, tzinfo=UTC)
    assert _values("Rescuers arrived yesterday.", anchor)["yesterday"] == "2023-03-08"


def test_timex_zone_offset_with_daylight_saving() -> None:
    values = _values("Trading halted at 9:30 a.m. ET.", datetime(2022, 7, 14))
    assert values["9:30 a.m. ET"] == "2022-07-14T09:30-04:00"


def test_timex_empty_text() -> None:
    assert extract_timexes("", ANCHOR) == []


@pytest.mark.parametrize("name", sorted(set(zone_abbreviations()) - {"Z"}))
def test_timex_zone_pattern_reads_every_zone_name_it_can_resolve(name: str) -> None:
    assert re.fullmatch(ZONE_RE, name) is not None
    assert zone_of(name) is not None


@pytest.mark.parametrize(("text", "value"), [("twenty-five", 25), ("3", 3), ("a dozen", 12)])
def test_timex_number_words(text: str, value: float) -> None:
    assert number_value(text) == value


def test_timex_long_text_finds_every_repetition() -> None:
    paragraph = (
        "On Monday, March 6, 2023, the ministry said 1,200 troops had moved in the past "
        "two weeks. Officials expect talks next month, and inspectors will visit every week "
        "until the end of this year, a spokesman told reporters at 16:40 GMT yesterday. "
    )
    once = extract_timexes(paragraph, ANCHOR)
    many = extract_timexes(paragraph * 12, ANCHOR)  # about 3 KB
    assert once and len(many) == 12 * len(once)
    assert [t.value for t in many[: len(once)]] == [t.value for t in once]


@pytest.mark.parametrize(
    "phrase",
    [
        "will", "won't", "shall", "should", "going to", "plans to", "plan to", "planning to",
        "scheduled", "expects to", "expect to", "expected to", "is due to", "are due to",
        "set to", "intends to", "intend to", "upcoming", "next", "coming", "from now",
        "hopes to", "hope to", "aims to", "aim to", "they'll", "WILL", "Scheduled", "would",
        "planned to", "were to", "was due to", "intended to", "slated to",
    ],
)  # fmt: skip
def test_timex_every_future_cue_puts_the_clause_in_the_future(phrase: str) -> None:
    from streams.core.temporal.resolve import tense

    text = f"The talks {phrase} resume on Monday."
    assert tense(text, *_span(text, "Monday")) == 1


@pytest.mark.parametrize(
    "word",
    [
        "announced", "stopped", "said", "told", "was", "were", "had", "did", "made", "took",
        "gave", "came", "went", "began", "won", "lost", "sold", "bought", "rose", "fell", "left",
        "met", "saw", "became", "got", "held", "paid", "led", "spent", "sent", "brought",
        "found", "built", "chose", "wrote", "spoke", "broke", "flew", "drove", "grew", "shut",
        "quit", "SAID",
    ],
)  # fmt: skip
def test_timex_every_past_verb_next_to_the_expression_outweighs_a_later_future_cue(
    word: str,
) -> None:
    from streams.core.temporal.resolve import tense

    # "will" is in the sentence but not next to "Monday": only a past verb there makes it past
    text = f"Officials {word} it on Monday, according to a statement, and talks will resume."
    assert tense(text, *_span(text, "Monday")) == -1


@pytest.mark.parametrize("word", ["hold", "plan", "see"])
def test_timex_without_a_past_verb_the_later_future_cue_decides(word: str) -> None:
    from streams.core.temporal.resolve import tense

    text = f"Officials {word} it on Monday, according to a statement, and talks will resume."
    assert tense(text, *_span(text, "Monday")) == 1


@pytest.mark.parametrize("text", ["Officials met on Monday.", "The vote is held on Monday."])
def test_timex_clause_without_a_future_cue_is_past(text: str) -> None:
    from streams.core.temporal.resolve import tense

    assert tense(text, *_span(text, "Monday")) == -1


def _span(text: str, word: str) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


@pytest.mark.parametrize("count", [50, 400])
def test_timex_repeated_dates_are_all_taken(count: int) -> None:
    found = extract_timexes("27 January, " * count, ANCHOR)
    assert len(found) == count
    assert all(t.value == "2023-01-27" for t in found)
