"""Services: who may edit, locks, optimistic concurrency, audit rows, targets and the PK."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kinerja.core.errors import ApplicationError, ConcurrentUpdate, PermissionDenied
from kinerja.core.models import AuditEvent
from kinerja.core.periods import Period
from kinerja.performance import services
from kinerja.performance.models import (
    AgreementTarget,
    BudgetRealisation,
    PerformanceAgreement,
    Realisation,
    UnitPeriodLock,
)
from kinerja.performance.selectors import budget_rows, current_agreement
from kinerja.workflow.models import Task
from kinerja.workflow.services import case_open, task_complete
from tests.conftest import wita

D = Decimal
Q3 = Period(2026, 3)
NOW = wita(2026, 10, 12, 9, 0)


def save(world, actor, indicator=None, **kw):
    kw.setdefault("value", D(20))
    return services.realisation_save(
        actor=world.users[actor], indicator=indicator or world.pem1, period=Q3, now=NOW, **kw
    )


def open_case_at_step3(world, analyst="analis_1"):
    u, pem = world.users, world.units["pemerintahan"]
    case, _ = case_open(
        sop_code="pengumpulan-data-kinerja",
        agency=world.agency,
        period="2026-Q3",
        now=wita(2026, 10, 10, 7, 30),
    )
    step1 = Task.objects.get(case=case, step=1)
    task_complete(actor=u["sekcam"], task_id=step1.pk, now=wita(2026, 10, 12, 8, 0))
    step2 = Task.objects.get(case=case, step=2, unit=pem, status="active")
    task_complete(
        actor=u["kasi_pemerintahan"],
        task_id=step2.pk,
        assignee=u[analyst],
        now=wita(2026, 10, 12, 8, 10),
    )
    return case


@pytest.mark.django_db
@pytest.mark.parametrize(
    "actor, allowed",
    [
        ("kasi_pemerintahan", True),  # head of the owner unit
        ("admin", True),  # agency administrator
        ("kasi_trantib", False),  # head of another unit
        ("sekcam", False),  # reviews, does not enter
        ("camat", False),
        ("analis_1", False),  # no step-3 task given to them
    ],
)
def test_realisation_save_permissions_per_role(world, actor, allowed):
    if allowed:
        real = save(world, actor)
        assert real.value == D(20) and real.lock_version == 1
        assert real.entered_by == world.users[actor]
    else:
        with pytest.raises(PermissionDenied):
            save(world, actor)
        assert not Realisation.objects.exists()


@pytest.mark.django_db
def test_analyst_may_edit_while_their_step3_task_is_open(world):
    case = open_case_at_step3(world, analyst="analis_1")
    save(world, "analis_1")
    with pytest.raises(PermissionDenied):
        save(world, "analis_2")  # not the analyst chosen
    with pytest.raises(PermissionDenied):  # only the unit of their task
        save(world, "analis_1", indicator=world.tra1)
    step3 = Task.objects.get(case=case, step=3, status="active")
    task_complete(
        actor=world.users["analis_1"],
        task_id=step3.pk,
        now=NOW,
        data={"no_materials_reason": "Tidak ada bahan triwulan ini."},
    )
    with pytest.raises(PermissionDenied):  # the task is closed: no more edits
        save(world, "analis_1", value=D(21), expected_version=1)


@pytest.mark.django_db
def test_stale_expected_version_is_refused(world):
    first = save(world, "kasi_pemerintahan", expected_version=0)
    save(world, "admin", value=D(22), expected_version=first.lock_version)
    with pytest.raises(ConcurrentUpdate):
        save(world, "kasi_pemerintahan", value=D(23), expected_version=first.lock_version)
    real = Realisation.objects.get()
    assert real.value == D(22) and real.lock_version == 2
    with pytest.raises(ConcurrentUpdate):  # a second "first save" is stale too
        save(world, "kasi_pemerintahan", value=D(23), expected_version=0)


@pytest.mark.django_db
def test_every_change_is_audited_with_old_and_new(world):
    save(world, "kasi_pemerintahan", value=D(20), problems="Kendala A")
    save(world, "kasi_pemerintahan", value=D(20), problems="Kendala A")  # same: no event
    save(world, "kasi_pemerintahan", value=D("21.5"), problems="Kendala A")
    events = list(AuditEvent.objects.filter(action="realisation.saved").order_by("id"))
    assert len(events) == 2
    assert events[0].before is None and events[0].after["value"] == "20.0000"
    assert events[1].before["value"] == "20.0000" and events[1].after["value"] == "21.5000"
    assert events[1].actor == world.users["kasi_pemerintahan"]
    assert events[1].after["indicator"] == "PEM-1" and events[1].after["period"] == "2026-Q3"


@pytest.mark.django_db
def test_not_available_needs_a_reason_and_no_value(world):
    with pytest.raises(ApplicationError) as err:
        save(world, "kasi_pemerintahan", value=None, not_available=True)
    assert "alasan" in err.value.message
    with pytest.raises(ApplicationError):
        save(world, "kasi_pemerintahan", value=D(3), not_available=True, not_available_reason="x")
    real = save(
        world, "kasi_pemerintahan", value=None, not_available=True, not_available_reason="BPS"
    )
    assert real.not_available and real.value is None


@pytest.mark.django_db
def test_lock_refuses_edits_until_an_audited_unlock(world):
    u, pem = world.users, world.units["pemerintahan"]
    real = save(world, "kasi_pemerintahan")
    services.unit_period_lock(actor=u["sekcam"], unit=pem, period=Q3, now=NOW)
    with pytest.raises(ApplicationError) as err:
        save(world, "kasi_pemerintahan", value=D(1), expected_version=real.lock_version)
    assert err.value.code == "locked" and "dikunci" in err.value.message
    with pytest.raises(ApplicationError):  # the admin too
        save(world, "admin", value=D(1))
    with pytest.raises(ApplicationError):  # the bulk path as well
        services.realisations_save(
            actor=u["admin"],
            period=Q3,
            items=[services.RealisationInput(indicator=world.pem2, value=D(1))],
        )
    # Trantib is not locked.
    save(world, "kasi_trantib", indicator=world.tra1)
    # Only the agency admin unlocks, with a reason.
    with pytest.raises(PermissionDenied):
        services.unit_period_unlock(actor=u["sekcam"], unit=pem, period=Q3, reason="salah")
    with pytest.raises(ApplicationError):
        services.unit_period_unlock(actor=u["admin"], unit=pem, period=Q3, reason=" ")
    services.unit_period_unlock(
        actor=u["admin"], unit=pem, period=Q3, reason="Salah ketik angka", now=NOW
    )
    event = AuditEvent.objects.get(action="unit_period.unlocked")
    assert event.reason == "Salah ketik angka" and event.actor == u["admin"]
    assert UnitPeriodLock.objects.get().unlock_reason == "Salah ketik angka"
    save(world, "kasi_pemerintahan", value=D(1), expected_version=real.lock_version)


@pytest.mark.django_db
def test_bulk_save_lists_every_problem_and_changes_nothing(world):
    u = world.users
    items = [
        services.RealisationInput(indicator=world.pem1, value=D(5), ref="baris 2"),
        services.RealisationInput(indicator=world.pem2, not_available=True, ref="baris 3"),
        services.RealisationInput(indicator=world.pem1, value=D(6), ref="baris 4"),
    ]
    with pytest.raises(ApplicationError) as err:
        services.realisations_save(actor=u["admin"], period=Q3, items=items)
    assert len(err.value.details) == 2
    assert err.value.details[0].startswith("baris 3")
    assert err.value.details[1].startswith("baris 4")
    assert not Realisation.objects.exists()


@pytest.mark.django_db
def test_quarter_targets_warn_but_do_not_block(world):
    admin = world.users["admin"]
    warnings = services.quarter_targets_set(
        actor=admin, indicator=world.pem1, year=2026, targets={4: D(20)}, now=NOW
    )
    assert len(warnings) == 1 and "PEM-1" in warnings[0] and "95" in warnings[0]
    # "last": Q4 must equal the annual target
    assert (
        services.quarter_targets_set(
            actor=admin, indicator=world.pem2, year=2026, targets={1: D(12)}, now=NOW
        )
        == []
    )
    # The section head of the owner unit may set them; another may not.
    services.quarter_targets_set(
        actor=world.users["kasi_pemerintahan"], indicator=world.pem1, year=2026, targets={4: D(25)}
    )
    with pytest.raises(PermissionDenied):
        services.quarter_targets_set(
            actor=world.users["kasi_trantib"], indicator=world.pem1, year=2026, targets={4: D(1)}
        )
    assert AuditEvent.objects.filter(action="quarter_target.set").count() >= 14


@pytest.mark.django_db
def test_agreement_revise_keeps_old_version(world):
    admin, agency = world.users["admin"], world.agency
    with pytest.raises(ApplicationError):
        services.agreement_revise(
            actor=admin, agency=agency, year=2026, reason="", effective_date=dt.date(2026, 7, 1)
        )
    new, warnings = services.agreement_revise(
        actor=admin,
        agency=agency,
        year=2026,
        reason="Perubahan APBD",
        effective_date=dt.date(2026, 7, 1),
        targets={"PEM-1": D(120)},
    )
    assert new.version == 2 and current_agreement(agency, 2026) == new
    assert PerformanceAgreement.objects.filter(agency=agency, year=2026).count() == 2
    old = PerformanceAgreement.objects.get(agency=agency, year=2026, version=1)
    assert not old.is_current
    assert AgreementTarget.objects.get(agreement=old, indicator=world.pem1).target == D(100)
    assert AgreementTarget.objects.get(agreement=new, indicator=world.pem1).target == D(120)
    assert new.programs.count() == 2 and new.programs.get(code="P1").indicators.count() == 2
    assert warnings and "PEM-1" in warnings[0]
    event = AuditEvent.objects.get(action="agreement.revised")
    assert event.before["targets"]["PEM-1"] == "100.0000"
    assert event.after["targets"]["PEM-1"] == "120.0000"
    with pytest.raises(PermissionDenied):
        services.targets_set(
            actor=world.users["kasi_pemerintahan"], agency=agency, year=2026, targets={"PEM-1": 1}
        )
    with pytest.raises(ApplicationError) as err:
        services.targets_set(actor=admin, agency=agency, year=2026, targets={"NOPE": D(1)})
    assert err.value.code == "unknown_indicator"


@pytest.mark.django_db
def test_budget_realisation_and_budget_rows(world):
    admin, agency = world.users["admin"], world.agency
    for q, amount in ((1, 100), (2, 150), (3, 200)):
        services.budget_realisation_save(
            actor=admin, agency=agency, period=Period(2026, q), program_code="P1", amount=D(amount)
        )
    with pytest.raises(ApplicationError):
        services.budget_realisation_save(
            actor=admin, agency=agency, period=Q3, program_code="X9", amount=D(1)
        )
    with pytest.raises(ApplicationError):
        services.budget_realisation_save(
            actor=admin, agency=agency, period=Q3, program_code="P1", amount=D(-1)
        )
    with pytest.raises(PermissionDenied):
        services.budget_realisation_save(
            actor=world.users["kasi_trantib"], agency=agency, period=Q3, program_code="P2",
            amount=D(1),
        )  # fmt: skip
    for q in (1, 2, 3):
        services.realisations_save(
            actor=admin,
            period=Period(2026, q),
            items=[services.RealisationInput(indicator=world.pem1, value=D(25))],
        )
    rows = {r.code: r for r in budget_rows(agency=agency, period=Q3)}
    p1 = rows["P1"]
    assert (p1.realised_quarter, p1.realised_ytd, p1.absorption_ytd) == (D(200), D(450), D("45.00"))
    # PEM-1 YTD 75/75 = 100; PEM-2 has no realisation: left out of the average
    assert p1.achievement_avg == D("100.00") and p1.efficient is True
    assert rows["P2"].achievement_avg is None and rows["P2"].efficient is None
    assert BudgetRealisation.objects.count() == 3
