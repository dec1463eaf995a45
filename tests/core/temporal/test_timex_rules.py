"""Unit tests for the TIMEX3 rules added for TempEval-3 style values: tense, clock times with
their day, ranges, centuries, decades, race times, reporting quarters, holidays, anaphora,
modifiers and time zones."""

from __future__ import annotations

from datetime import datetime

import pytest

from streams.core.temporal.dateline import parse_dateline
from streams.core.temporal.holidays import holiday_date
from streams.core.temporal.mods import timex_mod
from streams.core.temporal.resolve import clause_tense, duration_value
from streams.core.temporal.timexes import extract_timexes

# A Thursday afternoon in March, and a Thursday in September (for months "ahead").
ANCHOR = datetime(2023, 3, 9, 15, 30)
AUTUMN = datetime(2023, 9, 14, 10, 0)
# A Thursday in early November, after the third quarter closed.
RESULTS = datetime(2023, 11, 2, 9, 0)


def _found(text: str, anchor: datetime | None = ANCHOR) -> dict[str, tuple[str, str]]:
    return {t.text: (t.type, t.value) for t in extract_timexes(text, anchor)}


def _values(text: str, anchor: datetime | None = ANCHOR) -> dict[str, str]:
    return {t.text: t.value for t in extract_timexes(text, anchor)}


@pytest.mark.parametrize(
    ("text", "mention", "value"),
    [
        ("Patrols would visit the square on Wednesday.", "Wednesday", "2023-03-15"),
        ("The ministers planned to meet on Monday.", "Monday", "2023-03-13"),
        ("The envoys were to fly home on Saturday.", "Saturday", "2023-03-11"),
        ("Officials said the crossing reopened on Monday.", "Monday", "2023-03-06"),
        ("Talks will resume on Monday, the mediator said.", "Monday", "2023-03-13"),
        ("The United States Army arrived on Tuesday.", "Tuesday", "2023-03-07"),
    ],
)
def test_timex_weekday_follows_the_clause_tense(text: str, mention: str, value: str) -> None:
    assert _values(text).get(mention) == value


def test_timex_neighbour_sentence_does_not_set_the_tense() -> None:
    text = "The council will vote in May. Protesters gathered on Monday."
    assert _values(text)["Monday"] == "2023-03-06"


@pytest.mark.parametrize(
    ("text", "mention", "value"),
    [
        ("The exhibition is to run through June.", "June", "2024-06"),
        ("The dividend is payable Jan. 5 to holders of record.", "Jan. 5", "2024-01-05"),
        ("The board approved the plan effective Feb. 1.", "Feb. 1", "2024-02-01"),
        ("The merger should close by February.", "February", "2024-02"),
        ("Deliveries start in November.", "November", "2023-11"),
        ("Prices have risen since March.", "March", "2023-03"),
        ("Exports fell sharply in December.", "December", "2022-12"),
    ],
)
def test_timex_month_without_year_follows_the_clause(text: str, mention: str, value: str) -> None:
    assert _values(text, AUTUMN).get(mention) == value


@pytest.mark.parametrize(
    ("text", "mention", "value"),
    [
        ("The race was postponed until 15:00 GMT Saturday.", "15:00 GMT Saturday",
         "2023-03-11T15:00Z"),
        ("The offer runs until 5 p.m. EST Nov. 9.", "5 p.m. EST Nov. 9", "2023-11-09T17:00-05:00"),
        ("The relatives have until 9 a.m. Tuesday to sign.", "9 a.m. Tuesday", "2023-03-14T09:00"),
        ("The court sat at 12:00 UTC Monday.", "12:00 UTC Monday", "2023-03-06T12:00Z"),
        ("He will leave at 4 in the morning.", "4 in the morning", "2023-03-09T04:00"),
        ("The vote closed at midday.", "midday", "2023-03-09T12:00"),
        ("Markets opened at 4.40pm and at 5 PM EST.", "5 PM EST", "2023-03-09T17:00-05:00"),
        ("He was shot at 10 p.m", "10 p.m", "2023-03-09T22:00"),
    ],
)  # fmt: skip
def test_timex_clock_time_takes_the_day_after_it(text: str, mention: str, value: str) -> None:
    assert _values(text).get(mention) == value


@pytest.mark.parametrize(
    ("text", "zone_value"),
    [
        ("The ceasefire began at 6:20 p.m. AMT.", "2023-03-09T18:20+04:00"),
        ("Trading halted at 4:40 p.m. ET.", "2023-03-09T16:40-05:00"),
        ("The jet landed at 7:05 a.m. BRT.", "2023-03-09T07:05-03:00"),
    ],
)
def test_timex_zone_abbreviations_after_a_clock(text: str, zone_value: str) -> None:
    assert zone_value in _values(text).values()


def test_timex_dateline_reads_every_zone_of_the_table() -> None:
    found = parse_dateline("March 3, 2024 6:20 PM AMT")
    assert found is not None and found.value is not None
    assert found.value.isoformat() == "2024-03-03T18:20:00+04:00"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The 2009-2010 season was long.", {"2009": "2009", "2010": "2010"}),
        ("Output rose in 2009–10.", {"2009": "2009", "10": "2010"}),
        ("The 1998-99 budget passed.", {"1998": "1998", "99": "1999"}),
    ],
)
def test_timex_year_range_gives_both_years(text: str, expected: dict[str, str]) -> None:
    assert _values(text) == expected


def test_timex_iso_date_is_not_a_range() -> None:
    assert _values("Records from 2009-10-05 were lost.") == {"2009-10-05": "2009-10-05"}


def test_timex_backward_year_pair_is_not_a_range() -> None:
    assert _values("Version 2010-05 of the code failed.") == {"2010": "2010"}


@pytest.mark.parametrize(
    ("text", "mention", "value"),
    [
        ("Wars scarred the 20th century.", "the 20th century", "19"),
        ("Railways spread in the nineteenth century.", "the nineteenth century", "18"),
        ("Cities grew in the twenty-first century.", "the twenty-first century", "20"),
        ("Rates soared in the nineties.", "the nineties", "199"),
        ("Music changed in the nineteen-sixties.", "the nineteen-sixties", "196"),
        ("Inflation peaked in the late 1970s.", "the late 1970s", "197"),
    ],
)
def test_timex_centuries_and_decades(text: str, mention: str, value: str) -> None:
    assert _values(text).get(mention) == value


def test_timex_an_age_is_not_a_decade() -> None:
    assert _values("The singer is in her sixties.") == {}


@pytest.mark.parametrize(
    ("text", "mention", "value"),
    [
        ("It happened in nineteen ninety-six.", "nineteen ninety-six", "1996"),
        ("A bridge was built in nineteen o five.", "nineteen o five", "1905"),
        ("Unemployment was to halve by the year two thousand.", "the year two thousand", "2000"),
    ],
)
def test_timex_years_in_words(text: str, mention: str, value: str) -> None:
    assert _values(text).get(mention) == value


@pytest.mark.parametrize(
    ("text", "mention", "value"),
    [
        ("She finished in 3:07:35 after a late surge.", "3:07:35", "PT3H7M35S"),
        ("He set a time of 2:05:11.4 on the flat course.", "2:05:11.4", "PT2H5M11.4S"),
    ],
)
def test_timex_race_time_is_a_duration(text: str, mention: str, value: str) -> None:
    assert _found(text)[mention] == ("DURATION", value)


def test_timex_clock_with_seconds_without_a_cue_stays_a_time() -> None:
    assert _found("At 10:30:00 the bell rang.")["10:30:00"] == ("TIME", "2023-03-09T10:30")


@pytest.mark.parametrize(
    ("text", "mention", "value"),
    [
        ("The deal should close by year-end.", "year-end", "2023"),
        ("Shares are up 4% since year-end.", "year-end", "2022"),
        ("Cuts are due by the end of the year.", "the end of the year", "2023"),
    ],
)
def test_timex_end_of_year_has_the_year_as_value(text: str, mention: str, value: str) -> None:
    assert _values(text).get(mention) == value


@pytest.mark.parametrize(
    ("text", "mod"),
    [
        ("the end of the year", "END"),
        ("year-end", "END"),
        ("late 2009", "END"),
        ("the early 1990s", "START"),
        ("mid-2011", "MID"),
        ("about two weeks", "APPROX"),
        ("a week or so ago", "APPROX"),
        ("at least 20 more years", "EQUAL_OR_MORE"),
        ("almost a hundred years", "LESS_THAN"),
        ("more than a decade", "MORE_THAN"),
        ("over the next year", None),
        ("overnight", None),
        ("Monday", None),
    ],
)
def test_timex_mod_from_the_words_of_the_expression(text: str, mod: str | None) -> None:
    assert timex_mod(text) == mod


@pytest.mark.parametrize(
    ("text", "mention", "value"),
    [
        ("Prices were 3% higher than a year earlier.", "a year earlier", "2022"),
        ("The talks collapsed six weeks ago.", "six weeks ago", "2023-W04"),
        ("Then, a week or so ago, the army moved.", "a week or so ago", "2023-W09"),
        ("The rescue took a minute and a half.", "a minute and a half", "PT1M30S"),
        ("The project is two and a half years late.", "two and a half years", "P2.5Y"),
        ("The lease runs for at least 20 more years.", "at least 20 more years", "P20Y"),
        ("Shares fell for eight trading days.", "eight trading days", "P8D"),
        ("The dispute has lasted almost a hundred years.", "almost a hundred years", "P100Y"),
    ],
)
def test_timex_counted_durations(text: str, mention: str, value: str) -> None:
    assert _values(text).get(mention) == value


def test_timex_duration_before_an_event_stays_a_duration() -> None:
    assert _found("Troops massed three days before the vote.")["three days"] == (
        "DURATION",
        "P3D",
    )


@pytest.mark.parametrize(
    "text",
    [
        "A 6-year-old boy was rescued.",
        "Employees 55 years old or older may retire.",
        "Send it as soon as you can.",
        "Shortly after the vote, crowds gathered.",
        "The earlier offer was rejected.",
    ],
)
def test_timex_no_expression_in_ages_and_conjunctions(text: str) -> None:
    assert extract_timexes(text, ANCHOR) == []


def test_timex_as_soon_as_possible_is_the_future() -> None:
    assert _values("Aid will arrive as soon as possible.") == {"soon": "FUTURE_REF"}


@pytest.mark.parametrize(
    ("text", "mention", "value"),
    [
        ("Net rose in the 2022 second quarter.", "the 2022 second quarter", "2022-Q2"),
        ("Sales for this year's third quarter fell.", "this year's third quarter", "2023-Q3"),
        ("The latest quarter was weak.", "The latest quarter", "2023-Q3"),
        ("The current quarter began well.", "The current quarter", "2023-Q4"),
        ("In the year-ago quarter, it lost money.", "the year-ago quarter", "2022-Q3"),
        (
            "Third-quarter profit rose to $5 million from $3 million a year ago.",
            "a year ago",
            "2022-Q3",
        ),
        ("Prices rose 5% from a year ago.", "a year ago", "2022"),
    ],
)
def test_timex_reporting_quarters(text: str, mention: str, value: str) -> None:
    assert _values(text, RESULTS).get(mention) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Over the weekend, officials met.", "2023-W09-WE"),
        ("Crews will rest over the weekend.", "2023-W10-WE"),
    ],
)
def test_timex_the_weekend_follows_the_tense(text: str, value: str) -> None:
    assert _values(text)["the weekend"] == value


@pytest.mark.parametrize(
    ("text", "mention", "value"),
    [
        ("The helicopters crashed last April.", "last April", "2022-04"),
        ("Elections are due this September.", "this September", "2023-09"),
        ("The summit is set for next February.", "next February", "2024-02"),
        ("Last January, the plant closed.", "Last January", "2023-01"),
    ],
)
def test_timex_month_named_from_now(text: str, mention: str, value: str) -> None:
    assert _values(text).get(mention) == value


def test_timex_every_month_is_a_set() -> None:
    assert _found("Pilgrims gather each July.")["each July"] == ("SET", "XXXX-07")


@pytest.mark.parametrize(
    ("text", "mention", "value"),
    [
        ("The boy was found on Thanksgiving Day.", "Thanksgiving Day", "2022-11-24"),
        ("The leaders will meet on Christmas Eve.", "Christmas Eve", "2023-12-24"),
        ("Pilgrims came last Easter.", "last Easter", "2022-04-17"),
        ("Crowds filled the square at Easter 2024.", "Easter 2024", "2024-03-31"),
    ],
)
def test_timex_holidays(text: str, mention: str, value: str) -> None:
    assert _values(text).get(mention) == value


def test_timex_holiday_name_before_a_noun_is_not_the_day() -> None:
    assert _values("Christmas sales rose by 4%.") == {}


@pytest.mark.parametrize(
    ("name", "year", "day"),
    [
        ("Election Day", 2024, "2024-11-05"),
        ("Memorial Day", 2024, "2024-05-27"),
        ("Good Friday", 2000, "2000-04-21"),
        ("new year's day", 2025, "2025-01-01"),
    ],
)
def test_timex_holiday_dates(name: str, year: int, day: str) -> None:
    assert holiday_date(name, year).isoformat() == day


@pytest.mark.parametrize(
    ("text", "mention", "value"),
    [
        ("He was promoted in May 1995, and the following year he left.", "the following year",
         "1996"),
        ("The firm was founded in 1990. That year sales doubled.", "That year", "1990"),
        ("A fire broke out on June 3, 2001. Earlier that day, a storm hit.", "Earlier that day",
         "2001-06-03"),
        ("The following month, the company was sold.", "The following month", "2023-04"),
        ("He died on Oct. 23, 2022. Two men came the day after.", "the day after", "2022-10-24"),
    ],
)  # fmt: skip
def test_timex_anaphoric_expressions_count_from_the_story(
    text: str, mention: str, value: str
) -> None:
    assert _values(text).get(mention) == value


@pytest.mark.parametrize(
    ("text", "mention", "value"),
    [
        ("Earlier Sunday, police cleared the road.", "Earlier Sunday", "2023-03-05"),
        ("Clashes erupted late Tuesday.", "late Tuesday", "2023-03-07"),
        ("Yesterday's vote was close.", "Yesterday", "2023-03-08"),
        ("Today's voters are younger.", "Today", "PRESENT_REF"),
        ("The envoy arrives later this afternoon.", "later this afternoon", "2023-03-09TAF"),
    ],
)
def test_timex_modified_days(text: str, mention: str, value: str) -> None:
    assert _values(text).get(mention) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The match was postponed until Saturday.", 1),
        ("The flight was delayed on Saturday.", -1),
        ("The talks will be held on Saturday.", 1),
        ("Officials met on Saturday.", -1),
        ("Votes on Saturday.", 0),
    ],
)
def test_timex_clause_tense(text: str, expected: int) -> None:
    start = text.index("Saturday")
    assert clause_tense(text, start, start + len("Saturday")) == expected


@pytest.mark.parametrize(
    ("amount", "unit", "value"),
    [(1.5, "minute", "PT1M30S"), (2.5, "hour", "PT2H30M"), (2.5, "year", "P2.5Y"),
     (0.5, "hour", "PT30M"), (None, "day", "PXD")],
)  # fmt: skip
def test_timex_duration_fractions(amount: float | None, unit: str, value: str) -> None:
    assert duration_value(amount, unit) == value


@pytest.mark.parametrize(
    ("text", "mention", "value"),
    [
        ("The jet flew on Tuesday from Everett at 18:00 UTC.", "18:00 UTC", "2023-03-07T18:00Z"),
        ("Polls close at 20:00 UTC.", "20:00 UTC", "2023-03-09T20:00Z"),
        ("Voting began on Monday. Polls closed at 20:00 UTC.", "20:00 UTC", "2023-03-06T20:00Z"),
        ("Shares rose on Tuesday, then fell later in the day.", "the day", "2023-03-07"),
        ("It spoke at 16:15 UTC, March 1, in Paris.", "16:15 UTC, March 1", "2023-03-01T16:15Z"),
    ],
)
def test_timex_clock_time_on_the_day_its_sentence_names(
    text: str, mention: str, value: str
) -> None:
    assert _values(text).get(mention) == value


@pytest.mark.parametrize(
    ("text", "mention", "value"),
    [
        ("Sales rose in February compared with the same period last year.",
         "the same period last year", "2022-02"),
        ("Orders fell on Jan. 5 against the same month a year ago.",
         "the same month a year ago", "2022-01"),
        ("Profit fell in the third quarter from the corresponding period of 2020.",
         "the corresponding period of 2020", "2020-Q3"),
        ("Costs were lower than in the same period last year.", "the same period last year",
         "2022"),
    ],
)  # fmt: skip
def test_timex_same_period_a_year_before(text: str, mention: str, value: str) -> None:
    assert _values(text).get(mention) == value


@pytest.mark.parametrize(
    ("text", "mention", "value"),
    [
        ("Hate groups grew over the past year.", "the past year", "2022"),
        ("Prices fell in the past decade.", "the past decade", "201"),
        ("The firm fared well in the last quarter.", "the last quarter", "2022-Q4"),
    ],
)
def test_timex_the_past_unit_is_the_one_before(text: str, mention: str, value: str) -> None:
    assert _values(text).get(mention) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The roof was hit by Friday's storm.", "2023-03-03"),
        ("The deal closes by Friday.", "2023-03-10"),
    ],
)
def test_timex_by_points_ahead_unless_it_names_an_agent(text: str, value: str) -> None:
    assert _values(text)["Friday"] == value


@pytest.mark.parametrize("text", ["Christmas Island flooded.", "The Easter Rising began."])
def test_timex_holiday_name_inside_a_proper_name_is_not_the_day(text: str) -> None:
    assert extract_timexes(text, ANCHOR) == []


@pytest.mark.parametrize(
    ("text", "mention", "kind", "value"),
    [
        ("For the year, volume was flat.", "the year", "DATE", "2023"),
        ("The group lost $2 million for the entire year.", "the entire year", "DATE", "2023"),
        ("Net income for the year ended June 30 rose.", "the year", "DURATION", "P1Y"),
    ],
)
def test_timex_the_year_of_a_results_story(text: str, mention: str, kind: str, value: str) -> None:
    assert _found(text, RESULTS)[mention] == (kind, value)


@pytest.mark.parametrize(
    ("text", "mention", "value"),
    [
        ("The ferry sails on Mondays.", "Mondays", "XXXX-WXX-1"),
        ("Flights leave on Tuesday nights.", "Tuesday nights", "XXXX-WXX-2TNI"),
    ],
)
def test_timex_plural_weekday_is_a_set(text: str, mention: str, value: str) -> None:
    assert _found(text)[mention] == ("SET", value)


@pytest.mark.parametrize(
    ("text", "mention", "value"),
    [
        ("The march is this coming Sunday.", "this coming Sunday", "2023-03-12"),
        ("Troops moved in on Monday. By mid-afternoon, the town fell.", "mid-afternoon",
         "2023-03-06TAF"),
        ("Shares were up at mid-afternoon yesterday.", "mid-afternoon yesterday",
         "2023-03-08TAF"),
    ],
)  # fmt: skip
def test_timex_days_and_parts_of_days_in_context(text: str, mention: str, value: str) -> None:
    assert _values(text).get(mention) == value
