"""The seed SOP run end to end by the engine, and the engine's rules one by one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinerja.core.errors import ApplicationError, ConcurrentUpdate, PermissionDenied
from kinerja.core.models import AuditEvent
from kinerja.organization.models import PositionHolder
from kinerja.sop.schema import Duration
from kinerja.workcalendar.selectors import calendar_for
from kinerja.workflow.models import Case, CaseUnit, Disposition, Task
from kinerja.workflow.selectors import open_tasks_for_user
from kinerja.workflow.services import case_open, case_release_unit, task_complete
from tests.conftest import wita

SOP = "pengumpulan-data-kinerja"


def active(case, step, unit=None, variant=None):
    qs = Task.objects.filter(case=case, step=step, status=Task.Status.ACTIVE)
    if unit is not None:
        qs = qs.filter(unit=unit)
    if variant is not None:
        qs = qs.filter(variant=variant)
    return qs.get()


def run_unit_to_approval(office, case, unit_code, kasi, analyst, at):
    """Steps 2-5 for one unit, approved at once. Returns the time after the last move."""
    unit = office.units[unit_code]
    u = office.users
    task_complete(actor=u[kasi], task_id=active(case, 2, unit).pk, assignee=u[analyst], now=at)
    at += dt.timedelta(minutes=10)
    task_complete(
        actor=u[analyst],
        task_id=active(case, 3, unit).pk,
        now=at,
        data={"no_materials_reason": "Tidak ada bahan triwulan ini."},
    )
    at += dt.timedelta(minutes=10)
    task_complete(actor=u[kasi], task_id=active(case, 4, unit).pk, now=at)
    at += dt.timedelta(minutes=10)
    task_complete(actor=u["sekcam"], task_id=active(case, 5, unit).pk, outcome="approved", now=at)
    return at + dt.timedelta(minutes=10)


@pytest.mark.django_db
def test_seed_sop_end_to_end_with_return_join_and_annual(two_unit_office):
    office = two_unit_office
    u, units = office.users, office.units
    pem, tra = units["pemerintahan"], units["trantib"]
    cal = calendar_for(office.agency)

    # 10 October 2026 is a Saturday: the case opens, the first task is due 15 working minutes
    # after the office opens on Monday 12 October.
    case, created = case_open(
        sop_code=SOP, agency=office.agency, period="2026-Q3", now=wita(2026, 10, 10, 7, 30)
    )
    assert created
    step1 = active(case, 1)
    assert step1.position == office.positions["sekcam"]
    assert step1.due_at == wita(2026, 10, 12, 7, 45)

    task_complete(
        actor=u["sekcam"],
        task_id=step1.pk,
        data={"instruction": "Segera."},
        now=wita(2026, 10, 12, 8, 0),
    )
    step2_pem, step2_tra = active(case, 2, pem), active(case, 2, tra)
    assert step2_pem.position == office.positions["kasi_pemerintahan"]
    assert step2_tra.position == office.positions["kasi_trantib"]
    assert step2_pem.due_at == wita(2026, 10, 12, 8, 15)
    assert Disposition.objects.filter(task=step1).count() == 2
    assert set(Disposition.objects.filter(task=step1).values_list("instruction", flat=True)) == {
        "Segera."
    }

    # The Kasi must choose the analyst; a wrong one is refused and changes nothing.
    with pytest.raises(ApplicationError) as err:
        task_complete(
            actor=u["kasi_pemerintahan"], task_id=step2_pem.pk, now=wita(2026, 10, 12, 8, 10)
        )
    assert err.value.code == "assignee_required"
    with pytest.raises(ApplicationError):
        task_complete(
            actor=u["kasi_pemerintahan"],
            task_id=step2_pem.pk,
            assignee=u["kasi_trantib"],
            now=wita(2026, 10, 12, 8, 10),
        )
    assert Task.objects.get(pk=step2_pem.pk).status == Task.Status.ACTIVE

    # Another section head cannot do this unit's step.
    with pytest.raises(PermissionDenied):
        task_complete(
            actor=u["kasi_trantib"],
            task_id=step2_pem.pk,
            assignee=u["analis_1"],
            now=wita(2026, 10, 12, 8, 10),
        )

    task_complete(
        actor=u["kasi_pemerintahan"],
        task_id=step2_pem.pk,
        assignee=u["analis_1"],
        data={"instruction": "Kumpulkan data kelurahan."},
        now=wita(2026, 10, 12, 8, 10),
    )
    step3_pem = active(case, 3, pem)
    assert step3_pem.assignee == u["analis_1"]
    # 1 day = the same clock time on the next working day.
    assert step3_pem.due_at == wita(2026, 10, 13, 8, 10)
    assert Disposition.objects.get(task=step2_pem).to_user == u["analis_1"]

    # Only the chosen analyst may do step 3.
    with pytest.raises(PermissionDenied):
        task_complete(actor=u["analis_2"], task_id=step3_pem.pk, now=wita(2026, 10, 12, 9, 0))
    # Step 3's output is the materials: none uploaded and no reason given is refused.
    with pytest.raises(ApplicationError) as err:
        task_complete(actor=u["analis_1"], task_id=step3_pem.pk, now=wita(2026, 10, 12, 14, 0))
    assert err.value.code == "materials_required"
    task_complete(
        actor=u["analis_1"],
        task_id=step3_pem.pk,
        now=wita(2026, 10, 12, 14, 0),
        data={"no_materials_reason": "Tidak ada kegiatan baru."},
    )
    step4_pem = active(case, 4, pem)
    assert step4_pem.due_at == wita(2026, 10, 13, 14, 0)
    task_complete(actor=u["kasi_pemerintahan"], task_id=step4_pem.pk, now=wita(2026, 10, 13, 9, 0))
    step5_pem = active(case, 5, pem)
    assert step5_pem.position == office.positions["sekcam"]
    assert step5_pem.due_at == wita(2026, 10, 13, 10, 0)

    # A return needs a comment; without one nothing changes.
    with pytest.raises(ApplicationError) as err:
        task_complete(
            actor=u["sekcam"],
            task_id=step5_pem.pk,
            outcome="returned",
            now=wita(2026, 10, 13, 9, 30),
        )
    assert err.value.code == "comment_required"
    assert Task.objects.get(pk=step5_pem.pk).status == Task.Status.ACTIVE
    task_complete(
        actor=u["sekcam"],
        task_id=step5_pem.pk,
        outcome="returned",
        comment="Realisasi IKU 2 belum ada data dukung.",
        now=wita(2026, 10, 13, 9, 30),
    )
    step4_round2 = active(case, 4, pem)
    assert step4_round2.round == 2
    assert step4_round2.due_at == wita(2026, 10, 14, 9, 30)
    back = Disposition.objects.get(task=step5_pem)
    assert back.to_position == office.positions["kasi_pemerintahan"]
    assert back.instruction == "Realisasi IKU 2 belum ada data dukung."

    task_complete(
        actor=u["kasi_pemerintahan"], task_id=step4_round2.pk, now=wita(2026, 10, 13, 11, 0)
    )
    step5_round2 = active(case, 5, pem)
    assert step5_round2.round == 2
    task_complete(
        actor=u["sekcam"],
        task_id=step5_round2.pk,
        outcome="approved",
        now=wita(2026, 10, 13, 11, 30),
    )
    # The join waits for Trantib.
    assert not Task.objects.filter(case=case, step=6).exists()

    run_unit_to_approval(
        office, case, "trantib", "kasi_trantib", "analis_2", wita(2026, 10, 13, 13, 0)
    )
    step6 = active(case, 6)
    assert step6.variant == "triwulan"
    assert step6.position == office.positions["penyusun_laporan"]
    assert step6.due_at == cal.add(step6.activated_at, Duration(amount=1, unit="day"))
    task_complete(actor=u["kasubag_perencanaan"], task_id=step6.pk, now=wita(2026, 10, 14, 8, 0))
    case.refresh_from_db()
    assert case.status == Case.Status.COMPLETED
    assert not Task.objects.filter(case=case, variant="tahunan").exists()
    rounds = list(Task.objects.filter(case=case, unit=pem, step=4).values_list("round", flat=True))
    assert sorted(rounds) == [1, 2]  # every round is kept

    # The fourth quarter adds the annual report (15 working days) after the quarterly one.
    q4, _ = case_open(
        sop_code=SOP, agency=office.agency, period="2026-Q4", now=wita(2027, 1, 11, 8, 0)
    )
    task_complete(actor=u["sekcam"], task_id=active(q4, 1).pk, now=wita(2027, 1, 11, 8, 5))
    at = run_unit_to_approval(
        office, q4, "pemerintahan", "kasi_pemerintahan", "analis_1", wita(2027, 1, 11, 9, 0)
    )
    run_unit_to_approval(office, q4, "trantib", "kasi_trantib", "analis_2", at)
    quarterly = active(q4, 6, variant="triwulan")
    task_complete(
        actor=u["kasubag_perencanaan"], task_id=quarterly.pk, now=wita(2027, 1, 12, 10, 0)
    )
    annual = active(q4, 6, variant="tahunan")
    assert (annual.standard_amount, annual.standard_unit) == (15, "day")
    assert annual.due_at == cal.add(wita(2027, 1, 12, 10, 0), Duration(amount=15, unit="day"))
    # 15 working days from Tuesday 12 January 2027 land three calendar weeks later at least.
    assert annual.due_at >= wita(2027, 2, 2, 10, 0)
    assert q4.status == Case.Status.OPEN
    task_complete(actor=u["kasubag_perencanaan"], task_id=annual.pk, now=wita(2027, 1, 25, 10, 0))
    q4.refresh_from_db()
    assert q4.status == Case.Status.COMPLETED


@pytest.mark.django_db
def test_case_open_is_idempotent(two_unit_office):
    office = two_unit_office
    first, created = case_open(
        sop_code=SOP, agency=office.agency, period="2026-Q3", now=wita(2026, 10, 12, 8, 0)
    )
    again, created_again = case_open(
        sop_code=SOP, agency=office.agency, period="2026-Q3", now=wita(2026, 10, 12, 9, 0)
    )
    assert created and not created_again
    assert first.pk == again.pk
    assert Task.objects.filter(case=first).count() == 1


@pytest.mark.django_db
def test_retry_is_idempotent_and_a_different_move_is_refused(two_unit_office):
    office = two_unit_office
    case, _ = case_open(
        sop_code=SOP, agency=office.agency, period="2026-Q3", now=wita(2026, 10, 12, 8, 0)
    )
    step1 = active(case, 1)
    sekcam = office.users["sekcam"]
    task_complete(actor=sekcam, task_id=step1.pk, now=wita(2026, 10, 12, 8, 5))
    events = AuditEvent.objects.count()
    task_complete(actor=sekcam, task_id=step1.pk, now=wita(2026, 10, 12, 8, 6))  # retry
    assert AuditEvent.objects.count() == events
    assert Task.objects.filter(case=case, step=2).count() == 2
    with pytest.raises(ApplicationError) as err:
        task_complete(actor=office.users["admin"], task_id=step1.pk, now=wita(2026, 10, 12, 8, 7))
    assert err.value.code == "already_completed"


@pytest.mark.django_db
def test_stale_form_is_refused(two_unit_office):
    office = two_unit_office
    case, _ = case_open(
        sop_code=SOP, agency=office.agency, period="2026-Q3", now=wita(2026, 10, 12, 8, 0)
    )
    step1 = active(case, 1)
    with pytest.raises(ConcurrentUpdate):
        task_complete(
            actor=office.users["sekcam"],
            task_id=step1.pk,
            expected_version=step1.lock_version + 1,
            now=wita(2026, 10, 12, 8, 5),
        )
    assert Task.objects.get(pk=step1.pk).status == Task.Status.ACTIVE


@pytest.mark.django_db
def test_acting_official_may_act_only_within_dates(two_unit_office):
    office = two_unit_office
    case, _ = case_open(
        sop_code=SOP, agency=office.agency, period="2026-Q3", now=wita(2026, 10, 12, 8, 0)
    )
    step1 = active(case, 1)
    plh = office.users["kasubag_umum"]
    PositionHolder.objects.create(
        position=office.positions["sekcam"],
        user=plh,
        kind=PositionHolder.Kind.PLH,
        start_date=dt.date(2026, 10, 13),
        end_date=dt.date(2026, 10, 14),
    )
    with pytest.raises(PermissionDenied):
        task_complete(actor=plh, task_id=step1.pk, now=wita(2026, 10, 12, 9, 0))
    assert step1 not in open_tasks_for_user(plh, now=wita(2026, 10, 12, 9, 0))
    assert step1 in open_tasks_for_user(plh, now=wita(2026, 10, 13, 9, 0))
    task_complete(actor=plh, task_id=step1.pk, now=wita(2026, 10, 13, 9, 0))
    assert Task.objects.get(pk=step1.pk).acted_by == plh


@pytest.mark.django_db
def test_release_of_a_late_unit_is_recorded_and_lets_the_join_go_on(two_unit_office):
    office = two_unit_office
    u = office.users
    case, _ = case_open(
        sop_code=SOP, agency=office.agency, period="2026-Q3", now=wita(2026, 10, 12, 8, 0)
    )
    task_complete(actor=u["sekcam"], task_id=active(case, 1).pk, now=wita(2026, 10, 12, 8, 5))
    run_unit_to_approval(
        office, case, "pemerintahan", "kasi_pemerintahan", "analis_1", wita(2026, 10, 12, 9, 0)
    )
    assert not Task.objects.filter(case=case, step=6).exists()
    trantib = office.units["trantib"]
    with pytest.raises(PermissionDenied):
        case_release_unit(
            actor=u["kasi_pemerintahan"], case_id=case.pk, unit_id=trantib.pk, reason="Terlambat"
        )
    with pytest.raises(ApplicationError):
        case_release_unit(
            actor=u["kasubag_perencanaan"], case_id=case.pk, unit_id=trantib.pk, reason="  "
        )
    case_release_unit(
        actor=u["kasubag_perencanaan"],
        case_id=case.pk,
        unit_id=trantib.pk,
        reason="Belum menyerahkan sampai batas waktu.",
        now=wita(2026, 10, 16, 9),
    )
    assert active(case, 6).variant == "triwulan"
    released = CaseUnit.objects.get(case=case, unit=trantib)
    assert released.status == CaseUnit.Status.RELEASED
    assert released.release_reason == "Belum menyerahkan sampai batas waktu."
    assert Task.objects.get(case=case, unit=trantib, step=2).outcome == Task.Outcome.RELEASED
    assert AuditEvent.objects.filter(action="case.unit_released", object_id=str(case.pk)).exists()


@pytest.mark.django_db
def test_every_change_is_in_the_audit_log(two_unit_office):
    office = two_unit_office
    case, _ = case_open(
        sop_code=SOP, agency=office.agency, period="2026-Q3", now=wita(2026, 10, 12, 8, 0)
    )
    step1 = active(case, 1)
    task_complete(actor=office.users["sekcam"], task_id=step1.pk, now=wita(2026, 10, 12, 8, 5))
    event = AuditEvent.objects.get(action="task.completed", object_id=str(step1.pk))
    assert event.actor == office.users["sekcam"]
    assert event.before["status"] == "active" and event.after["status"] == "completed"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        AuditEvent.objects.all().delete()


@pytest.mark.django_db
def test_open_tasks_query_count_is_constant(office):
    """Listing a user's tasks costs the same number of queries for 1 or 12 cases."""
    sekcam = office.users["sekcam"]

    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            tasks = open_tasks_for_user(sekcam, now=wita(2026, 10, 12, 8, 0))
            [(t.step_def.activity, t.case.agency.name, t.position.title) for t in tasks]
        return len(ctx.captured_queries), len(tasks)

    case_open(sop_code=SOP, agency=office.agency, period="2023-Q1", now=wita(2026, 10, 12, 8))
    few, n_few = count_queries()
    for year in (2023, 2024, 2025):
        for q in (1, 2, 3, 4):
            case_open(
                sop_code=SOP, agency=office.agency, period=f"{year}-Q{q}", now=wita(2026, 10, 12, 8)
            )
    many, n_many = count_queries()
    assert (n_few, n_many) == (1, 12)
    assert few == many == 3


@pytest.mark.django_db
def test_a_running_case_keeps_its_sop_version(two_unit_office):
    """Loading a revised SOP does not change cases already running; new cases take it."""
    from kinerja.sop.models import SopVersion
    from kinerja.sop.services import sop_load

    office = two_unit_office
    case, _ = case_open(
        sop_code=SOP, agency=office.agency, period="2026-Q3", now=wita(2026, 10, 12, 8, 0)
    )
    v1 = case.sop_version
    revised = v1.source.replace("{amount: 15, unit: minute}", "{amount: 30, unit: minute}")
    assert revised != v1.source
    v2, created = sop_load(source=revised, source_name="revisi.yaml")
    assert created and v2.version == v1.version + 1
    task_complete(
        actor=office.users["sekcam"], task_id=active(case, 1).pk, now=wita(2026, 10, 12, 8, 0)
    )
    step2 = active(case, 2, office.units["pemerintahan"])
    case.refresh_from_db()
    assert case.sop_version_id == v1.pk
    assert step2.due_at == wita(2026, 10, 12, 8, 15)  # still v1's 15 minutes
    q4, _ = case_open(
        sop_code=SOP, agency=office.agency, period="2026-Q4", now=wita(2027, 1, 11, 8, 0)
    )
    assert q4.sop_version_id == v2.pk
    assert SopVersion.objects.get(pk=v1.pk).source == v1.source
