"""A quarter through the engine: realisations, a failed completeness check listing what is
missing, a return, a fix, approval, the lock holding against a later edit, an audited unlock."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kinerja.core.errors import ApplicationError
from kinerja.core.models import AuditEvent
from kinerja.core.periods import Period
from kinerja.performance import services
from kinerja.performance.models import ReportMaterial, UnitPeriodLock
from kinerja.performance.selectors import indicator_rows, unit_completeness
from kinerja.workflow.models import Task
from kinerja.workflow.services import case_open, task_complete
from tests.conftest import wita

from .conftest import pdf_bytes

D = Decimal
SOP = "pengumpulan-data-kinerja"
Q3 = Period(2026, 3)


def active(case, step, unit=None):
    return Task.objects.get(case=case, step=step, unit=unit, status=Task.Status.ACTIVE)


@pytest.mark.django_db
def test_quarter_end_to_end(world):
    u, pem, tra = world.users, world.units["pemerintahan"], world.units["trantib"]
    at = wita(2026, 10, 12, 8, 0)
    case, _ = case_open(sop_code=SOP, agency=world.agency, period=Q3, now=wita(2026, 10, 10, 7, 30))
    task_complete(actor=u["sekcam"], task_id=active(case, 1).pk, now=at)
    for unit, kasi, analyst in ((pem, "kasi_pemerintahan", "analis_1"),
                                (tra, "kasi_trantib", "analis_2")):  # fmt: skip
        task_complete(actor=u[kasi], task_id=active(case, 2, unit).pk, assignee=u[analyst], now=at)

    # Step 3: the analyst hands over a material and drafts one realisation.
    at += dt.timedelta(hours=1)
    services.material_add(
        actor=u["analis_1"], case=case, unit=pem, upload=pdf_bytes(), name="bahan.pdf", now=at
    )
    services.realisation_save(
        actor=u["analis_1"], indicator=world.pem2, period=Q3, value=D(9), now=at,
        problems="", actions="",
    )  # fmt: skip
    task_complete(actor=u["analis_1"], task_id=active(case, 3, pem).pk, now=at)
    assert ReportMaterial.objects.filter(case=case, unit=pem).count() == 1

    # Step 4 refuses an incomplete report and lists every missing item.
    with pytest.raises(ApplicationError) as err:
        task_complete(actor=u["kasi_pemerintahan"], task_id=active(case, 4, pem).pk, now=at)
    assert err.value.code == "incomplete"
    assert len(err.value.details) == 1 and "PEM-1" in err.value.details[0]
    assert active(case, 4, pem).status == Task.Status.ACTIVE  # nothing changed
    real = services.realisation_save(
        actor=u["kasi_pemerintahan"], indicator=world.pem1, period=Q3, value=D(27), now=at
    )
    with pytest.raises(ApplicationError) as err:
        task_complete(actor=u["kasi_pemerintahan"], task_id=active(case, 4, pem).pk, now=at)
    assert err.value.details == ["PEM-1 Indikator PEM-1: data dukung wajib diunggah."]
    evidence = services.evidence_add(
        actor=u["kasi_pemerintahan"], realisation=real, upload=pdf_bytes(), name="dd.pdf", now=at
    )
    task_complete(actor=u["kasi_pemerintahan"], task_id=active(case, 4, pem).pk, now=at)

    # Step 5: returned; the data stays open and the section head fixes it.
    at += dt.timedelta(hours=1)
    task_complete(
        actor=u["sekcam"], task_id=active(case, 5, pem).pk, outcome="returned",
        comment="Kendala PEM-2 belum diisi.", now=at,
    )  # fmt: skip
    assert not UnitPeriodLock.objects.exists()
    pem2 = services.realisation_save(
        actor=u["kasi_pemerintahan"], indicator=world.pem2, period=Q3, value=D(9),
        problems="Data kelurahan terlambat", actions="Surat pengingat", expected_version=1,
        now=at,
    )  # fmt: skip
    assert pem2.lock_version == 2
    # Removing the evidence after step 4 makes approval impossible until it is back.
    services.evidence_remove(actor=u["kasi_pemerintahan"], evidence=evidence, now=at)
    with pytest.raises(ApplicationError):
        task_complete(actor=u["kasi_pemerintahan"], task_id=active(case, 4, pem).pk, now=at)
    services.evidence_add(
        actor=u["kasi_pemerintahan"], realisation=real, upload=pdf_bytes(), name="dd.pdf", now=at
    )
    task_complete(actor=u["kasi_pemerintahan"], task_id=active(case, 4, pem).pk, now=at)

    # Approval locks Pemerintahan's Q3, not Trantib's.
    at += dt.timedelta(hours=1)
    task_complete(actor=u["sekcam"], task_id=active(case, 5, pem).pk, outcome="approved", now=at)
    lock = UnitPeriodLock.objects.get()
    assert (lock.unit, lock.year, lock.quarter, lock.case) == (pem, 2026, 3, case)
    assert lock.locked_by == u["sekcam"]
    rows = {r.indicator.code: r for r in indicator_rows(agency=world.agency, period=Q3)}
    assert rows["PEM-1"].locked and not rows["TRA-1"].locked
    assert rows["PEM-1"].achievement == D("108.00") and rows["PEM-1"].evidence_count == 1
    assert unit_completeness(agency=world.agency, unit=pem, period=Q3) == []

    # The lock holds against a later edit by anyone, evidence included.
    for who in ("kasi_pemerintahan", "admin"):
        with pytest.raises(ApplicationError) as err:
            services.realisation_save(
                actor=u[who], indicator=world.pem1, period=Q3, value=D(1), now=at
            )
        assert err.value.code == "locked"
    with pytest.raises(ApplicationError):
        services.evidence_add(
            actor=u["kasi_pemerintahan"], realisation=real, upload=pdf_bytes(), name="x.pdf"
        )
    services.realisation_save(
        actor=u["kasi_trantib"], indicator=world.tra1, period=Q3, value=D(18), now=at
    )

    # An audited unlock by the agency administrator opens it again.
    services.unit_period_unlock(
        actor=u["admin"], unit=pem, period=Q3, reason="Koreksi data kelurahan", now=at
    )
    services.realisation_save(
        actor=u["kasi_pemerintahan"], indicator=world.pem1, period=Q3, value=D(28), now=at
    )
    actions = list(
        AuditEvent.objects.filter(action__startswith="unit_period").values_list("action", flat=True)
    )
    assert sorted(actions) == ["unit_period.locked", "unit_period.unlocked"]
    assert AuditEvent.objects.filter(action="realisation.saved").count() == 5
