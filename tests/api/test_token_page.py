"""The page "Token API": people create, list and revoke their own tokens; administrators
revoke those of the people they manage; nobody else sees or revokes them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kinerja.api.models import ApiToken
from kinerja.api.services import token_create
from kinerja.core.models import AuditEvent
from tests.api.conftest import Api


def _client(office, username: str) -> Client:
    client = Client()
    client.force_login(office.users[username])
    return client


@pytest.mark.django_db
def test_create_shows_the_secret_once_and_it_works(office):
    client = _client(office, "kasi_pemerintahan")
    page = client.get(reverse("api_tokens"))
    assert page.status_code == 200 and b"Belum ada token." in page.content
    made = client.post(reverse("api_tokens"), {"name": "Portal e-SAKIP", "days": "30"})
    assert made.status_code == 200
    secret = made.context["new_secret"]
    assert secret.startswith("knj_") and secret.encode() in made.content
    token = ApiToken.objects.get()
    assert token.owner == office.users["kasi_pemerintahan"]
    assert (token.expires_at - token.created_at).days == 30
    assert Api(secret).get("/me").json()["username"] == "kasi_pemerintahan"
    again = client.get(reverse("api_tokens"))
    assert secret.encode() not in again.content and b"Portal e-SAKIP" in again.content
    assert AuditEvent.objects.filter(action="api.token_created", actor=token.owner).exists()


@pytest.mark.django_db
def test_bad_input_is_a_message_not_a_token(office):
    client = _client(office, "sekcam")
    for data in ({"name": ""}, {"name": "x", "days": "0"}, {"name": "x" * 101}):
        answer = client.post(reverse("api_tokens"), data)
        assert answer.status_code == 400, data
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_owner_and_administrator_revoke_others_get_404(office):
    token, secret = token_create(actor=office.users["analis_1"], name="skrip")
    url = reverse("api_token_revoke", args=[token.pk])
    for outsider in ("sekcam", "kasi_pemerintahan", "analis_2"):
        assert _client(office, outsider).post(url).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    admin_page = _client(office, "admin").get(reverse("api_tokens"))
    assert b"skrip" in admin_page.content  # the superuser sees it among the others
    assert b"skrip" not in _client(office, "sekcam").get(reverse("api_tokens")).content
    assert _client(office, "analis_1").post(url).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == office.users["analis_1"]
    assert Api(secret).get("/me").status_code == 401
