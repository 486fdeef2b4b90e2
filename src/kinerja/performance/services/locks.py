"""Locking a unit's quarter (the review step's approval) and unlocking it with a reason."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.errors import ApplicationError, PermissionDenied
from kinerja.core.periods import Period
from kinerja.core.services import audit
from kinerja.organization.models import Unit

from .. import permissions
from ..models import UnitPeriodLock
from .common import _require_quarter, _scope, locked_units


def unit_period_lock(
    *, actor, unit: Unit, period: Period, case=None, now: dt.datetime | None = None
) -> UnitPeriodLock:
    """Lock ``unit``'s realisations (and evidence, materials) of quarter ``period``.

    Who: office-level officials and administrators. Idempotent: a lock in force is returned
    as it is. Audited.
    """
    _require_quarter(period)
    now = now or timezone.now()
    with transaction.atomic():
        if not permissions.may_lock(_scope(actor, now), unit.agency_id):
            raise PermissionDenied(_("Anda tidak berwenang mengunci data unit."))
        return lock_for_approval(actor=actor, unit=unit, period=period, case=case, now=now)


def lock_for_approval(
    *, actor, unit: Unit, period: Period, case=None, now: dt.datetime | None = None
) -> UnitPeriodLock:
    """The lock written by the review step's approval. The engine has already checked that
    ``actor`` may act on the review task, so no further permission check. Locks the unit
    row; idempotent; audited (``unit_period.locked``)."""
    _require_quarter(period)
    now = now or timezone.now()
    with transaction.atomic():
        unit = Unit.objects.select_for_update().select_related("agency").get(pk=unit.pk)
        existing = locked_units([unit.pk], period).get(unit.pk)
        if existing is not None:
            return existing
        lock = UnitPeriodLock.objects.create(
            agency=unit.agency,
            unit=unit,
            year=period.year,
            quarter=period.quarter,
            case=case,
            locked_at=now,
            locked_by=actor if getattr(actor, "pk", None) else None,
        )
        audit(
            actor=actor,
            action="unit_period.locked",
            obj=lock,
            agency=unit.agency,
            after={"unit": unit.pk, "period": str(period), "case": getattr(case, "pk", None)},
        )
    return lock


def unit_period_unlock(
    *, actor, unit: Unit, period: Period, reason: str, now: dt.datetime | None = None
) -> UnitPeriodLock:
    """Open a locked quarter of ``unit`` again. Who: agency administrators only
    (``Scope.manages_agency``). The reason is required; the lock row is kept with who,
    when and why, and the unlock is audited.

    The flow stays consistent: when the lock came from a case's review step, the unit goes
    back to that case's report-entry step (``performance.report_entry``, step 4 of the
    seed) as a new round for its head (:func:`kinerja.workflow.services.case_unit_reopen`),
    so the correction is made on the same screens and the review step approves and locks
    it again. The new task is ``lock.reopened_task`` (None when nothing was reopened)."""
    from kinerja.workflow.models import Case
    from kinerja.workflow.services import case_unit_reopen

    _require_quarter(period)
    now = now or timezone.now()
    reason = (reason or "").strip()
    with transaction.atomic():
        # The case row first, then the unit: the order the review step locks them in.
        case_id = (
            UnitPeriodLock.objects.filter(
                unit_id=unit.pk,
                year=period.year,
                quarter=period.quarter,
                unlocked_at__isnull=True,
            )
            .values_list("case_id", flat=True)
            .first()
        )
        if case_id is not None:
            Case.objects.select_for_update(of=("self",)).filter(pk=case_id).first()
        unit = Unit.objects.select_for_update().select_related("agency").get(pk=unit.pk)
        if not permissions.may_unlock(_scope(actor, now), unit.agency_id):
            raise PermissionDenied(
                _("Hanya pengelola data instansi yang dapat membuka kunci data unit.")
            )
        if not reason:
            raise ApplicationError(_("Alasan membuka kunci wajib diisi."), code="reason_required")
        lock = (
            UnitPeriodLock.objects.select_for_update()
            .filter(unit=unit, year=period.year, quarter=period.quarter, unlocked_at__isnull=True)
            .first()
        )
        if lock is None:
            raise ApplicationError(
                _("Data %(unit)s %(period)s tidak sedang dikunci.")
                % {"unit": unit, "period": period.label},
                code="not_locked",
            )
        lock.unlocked_at = now
        lock.unlocked_by = actor if getattr(actor, "pk", None) else None
        lock.unlock_reason = reason
        lock.save(update_fields=["unlocked_at", "unlocked_by", "unlock_reason"])
        audit(
            actor=actor,
            action="unit_period.unlocked",
            obj=lock,
            agency=unit.agency,
            before={"locked": True, "locked_at": lock.locked_at.isoformat()},
            after={"locked": False, "unit": unit.pk, "period": str(period)},
            reason=reason,
        )
        lock.reopened_task = None
        if lock.case_id is not None:
            case = Case.objects.select_related("sop_version").get(pk=lock.case_id)
            entry = [
                s.number for s in case.sop_version.spec.steps if s.handler == REPORT_ENTRY_HANDLER
            ]
            if entry:
                lock.reopened_task = case_unit_reopen(
                    actor=actor,
                    case_id=case.pk,
                    unit_id=unit.pk,
                    step=entry[0],
                    reason=reason,
                    now=now,
                )
    return lock


REPORT_ENTRY_HANDLER = "performance.report_entry"
