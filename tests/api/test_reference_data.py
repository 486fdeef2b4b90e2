"""Working time, SOPs and the organisation through the API: the same answers as the
commands and pages, scoped like them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from kinerja.sop.models import SopVersion

SEED = Path(__file__).resolve().parents[2] / "src/kinerja/sop/library/pengumpulan-data-kinerja.yaml"


@pytest.mark.django_db
def test_due_and_holidays_are_the_commands_answers(office, api_as, capsys):
    client = api_as("sekcam")
    due = client.get(
        "/calendar/due",
        {"start": "2026-12-23T15:30+08:00", "duration": "1 day", "agency": office.agency.code},
    )
    assert due.status_code == 200, due.content
    assert due.json()["due"] == "2026-12-28T15:30:00+08:00"  # README's example
    naive = client.get("/calendar/due", {"start": "2026-10-12T11:45", "duration": "15 menit"})
    assert naive.json()["due"] == "2026-10-12T12:00:00+08:00"
    call_command("calendar", "holidays", "2026", "--agency", office.agency.code)
    printed = [line.split("  ", 1) for line in capsys.readouterr().out.splitlines() if line]
    holidays = client.get("/calendar/holidays", {"year": 2026, "agency": office.agency.code})
    assert [[h["date"], h["name"]] for h in holidays.json()] == printed and printed
    for params in (
        {"start": "2026-12-23T15:30+08:00", "duration": "satu hari"},
        {"start": "kemarin", "duration": "1 day"},
        {"start": "0001-01-01T00:00+08:00", "duration": "1 day"},
        {"start": "2026-12-23T15:30+08:00", "duration": "99999999999999999999 days"},
    ):
        bad = client.get("/calendar/due", params)
        assert bad.status_code == 400, (params, bad.content)
        assert bad.json()["error"]["fields"]
    assert client.get("/calendar/holidays", {"year": 3000}).status_code == 400
    assert client.get("/calendar/due", {"start": "2026-12-23T15:30+08:00", "duration": "1 day",
                                        "agency": "tidak-ada"}).status_code == 404  # fmt: skip


@pytest.mark.django_db
def test_sop_show_is_the_commands_json_and_the_svg_is_the_drawing(office, api_as, capsys):
    client = api_as("analis_1")
    listed = client.get("/sops").json()
    assert [s["code"] for s in listed] == ["pengumpulan-data-kinerja"]
    call_command("sop", "show", "pengumpulan-data-kinerja", "--json")
    shown = client.get("/sops/pengumpulan-data-kinerja").json()
    assert shown["definition"] == json.loads(capsys.readouterr().out)
    assert shown["version"] == 1
    svg = client.get("/sops/pengumpulan-data-kinerja/document.svg")
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    assert svg.content.lstrip().startswith(b"<") and b"<svg" in svg.content
    assert client.get("/sops/tidak-ada").status_code == 404
    assert client.get("/sops/pengumpulan-data-kinerja", {"version": 2}).status_code == 404


@pytest.mark.django_db
def test_loading_an_sop_superusers_only_every_problem_with_line_and_path(office, api_as):
    text = SEED.read_text(encoding="utf-8")
    refused = api_as("sekcam").post("/sops", {"yaml": text})
    assert refused.status_code == 403
    admin = api_as("admin")
    same = admin.post("/sops", {"yaml": text})
    assert same.status_code == 200 and same.json()["created"] is False
    changed = text.replace("title:", "title: Versi baru -", 1)
    if changed != text:
        created = admin.post("/sops", {"yaml": changed, "source_name": "baru.yaml"})
        assert created.status_code == 201, created.content
        assert created.json()["version"] == 2
    broken = text.replace("executor: sekcam", "executor: tidak_ada", 1).replace(
        "amount: 1", "amount: -5", 1
    )
    answer = admin.post("/sops", {"yaml": broken, "source_name": "rusak.yaml"})
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "sop_invalid"
    assert len(error["problems"]) >= 2
    assert all(p["line"] > 0 and p["path"] for p in error["problems"])
    yaml_error = admin.post("/sops", {"yaml": "a: [1, 2"})
    assert yaml_error.status_code == 400 and yaml_error.json()["error"]["problems"]
    assert SopVersion.objects.count() == (2 if changed != text else 1)


@pytest.mark.django_db
def test_organisation_of_ones_own_agency(office, api_as):
    client = api_as("kasi_pemerintahan")
    agencies = client.get("/organization/agencies").json()
    assert [a["code"] for a in agencies] == [office.agency.code]
    detail = client.get(f"/organization/agencies/{office.agency.code}").json()
    assert {u["code"] for u in detail["units"]} >= {"pemerintahan", "trantib"}
    sekcam = next(p for p in detail["positions"] if p["role"] == "sekcam")
    assert [h["username"] for h in sekcam["holders"]] == ["sekcam"]
    assert client.get("/organization/agencies/lain").status_code == 404
