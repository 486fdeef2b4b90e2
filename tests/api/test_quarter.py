"""A whole quarter of the seed SOP through the API: four executors (Sekcam, the two section
heads, the analysts, the Kasubag Perencanaan), two units, a refused incomplete report, a
return and its fix, approval, the compilation step; every move an API call with a token.

The performance data the section heads enter between steps 3 and 4 goes through the
performance services (the API's performance endpoints are another part of issue 13)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kinerja.core.models import AuditEvent
from kinerja.core.periods import Period
from kinerja.performance import services as performance
from kinerja.performance.models import UnitPeriodLock
from kinerja.workflow.models import Case, Task
from tests.performance.conftest import _media, pdf_bytes, world  # noqa: F401

SOP = "pengumpulan-data-kinerja"
Q3 = Period(2026, 3)
D = Decimal


def _only_task(client, step: int, unit: str | None = None) -> dict:
    items = client.get("/me/tasks", {"period": "2026-Q3"}).json()["items"]
    mine = [t for t in items if t["step"] == step and (t["unit"] or {}).get("code") == unit]
    assert len(mine) == 1, items
    return mine[0]


def _complete(client, task: dict, **body):
    return client.post(
        f"/tasks/{task['id']}/complete", {"expected_version": task["version"], **body}
    )


@pytest.mark.django_db
def test_a_quarter_through_the_api(world, api_as):  # noqa: F811
    office = world.office
    users = office.users
    admin, sekcam = api_as("admin"), api_as("sekcam")
    kasi = {"pemerintahan": api_as("kasi_pemerintahan"), "trantib": api_as("kasi_trantib")}
    analyst = {"pemerintahan": api_as("analis_1"), "trantib": api_as("analis_2")}
    planner = api_as("kasubag_perencanaan")

    # The administrator opens the quarter's case (the scheduler would on 10 October).
    opened = admin.post("/cases", {"sop": SOP, "agency": office.agency.code, "period": "2026-Q3"})
    assert opened.status_code == 201, opened.content
    case_id = opened.json()["id"]
    again = admin.post("/cases", {"sop": SOP, "agency": office.agency.code, "period": "2026-Q3"})
    assert again.status_code == 200 and again.json()["id"] == case_id
    assert (
        sekcam.post(
            "/cases", {"sop": SOP, "agency": office.agency.code, "period": "2026-Q4"}
        ).status_code
        == 403
    )

    # Step 1: the Sekcam assigns the units, with an instruction.
    step1 = _only_task(sekcam, 1)
    done = _complete(sekcam, step1, data={"instruction": "Mohon laporan triwulan III."})
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "completed"

    # Step 2: each section head picks the analyst offered by the task.
    for unit, username in (("pemerintahan", "analis_1"), ("trantib", "analis_2")):
        task = _only_task(kasi[unit], 2, unit)
        shown = kasi[unit].get(f"/tasks/{task['id']}").json()
        assert shown["may_act"] and shown["outcomes"] == ["done"]
        candidate = next(c for c in shown["choose_assignee"] if c["username"] == username)
        refused = _complete(kasi[unit], task)  # no analyst chosen
        assert refused.status_code == 422
        assert refused.json()["error"]["code"] == "assignee_required"
        moved = _complete(
            kasi[unit], task, assignee=candidate["id"], data={"instruction": "Kumpulkan."}
        )
        assert moved.status_code == 200, moved.content

    # Step 3: the analysts hand over (a material for Pemerintahan, a reason for Trantib).
    case = Case.objects.get(pk=case_id)
    performance.material_add(
        actor=users["analis_1"], case=case, unit=office.units["pemerintahan"],
        upload=pdf_bytes(), name="bahan.pdf",
    )  # fmt: skip
    task = _only_task(analyst["pemerintahan"], 3, "pemerintahan")
    assert _complete(analyst["pemerintahan"], task).status_code == 200
    task = _only_task(analyst["trantib"], 3, "trantib")
    without = _complete(analyst["trantib"], task)
    assert without.status_code == 422 and without.json()["error"]["code"] == "materials_required"
    reason = {"no_materials_reason": "Data dari kelurahan lewat surat."}
    assert _complete(analyst["trantib"], task, data=reason).status_code == 200

    # Step 4: an incomplete report is refused with every missing item; then entered.
    task = _only_task(kasi["pemerintahan"], 4, "pemerintahan")
    incomplete = _complete(kasi["pemerintahan"], task)
    assert incomplete.status_code == 422
    assert incomplete.json()["error"]["code"] == "incomplete"
    assert len(incomplete.json()["error"]["details"]) == 2  # PEM-1 and PEM-2
    real = performance.realisation_save(
        actor=users["kasi_pemerintahan"], indicator=world.pem1, period=Q3, value=D(27)
    )
    performance.evidence_add(
        actor=users["kasi_pemerintahan"], realisation=real, upload=pdf_bytes(), name="dd.pdf"
    )
    performance.realisation_save(
        actor=users["kasi_pemerintahan"], indicator=world.pem2, period=Q3, value=D(9)
    )
    performance.realisation_save(
        actor=users["kasi_trantib"], indicator=world.tra1, period=Q3, value=D(18)
    )
    stale = _complete(kasi["pemerintahan"], {**task, "version": task["version"] + 7})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "concurrent_update"
    for unit in ("pemerintahan", "trantib"):
        task = _only_task(kasi[unit], 4, unit)
        assert _complete(kasi[unit], task).status_code == 200

    # Step 5: the Sekcam returns Pemerintahan (a comment is required), approves Trantib.
    task = _only_task(sekcam, 5, "pemerintahan")
    assert _complete(sekcam, task, outcome="done").json()["error"]["code"] == "invalid_outcome"
    no_reason = _complete(sekcam, task, outcome="returned")
    assert no_reason.status_code == 422
    assert no_reason.json()["error"]["code"] == "comment_required"
    returned = _complete(sekcam, task, outcome="returned", comment="Kendala PEM-2 belum diisi.")
    assert returned.status_code == 200
    approve_t = _only_task(sekcam, 5, "trantib")
    assert _complete(sekcam, approve_t, outcome="approved").status_code == 200
    # not the Sekcam's: the analyst sees the unit but may not decide (403, not 404)
    fix = _only_task(kasi["pemerintahan"], 4, "pemerintahan")
    assert fix["round"] == 2
    assert _complete(analyst["pemerintahan"], fix).status_code == 403

    # The fix (round 2) and approval.
    performance.realisation_save(
        actor=users["kasi_pemerintahan"], indicator=world.pem2, period=Q3, value=D(9),
        problems="Data kelurahan terlambat", actions="Surat pengingat", expected_version=1,
    )  # fmt: skip
    assert _complete(kasi["pemerintahan"], fix, comment="Sudah dilengkapi.").status_code == 200
    task = _only_task(sekcam, 5, "pemerintahan")
    headers = {"HTTP_IDEMPOTENCY_KEY": "approve-pem-q3"}
    first = sekcam.post(
        f"/tasks/{task['id']}/complete",
        {"outcome": "approved", "expected_version": task["version"]},
        **headers,
    )
    retry = sekcam.post(
        f"/tasks/{task['id']}/complete",
        {"outcome": "approved", "expected_version": task["version"]},
        **headers,
    )
    assert first.status_code == 200 and retry.content == first.content
    assert retry["Idempotent-Replayed"] == "true"
    assert UnitPeriodLock.objects.filter(case=case).count() == 2

    # Step 6: the Kasubag Perencanaan compiles the quarter; the case is complete.
    task = _only_task(planner, 6)
    assert task["variant"] == "triwulan"
    assert _complete(planner, task).status_code == 200
    shown = planner.get(f"/cases/{case_id}").json()
    assert shown["status"] == "completed"
    assert shown["returned_rounds"] == 1
    steps = [(t["step"], (t["unit"] or {}).get("code"), t["round"]) for t in shown["tasks"]]
    assert (4, "pemerintahan", 2) in steps and (5, "pemerintahan", 2) in steps
    assert all(t["timing"]["standard_minutes"] > 0 for t in shown["tasks"])
    assert len(shown["dispositions"]) >= 5  # step 1 x2, step 2 x2, the return

    # Every move was made as its person, and the audit says it came through the API.
    completed = AuditEvent.objects.filter(action="task.completed")
    assert completed.count() == Task.objects.filter(case=case, status="completed").count()
    assert set(completed.values_list("source", flat=True)) == {"api"}
    assert all(e.source_detail.startswith("token #") for e in completed)
    approver = completed.filter(object_id=str(task["id"])).get()
    assert approver.actor == users["kasubag_perencanaan"]
