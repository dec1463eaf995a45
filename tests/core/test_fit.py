"""Fitting outputs into one message: articles cut down with a `truncated` marker, letters
carrying an excerpt, and everything else exactly as before."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from typing import Any
from unittest.mock import ANY

import orjson
import pytest

from streams.core.fit import (
    ARTICLE_RESERVE_BYTES,
    MAX_HEADER_CHARS,
    PAYLOAD_EXCERPT_BYTES,
    fit_article,
    to_json,
)
from streams.core.pipeline import CoreOptions, MessageContext, dead_letter, enrich
from streams.errors import DecodeError
from streams.models import (
    DeadLetter,
    EnrichedArticle,
    Entity,
    Escalation,
    EscalationMatch,
    Quote,
    TruncatedField,
)
from tests.support.articles import CLEAN_ESCALATION, as_bytes


def _enrich(body: str, limit: int, **fields: str) -> EnrichedArticle:
    payload = orjson.dumps({"id": "big", "body": body, **fields})
    options = CoreOptions(max_message_bytes=2_000_000, max_output_bytes=limit)
    result = enrich(payload, options=options)
    assert isinstance(result, EnrichedArticle), result
    return result


def _article(text: str, **fields: object) -> EnrichedArticle:
    return EnrichedArticle(
        article_id="a1",
        text=text,
        received_at="2025-03-15T12:00:00.000Z",
        processed_at="2025-03-15T12:00:00.000Z",
        fingerprint="0" * 16,
        pipeline_version="test",
        **fields,  # type: ignore[arg-type]
    )


def test_fit_an_article_that_fits_is_returned_as_it_is() -> None:
    result = enrich(as_bytes(CLEAN_ESCALATION))
    assert isinstance(result, EnrichedArticle)
    assert result.truncated is None
    assert fit_article(result, 1_000_000) is result


@pytest.mark.parametrize(
    ("body", "limit"),
    [
        ("deploy troops " * 14_000, 200_000),  # 10 bytes of matches per byte of text
        ("deploy troops " * 14_000, 40_000),  # the text itself must be cut too
        ("Lavrov said troops deployed at 12:30 on Monday. " * 3_000, 100_000),
        ("Talks resume at 12:30 and 14:45 today. " * 4_000, 100_000),
    ],
)
def test_fit_an_oversized_article_fits_its_limit_and_says_what_went(body: str, limit: int) -> None:
    full = _enrich(body, 50_000_000)
    assert len(to_json(full)) > limit, "the case must not fit to start with"
    cut = _enrich(body, limit)
    assert len(to_json(cut)) <= limit - ARTICLE_RESERVE_BYTES
    assert cut.truncated
    assert full.text.startswith(cut.text)
    unread = full.truncated or {}  # what reading left out (long texts), counted in both
    assert cut.truncated.get("text", 0) == unread.get("text", 0) + len(full.text) - len(cut.text)
    pairs: list[tuple[TruncatedField, Sequence[Any], Sequence[Any]]] = [
        ("entities", full.entities, cut.entities),
        ("timexes", full.timexes, cut.timexes),
        ("quotes", full.quotes, cut.quotes),
        ("escalation.matches", full.escalation.matches, cut.escalation.matches),
    ]
    for name, whole, kept in pairs:
        assert cut.truncated.get(name, 0) == len(whole) - len(kept), name
        assert all(item in whole for item in kept), name
        assert [x.start for x in kept] == sorted(x.start for x in kept), name
        assert all(item.end <= len(cut.text) for item in kept), name
    assert cut.escalation.level == full.escalation.level
    assert cut.escalation.score == full.escalation.score


def test_fit_lists_lose_items_before_the_text_loses_characters() -> None:
    body = "deploy troops " * 14_000
    full = _enrich(body, 50_000_000)
    limit = len(to_json(full)) // 2
    assert len(full.text) < limit // 4, "the text alone must fit easily"
    cut = _enrich(body, limit)
    assert cut.truncated is not None
    assert cut.truncated == {**(full.truncated or {}), "escalation.matches": ANY}
    assert cut.text == full.text


def test_fit_a_short_list_keeps_all_its_items_while_a_long_one_is_cut() -> None:
    text = "x" * 1_000
    quotes = [Quote(text="a" * 10, start=i, end=i + 10) for i in range(3)]
    matches = [
        EscalationMatch(
            term="x", action="MOBILIZE", category="military", weight=0.5, start=i, end=i + 1
        )
        for i in range(5_000)
    ]
    article = _article(text, quotes=quotes, escalation=Escalation(matches=matches))
    cut = fit_article(article, 200_000)
    assert cut.quotes == quotes
    assert cut.truncated is not None and set(cut.truncated) == {"escalation.matches"}
    assert cut.escalation.matches == matches[: len(cut.escalation.matches)]


def test_fit_the_most_mentioned_entities_and_strongest_matches_are_kept() -> None:
    text = "x" * 60_000
    entities = [
        Entity(
            text="x", type="MISC", canonical=f"E{i}", start=i, end=i + 1, count=2 if i % 7 else 9
        )
        for i in range(6_000)
    ]
    matches = [
        EscalationMatch(
            term="x",
            action="ASSAULT",
            category="military",
            weight=0.9 if i % 5 == 0 else 0.2,
            start=i,
            end=i + 1,
        )
        for i in range(6_000)
    ]
    article = _article(text, entities=entities, escalation=Escalation(matches=matches))
    cut = fit_article(article, 200_000)
    assert cut.truncated is not None
    assert 0 < len(cut.entities) < len(entities)
    assert all(e.count == 9 for e in cut.entities)  # every 7th: mentioned most
    assert [e.start for e in cut.entities] == sorted(e.start for e in cut.entities)
    assert 0 < len(cut.escalation.matches) < len(matches)
    assert all(m.weight == 0.9 for m in cut.escalation.matches)


def test_fit_overlong_headers_and_then_the_text_are_cut_when_nothing_else_helps() -> None:
    title = "Headline" * 20_000
    text = "Troops were deployed near the border on Monday.\n" * 3_000
    quotes = [Quote(text="x", start=i * 50, end=i * 50 + 10) for i in range(3_000)]
    cut = fit_article(_article(text, title=title, url="u" * 200, quotes=quotes), 65_536)
    assert len(to_json(cut)) <= 65_536 - ARTICLE_RESERVE_BYTES
    assert cut.title == title[:MAX_HEADER_CHARS]
    assert cut.url == "u" * 200
    assert cut.truncated is not None
    assert cut.truncated["title"] == len(title) - MAX_HEADER_CHARS
    assert text.startswith(cut.text) and text[len(cut.text)].isspace()  # cut between words
    assert cut.truncated["text"] == len(text) - len(cut.text)
    assert cut.quotes and all(q.end <= len(cut.text) for q in cut.quotes)
    assert cut.quotes == quotes[: len(cut.quotes)]
    assert cut.truncated["quotes"] == len(quotes) - len(cut.quotes)


def test_fit_a_small_payload_is_kept_whole_in_its_dead_letter() -> None:
    letter = enrich(b"\xff\xfe not utf-8", MessageContext(key=b"k"))
    assert isinstance(letter, DeadLetter)
    assert base64.b64decode(letter.payload_b64) == b"\xff\xfe not utf-8"
    assert letter.payload_excerpt is False
    assert letter.payload_size == len(b"\xff\xfe not utf-8")
    assert letter.payload_sha256 == hashlib.sha256(b"\xff\xfe not utf-8").hexdigest()


@pytest.mark.parametrize("size", [80_000, 1_500_000])
def test_fit_a_large_payload_leaves_an_excerpt_its_size_and_hash(size: int) -> None:
    payload = b"\xff" + bytes(range(256)) * (size // 256)
    letter = dead_letter(payload, MessageContext(key=b"k"), DecodeError("bad"), 100_000)
    assert len(to_json(letter)) <= 100_000
    assert letter.payload_excerpt is True
    excerpt = base64.b64decode(letter.payload_b64)
    assert 0 < len(excerpt) <= PAYLOAD_EXCERPT_BYTES
    assert payload.startswith(excerpt)
    assert letter.payload_size == len(payload)
    assert letter.payload_sha256 == hashlib.sha256(payload).hexdigest()


def test_fit_an_over_limit_raw_message_is_a_too_large_letter_that_fits() -> None:
    payload = orjson.dumps({"id": "big", "body": "word " * 250_000})
    options = CoreOptions(max_message_bytes=1_000_000, max_output_bytes=1_000_000)
    letter = enrich(payload, options=options)
    assert isinstance(letter, DeadLetter)
    assert letter.error.type == "too_large"
    assert letter.payload_excerpt is True
    assert len(to_json(letter)) <= 1_000_000
