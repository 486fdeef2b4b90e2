"""The demo opens its cases by the scheduler's own rule (issue 11): the same openings and
periods as ``kinerja tick``, following an agency's own schedule, never a copy of the rule."""

from __future__ import annotations

import datetime as dt

import pytest

from kinerja.core.periods import Period
from kinerja.demo.openings import latest_opening, openings
from kinerja.notifications.scheduler import TickReport, open_due_cases
from kinerja.sop.models import AgencySop
from kinerja.workflow.models import Case
from tests.conftest import wita

pytestmark = pytest.mark.django_db


def test_six_openings_of_the_seed_schedule_oldest_first(office):
    found = openings(office.agency, wita(2026, 12, 1, 12, 0), 6)
    assert found == [
        (wita(2025, 7, 10, 7, 30), Period(2025, 2)),
        (wita(2025, 10, 10, 7, 30), Period(2025, 3)),
        (wita(2026, 1, 10, 7, 30), Period(2025, 4)),
        (wita(2026, 4, 10, 7, 30), Period(2026, 1)),
        (wita(2026, 7, 10, 7, 30), Period(2026, 2)),
        (wita(2026, 10, 10, 7, 30), Period(2026, 3)),
    ]


def test_the_demo_opening_is_the_case_the_tick_opens(office):
    AgencySop.objects.create(agency=office.agency, sop_code="pengumpulan-data-kinerja")
    [(opening, period)] = openings(office.agency, wita(2026, 11, 2, 9, 0), 1)
    report = TickReport(now=opening)
    open_due_cases(opening, report)
    case = Case.objects.get(agency=office.agency)
    assert (case.opened_at, case.period) == (opening, str(period))


def test_an_agency_schedule_moves_the_demo_openings(office):
    AgencySop.objects.create(
        agency=office.agency,
        sop_code="pengumpulan-data-kinerja",
        schedule_day=15,
        schedule_months="2,5,8,11",
    )
    assert latest_opening(dt.date(2026, 12, 1), office.agency) == (
        dt.date(2026, 11, 15),
        Period(2026, 3),
    )
    # The scheduler opens that case on that day, and nothing on the seed's 10 October.
    report = TickReport(now=wita(2026, 10, 10, 8, 0))
    open_due_cases(wita(2026, 10, 10, 8, 0), report)
    open_due_cases(wita(2026, 11, 15, 7, 30), report)
    cases = list(Case.objects.filter(agency=office.agency).values_list("period", "opened_at"))
    assert cases == [("2026-Q3", wita(2026, 11, 15, 7, 30))]


def test_the_opening_day_counts_all_day_as_before(office):
    assert latest_opening(dt.date(2026, 10, 10), office.agency) == (
        dt.date(2026, 10, 10),
        Period(2026, 3),
    )
    assert latest_opening(dt.date(2026, 10, 9), office.agency) == (
        dt.date(2026, 7, 10),
        Period(2026, 2),
    )
