"""Hand-written raw messages shared by the tests (original text, not taken from any feed)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import orjson

from streams.core.pipeline import enrich
from streams.models import EnrichedArticle

SCRAPED_ESCALATION = """Minister: allied warships moved closer to the Baltic coast

Minister: allied warships moved closer to the Baltic coast
Minister: allied warships moved closer to the Baltic coast
14 March, 09:15WorldPhoto: Соцсети
Defence Minister Maria Kowalska said on Tuesday that the government would deploy additional troops to the eastern border after several warships were spotted near the coast.

"We will not wait for a provocation. Our forces are ready to respond to any threat to the territory of Poland", - Kowalska said (quoted by Reuters).

A day earlier, NATO Secretary General Mark Rutte called on Moscow to withdraw its forces. The Kremlin rejected the demand and warned of retaliation if new missile systems were deployed in the region.

Found a typo in the text? Select it and press ctrl + enter"""

CALM_SPORT = {
    "id": "calm-sport-1",
    "source": "sports-desk",
    "title": "Late winner sends Lisbon side top of the table",
    "body": (
        "LISBON, May 4 - A late strike from midfielder Joao Pereira gave the home side a 2-1 win "
        "on Saturday. Pereira's missile of a shot from 25 metres flew into the top corner in the "
        "89th minute. Coach Ana Ribeiro said the team had shown character all season. The club "
        "plays its next match in Porto on Wednesday."
    ),
    "published_at": "2024-05-04T20:15:00+01:00",
    "lang": "en",
}

CLEAN_ESCALATION = {
    "id": "esc-json-1",
    "source": "wire",
    "url": "https://example.org/news/esc-json-1",
    "title": "Government orders general mobilisation after border clashes",
    "body": (
        "KYIV, Feb 24 (Wire) - The government ordered a general mobilisation on Thursday after "
        "artillery shelling hit three border towns overnight, killing at least 12 civilians. "
        "President Olena Marchenko said troops had been deployed along the northern border and "
        "that the army would defend every village. The foreign ministry expelled four diplomats "
        "and demanded that all forces withdraw within 48 hours."
    ),
    "published_at": "2024-02-24T07:30:00Z",
}

#: CLEAN_ESCALATION rewritten by another source: a near-duplicate of the same story.
ESCALATION_REWRITE = {**CLEAN_ESCALATION, "id": "esc-json-2", "source": "other-wire"}

#: Three distinct escalating stories that all name Moldova (ids md-0..md-2): enough to spike.
MOLDOVA_STORIES: list[dict[str, object]] = [
    {"id": f"md-{i}", "title": body, "body": body}
    for i, body in enumerate(
        [
            "Troops were deployed to the border with Moldova on Monday, officials said.",
            "Artillery shelling hit two villages near Moldova overnight, killing four people.",
            "The government ordered a general mobilisation after clashes with Moldova.",
        ]
    )
]

HTML_PAGE = """<!doctype html><html lang="en"><head><title>Parliament approves new budget | Daily Ledger</title>
<meta property="article:published_time" content="2024-06-11T08:05:00+02:00">
<meta property="og:title" content="Parliament approves new budget"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<div class="cookie">We use cookies to improve your experience. Accept all cookies</div>
<article><h1>Parliament approves new budget</h1>
<p>The national parliament approved the budget for next year on Tuesday by a wide margin, after three weeks of debate over spending on schools and hospitals.</p>
<p>Finance Minister Pieter de Vries said the plan would cut the deficit while keeping pensions at their current level. Opposition leaders called it a cautious plan.</p>
</article><aside>Related: Ten things to know about taxes</aside><footer>(c) Daily Ledger</footer></body></html>"""


def as_bytes(message: object) -> bytes:
    """A raw message as it arrives on news.raw: objects and strings as JSON, bytes as they are."""
    if isinstance(message, bytes):
        return message
    return orjson.dumps(message)


def enriched(message: Mapping[str, object], **changes: object) -> EnrichedArticle:
    """`message` with `changes` to its raw fields, enriched; fails the test if it is rejected."""
    result = enrich(as_bytes({**message, **changes}))
    assert isinstance(result, EnrichedArticle), result
    return result


def write_jsonl(path: Path, *messages: object) -> Path:
    """Write `messages` to `path` as a JSON-lines feed, one per line; the path back."""
    path.write_bytes(b"".join(orjson.dumps(m) + b"\n" for m in messages))
    return path


#: (payload, expected dead-letter error type) for every kind of bad input.
BAD_MESSAGES: list[tuple[bytes, str]] = [
    (b"\xff\xfe\x00 not utf-8 \xc3\x28", "decode_error"),
    (b'{"id": "x", "body": "unterminated', "decode_error"),
    (b"[1, 2, 3]", "invalid_schema"),
    (b"null", "invalid_schema"),
    (b"42", "invalid_schema"),
    (b'{"id": "x", "body": 17}', "invalid_schema"),
    (b'{"id": "x", "title": "only a title"}', "invalid_schema"),
    (b'{"id": "x", "body": "text", "tz": "Mars/Olympus"}', "invalid_schema"),
    (b'{"id": "x", "body": "text", "received_at": "yesterday-ish"}', "invalid_schema"),
    (b'{"id": "x", "body": "   "}', "empty_article"),
    (b"", "empty_article"),
    (b'"   "', "empty_article"),
    (b'{"id": "x", "html": "<html><body><nav>Home</nav></body></html>"}', "empty_article"),
    (orjson.dumps({"id": "big", "body": "word " * 250_000}), "too_large"),
]
