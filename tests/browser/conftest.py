"""Browser tests: the live server needs a MEDIA_URL string (Django's test server wraps media
in a handler that parses it); Kinerja never serves media directly (MEDIA_URL is None), so a
path nothing links to is set for the test server only."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session", autouse=True)
def _media_url_for_live_server():
    from django.test import override_settings

    with override_settings(MEDIA_URL="/_live_server_media_not_used/"):
        yield
