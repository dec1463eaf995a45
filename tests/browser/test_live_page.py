"""The live page in a real browser: `newsstream serve` on a broker, Chromium driven by
Playwright. Alerts arrive without a reload, filters live in the address, the map marks the
places, the story view groups near-duplicates, and the page needs its token."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from streams.commands.broker import BrokerLauncher
from streams.settings import Settings
from tests.browser.conftest import CHROMIUM_ARGS
from tests.support.alerts import enriched_record, make_alert, realistic_alerts
from tests.support.brokers import make_settings, selected_broker
from tests.support.serve import produce_alerts, produce_values, serve_process

pytestmark = [pytest.mark.integration, pytest.mark.slow]

TOKEN = "browser-test-token-5f0c2d8e9a714b63"
ARTIFACTS = Path(__file__).parent / "artifacts"
SCREENSHOT = "live-page.png"


@pytest.fixture
def settings(broker: BrokerLauncher) -> Settings:
    """Settings of this test's own, with the invented alerts and their stories published."""
    made = make_settings(broker.bootstrap, selected_broker())
    now = datetime.now(UTC)
    asyncio.run(produce_alerts(made, realistic_alerts(now), partitions=[0, 1, 2]))

    def ago(minutes: int) -> str:
        return (now - timedelta(minutes=minutes)).isoformat(timespec="seconds")

    stories = [
        enriched_record(
            "art-kharkiv-shelling-3",
            "Overnight strikes on Kharkiv damage apartment blocks",
            duplicate_of="art-kharkiv-shelling",
            level="medium",
            source="Danube Press Agency",
            published_at=ago(16),
        ),
        enriched_record(
            "art-kharkiv-shelling",
            "Shelling hits residential district of Kharkiv",
            published_at=ago(21),
        ),
        enriched_record(
            "art-kharkiv-shelling-2",
            "Kharkiv shelling: regional governor says nine wounded",
            duplicate_of="art-kharkiv-shelling",
            source="Kyiv Morning Post",
            published_at=ago(12),
        ),
    ]
    asyncio.run(produce_values(made, made.topic_enriched, [orjson.dumps(s) for s in stories]))
    return made


@pytest.fixture
def browser(chromium_path: Path) -> Iterator[Browser]:
    """Chromium, headless, launched from its Debian path."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(chromium_path), args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


def _off_thread(work: Coroutine[Any, Any, None]) -> None:
    """Run a coroutine on a thread of its own: Playwright's loop holds this one."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, work).result(timeout=60)


def _screenshot(page: Page) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / SCREENSHOT))
    extra = os.environ.get("NEWSSTREAM_SCREENSHOT_DIR")
    if extra:
        Path(extra).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ARTIFACTS / SCREENSHOT, Path(extra) / SCREENSHOT)


def test_live_page_in_chromium(settings: Settings, browser: Browser) -> None:
    with serve_process(settings, {"NEWSSTREAM_SERVE_TOKEN": TOKEN}) as url:
        context = browser.new_context(viewport={"width": 1440, "height": 1000})
        page = context.new_page()

        denied = page.goto(url)
        assert denied is not None and denied.status == 401

        page.goto(url + f"?token={TOKEN}")
        assert page.url == url  # the token left the address
        alerts = page.locator("#alerts > li")
        expect(alerts).to_have_count(8, timeout=20_000)
        expect(page.locator("#status")).to_have_attribute("data-state", "live")

        # an alert produced after the page loaded appears without a reload, on top
        arrival = make_alert(
            "tallinn-port",
            level="critical",
            title="Explosion at Tallinn oil terminal; port closed",
            summary="An explosion at an oil terminal in Muuga harbour near Tallinn started a "
            "fire; the port authority closed the harbour and evacuated nearby quays.",
            entities=["Tallinn", "Estonia", "Muuga"],
            categories=["terrorism", "economic"],
            places=[
                make_alert("t")
                .places[0]
                .model_copy(update={"name": "Muuga", "lat": 59.50, "lon": 24.96, "country": "EE"})
            ],
            source="Baltic Times Desk",
            now=datetime.now(UTC),
            minutes_ago=0,
            reason="rule default: level critical (score 0.91), strongest term 'explosion'",
        )
        _off_thread(produce_alerts(settings, [arrival]))
        expect(alerts).to_have_count(9, timeout=20_000)
        expect(alerts.first).to_have_attribute("data-alert-id", arrival.alert_id)

        # the map marks the new alert's place, where the projection puts it
        marker = page.locator('circle.marker[data-place="Muuga"]')
        expect(marker).to_have_count(1)
        assert float(marker.get_attribute("cx") or 0) == pytest.approx((24.96 + 180) * 10)
        assert float(marker.get_attribute("cy") or 0) == pytest.approx((90 - 59.50) * 10)
        assert "Muuga" in (marker.locator("title").text_content() or "")
        expect(page.locator('circle.marker[data-place="Kharkiv"]')).to_have_count(1)
        expect(page.locator('path[data-cc="SD"].hit')).to_have_count(1)

        page.wait_for_timeout(2600)  # the arrival highlight fades
        _screenshot(page)
        page.emulate_media(color_scheme="dark")
        page.screenshot(path=str(ARTIFACTS / "live-page-dark.png"))
        page.emulate_media(color_scheme="light")

        # a filter goes into the address, and hides what does not match
        page.select_option("#f-level", "critical")
        expect(page).to_have_url(url + "?level=critical")
        expect(alerts).to_have_count(2)
        expect(page.get_by_text("Thousands march in Lima")).to_have_count(0)
        page.fill("#f-country", "ee")
        expect(page).to_have_url(url + "?level=critical&country=EE", timeout=5000)
        expect(alerts).to_have_count(1)
        page.go_back()
        page.go_back()
        expect(page).to_have_url(url)
        expect(alerts).to_have_count(9)
        expect(page.locator("#f-level")).to_have_value("")

        # a reload keeps the filters of the address
        page.goto(url + "?category=cyber")
        expect(alerts).to_have_count(1)
        expect(page.locator("#f-category")).to_have_value("cyber")
        page.goto(url)
        expect(alerts).to_have_count(9)

        # clicking an alert opens its story: the near-duplicates, first report first
        page.get_by_role(
            "button", name="Kharkiv shelling: regional governor says nine wounded"
        ).click()
        dialog = page.locator("dialog#story")
        expect(dialog).to_be_visible()
        expect(dialog.locator(".members > li")).to_have_count(3)
        members = dialog.locator(".members > li")
        expect(members.first).to_contain_text("first report")
        expect(members.first).to_have_attribute("data-article-id", "art-kharkiv-shelling")
        expect(members.last).to_have_attribute("data-article-id", "art-kharkiv-shelling-2")
        expect(dialog.locator(".alerts > li")).to_have_count(2)
        assert "view=art-kharkiv-shelling" in page.url
        page.screenshot(path=str(ARTIFACTS / "live-page-story.png"))
        page.keyboard.press("Escape")
        expect(dialog).to_be_hidden()
        expect(page).to_have_url(url)

        # another browser without the token is turned away, page and stream alike
        stranger = browser.new_context().new_page()
        assert (response := stranger.goto(url)) is not None and response.status == 401
        stream = stranger.request.get(url + "alerts/stream")
        assert stream.status == 401
        context.close()
