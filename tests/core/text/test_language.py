"""Unit tests for streams.core.text.language: ISO codes, abstention, sampling and speed."""

from __future__ import annotations

import pytest

from streams.core.text.language import (
    MAX_CHARS,
    SUPPORTED_LANGUAGES,
    _sample,
    detect_language,
    language_tag,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rescue teams reached the flooded villages on Monday, the regional governor said.", "en"),
        ("Спасатели добрались до затопленных сёл в понедельник, сообщил губернатор области.", "ru"),
        ("Рятувальники дісталися затоплених сіл у понеділок, повідомив голова області.", "uk"),
        ("Die Rettungskräfte erreichten am Montag die überfluteten Dörfer, sagte der Gouverneur.",
         "de"),
        ("Les secours ont atteint lundi les villages inondés, a déclaré le gouverneur.", "fr"),
        ("Los equipos de rescate llegaron el lunes a los pueblos inundados, dijo el gobernador.",
         "es"),
        ("Le squadre di soccorso hanno raggiunto lunedì i villaggi allagati, ha detto il sindaco.",
         "it"),
        ("As equipes de resgate chegaram na segunda-feira às aldeias inundadas, disse o prefeito.",
         "pt"),
        ("Ratownicy dotarli w poniedziałek do zalanych wsi, poinformował wojewoda.", "pl"),
        ("وصلت فرق الإنقاذ يوم الاثنين إلى القرى التي غمرتها المياه، بحسب ما قال المحافظ.", "ar"),
        ("救援队周一抵达了被洪水淹没的村庄，省长表示。", "zh"),
        ("Kurtarma ekipleri pazartesi günü sular altında kalan köylere ulaştı, dedi vali.", "tr"),
        ("De reddingsploegen bereikten maandag de overstroomde dorpen, zei de gouverneur.", "nl"),
    ],
)  # fmt: skip
def test_language_detects_iso_code(text: str, expected: str) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "Hi there",
        "Путин заявил",
        "12:30 14.05.2022 !!! 100%",
        "https://example.com/a/b?c=1",
    ],
)
def test_language_abstains_on_short_or_letterless_text(text: str) -> None:
    assert detect_language(text) is None


def test_language_codes_are_lowercase_iso_639_1() -> None:
    assert all(len(code) == 2 and code.islower() for code in SUPPORTED_LANGUAGES)
    assert {"en", "ru", "uk", "de", "fr", "es", "it", "pt", "pl", "ar", "zh", "tr"} <= set(
        SUPPORTED_LANGUAGES
    )


def test_language_only_leading_sample_is_read() -> None:
    english = "The minister said on Monday that talks would continue next week. " * 30
    german = "Der Minister sagte am Montag, die Gespräche würden nächste Woche weitergehen. " * 30
    assert detect_language(english + german) == "en"
    sample = _sample(english + german)
    assert len(sample) <= MAX_CHARS
    assert not sample.endswith(("Th", "Tha"))  # cut at a word boundary


def test_language_of_a_long_text_is_read_from_its_start() -> None:
    text = "Officials said the ceasefire held overnight along the whole front line. " * 40
    assert detect_language(text) == detect_language(text[:300]) == "en"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("en", "en"),
        ("EN", "en"),
        (" en-gb ", "en-GB"),
        ("pt_BR", "pt-BR"),
        ("zh-hant-tw", "zh-Hant-TW"),
        ("yue", "yue"),
        ("english", None),
        ("xx", None),
        ("en-", None),
        ("en\nfr", None),
        ("", None),
    ],
)
def test_language_tag_is_normalised_or_refused(value: str, expected: str | None) -> None:
    assert language_tag(value) == expected
