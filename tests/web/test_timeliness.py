"""Timeliness per unit (issue 9 item 5): a unit is on time when every task of its steps
finished within its standard (kinerja.workflow.timeliness, docs/timeliness.md). A unit whose
step 2 was 29 working hours late is not "Tepat waktu", even though it sent its report within
step 4's own standard; the dashboard says which step was late and by how much."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from kinerja.sop.schema import Duration
from tests.conftest import wita

pytestmark = pytest.mark.django_db

LATE_HOURS = 29


def active(case, step, unit=None):
    from kinerja.workflow.models import Task

    qs = Task.objects.filter(case=case, step=step, status=Task.Status.ACTIVE)
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs.get()


@pytest.fixture
def played(two_unit_office, case):
    """Q3 2026: Pemerintahan's Kasi disposes 29 working hours after step 2's due instant,
    then every later step is quick; Trantib does every step within its standard."""
    from kinerja.workcalendar.selectors import calendar_for
    from kinerja.workflow.services import task_complete

    office = two_unit_office
    u = office.users
    cal = calendar_for(office.agency)
    at = wita(2026, 10, 12, 8, 0)
    task_complete(
        actor=u["sekcam"], task_id=active(case, 1).pk, data={"instruction": "Susun."}, now=at
    )
    for unit_code, kasi, analyst in [
        ("pemerintahan", "kasi_pemerintahan", "analis_1"),
        ("trantib", "kasi_trantib", "analis_2"),
    ]:
        unit = office.units[unit_code]
        step2 = active(case, 2, unit)
        if unit_code == "pemerintahan":
            at = cal.add(step2.due_at, Duration(amount=LATE_HOURS, unit="hour"))
        else:
            at = step2.activated_at + dt.timedelta(minutes=5)
        task_complete(
            actor=u[kasi],
            task_id=step2.pk,
            assignee=u[analyst],
            data={"instruction": "Kumpulkan bahan."},
            now=at,
        )
        at = active(case, 3, unit).activated_at + dt.timedelta(minutes=30)
        task_complete(
            actor=u[analyst],
            task_id=active(case, 3, unit).pk,
            data={"no_materials_reason": "Data sudah ada di aplikasi."},
            now=at,
        )
        at += dt.timedelta(minutes=30)
        task_complete(actor=u[kasi], task_id=active(case, 4, unit).pk, now=at)
        at += dt.timedelta(minutes=20)
        task_complete(
            actor=u["sekcam"], task_id=active(case, 5, unit).pk, outcome="approved", now=at
        )
    office.case = case
    return office


def summary_of(case, **kwargs):
    from kinerja.workflow.selectors import period_summaries

    summary = period_summaries([case], [case.period], None, **kwargs)[0]
    return {u.unit_name: u for u in summary.units}, summary


def test_step_two_late_makes_the_unit_late(played):
    from kinerja.workflow.models import Task

    units, summary = summary_of(played.case)
    pem = units[played.units["pemerintahan"].name]
    tran = units[played.units["trantib"].name]
    # the report itself went out within step 4's own standard: the old rule said on time
    step4 = Task.objects.get(case=played.case, step=4, unit=played.units["pemerintahan"])
    assert step4.completed_at <= step4.due_at
    assert pem.submitted and pem.approved
    assert not pem.on_time
    assert [(s.step, s.round, s.late_minutes, s.open) for s in pem.late] == [
        (2, 1, LATE_HOURS * 60, False)
    ]
    assert tran.submitted and tran.on_time and tran.late == []
    assert summary.on_time == 1 and summary.timeliness == 50


def test_open_task_past_due_is_late_now(two_unit_office, case):
    from kinerja.workflow.services import task_complete

    u = two_unit_office.users
    task_complete(
        actor=u["sekcam"],
        task_id=active(case, 1).pk,
        data={"instruction": "Susun."},
        now=wita(2026, 10, 12, 8, 0),
    )
    step2 = active(case, 2, two_unit_office.units["trantib"])
    units, _summary = summary_of(case, now=step2.due_at - dt.timedelta(minutes=1))
    assert units[two_unit_office.units["trantib"].name].late == []
    units, _summary = summary_of(case, now=wita(2026, 10, 12, 9, 15))  # 1 h past 08:15
    late = units[two_unit_office.units["trantib"].name].late
    assert [(s.step, s.late_minutes, s.open) for s in late] == [(2, 60, True)]
    assert not units[two_unit_office.units["trantib"].name].on_time


def test_dashboard_shows_what_was_late(played, login):
    page = login("sekcam").get("/dasbor/?period=2026-Q3").content.decode()

    def row_of(unit):
        start = page.find(f'data-unit="{unit.name}"')
        assert start > 0
        return page[start : page.find("</tr>", start)]

    pem = row_of(played.units["pemerintahan"])
    assert 'data-timeliness="late"' in pem
    assert re.search(r"Langkah 2: terlambat 29 jam kerja", pem)
    tran = row_of(played.units["trantib"])
    assert 'data-timeliness="on_time"' in tran and "Tepat waktu" in tran
    kpi = page[page.find('data-kpi="on_time"') :]
    assert kpi[kpi.find(">") + 1 : kpi.find("</div>")] == "1"
