"""Tokens: issued for username/NIP and password (with the login page's lockout), sent as
Bearer, revoked by the owner or an administrator, and named by the audit rows of calls."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from kinerja.api.models import ApiToken
from kinerja.core.models import AuditEvent
from tests.api.conftest import Api

PASSWORD = "binamu2026"


@pytest.mark.django_db
def test_token_for_username_or_nip_then_me(office):
    sekcam = office.users["sekcam"]
    answer = Api().post(
        "/auth/token", {"username": "SEKCAM", "password": PASSWORD, "name": "e-SAKIP"}
    )
    assert answer.status_code == 201, answer.content
    secret = answer.json()["token"]
    row = ApiToken.objects.get(pk=answer.json()["id"])
    assert row.owner == sekcam and row.name == "e-SAKIP"
    assert secret not in row.secret_hash and len(row.secret_hash) == 64  # only the hash
    me = Api(secret).get("/me")
    assert me.status_code == 200
    assert me.json()["username"] == "sekcam"
    assert {p["role"] for p in me.json()["positions"]} == {"sekcam"}
    assert me.json()["token"]["prefix"] == row.prefix
    spaced = " ".join([sekcam.nip[:8], sekcam.nip[8:14], sekcam.nip[14], sekcam.nip[15:]])
    by_nip = Api().post("/auth/token", {"username": spaced, "password": PASSWORD})
    assert by_nip.status_code == 201
    assert ApiToken.objects.get(pk=by_nip.json()["id"]).owner == sekcam


@pytest.mark.django_db
def test_wrong_password_401_then_the_lockout_429(office):
    with override_settings(LOGIN_FAILURE_LIMIT=3):
        for _ in range(2):
            answer = Api().post("/auth/token", {"username": "sekcam", "password": "salah"})
            assert answer.status_code == 401
            assert answer.json()["error"]["code"] == "invalid_credentials"
        third = Api().post("/auth/token", {"username": "sekcam", "password": "salah"})
        assert third.status_code == 429
        assert third.json()["error"]["code"] == "locked_out"
        # locked: even the right password, in another spelling, is refused
        right = Api().post("/auth/token", {"username": "SEKCAM", "password": PASSWORD})
        assert right.status_code == 429
        # and so is the login page (one lockout)
        page = Api().client.post("/akun/masuk/", {"username": "sekcam", "password": PASSWORD})
        assert page.status_code == 429
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_revoked_expired_and_inactive_tokens_are_401(office, api_as):
    client = api_as("sekcam")
    assert client.get("/me").status_code == 200
    token = ApiToken.objects.get()
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    assert client.get("/me").status_code == 401
    token.revoked_at, token.expires_at = None, timezone.now() - dt.timedelta(seconds=1)
    token.save(update_fields=["revoked_at", "expires_at"])
    assert client.get("/me").status_code == 401
    token.expires_at = timezone.now() + dt.timedelta(days=1)
    token.save(update_fields=["expires_at"])
    assert client.get("/me").status_code == 200
    office.users["sekcam"].is_active = False
    office.users["sekcam"].save(update_fields=["is_active"])
    answer = client.get("/me")
    assert answer.status_code == 401
    assert answer["WWW-Authenticate"] == "Bearer"
    for header in ("Bearer", "Bearer knj_", "Basic abc", "Bearer " + "x" * 500):
        assert Api().get("/me", HTTP_AUTHORIZATION=header).status_code == 401


@pytest.mark.django_db
def test_owner_revokes_through_the_api_and_the_audit_row_names_the_token(office, api_as):
    client = api_as("sekcam")
    token = ApiToken.objects.get()
    listed = client.get("/auth/tokens").json()
    assert [t["id"] for t in listed] == [token.pk]
    answer = client.post(f"/auth/tokens/{token.pk}/revoke")
    assert answer.status_code == 200 and answer.json()["revoked_at"]
    event = AuditEvent.objects.get(action="api.token_revoked")
    assert event.actor == office.users["sekcam"]
    assert event.source == "api"
    assert f"#{token.pk}" in event.source_detail and token.prefix in event.source_detail
    # the page path writes rows without a source
    created = AuditEvent.objects.get(action="api.token_created")
    assert created.source == ""
    assert client.get("/me").status_code == 401


@pytest.mark.django_db
def test_someone_elses_token_is_404_unless_administered(office, api_as):
    from kinerja.api.services import token_create

    theirs, _secret = token_create(actor=office.users["kasi_pemerintahan"], name="x")
    assert api_as("sekcam").post(f"/auth/tokens/{theirs.pk}/revoke").status_code == 404
    assert api_as("analis_1").post(f"/auth/tokens/{theirs.pk}/revoke").status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert api_as("admin").post(f"/auth/tokens/{theirs.pk}/revoke").status_code == 200


@pytest.mark.django_db
def test_last_used_is_recorded(office, api_as):
    client = api_as("camat")
    assert ApiToken.objects.get().last_used_at is None
    client.get("/me")
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.django_db
def test_messages_follow_accept_language_else_the_users_setting(office, api_as):
    sekcam = office.users["sekcam"]
    sekcam.language = "en"
    sekcam.save(update_fields=["language"])
    client = api_as("sekcam")
    bad = client.get("/me/tasks", {"page": "x"})
    assert bad.status_code == 400
    assert bad.json()["error"]["fields"]["page"] == "Must be a whole number."
    indonesian = client.get("/me/tasks", {"page": "x"}, HTTP_ACCEPT_LANGUAGE="id-ID,id;q=0.9")
    assert indonesian.json()["error"]["fields"]["page"] == "Harus bilangan bulat."
    anonymous = Api().get("/me", HTTP_ACCEPT_LANGUAGE="en")
    assert anonymous.json()["error"]["message"].startswith("Send a valid token")
