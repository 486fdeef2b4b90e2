"""Opening a case, sending a unit back after an unlock, going on without a late unit."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.errors import ApplicationError, PermissionDenied
from kinerja.core.periods import Period
from kinerja.core.services import audit
from kinerja.organization.models import Agency, Unit
from kinerja.organization.permissions import positions_scope
from kinerja.sop.models import SopVersion
from kinerja.sop.schema import Scope

from .. import permissions, routing
from ..models import Case, CaseUnit, Task
from . import flow


def case_open(
    *,
    sop_code: str,
    agency: Agency,
    period: Period | str,
    actor=None,
    now: dt.datetime | None = None,
    units: list[Unit] | None = None,
) -> tuple[Case, bool]:
    """Open the case of ``sop_code`` for ``agency`` and ``period`` and activate its first step.

    Idempotent: if the case exists it is returned with ``created=False`` (the database's
    unique constraint decides when two processes race). Used by the scheduler (``actor``
    None) and by administrators. Units taking part default to the agency's active units that
    report performance data. Publishes ``tasks_activated`` on commit.
    """
    period = Period.parse(str(period))
    now = now or timezone.now()
    existing = Case.objects.filter(sop_code=sop_code, agency=agency, period=str(period)).first()
    if existing is not None:
        return existing, False
    try:
        version = SopVersion.objects.latest_for(sop_code)
    except SopVersion.DoesNotExist:
        raise ApplicationError(
            _("SOP '%(code)s' belum dimuat.") % {"code": sop_code}, code="unknown_sop"
        ) from None
    if units is None:
        units = list(
            Unit.objects.filter(agency=agency, is_active=True, reports_performance=True).order_by(
                "order", "name"
            )
        )
    # Every office-wide step must have its doer before anything starts (a role held only in
    # the units is never guessed: see positions_for_role).
    for step in version.spec.steps:
        if step.scope == Scope.OFFICE and version.spec.chooser_of(step) is None:
            flow.resolve_position(agency, step.executor, None)
    try:
        with transaction.atomic():
            case = Case.objects.create(
                sop_version=version,
                sop_code=sop_code,
                agency=agency,
                period=str(period),
                opened_at=now,
                opened_by=actor if getattr(actor, "pk", None) else None,
            )
            CaseUnit.objects.bulk_create([CaseUnit(case=case, unit=u) for u in units])
            audit(
                actor=actor,
                action="case.opened",
                obj=case,
                agency=agency,
                after={"sop": str(version), "period": str(period), "units": [u.pk for u in units]},
            )
            ctx = flow.Context(case=case, actor=actor, now=now)
            flow.enter(ctx, routing.start(version.spec), None)
            flow.publish_activated(ctx.activated)
    except IntegrityError:
        existing = Case.objects.filter(sop_code=sop_code, agency=agency, period=str(period)).first()
        if existing is None:
            raise
        return existing, False
    return case, True


def _required_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Alasan wajib diisi."), code="reason_required")
    return reason


def case_unit_reopen(
    *, actor, case_id: int, unit_id: int, step: int, reason: str, now: dt.datetime | None = None
) -> Task | None:
    """Send a unit whose approved data was unlocked back to ``step`` (the report entry of
    the seed, step 4), as a new round for its doer, so the data is corrected through the
    same screens and approved (and locked) again by the review step.

    Who: an administrator of the agency (the caller has checked the unlock). A unit that
    still has an active task, or that was released, is left as it is (None). A completed
    case is opened again (``case.reopened``): when the unit arrives at the office step
    again, a new round of it compiles the report; an office step still open waits for it.
    The reason is recorded (``case.unit_reopened``)."""
    now = now or timezone.now()
    reason = _required_reason(reason)
    with transaction.atomic():
        case = flow.locked_case(case_id)
        if not positions_scope(actor).manages_agency(case.agency_id):
            raise PermissionDenied(_("Hanya pengelola data instansi yang dapat membuka kunci."))
        if case.status == Case.Status.CANCELLED:
            return None
        case_unit = flow.locked_case_unit(case, unit_id)
        if case_unit is None or case_unit.status != CaseUnit.Status.ACTIVE:
            return None
        if Task.objects.filter(case=case, unit_id=unit_id, status=Task.Status.ACTIVE).exists():
            return None
        ctx = flow.Context(case=case, actor=actor, now=now)
        if case.status == Case.Status.COMPLETED:
            case.status = Case.Status.OPEN
            case.completed_at = None
            case.save(update_fields=["status", "completed_at"])
            audit(
                actor=actor,
                action="case.reopened",
                obj=case,
                agency=case.agency,
                before={"status": Case.Status.COMPLETED},
                after={"status": Case.Status.OPEN},
                reason=reason,
            )
        case_unit.waiting_at = None
        case_unit.save(update_fields=["waiting_at"])
        task = flow.activate(ctx, case.sop_version.spec.step(step), case_unit.unit)
        audit(
            actor=actor,
            action="case.unit_reopened",
            obj=case,
            agency=case.agency,
            after={"unit": unit_id, "step": step, "task": task.pk},
            reason=reason,
        )
        flow.publish_activated(ctx.activated)
    return task


def case_release_unit(
    *, actor, case_id: int, unit_id: int, reason: str, now: dt.datetime | None = None
) -> Case:
    """Go on without a late unit: its open tasks are closed as released and the join is
    re-checked. Who: an administrator of the agency or a holder of the position of the step
    waiting on the join. The reason is required and recorded."""
    now = now or timezone.now()
    reason = _required_reason(reason)
    with transaction.atomic():
        case = flow.locked_case(case_id)
        if case.status != Case.Status.OPEN:
            raise ApplicationError(_("Kasus ini sudah tidak berjalan."), code="inactive")
        case_unit = flow.locked_case_unit(case, unit_id)
        if case_unit is None or case_unit.status != CaseUnit.Status.ACTIVE:
            raise ApplicationError(_("Unit ini tidak sedang ikut dalam kasus."), code="invalid")
        if not permissions.may_release_unit(positions_scope(actor), case):
            raise PermissionDenied(_("Anda tidak berwenang melanjutkan tanpa unit ini."))
        if case_unit.waiting_at is not None:
            raise ApplicationError(_("Unit ini sudah menyelesaikan bagiannya."), code="invalid")
        ctx = flow.Context(case=case, actor=actor, now=now)
        for task in Task.objects.select_for_update().filter(
            case=case, unit_id=unit_id, status=Task.Status.ACTIVE
        ):
            flow.task_change(
                actor=actor,
                task=task,
                agency=case.agency,
                action="task.released",
                reason=reason,
                status=Task.Status.SKIPPED,
                outcome=Task.Outcome.RELEASED,
                comment=reason,
                acted_by=actor,
            )
        case_unit.status = CaseUnit.Status.RELEASED
        case_unit.released_at = now
        case_unit.released_by = actor
        case_unit.release_reason = reason
        case_unit.save(update_fields=["status", "released_at", "released_by", "release_reason"])
        audit(
            actor=actor,
            action="case.unit_released",
            obj=case,
            agency=case.agency,
            after={"unit": unit_id},
            reason=reason,
        )
        join = case.sop_version.spec.join_step()
        if join is not None:
            flow.maybe_join(ctx, join.number)
        flow.publish_activated(ctx.activated)
    return case
