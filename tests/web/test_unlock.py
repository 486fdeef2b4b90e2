"""Unlocking an approved unit's quarter: on the case page (administrators only, reason
required, audited, shown with who/when/why) and with ``kinerja unlock``. The unit goes
back to step 4 as a new round, and the next approval locks it again."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kinerja.core.models import AuditEvent
from kinerja.performance.models import UnitPeriodLock
from kinerja.workflow.models import Task

from .conftest import form_data

pytestmark = pytest.mark.django_db


def active(case, step, unit_code=None):
    qs = Task.objects.filter(case=case, step=step, status="active")
    if unit_code:
        qs = qs.filter(unit__code=unit_code)
    return qs.get()


@pytest.fixture
def approved(case, perf_office):
    """Pemerintahan approved (locked) through the engine; Trantib at step 3."""
    from kinerja.demo.performance import fill_unit_report
    from kinerja.workflow.services import task_complete

    u = perf_office.users
    task_complete(actor=u["sekcam"], task_id=active(case, 1).pk)
    for unit, kasi, analyst in (
        ("pemerintahan", "kasi_pemerintahan", "analis_1"),
        ("trantib", "kasi_trantib", "analis_2"),
    ):
        task_complete(actor=u[kasi], task_id=active(case, 2, unit).pk, assignee=u[analyst])
    unit = perf_office.units["pemerintahan"]
    fill_unit_report(case=case, unit=unit, actor=u["analis_1"], now=None)
    task_complete(actor=u["analis_1"], task_id=active(case, 3, "pemerintahan").pk)
    task_complete(actor=u["kasi_pemerintahan"], task_id=active(case, 4, "pemerintahan").pk)
    task_complete(actor=u["sekcam"], task_id=active(case, 5, "pemerintahan").pk, outcome="approved")
    assert UnitPeriodLock.objects.filter(
        unit=unit, year=2026, quarter=3, unlocked_at__isnull=True
    ).exists()
    return case


def lock_in_force():
    return UnitPeriodLock.objects.filter(
        unit__code="pemerintahan", year=2026, quarter=3, unlocked_at__isnull=True
    )


def test_unlock_on_the_case_page(approved, login, perf_office, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = approved
    url = f"/kasus/{case.pk}/buka-kunci/"
    unit_id = perf_office.units["pemerintahan"].pk

    # The Kasi sees the lock but no unlock form; posting is refused and changes nothing.
    page = login("kasi_pemerintahan").get(f"/kasus/{case.pk}/").content.decode()
    assert 'data-lock="pemerintahan"' in page and "Terkunci" in page
    assert url not in page
    response = login("kasi_pemerintahan").post(url, {"unit": unit_id, "reason": "Salah."})
    assert response.status_code == 403
    assert lock_in_force().exists()

    # The administrator: the reason is required.
    admin = login("admin")
    assert url in admin.get(f"/kasus/{case.pk}/").content.decode()
    response = admin.post(url, {"unit": unit_id, "reason": "  "}, follow=True)
    assert "Alasan membuka kunci wajib diisi." in response.content.decode()
    assert lock_in_force().exists()
    # A unit that is not the case's: 404, nothing changes.
    other = perf_office.units["umum"].pk
    assert admin.post(url, {"unit": other, "reason": "x"}).status_code == 404
    assert admin.post(url, {"unit": "abc", "reason": "x"}, follow=True).status_code == 200

    response = admin.post(url, {"unit": unit_id, "reason": "Koreksi angka PEM-1."}, follow=True)
    page = response.content.decode()
    assert "Kunci data Seksi Pemerintahan Triwulan III 2026 dibuka." in page
    assert not lock_in_force().exists()
    assert "Koreksi angka PEM-1." in page and "data-unlocked" in page
    event = AuditEvent.objects.get(action="unit_period.unlocked")
    assert event.reason == "Koreksi angka PEM-1."
    assert AuditEvent.objects.filter(action="case.unit_reopened").count() == 1

    # The unit is back at step 4 (round 2) for its head, who can edit and finish again.
    fix = active(case, 4, "pemerintahan")
    assert fix.round == 2
    # Its row on the case page shows step 4 running and no longer the earlier approval.
    from kinerja.workflow.selectors import case_page

    rows = {r.case_unit.unit.code: r for r in case_page(case, None).unit_rows}
    assert rows["pemerintahan"].cells[4] == fix and rows["pemerintahan"].cells[5] is None
    c = login("kasi_pemerintahan")
    data = form_data(c.get(f"/tugas/{fix.pk}/").content.decode())
    first = sorted(n for n in data if n.startswith("v_"))[0]
    data[first] = "77"
    data["action"] = "complete"
    response = c.post(f"/tugas/{fix.pk}/", data)
    assert response.status_code == 302, response.content.decode()[-2000:]

    # The Sekcam approves again: locked again.
    from kinerja.workflow.services import task_complete

    task_complete(
        actor=perf_office.users["sekcam"],
        task_id=active(case, 5, "pemerintahan").pk,
        outcome="approved",
    )
    assert lock_in_force().count() == 1
    assert (
        UnitPeriodLock.objects.filter(unit__code="pemerintahan", year=2026, quarter=3).count() == 2
    )


def test_unlock_command(approved, perf_office):
    common = ["--agency", perf_office.agency.code, "--period", "2026-Q3", "--unit"]
    with pytest.raises(CommandError, match="Hanya pengelola data"):
        call_command("unlock", *common, "pemerintahan", "--user", "sekcam", "--reason", "x")
    with pytest.raises(CommandError, match="wajib"):
        call_command("unlock", *common, "pemerintahan", "--user", "admin", "--reason", " ")
    with pytest.raises(CommandError, match="tidak ada"):
        call_command("unlock", *common, "nope", "--user", "admin", "--reason", "x")
    with pytest.raises(CommandError, match="tidak sedang dikunci"):
        call_command("unlock", *common, "trantib", "--user", "admin", "--reason", "x")
    assert lock_in_force().exists()

    from io import StringIO

    out = StringIO()
    call_command(
        "unlock", *common, "pemerintahan", "--user", "admin", "--reason", "Revisi.", stdout=out
    )
    assert "dibuka" in out.getvalue() and "langkah 4" in out.getvalue()
    assert not lock_in_force().exists()
    assert active(approved, 4, "pemerintahan").round == 2
