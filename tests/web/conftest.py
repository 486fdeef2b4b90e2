"""Fixtures of the web tests: the demo office with an open case, signed-in clients."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import wita

SOP = "pengumpulan-data-kinerja"


@pytest.fixture
def case(two_unit_office):
    from kinerja.workflow.services import case_open

    case, _ = case_open(
        sop_code=SOP, agency=two_unit_office.agency, period="2026-Q3", now=wita(2026, 10, 12, 7, 30)
    )
    return case


@pytest.fixture
def login(client):
    """``login("sekcam")`` signs a demo user in and returns the client."""

    def sign_in(username: str) -> Client:
        from kinerja.accounts.models import User

        client.force_login(User.objects.get(username=username))
        return client

    return sign_in


@pytest.fixture
def outsider(db):
    """A signed-in user of another agency with no position in the demo office."""
    from kinerja.accounts.models import User

    return User.objects.create_user(username="orang_luar", password="x-Secret-123")


@pytest.fixture
def perf_office(two_unit_office):
    """The two-unit office with the performance data of the demo (indicators, targets)."""
    from kinerja.demo.performance import load_performance_data

    load_performance_data(two_unit_office)
    return two_unit_office


def form_data(html: str) -> dict[str, str]:
    """The values of every input, select and textarea of the page's task form (a minimal
    browser: enough to post a form back as a user would)."""
    import re

    data: dict[str, str] = {}
    form = html[html.find('id="task-form"') :]
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or 'type="file"' in tag or 'type="submit"' in tag:
            continue
        kind = re.search(r'type="([^"]+)"', tag)
        if kind and kind.group(1) in ("checkbox", "radio") and "checked" not in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data[name.group(1)] = value.group(1) if value else ""
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        data[name] = body.strip()
    data.pop("csrfmiddlewaretoken", None)
    return data
