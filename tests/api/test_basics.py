"""The caller's own resources (/me, /me/tasks, notifications), the one error shape, the
pages of a list and Idempotency-Key."""

from __future__ import annotations

import pytest
from django.utils import timezone

from kinerja.notifications.models import Notification
from tests.api.conftest import Api


def _open_case(office):
    from kinerja.workflow.services import case_open

    case, _created = case_open(
        sop_code="pengumpulan-data-kinerja",
        agency=office.agency,
        period="2026-Q3",
        now=timezone.now(),
    )
    return case


@pytest.mark.django_db
def test_my_tasks_are_the_pages_list_paginated_and_filtered(office, api_as):
    from kinerja.workflow.selectors import open_tasks_for_user

    case = _open_case(office)
    client = api_as("sekcam")
    answer = client.get("/me/tasks")
    assert answer.status_code == 200
    body = answer.json()
    expected = [t.pk for t in open_tasks_for_user(office.users["sekcam"])]
    assert [t["id"] for t in body["items"]] == expected and expected
    first = body["items"][0]
    assert first["case_id"] == case.pk and first["step"] == 1 and first["version"] == 0
    assert first["step_name"]
    assert body["count"] == len(expected) and body["next"] is None
    assert client.get("/me/tasks", {"period": "2026-Q2"}).json()["count"] == 0
    assert client.get("/me/tasks", {"agency": office.agency.code}).json()["count"] == len(expected)
    assert api_as("analis_1").get("/me/tasks").json()["items"] == []


@pytest.mark.django_db
def test_notifications_one_page_at_a_time_and_marked_read(office, api_as):
    sekcam = office.users["sekcam"]
    now = timezone.now()
    for i in range(5):
        Notification.objects.create(
            recipient=sekcam,
            kind="activated",
            dedupe_key=f"k{i}",
            subject=f"S{i}",
            body="b",
            created_at=now,
            email_status="skipped",
        )
    other = Notification.objects.create(
        recipient=office.users["camat"],
        kind="activated",
        dedupe_key="c",
        subject="C",
        body="b",
        created_at=now,
        email_status="skipped",
    )
    client = api_as("sekcam")
    page1 = client.get("/notifications", {"page_size": 2}).json()
    assert page1["count"] == 5 and page1["pages"] == 3 and len(page1["items"]) == 2
    assert page1["next"].endswith("page=2") and page1["previous"] is None
    page3 = client.get("/notifications", {"page_size": 2, "page": 3}).json()
    assert len(page3["items"]) == 1 and page3["next"] is None
    beyond = client.get("/notifications", {"page_size": 2, "page": 9}).json()
    assert beyond["items"] == []
    one = page1["items"][0]["id"]
    marked = client.post(f"/notifications/{one}/read")
    assert marked.status_code == 200 and marked.json()["read_at"]
    assert client.get("/notifications", {"unread": "true"}).json()["count"] == 4
    assert client.post(f"/notifications/{other.pk}/read").status_code == 404  # not yours
    other.refresh_from_db()
    assert other.read_at is None
    assert client.post("/notifications/read-all").json() == {"marked": 4}
    assert client.get("/me").json()["unread_notifications"] == 0


@pytest.mark.django_db
def test_bad_input_is_one_json_shape_never_a_500(office, api_as):
    client = api_as("sekcam")
    cases = [
        client.get("/me/tasks", {"page": "0"}),
        client.get("/me/tasks", {"page_size": "100000"}),
        client.get("/me/tasks", {"page": "\x00"}),
        client.post("/notifications/99999999999999999999999/read"),
        client.post("/notifications/abc/read"),
        client.post("/auth/token", "{not json"),
        client.post("/auth/token", {"username": ["x"], "password": 1}),
        # a NUL in a text or a key of the body (PostgreSQL text cannot hold it)
        client.post(
            "/cases", {"sop": "pengumpulan-data-kinerja", "agency": "R\x00@", "period": "2026-Q3"}
        ),
        client.post("/cases", {"sop\x00": [], "agency": "x", "period": "2026-Q3"}),
        client.post("/auth/token", {"username": "sekcam\x00", "password": "x"}),
    ]
    for answer in cases:
        assert answer.status_code == 400, answer.content
        error = answer.json()["error"]
        assert set(error) >= {"code", "message", "fields"} and error["message"]
    assert cases[0].json()["error"]["fields"] == {"page": "Paling kecil 1."}
    assert cases[6].json()["error"]["fields"]["username"] == "Harus berupa teks."
    missing = client.post("/notifications/12345/read")
    assert missing.status_code == 404
    assert missing.json() == {
        "error": {"code": "not_found", "message": "Tidak ditemukan.", "fields": {}}
    }


@pytest.mark.django_db
def test_a_retried_post_with_the_same_idempotency_key_gets_the_first_answer(office, api_as):
    from kinerja.api.models import ApiToken
    from kinerja.core.models import AuditEvent

    client = api_as("sekcam")
    theirs = Api()  # a second token of the same person, to revoke twice
    from kinerja.api.services import token_create

    token, _secret = token_create(actor=office.users["sekcam"], name="second")
    first = client.post(f"/auth/tokens/{token.pk}/revoke", HTTP_IDEMPOTENCY_KEY="abc-1")
    assert first.status_code == 200
    again = client.post(f"/auth/tokens/{token.pk}/revoke", HTTP_IDEMPOTENCY_KEY="abc-1")
    assert again.status_code == 200 and again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert AuditEvent.objects.filter(action="api.token_revoked").count() == 1
    other = client.post("/notifications/read-all", HTTP_IDEMPOTENCY_KEY="abc-1")
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    # keys are per user: another person's same key is theirs alone
    assert api_as("camat").post("/notifications/read-all", HTTP_IDEMPOTENCY_KEY="abc-1").json() == {
        "marked": 0
    }
    assert theirs.post("/notifications/read-all", HTTP_IDEMPOTENCY_KEY="x").status_code == 401
    bad = client.post("/notifications/read-all", HTTP_IDEMPOTENCY_KEY="x" * 201)
    assert bad.status_code == 400
    assert ApiToken.objects.filter(revoked_at__isnull=False).count() == 1


@pytest.mark.django_db
def test_the_description_is_openapi_3_1_without_duplicate_keys(client):
    import json

    text = client.get("/api/v1/openapi.json").content.decode()

    def no_duplicates(pairs):
        keys = [k for k, _v in pairs]
        assert len(keys) == len(set(keys)), keys
        return dict(pairs)

    spec = json.loads(text, object_pairs_hook=no_duplicates)
    assert spec["openapi"].startswith("3.1")
    svg = spec["paths"]["/api/v1/sops/{code}/document.svg"]["get"]["responses"]["200"]
    assert "image/svg+xml" in svg["content"]
