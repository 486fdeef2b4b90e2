"""Browser tests: the live server needs a MEDIA_URL string (Django's test server wraps media
in a handler that parses it); Kinerja never serves media directly (MEDIA_URL is None), so a
path nothing links to is set for the test server only."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.tools import require_tool

CHROMIUM = os.environ.get("KINERJA_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"


@pytest.fixture(scope="session", autouse=True)
def _media_url_for_live_server():
    from django.test import override_settings

    with override_settings(MEDIA_URL="/_live_server_media_not_used/"):
        yield


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright, one per test module (missing Chromium: a
    failure in CI, a skip naming the package on a bare machine)."""
    require_tool(CHROMIUM, package="chromium")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()
