"""Fixtures of the browser tests: Debian's Chromium driven by Playwright, and a broker."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from streams.commands.broker import BrokerLauncher
from tests.support.serve import launched_broker

#: The browser: Debian's Chromium package. Playwright never downloads one here.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    """The Chromium binary; the test is skipped when it is not installed."""
    if not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None:
        pytest.skip(f"no Chromium at {CHROMIUM} (Debian package `chromium`)")
    return CHROMIUM


@pytest.fixture(scope="session")
def broker() -> Iterator[BrokerLauncher]:
    """The selected broker for the session's browser tests."""
    yield from launched_broker()
