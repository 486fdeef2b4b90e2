"""The API's reference page (/api/v1/docs) loads Swagger UI from our own static files under
the strict CSP: every operation is listed, no request leaves the site, no CSP violation.
And the token page works in the browser. Screenshots: test-artifacts/browser/api-*.png."""

from __future__ import annotations

import os

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.browser.test_csp import Visitor

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reference_page_and_token_page(browser, live_server):
    from kinerja.demo.office import build_office
    from kinerja.sop.services import sop_load_builtin

    sop_load_builtin()
    build_office()
    visitor = Visitor(browser, live_server.url)
    elsewhere: list[str] = []
    visitor.page.on(
        "request",
        lambda r: elsewhere.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    violations = visitor.visit("/api/v1/docs")
    visitor.page.wait_for_selector(".opblock", timeout=15000)
    paths = visitor.page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/me/tasks" in paths and "/api/v1/auth/token" in paths
    visitor.page.screenshot(path=str(ARTIFACTS / "api-docs.png"), full_page=False)
    assert violations == [] and elsewhere == []
    visitor.context.close()

    person = Visitor(browser, live_server.url, "sekcam")
    assert person.visit("/akun/token-api/") == []
    person.page.fill("#id_name", "Portal e-SAKIP")
    person.page.click("form.row button[type=submit]")
    person.page.wait_for_selector("#new-token")
    assert person.page.inner_text("#new-token").startswith("knj_")
    person.page.screenshot(path=str(ARTIFACTS / "api-tokens.png"), full_page=True)
    person.context.close()
