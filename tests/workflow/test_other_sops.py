"""A non-seed SOP started by the scheduler: its case is labelled by the SOP's own period (a
yearly SOP by its year), and a step is given to the position that plays its role, never
guessed from another unit (the "kasi" of an office-wide step is not the Kasubag Umum)."""

from __future__ import annotations

import pytest

from kinerja.core.errors import ApplicationError
from kinerja.sop.models import AgencySop
from kinerja.sop.services import sop_load
from kinerja.workflow.models import Case, Task
from kinerja.workflow.services import case_open
from tests.conftest import wita

YEARLY = """
code: evaluasi-tahunan
title: Evaluasi Tahunan
executors:
  - {code: sekcam, name: Sekcam}
  - {code: kasi, name: Kasi/Kasubag}
steps:
  - {number: 1, activity: Menugaskan evaluasi, executor: sekcam, time: 15 menit, next: 2}
  - {number: 2, activity: Menyusun evaluasi, executor: kasi, time: 1 hari, scope: SCOPE}
schedule: {day: 5, months: [1]PERIOD}
"""


def load(scope="unit", period=""):
    text = YEARLY.replace("SCOPE", scope).replace("PERIOD", period)
    version, _ = sop_load(source=text, source_name="evaluasi.yaml")
    return version


@pytest.mark.django_db
def test_a_yearly_sop_is_labelled_by_its_year(two_unit_office, django_capture_on_commit_callbacks):
    from kinerja.notifications import scheduler

    load()
    AgencySop.objects.create(agency=two_unit_office.agency, sop_code="evaluasi-tahunan")
    with django_capture_on_commit_callbacks(execute=True):
        report = scheduler.tick(wita(2027, 1, 6, 8, 0))
    assert "kec-binamu/evaluasi-tahunan/2026" in report.cases_opened, report
    case = Case.objects.get(sop_code="evaluasi-tahunan")
    assert case.period == "2026" and case.period_obj.label == "Tahun 2026"


@pytest.mark.django_db
def test_current_year_and_quarters_stay_as_written(two_unit_office):
    from kinerja.notifications.scheduler import period_for

    spec = load(period=", period: current_year").spec
    assert spec.schedule.period == "current_year"
    assert str(period_for(wita(2026, 12, 1, 8, 0), spec.schedule)) == "2026"
    quarterly = load(period=", period: current_quarter").spec
    assert str(period_for(wita(2026, 12, 1, 8, 0), quarterly.schedule)) == "2026-Q4"


@pytest.mark.django_db
def test_kasi_steps_go_to_each_units_head(two_unit_office):
    from kinerja.workflow.services import task_complete

    load(scope="unit")
    case, _ = case_open(sop_code="evaluasi-tahunan", agency=two_unit_office.agency, period="2026")
    first = Task.objects.get(case=case, step=1)
    assert first.position.role == "sekcam"
    task_complete(actor=two_unit_office.users["sekcam"], task_id=first.pk)
    tasks = list(Task.objects.filter(case=case, step=2).select_related("position", "unit"))
    assert {t.unit.code for t in tasks} == {"pemerintahan", "trantib"}
    assert all(t.position.unit_id == t.unit_id for t in tasks)  # each unit's own head


@pytest.mark.django_db
def test_an_office_wide_kasi_step_is_refused_not_guessed(two_unit_office):
    load(scope="office")
    with pytest.raises(ApplicationError) as err:
        case_open(sop_code="evaluasi-tahunan", agency=two_unit_office.agency, period="2026")
    assert "scope: unit" in str(err.value.message)
    assert not Case.objects.filter(sop_code="evaluasi-tahunan").exists()
