"""The JSON API: the kept alerts with filters, `since` and `limit`; stories."""

from __future__ import annotations

import orjson
import pytest

from streams.models import CATEGORIES, LEVELS
from streams.serve.feed import AlertFeed
from streams.serve.stories import StoryIndex
from tests.serve.conftest import BEARER, Served, filled_feed, put
from tests.support.alerts import enriched_record, make_alert, realistic_alerts


async def test_api_alerts_newest_first_with_a_cursor(served: Served) -> None:
    async with served(filled_feed()) as client:
        body = await (await client.get("/api/alerts", headers=BEARER)).json()
    titles = [a["title"] for a in body["alerts"]]
    assert titles == [a.title for a in reversed(realistic_alerts())]
    assert body["count"] == 8 and body["truncated"] is False
    assert body["cursor"] == "0:4,1:4"
    assert body["alerts"][0]["schema"] == "newsstream.alert/1"


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("level=high", 5),
        ("level=high&country=UA", 2),
        ("category=cyber&category=civil_unrest", 2),
        ("entity=taiwan", 1),
        ("kind=spike", 1),
        ("limit=3", 3),
        ("since=2026-03-02T11:40:00Z", 3),  # created after 11:40 UTC
        ("since=2026-03-02T13:40:00%2B02:00", 3),
        ("since=0:3,1:3", 2),  # the event id after the sixth alert
        ("since=0:0,1:0", 8),
    ],
)
async def test_api_alerts_filters_since_and_limit(served: Served, query: str, count: int) -> None:
    async with served(filled_feed()) as client:
        response = await client.get(f"/api/alerts?{query}", headers=BEARER)
        assert response.status == 200, await response.text()
        body = await response.json()
    assert body["count"] == count == len(body["alerts"])


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("level=severe", "level"),
        ("since=yesterday", "since"),
        ("limit=-1", "limit"),
        ("country=Ukraine", "country"),
    ],
)
async def test_api_alerts_bad_parameters_are_400(served: Served, query: str, message: str) -> None:
    async with served(filled_feed()) as client:
        response = await client.get(f"/api/alerts?{query}", headers=BEARER)
        assert response.status == 400
        assert (await response.json())["error"].startswith(message)


async def test_api_alerts_since_an_old_cursor_names_the_gap(served: Served) -> None:
    feed = AlertFeed(2)
    feed.start_partition(0, 0)
    for offset in range(4):
        put(feed, 0, offset, make_alert(f"g{offset}"))
    async with served(feed) as client:
        body = await (await client.get("/api/alerts?since=0:1", headers=BEARER)).json()
    assert body["gap_partitions"] == [0] and body["count"] == 2


async def test_api_story_groups_articles_and_alerts(served: Served) -> None:
    stories = StoryIndex()
    stories.add_record(orjson.dumps(enriched_record("art-kharkiv-shelling", "Shelling hits")))
    stories.add_record(
        orjson.dumps(
            enriched_record(
                "art-kharkiv-shelling-2", "Nine wounded", duplicate_of="art-kharkiv-shelling"
            )
        )
    )
    async with served(filled_feed(), stories) as client:
        response = await client.get("/api/stories/art-kharkiv-shelling", headers=BEARER)
        body = await response.json()
        missing = await client.get("/api/stories/art-nothing", headers=BEARER)
        only_alert = await client.get("/api/stories/art-darfur-aid", headers=BEARER)
        assert missing.status == 404 and only_alert.status == 200
        assert (await only_alert.json())["articles"] == []
    assert [a["article_id"] for a in body["articles"]] == [
        "art-kharkiv-shelling",
        "art-kharkiv-shelling-2",
    ]
    assert [a["title"] for a in body["alerts"]] == [
        "Kharkiv shelling: regional governor says nine wounded",
        "Shelling hits residential district of Kharkiv",
    ]


async def test_page_offers_the_levels_and_categories_of_the_models(served: Served) -> None:
    async with served(filled_feed()) as client:
        page = await (await client.get("/", headers=BEARER)).text()
    for level in LEVELS[1:]:
        assert f'<option value="{level}">' in page
    for category in CATEGORIES:
        assert f'<option value="{category}">' in page
    assert "<!--" not in page.split("<body>")[1]  # every placeholder filled
