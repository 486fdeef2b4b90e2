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
