"""Unit tests for streams.core.text.clean: titles, datelines, credits, trailers and edge input."""

from __future__ import annotations

import random
import re

import pytest

from streams.core.text.clean import Cleaned, clean_text, line_key, normalize_text
from streams.core.text.clutter import clutter_kind
from streams.core.text.meta_lines import split_meta_line

HEADLINE = "Kremlin says Western reply ignores its core demand on alliance growth"
PARA_1 = (
    "The Kremlin's spokesman, Dmitry Peskov, said on Thursday that the written answers handed "
    "over by Washington did not address Moscow's main concern, the eastward growth of the "
    "alliance (pictured, a briefing in Moscow)."
)
PARA_2 = (
    "\u201cWe see no constructive answer on the key question,\u201d Peskov told reporters, "
    "adding that the text had been shared with allies before it was delivered."
)
PARA_3 = (
    "Officials in Brussels said the proposals would be published once all members agreed, "
    "and that talks at the level of deputy ministers could resume in February."
)

# The shape of a scraped page: the headline three times, a glued metadata line with a
# Cyrillic photo credit, body paragraphs, a trailer.
SCRAPED = (
    f"{HEADLINE}\n\n{HEADLINE}\n{HEADLINE}\n"
    "3 February, 11:25WorldФото: Пресс-служба\n"
    f"{PARA_1}\n\n{PARA_2}\n\n{PARA_3}\n\n"
    "Found a typo in the text? Select it and press ctrl + enter"
)


@pytest.fixture(scope="module")
def scraped() -> Cleaned:
    return clean_text(SCRAPED)


def test_clean_repeated_headline_becomes_title_once(scraped: Cleaned) -> None:
    assert scraped.title == HEADLINE
    assert HEADLINE not in scraped.text


def test_clean_dateline_is_first_line_of_text(scraped: Cleaned) -> None:
    assert scraped.text.split("\n")[0] == "3 February, 11:25"


def test_clean_section_and_credit_go_to_header(scraped: Cleaned) -> None:
    assert scraped.header == ["World", "Фото: Пресс-служба"]
    assert "World" not in scraped.text.split("\n")[0]
    assert "Пресс-служба" not in scraped.text


def test_clean_trailer_removed(scraped: Cleaned) -> None:
    assert "typo" not in scraped.text
    assert "ctrl" not in scraped.text


@pytest.mark.parametrize("paragraph", [PARA_1, PARA_2, PARA_3])
def test_clean_body_paragraphs_kept_intact(scraped: Cleaned, paragraph: str) -> None:
    assert paragraph in scraped.text


def test_clean_paragraphs_separated_by_blank_lines(scraped: Cleaned) -> None:
    assert scraped.text.split("\n\n") == ["3 February, 11:25", PARA_1, PARA_2, PARA_3]


def test_clean_single_headline_stays_in_text_and_is_title() -> None:
    text = f"Storm cuts power to coastal towns\n\nMarch 3, 2021\n\n{PARA_3}"
    cleaned = clean_text(text)
    assert cleaned.title == "Storm cuts power to coastal towns"
    assert cleaned.text == text


def test_clean_given_title_repeated_in_text_is_removed() -> None:
    title = "Storm cuts power to coastal towns"
    cleaned = clean_text(f"{title}\n{title.upper()}.\n{PARA_3}", title=title)
    assert cleaned.title == title
    assert cleaned.text == PARA_3


def test_clean_given_title_wins_over_repeated_first_line() -> None:
    cleaned = clean_text(f"Short head\nShort head\n{PARA_3}", title="Given title")
    assert cleaned.title == "Given title"
    assert cleaned.text == PARA_3


def test_clean_repeated_sentence_is_not_taken_for_a_headline() -> None:
    cleaned = clean_text(f"{PARA_3}\n\n{PARA_3}\n\n{PARA_1}")
    assert cleaned.title is None
    assert cleaned.text.count(PARA_3) == 2


def test_clean_sentence_first_line_is_not_a_title() -> None:
    cleaned = clean_text(f"{PARA_1}\n{PARA_2}")
    assert cleaned.title is None
    assert cleaned.text == f"{PARA_1}\n{PARA_2}"


@pytest.mark.parametrize(
    "line",
    [
        "Share this article",
        "Share on Facebook | Twitter | Email",
        "Facebook Twitter WhatsApp Telegram",
        "We use cookies to improve your experience. By continuing you accept our cookie policy.",
        "Accept all cookies",
        "Subscribe to our daily newsletter for the latest headlines",
        "Sign up for our morning briefing",
        "Read more: Ministers split over the new budget",
        "READ MORE",
        "Related: What the vote means for farmers",
        "Advertisement",
        "ADVERTISEMENT",
        "Story continues below advertisement",
        "Found a typo? Select it and press Ctrl+Enter",
        "Нашли опечатку? Выделите её и нажмите Ctrl+Enter",
        "Читайте также: Депутаты обсудили новый закон",
        "Подписывайтесь на наш Telegram-канал",
        "Реклама",
        "© 2024 Northern Herald Ltd",
        "Copyright 2024 Valley Press. All rights reserved.",
        "Все права защищены.",
        "Follow us on Twitter and Instagram",
        "@valleypress #breaking",
        "Photo: Reuters",
        "Фото: ТАСС",
        "Getty Images",
        "AFP/Getty Images",
        "Image caption Rescue teams worked through the night",
        "Reporting by Anna Berg in Oslo; Editing by Tom Hale",
        "5 min read",
        "Tags: elections, parliament",
        "Lesen Sie auch: Neue Regeln für Banken",
        "Lire aussi : le budget adopté",
    ],
)
def test_clean_clutter_lines_removed(line: str) -> None:
    assert clutter_kind(line) is not None
    assert clean_text(f"{PARA_3}\n{line}\n{PARA_1}").text == f"{PARA_3}\n{PARA_1}"


@pytest.mark.parametrize(
    "sentence",
    [
        "Lavrov said the text was shared with allies before the meeting.",
        "Share prices fell 3% on Monday after the announcement.",
        "The company said it would advertise the posts abroad.",
        "Readers who subscribe to the theory say the vote was rigged.",
        "By Tuesday, the troops had withdrawn from the valley.",
        "Related talks are expected to begin next week in Vienna.",
        "The photo, taken on Monday, shows damaged buildings in the port.",
        "Moscow said the cookies were a gift from the ambassador.",
        "The court said all rights reserved to the state under the treaty were void in 2019.",
    ],
)
def test_clean_real_sentences_with_clutter_words_kept(sentence: str) -> None:
    text = f"{PARA_3}\n\n{sentence}"
    assert sentence in clean_text(text).text


@pytest.mark.parametrize(
    ("line", "keep", "header"),
    [
        ("27 January, 16:40PoliticsPhoto: Соцсети", ["27 January, 16:40"],
         ["Politics", "Photo: Соцсети"]),
        ("12 марта 2023, 09:15ПроисшествияФото: РИА Новости", ["12 марта 2023, 09:15"],
         ["Происшествия", "Фото: РИА Новости"]),
        ("May 5, 2023 8:00 AM | Politics | Photo: AP", ["May 5, 2023 8:00 AM"],
         ["Politics", "Photo: AP"]),
        ("14.03.2023 18:02 · Economy", ["14.03.2023 18:02"], ["Economy"]),
        ("Updated: 5 May 2023 10:00", [], ["Updated: 5 May 2023 10:00"]),
        ("By Jane Doe and John Smith, Reuters", [], ["By Jane Doe and John Smith, Reuters"]),
        ("3 February, 11:25Troops were seen near the river.",
         ["3 February, 11:25", "Troops were seen near the river."], []),
    ],
)  # fmt: skip
def test_clean_meta_line_split(line: str, keep: list[str], header: list[str]) -> None:
    split = split_meta_line(line)
    assert split is not None
    assert split.keep == keep
    assert split.header == header


@pytest.mark.parametrize(
    "line",
    [
        "March 01, 2008",
        "27 January, 16:40 Moscow",
        "Officials said 16:40 was the deadline.",
        "Russian Foreign Minister Sergey Lavrov said on Monday talks would continue.",
        "By Tuesday, the troops had withdrawn.",
        "McDonald's closes restaurants",
    ],
)
def test_clean_meta_line_left_alone(line: str) -> None:
    assert split_meta_line(line) is None


def test_clean_glued_dateline_and_sentence_split_onto_two_lines() -> None:
    cleaned = clean_text(f"3 February, 11:25Troops were seen near the river.\n\n{PARA_3}")
    first, second = cleaned.text.split("\n\n")[:2]
    assert (first, second) == ("3 February, 11:25", "Troops were seen near the river.")


def test_clean_updated_stamp_and_byline_moved_to_header() -> None:
    text = f"By Maria Keller\nUpdated 4 February 2022, 09:00\n{PARA_1}"
    cleaned = clean_text(text, title="Given")
    assert cleaned.header == ["By Maria Keller", "Updated 4 February 2022, 09:00"]
    assert cleaned.text == PARA_1


def test_clean_trailing_caption_credit_cut() -> None:
    cleaned = clean_text(f"{PARA_3}\nRescuers search the rubble in the old town. Photo: AP")
    assert cleaned.text.endswith("the old town.")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\r\nb\rc", "a\nb\nc"),
        ("a\u200bb\ufeffc\u00adD", "abcD"),
        ("a\x00b\x07c\x1bd", "a b c d"),
        ("a\tb\u00a0c\u2009d   e", "a b c d e"),
        ("p1\n\n\n\n\np2", "p1\n\np2"),
        ("line\u2028next", "line\nnext"),
    ],
)
def test_clean_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


def test_clean_line_key_ignores_case_space_and_punctuation() -> None:
    assert line_key("Talks  resume, in Geneva!") == line_key("TALKS RESUME IN GENEVA")


@pytest.mark.parametrize("raw", ["", "   ", "\n\n\n", "\x00\x01\u200b\ufeff"])
def test_clean_empty_input(raw: str) -> None:
    cleaned = clean_text(raw)
    assert cleaned.text == ""
    assert cleaned.title is None


def test_clean_only_clutter_gives_empty_text() -> None:
    raw = "Share\nAdvertisement\nFound a typo? Select it and press Ctrl+Enter\n© 2023 Ledger"
    assert clean_text(raw).text == ""


def test_clean_very_long_line_kept() -> None:
    long_line = "Officials said the situation remained calm. " * 50_000
    assert clean_text(long_line).text == long_line.strip()


def test_clean_random_control_characters_do_not_crash() -> None:
    rng = random.Random(7)
    alphabet = [chr(c) for c in range(0, 0x30)] + ["\u200b", "\u2028", "\ufeff", "a", "Б", " "]
    for _ in range(50):
        raw = "".join(rng.choice(alphabet) for _ in range(300))
        cleaned = clean_text(raw)
        assert not any(ord(ch) < 0x20 and ch != "\n" for ch in cleaned.text)
        assert "\u200b" not in cleaned.text


def test_clean_does_not_touch_inside_of_sentences() -> None:
    sentence = "Prices rose 5%  in March ,according to the \u201cstatistics office\u201d (ONS) ."
    cleaned = clean_text(f"{PARA_3}\n{sentence}")
    # Only whitespace runs are collapsed; punctuation and spacing quirks stay as written.
    assert cleaned.text.split("\n")[1] == sentence.replace("  ", " ")


def test_clean_offsets_of_body_sentences_are_stable(scraped: Cleaned) -> None:
    # each mention sits at its paragraph's start plus its offset in the paragraph as written
    found = [m.start() for m in re.finditer("Peskov", scraped.text)]
    expected = [scraped.text.index(p) + p.index("Peskov") for p in (PARA_1, PARA_2)]
    assert found == expected
    assert scraped.text.count("Peskov") == SCRAPED.count("Peskov")


def test_clean_control_character_between_words_separates_them() -> None:
    assert clean_text("Sergey\x00Lavrov met\x07Antony Blinken.").text == (
        "Sergey Lavrov met Antony Blinken."
    )


def test_clean_drops_bidirectional_isolates() -> None:
    text = "The \u2066Kremlin\u2069 said \u2067nothing\u2068 more.\u2069"
    assert clean_text(text).text == "The Kremlin said nothing more."
