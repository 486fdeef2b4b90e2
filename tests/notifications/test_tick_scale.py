"""The tick's cost does not grow with the number of agencies when nothing is due (issue 14):
calendars are loaded once per run, one query says which scheduled cases exist already, and
only a task with a stage due costs a transaction. The agencies are built as
``benchmarks/scale.py`` builds its generated ones (small: 2 units x 1 indicator)."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinerja.notifications import scheduler
from kinerja.notifications.models import TaskAlert
from kinerja.sop.services import sop_load_builtin
from kinerja.workcalendar.calendar import DayKind
from kinerja.workcalendar.models import CalendarOverride, OfficeHours
from kinerja.workcalendar.selectors import calendar_for, calendars_for
from kinerja.workflow.models import Case

WITA = dt.timezone(dt.timedelta(hours=8))
OPENING = dt.datetime(2026, 10, 12, 7, 30, tzinfo=WITA)  # schedule_day 12: a Monday


def _build_agency():
    return importlib.import_module("benchmarks.scale").build_agency


@pytest.fixture
def agencies(db, run_on_commit):
    sop_load_builtin()
    build_agency = _build_agency()
    hashed = make_password("x")
    made = []

    def add(count: int):
        for _ in range(count):
            agency = build_agency(len(made) + 1, 2, 1, 0, hashed)
            agency.sops.update(schedule_day=12)
            made.append(agency)
        return made

    return add


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


def queries_of_tick(now, run_on_commit) -> tuple[int, scheduler.TickReport]:
    with CaptureQueriesContext(connection) as captured:
        report = run_on_commit(scheduler.tick, now)
    assert not report.errors, report.errors
    return len(captured.captured_queries), report


def test_nothing_due_costs_the_same_for_1_and_4_agencies(agencies, run_on_commit):
    agencies(1)
    opened = run_on_commit(scheduler.tick, OPENING)
    assert len(opened.cases_opened) == 1
    quiet = OPENING + dt.timedelta(minutes=2)  # step 1 (15 minutes) is not half done
    one, report = queries_of_tick(quiet, run_on_commit)
    assert report.alerts == {} and report.cases_opened == []

    agencies(3)
    opened = run_on_commit(scheduler.tick, OPENING + dt.timedelta(minutes=1))
    assert len(opened.cases_opened) == 3 and Case.objects.count() == 4
    four, report = queries_of_tick(quiet + dt.timedelta(minutes=1), run_on_commit)
    assert report.alerts == {} and report.cases_opened == []
    assert four == one, (one, four)

    # When the stages come due, every agency's tasks get theirs, each once.
    late = run_on_commit(scheduler.tick, OPENING + dt.timedelta(minutes=50))
    assert late.alerts.get("overdue") == 4 and set(late.alerts.values()) == {4}
    assert TaskAlert.objects.filter(kind="overdue").count() == 4
    assert run_on_commit(scheduler.tick, OPENING + dt.timedelta(minutes=51)).alerts == {}


def test_calendars_loaded_together_are_each_agencys_own(agencies):
    a, b = agencies(2)
    CalendarOverride.objects.create(
        agency=a, date=dt.date(2026, 10, 13), kind=DayKind.HOLIDAY, name="Hari jadi"
    )
    CalendarOverride.objects.create(
        agency=None, date=dt.date(2026, 10, 14), kind=DayKind.HOLIDAY, name="Cuti bersama"
    )
    OfficeHours.objects.create(
        agency=b, weekday=5, start=dt.time(8), end=dt.time(12), break_start=None, break_end=None
    )
    together = calendars_for([a, b])
    for agency in (a, b):
        alone = calendar_for(agency)
        assert dict(together[agency.pk].overrides) == dict(alone.overrides)
        assert dict(together[agency.pk].schedule) == dict(alone.schedule)
        assert together[agency.pk].tz == alone.tz
    assert dt.date(2026, 10, 13) in together[a.pk].overrides
    assert dt.date(2026, 10, 13) not in together[b.pk].overrides
    assert 5 in together[b.pk].schedule and 5 not in together[a.pk].schedule
