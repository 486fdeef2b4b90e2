"""The engine: every change to a case or task goes through one of these services.

Each service runs in one transaction, locks what it changes (the case row first, then the
task row, always in that order so two users never deadlock), checks that the actor may make
the move, writes the change and an audit event, and publishes its events in the same
transaction (:mod:`kinerja.core.outbox`: delivered after the commit, and by the worker if the
process dies first). A wrong move raises :class:`ApplicationError` and,
because the transaction rolls back, changes nothing.

The rules of the flow are data (the SOP definition); the engine only interprets them:

* a step's ``scope`` decides fan-out: an office step followed by a unit step activates one
  task per unit taking part; a unit step followed by an office step is a join that waits
  until every unit taking part has arrived (or was released as late);
* a decision step goes on to ``decision.yes`` on approval and back to ``decision.no`` on a
  return (comment required), for that unit only; rounds are counted per step and unit;
* a step with several time standards (step 6: quarterly, then annual after Q4) runs one task
  per applicable standard, one after the other;
* ``assignee_chosen_by`` lets the actor of an earlier step pick the user who does this one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.errors import ApplicationError, ConcurrentUpdate, PermissionDenied
from kinerja.core.outbox import outbox_publish
from kinerja.core.periods import Period
from kinerja.core.services import audit
from kinerja.organization.models import Agency, Position, Unit
from kinerja.organization.permissions import positions_scope
from kinerja.organization.selectors import held_position_ids, positions_for_role
from kinerja.sop.models import SopVersion
from kinerja.sop.schema import Applies, Scope, Step, TimeStandard
from kinerja.workcalendar.selectors import calendar_for

from . import permissions
from .handlers import get_handler
from .models import Case, CaseUnit, Disposition, Task


@dataclass
class _Context:
    case: Case
    actor: Any
    now: dt.datetime
    activated: list[Task]


# --------------------------------------------------------------------------------------------
# Reading the definition


def applicable_standards(step: Step, period: Period) -> list[TimeStandard]:
    """The time standards of ``step`` that apply to ``period``, in order (one task each)."""
    result = []
    for standard in step.time:
        if standard.applies == Applies.ALWAYS:
            result.append(standard)
        elif standard.applies == Applies.QUARTERLY and period.is_quarter:
            result.append(standard)
        elif standard.applies == Applies.ANNUAL and (
            period.is_last_quarter or not period.is_quarter
        ):
            result.append(standard)
    return result or list(step.time[:1])


def _task_snapshot(task: Task) -> dict[str, Any]:
    return {
        "status": task.status,
        "step": task.step,
        "variant": task.variant,
        "unit": task.unit_id,
        "position": task.position_id,
        "assignee": task.assignee_id,
        "round": task.round,
        "outcome": task.outcome,
        "comment": task.comment,
        "due_at": task.due_at.isoformat() if task.due_at else None,
        "completed_at": task.completed_at.isoformat() if task.completed_at else None,
        "acted_by": task.acted_by_id,
    }


# --------------------------------------------------------------------------------------------
# Permissions


def user_may_act_on_task(user, task: Task, *, on: dt.date | None = None) -> bool:
    """:func:`.permissions.may_act_on_task` on the positions ``user`` holds ``on``. 1 query."""
    return permissions.may_act_on_task(positions_scope(user, on=on), user, task)


# --------------------------------------------------------------------------------------------
# Activating tasks


def _resolve_position(agency: Agency, role: str, unit: Unit | None) -> Position:
    positions = positions_for_role(agency, role, unit=unit)
    if not positions and unit is None:
        in_units = Position.objects.filter(agency=agency, role=role, unit__isnull=False).count()
        if in_units:
            raise ApplicationError(
                _(
                    "Peran pelaksana '%(role)s' hanya ada di %(n)s unit kerja %(agency)s, "
                    "sedangkan langkah ini untuk seluruh kantor: tulis 'scope: unit' pada "
                    "langkah itu di SOP (satu tugas per unit), atau beri peran itu pada satu "
                    "jabatan tingkat kantor."
                )
                % {"role": role, "n": in_units, "agency": agency},
                code="no_position",
            )
    if not positions:
        where = f" ({unit})" if unit is not None else ""
        raise ApplicationError(
            _(
                "Tidak ada jabatan dengan peran pelaksana '%(role)s' di %(agency)s%(where)s. "
                "Lengkapi data jabatan terlebih dahulu."
            )
            % {"role": role, "agency": agency, "where": where},
            code="no_position",
        )
    return positions[0]


def _activate(
    ctx: _Context,
    step: Step,
    unit: Unit | None,
    *,
    standard: TimeStandard | None = None,
    assignee=None,
) -> Task:
    case = ctx.case
    period = case.period_obj
    standard = standard or applicable_standards(step, period)[0]
    if step.assignee_chosen_by is not None and assignee is None:
        # On a return the flow may come back to a step whose doer was chosen earlier: keep them.
        previous = (
            Task.objects.filter(case=case, step=step.number, unit=unit, assignee__isnull=False)
            .order_by("-id")
            .first()
        )
        assignee = previous.assignee if previous else None
    if assignee is not None:
        position = _position_of_user_for_role(assignee, case.agency, step.executor, unit)
    else:
        position = _resolve_position(case.agency, step.executor, unit)
    previous_rounds = Task.objects.filter(
        case=case, step=step.number, variant=standard.code, unit=unit
    ).aggregate(m=Max("round"))["m"]
    calendar = calendar_for(case.agency)
    task = Task.objects.create(
        case=case,
        step=step.number,
        variant=standard.code,
        unit=unit,
        position=position,
        assignee=assignee,
        round=(previous_rounds or 0) + 1,
        activated_at=ctx.now,
        due_at=calendar.add(ctx.now, standard),
        standard_amount=standard.amount,
        standard_unit=standard.unit.value,
    )
    audit(
        actor=ctx.actor,
        action="task.activated",
        obj=task,
        agency=case.agency,
        after=_task_snapshot(task),
    )
    ctx.activated.append(task)
    return task


def _position_of_user_for_role(user, agency: Agency, role: str, unit: Unit | None) -> Position:
    """The position through which ``user`` may do a step of executor ``role``."""
    held = held_position_ids(user)
    candidates = list(
        Position.objects.filter(pk__in=held, agency=agency, role=role).select_related("unit")
    )
    if unit is not None:
        candidates.sort(key=lambda p: (p.unit_id != unit.pk, p.unit_id is not None))
    if not candidates:
        raise ApplicationError(
            _("%(user)s tidak memegang jabatan pelaksana '%(role)s' di %(agency)s.")
            % {"user": user, "role": role, "agency": agency},
            code="invalid_assignee",
        )
    return candidates[0]


def _active_units(case: Case) -> list[CaseUnit]:
    return list(
        CaseUnit.objects.filter(case=case, status=CaseUnit.Status.ACTIVE)
        .select_related("unit")
        .order_by("unit__order", "unit__name")
    )


def _enter_step(
    ctx: _Context,
    target: int | None,
    from_task: Task | None,
    *,
    assignee=None,
    units: list[Unit] | None = None,
) -> None:
    """Move the flow from ``from_task`` into step ``target`` (None: the procedure ends)."""
    case = ctx.case
    spec = case.sop_version.spec
    if target is None:
        _maybe_complete_case(ctx)
        return
    step = spec.step(target)
    if step.scope == Scope.UNIT:
        if from_task is not None and from_task.unit_id is not None:
            _activate(ctx, step, from_task.unit, assignee=assignee)
        else:  # fan-out from an office step (or the start) to every unit taking part
            chosen = units if units is not None else [cu.unit for cu in _active_units(case)]
            if not chosen:
                raise ApplicationError(
                    _("Tidak ada unit kerja yang ikut dalam kasus ini."), code="no_units"
                )
            for unit in chosen:
                _activate(ctx, step, unit, assignee=assignee)
        return
    if from_task is not None and from_task.unit_id is not None:
        # Join: this unit has arrived at an office step; go on when every unit has.
        CaseUnit.objects.filter(case=case, unit_id=from_task.unit_id).update(waiting_at=target)
        _maybe_join(ctx, target)
        return
    _activate(ctx, step, None, assignee=assignee)


def _maybe_join(ctx: _Context, target: int) -> None:
    case = ctx.case
    active = _active_units(case)
    if any(cu.waiting_at != target for cu in active):
        return
    if Task.objects.filter(case=case, step=target, status=Task.Status.ACTIVE).exists():
        return
    _activate(ctx, case.sop_version.spec.step(target), None)


def _maybe_complete_case(ctx: _Context) -> None:
    case = ctx.case
    if Task.objects.filter(case=case, status=Task.Status.ACTIVE).exists():
        return
    before = case.status
    case.status = Case.Status.COMPLETED
    case.completed_at = ctx.now
    case.save(update_fields=["status", "completed_at"])
    audit(
        actor=ctx.actor,
        action="case.completed",
        obj=case,
        agency=case.agency,
        before={"status": before},
        after={"status": case.status},
    )
    outbox_publish("workflow.case_completed", {"case_id": case.pk})


def _publish_activated(tasks: list[Task]) -> None:
    ids = [t.pk for t in tasks]
    if ids:
        outbox_publish("workflow.tasks_activated", {"task_ids": ids})


# --------------------------------------------------------------------------------------------
# Services


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
        if step.scope == Scope.OFFICE and step.assignee_chosen_by is None:
            _resolve_position(agency, step.executor, None)
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
            ctx = _Context(case=case, actor=actor, now=now, activated=[])
            _enter_step(ctx, version.spec.first_step.number, None)
            _publish_activated(ctx.activated)
    except IntegrityError:
        existing = Case.objects.filter(sop_code=sop_code, agency=agency, period=str(period)).first()
        if existing is None:
            raise
        return existing, False
    return case, True


def task_complete(
    *,
    actor,
    task_id: int,
    outcome: str = Task.Outcome.DONE,
    comment: str = "",
    data: dict[str, Any] | None = None,
    assignee=None,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Task:
    """Complete a task on behalf of ``actor`` and move the flow on.

    Who: the holder of the task's position or their Plt/Plh, or the named assignee.
    Locks: the case row, then the task row. Decision steps take ``approved`` or ``returned``
    (a return needs a comment); other steps ``done``. ``assignee`` is required when the next
    step's doer is chosen by this step. ``expected_version`` (the ``lock_version`` the user
    loaded) refuses a stale form. Retrying a completed move (same actor and outcome) returns
    the task unchanged. Side effects after commit: ``task_completed``, ``tasks_activated``.
    """
    now = now or timezone.now()
    data = dict(data or {})
    comment = (comment or "").strip()
    with transaction.atomic():
        case_id = Task.objects.values_list("case_id", flat=True).filter(pk=task_id).first()
        if case_id is None:
            raise ApplicationError(_("Tugas tidak ditemukan."), code="not_found")
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("sop_version", "agency")
            .get(pk=case_id)
        )
        task = (
            Task.objects.select_for_update(of=("self",))
            .select_related("unit", "position")
            .get(pk=task_id)
        )
        task.case = case
        if task.status == Task.Status.COMPLETED:
            if task.acted_by_id == getattr(actor, "pk", None) and task.outcome == outcome:
                return task  # a retry of the same move: nothing more to do
            raise ApplicationError(
                _("Tugas ini sudah diselesaikan oleh %(who)s pada %(when)s.")
                % {
                    "who": task.acted_by,
                    "when": timezone.localtime(task.completed_at).strftime("%d-%m-%Y %H:%M"),
                },
                code="already_completed",
            )
        if task.status != Task.Status.ACTIVE:
            raise ApplicationError(_("Tugas ini tidak aktif lagi."), code="inactive")
        if not user_may_act_on_task(actor, task, on=timezone.localdate(now)):
            raise PermissionDenied(
                _(
                    "Anda tidak memegang jabatan %(position)s (atau sebagai Plt/Plh-nya), "
                    "jadi tidak dapat mengerjakan tugas ini."
                )
                % {"position": task.position}
            )
        if expected_version is not None and expected_version != task.lock_version:
            raise ConcurrentUpdate(
                _(
                    "Tugas ini sudah diubah orang lain sejak Anda membukanya. Muat ulang halaman "
                    "dan periksa perubahan sebelum menyimpan lagi."
                )
            )
        spec = case.sop_version.spec
        step = spec.step(task.step)
        if step.is_decision:
            if outcome not in (Task.Outcome.APPROVED, Task.Outcome.RETURNED):
                raise ApplicationError(
                    _("Langkah ini adalah keputusan: pilih disetujui atau dikembalikan."),
                    code="invalid_outcome",
                )
            if outcome == Task.Outcome.RETURNED and not comment:
                raise ApplicationError(
                    _("Tuliskan catatan perbaikan: laporan yang dikembalikan wajib diberi alasan."),
                    code="comment_required",
                )
        elif outcome != Task.Outcome.DONE:
            raise ApplicationError(
                _("Langkah ini bukan keputusan; hasil yang dapat dipilih hanya 'selesai'."),
                code="invalid_outcome",
            )

        # Where the flow goes next.
        standards = applicable_standards(step, case.period_obj)
        codes = [s.code for s in standards]
        next_variant = None
        if task.variant in codes and codes.index(task.variant) + 1 < len(codes):
            next_variant = standards[codes.index(task.variant) + 1]
        if next_variant is not None:
            target = None
        elif step.is_decision:
            target = step.decision.yes if outcome == Task.Outcome.APPROVED else step.decision.no
        else:
            target = step.next
        chooser_of = [s for s in spec.steps if s.assignee_chosen_by == step.number]
        if (
            target is not None
            and chooser_of
            and chooser_of[0].number == target
            and assignee is None
        ):
            raise ApplicationError(
                _("Pilih siapa yang akan mengerjakan langkah berikutnya."),
                code="assignee_required",
            )
        if assignee is not None and not (chooser_of and chooser_of[0].number == target):
            raise ApplicationError(
                _("Langkah ini tidak menentukan pelaksana langkah berikutnya."),
                code="invalid_assignee",
            )
        if assignee is not None:
            _position_of_user_for_role(assignee, case.agency, spec.step(target).executor, task.unit)

        handler = get_handler(step.handler)
        handler.validate(task=task, actor=actor, outcome=outcome, data=data)

        before = _task_snapshot(task)
        task.status = Task.Status.COMPLETED
        task.completed_at = now
        task.acted_by = actor
        task.outcome = outcome
        task.comment = comment
        task.data = {**task.data, **data}
        task.lock_version += 1
        task.save(
            update_fields=[
                "status",
                "completed_at",
                "acted_by",
                "outcome",
                "comment",
                "data",
                "lock_version",
            ]
        )
        audit(
            actor=actor,
            action="task.completed",
            obj=task,
            agency=case.agency,
            before=before,
            after=_task_snapshot(task),
            reason=comment,
        )

        ctx = _Context(case=case, actor=actor, now=now, activated=[])
        if next_variant is not None:
            _activate(ctx, step, task.unit, standard=next_variant)
        else:
            if target is not None and target < step.number:
                reopened = spec.step(target)
                get_handler(reopened.handler).on_reopen(task=task, actor=actor)
            _enter_step(ctx, target, task, assignee=assignee)
        if step.is_decision:
            _decision_disposition(ctx, task, step, outcome, comment)
        handler.on_complete(
            task=task, actor=actor, outcome=outcome, data=data, activated=ctx.activated
        )
        _publish_activated(ctx.activated)
        outbox_publish("workflow.task_completed", {"task_id": task.pk})
    return task


def _decision_disposition(
    ctx: _Context, task: Task, step: Step, outcome: str, comment: str
) -> None:
    """A decision's output is a disposition back to whoever made what was decided on."""
    maker = (
        Task.objects.filter(case=ctx.case, step=step.decision.no, unit=task.unit)
        .exclude(pk=task.pk)
        .select_related("position", "acted_by")
        .order_by("-id")
        .first()
    )
    if maker is None:
        return
    default = (
        _("Disetujui, teruskan ke tahap berikutnya.")
        if outcome == Task.Outcome.APPROVED
        else _("Dikembalikan untuk diperbaiki.")
    )
    disposition_create(
        case=ctx.case,
        task=task,
        unit=task.unit,
        from_user=ctx.actor,
        from_position=task.position,
        to_position=maker.position,
        to_user=maker.acted_by,
        instruction=comment or default,
        now=ctx.now,
    )


def disposition_create(
    *,
    case: Case,
    task: Task,
    unit: Unit | None,
    from_user,
    from_position: Position,
    to_position: Position,
    to_user=None,
    instruction: str,
    now: dt.datetime,
) -> Disposition:
    """Record a disposition. Called by the engine and step handlers inside their transaction."""
    disposition = Disposition.objects.create(
        case=case,
        task=task,
        unit=unit,
        from_user=from_user,
        from_position=from_position,
        to_position=to_position,
        to_user=to_user,
        instruction=instruction,
        created_at=now,
    )
    audit(
        actor=from_user,
        action="disposition.created",
        obj=disposition,
        agency=case.agency,
        after={
            "to_position": to_position.pk,
            "to_user": getattr(to_user, "pk", None),
            "instruction": instruction,
            "unit": getattr(unit, "pk", None),
        },
    )
    return disposition


def disposition_mark_read(*, actor, disposition_id: int, now: dt.datetime | None = None) -> None:
    """The addressee (or a holder of the addressed position) has read the disposition."""
    with transaction.atomic():
        disposition = Disposition.objects.select_for_update().get(pk=disposition_id)
        if disposition.read_at is not None:
            return
        allowed = disposition.to_user_id == actor.pk or (
            disposition.to_user_id is None
            and disposition.to_position_id in held_position_ids(actor)
        )
        if not allowed:
            return
        disposition.read_at = now or timezone.now()
        disposition.save(update_fields=["read_at"])


def dispositions_mark_read(
    *, actor, dispositions, held: set[int] | None = None, now: dt.datetime | None = None
) -> int:
    """The first reading of the dispositions of ``dispositions`` (already loaded, as a page
    shows them) that are addressed to ``actor``: to them by name, or to a position they hold
    (definitive or Plt/Plh) when no user is named. Someone else's view records nothing; a
    later view never moves the instant (``read_at`` is set only while empty, in one
    conditional UPDATE, so two tabs at once record one instant). Returns how many were
    marked; the objects passed in get the instant too. ``held``: the position ids ``actor``
    holds today, when the caller has read them already. Two queries at most."""
    if not getattr(actor, "is_authenticated", False):
        return 0
    unread = [d for d in dispositions if d.read_at is None]
    if not unread:
        return 0
    ids = []
    for d in unread:
        if d.to_user_id is not None:
            if d.to_user_id == actor.pk:
                ids.append(d.pk)
            continue
        if held is None:
            held = held_position_ids(actor)
        if d.to_position_id in held:
            ids.append(d.pk)
    if not ids:
        return 0
    now = now or timezone.now()
    marked = Disposition.objects.filter(pk__in=ids, read_at__isnull=True).update(read_at=now)
    for d in unread:
        if d.pk in ids:
            d.read_at = now
    return marked


def _required_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Alasan wajib diisi."), code="reason_required")
    return reason


def _locked_case(case_id: int) -> Case:
    """The case, row-locked for the rest of the transaction (the engine's first lock)."""
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("sop_version", "agency")
        .get(pk=case_id)
    )


def _locked_case_unit(case: Case, unit_id: int) -> CaseUnit | None:
    return (
        CaseUnit.objects.select_for_update(of=("self",))
        .select_related("unit")
        .filter(case=case, unit_id=unit_id)
        .first()
    )


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
        case = _locked_case(case_id)
        if not positions_scope(actor).manages_agency(case.agency_id):
            raise PermissionDenied(_("Hanya pengelola data instansi yang dapat membuka kunci."))
        if case.status == Case.Status.CANCELLED:
            return None
        case_unit = _locked_case_unit(case, unit_id)
        if case_unit is None or case_unit.status != CaseUnit.Status.ACTIVE:
            return None
        if Task.objects.filter(case=case, unit_id=unit_id, status=Task.Status.ACTIVE).exists():
            return None
        ctx = _Context(case=case, actor=actor, now=now, activated=[])
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
        task = _activate(ctx, case.sop_version.spec.step(step), case_unit.unit)
        audit(
            actor=actor,
            action="case.unit_reopened",
            obj=case,
            agency=case.agency,
            after={"unit": unit_id, "step": step, "task": task.pk},
            reason=reason,
        )
        _publish_activated(ctx.activated)
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
        case = _locked_case(case_id)
        if case.status != Case.Status.OPEN:
            raise ApplicationError(_("Kasus ini sudah tidak berjalan."), code="inactive")
        case_unit = _locked_case_unit(case, unit_id)
        if case_unit is None or case_unit.status != CaseUnit.Status.ACTIVE:
            raise ApplicationError(_("Unit ini tidak sedang ikut dalam kasus."), code="invalid")
        if not permissions.may_release_unit(positions_scope(actor), case):
            raise PermissionDenied(_("Anda tidak berwenang melanjutkan tanpa unit ini."))
        if case_unit.waiting_at is not None:
            raise ApplicationError(_("Unit ini sudah menyelesaikan bagiannya."), code="invalid")
        ctx = _Context(case=case, actor=actor, now=now, activated=[])
        for task in Task.objects.select_for_update().filter(
            case=case, unit_id=unit_id, status=Task.Status.ACTIVE
        ):
            before = _task_snapshot(task)
            task.status = Task.Status.SKIPPED
            task.outcome = Task.Outcome.RELEASED
            task.comment = reason
            task.acted_by = actor
            task.lock_version += 1
            task.save(update_fields=["status", "outcome", "comment", "acted_by", "lock_version"])
            audit(
                actor=actor,
                action="task.released",
                obj=task,
                agency=case.agency,
                before=before,
                after=_task_snapshot(task),
                reason=reason,
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
        join = permissions.join_step(case.sop_version.spec)
        if join is not None:
            _maybe_join(ctx, join.number)
        _publish_activated(ctx.activated)
    return case
