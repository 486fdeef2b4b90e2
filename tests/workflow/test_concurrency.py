"""Races on the engine with real threads and their own database connections."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from kinerja.core.errors import ApplicationError
from kinerja.workflow.models import Task
from kinerja.workflow.services import case_open, task_complete
from tests.conftest import wita
from tests.workflow.test_engine import SOP, active

pytestmark = pytest.mark.django_db(transaction=True)


def _race(*calls):
    """Run the calls at the same time, each in its own thread (and connection)."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each call raised
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def _to_step5(office, case, unit_code, kasi, analyst):
    u, unit = office.users, office.units[unit_code]
    task_complete(
        actor=u[kasi],
        task_id=active(case, 2, unit).pk,
        assignee=u[analyst],
        now=wita(2026, 10, 12, 9),
    )
    task_complete(
        actor=u[analyst],
        task_id=active(case, 3, unit).pk,
        now=wita(2026, 10, 12, 10),
        data={"no_materials_reason": "Tidak ada bahan triwulan ini."},
    )
    task_complete(actor=u[kasi], task_id=active(case, 4, unit).pk, now=wita(2026, 10, 12, 11))
    return active(case, 5, unit)


def test_two_approvals_at_the_join_activate_the_next_step_once(two_unit_office):
    office = two_unit_office
    case, _ = case_open(
        sop_code=SOP, agency=office.agency, period="2026-Q3", now=wita(2026, 10, 12, 8)
    )
    task_complete(
        actor=office.users["sekcam"], task_id=active(case, 1).pk, now=wita(2026, 10, 12, 8, 5)
    )
    a = _to_step5(office, case, "pemerintahan", "kasi_pemerintahan", "analis_1")
    b = _to_step5(office, case, "trantib", "kasi_trantib", "analis_2")
    sekcam = office.users["sekcam"]
    results = _race(
        lambda: task_complete(
            actor=sekcam, task_id=a.pk, outcome="approved", now=wita(2026, 10, 12, 13)
        ),
        lambda: task_complete(
            actor=sekcam, task_id=b.pk, outcome="approved", now=wita(2026, 10, 12, 13)
        ),
    )
    assert all(isinstance(r, Task) for r in results), results
    assert Task.objects.filter(case=case, step=6).count() == 1


def test_the_same_task_completed_twice_at_once_is_completed_once(two_unit_office):
    office = two_unit_office
    case, _ = case_open(
        sop_code=SOP, agency=office.agency, period="2026-Q3", now=wita(2026, 10, 12, 8)
    )
    step1 = active(case, 1)
    sekcam, admin = office.users["sekcam"], office.users["admin"]
    # The admin is also allowed here: make them a holder of the Sekcam's position.
    from kinerja.organization.models import PositionHolder

    PositionHolder.objects.create(
        position=office.positions["sekcam"],
        user=admin,
        kind=PositionHolder.Kind.PLH,
        start_date=wita(2026, 1, 1).date(),
    )
    results = _race(
        lambda: task_complete(actor=sekcam, task_id=step1.pk, now=wita(2026, 10, 12, 8, 5)),
        lambda: task_complete(actor=admin, task_id=step1.pk, now=wita(2026, 10, 12, 8, 5)),
    )
    ok = [r for r in results if isinstance(r, Task)]
    refused = [r for r in results if isinstance(r, ApplicationError)]
    assert len(ok) == 1 and len(refused) == 1, results
    assert refused[0].code == "already_completed"
    assert Task.objects.filter(case=case, step=2).count() == 2  # fanned out once
