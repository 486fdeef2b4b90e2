"""Moving the flow: activating tasks, fan-out, join and the end of a case, for the services
of this package (inside their transaction). Where to go is decided by
:mod:`kinerja.workflow.routing`; this module does the writes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max
from django.utils.translation import gettext as _

from kinerja.core.errors import ApplicationError
from kinerja.core.outbox import outbox_publish
from kinerja.core.services import audit
from kinerja.organization.models import Agency, Position, Unit
from kinerja.organization.selectors import held_position_ids, positions_for_role
from kinerja.sop.schema import Step, TimeStandard
from kinerja.workcalendar.selectors import calendar_for

from ..models import Case, CaseUnit, Task
from ..routing import Move, Route, applicable_standards


@dataclass
class Context:
    """One move of the engine: the locked case, who moves, when, and the tasks activated."""

    case: Case
    actor: Any
    now: dt.datetime
    activated: list[Task] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# The audit of a task


def task_snapshot(task: Task) -> dict[str, Any]:
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


def task_change(*, actor, task: Task, agency: Agency, action: str, reason: str = "", **fields):
    """Set ``fields`` on the (locked) ``task``, move its ``lock_version`` on, save only those
    columns and record ``action`` with the task before and after."""
    before = task_snapshot(task)
    for name, value in fields.items():
        setattr(task, name, value)
    task.lock_version += 1
    task.save(update_fields=[*fields, "lock_version"])
    audit(
        actor=actor,
        action=action,
        obj=task,
        agency=agency,
        before=before,
        after=task_snapshot(task),
        reason=reason,
    )


# --------------------------------------------------------------------------------------------
# Who does a step


def resolve_position(agency: Agency, role: str, unit: Unit | None) -> Position:
    """The position that plays ``role`` (in ``unit``, or office-wide); a role held only in
    the units is never guessed for an office step."""
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


def position_of_user_for_role(user, agency: Agency, role: str, unit: Unit | None) -> Position:
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


# --------------------------------------------------------------------------------------------
# Activating tasks


def activate(
    ctx: Context,
    step: Step,
    unit: Unit | None,
    *,
    standard: TimeStandard | None = None,
    assignee=None,
) -> Task:
    """A new task of ``step`` (for ``unit``), due after its time standard in working time."""
    case = ctx.case
    standard = standard or applicable_standards(step, case.period_obj)[0]
    if step.assignee_chosen_by is not None and assignee is None:
        # On a return the flow may come back to a step whose doer was chosen earlier: keep them.
        previous = (
            Task.objects.filter(case=case, step=step.number, unit=unit, assignee__isnull=False)
            .order_by("-id")
            .first()
        )
        assignee = previous.assignee if previous else None
    if assignee is not None:
        position = position_of_user_for_role(assignee, case.agency, step.executor, unit)
    else:
        position = resolve_position(case.agency, step.executor, unit)
    previous_rounds = Task.objects.filter(
        case=case, step=step.number, variant=standard.code, unit=unit
    ).aggregate(m=Max("round"))["m"]
    task = Task.objects.create(
        case=case,
        step=step.number,
        variant=standard.code,
        unit=unit,
        position=position,
        assignee=assignee,
        round=(previous_rounds or 0) + 1,
        activated_at=ctx.now,
        due_at=calendar_for(case.agency).add(ctx.now, standard),
        standard_amount=standard.amount,
        standard_unit=standard.unit.value,
    )
    audit(
        actor=ctx.actor,
        action="task.activated",
        obj=task,
        agency=case.agency,
        after=task_snapshot(task),
    )
    ctx.activated.append(task)
    return task


def active_units(case: Case) -> list[CaseUnit]:
    return list(
        CaseUnit.objects.filter(case=case, status=CaseUnit.Status.ACTIVE)
        .select_related("unit")
        .order_by("unit__order", "unit__name")
    )


def enter(
    ctx: Context,
    route: Route,
    from_task: Task | None,
    *,
    assignee=None,
) -> None:
    """Do what ``route`` says, coming from ``from_task`` (None: the start of the case)."""
    step = route.step
    unit = from_task.unit if from_task is not None else None
    if route.move == Move.END:
        maybe_complete_case(ctx)
    elif route.move == Move.NEXT_VARIANT:
        activate(ctx, step, unit, standard=route.standard)
    elif route.move == Move.SAME_UNIT:
        activate(ctx, step, unit, assignee=assignee)
    elif route.move == Move.FAN_OUT:
        chosen = [cu.unit for cu in active_units(ctx.case)]
        if not chosen:
            raise ApplicationError(
                _("Tidak ada unit kerja yang ikut dalam kasus ini."), code="no_units"
            )
        for each in chosen:
            activate(ctx, step, each, assignee=assignee)
    elif route.move == Move.JOIN:
        CaseUnit.objects.filter(case=ctx.case, unit_id=from_task.unit_id).update(
            waiting_at=step.number
        )
        maybe_join(ctx, step.number)
    else:
        activate(ctx, step, None, assignee=assignee)


def maybe_join(ctx: Context, target: int) -> None:
    """Open the office step ``target`` when every unit taking part waits there."""
    case = ctx.case
    if any(cu.waiting_at != target for cu in active_units(case)):
        return
    if Task.objects.filter(case=case, step=target, status=Task.Status.ACTIVE).exists():
        return
    activate(ctx, case.sop_version.spec.step(target), None)


def maybe_complete_case(ctx: Context) -> None:
    """Close the case when no task of it is open any more."""
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


def publish_activated(tasks: list[Task]) -> None:
    ids = [t.pk for t in tasks]
    if ids:
        outbox_publish("workflow.tasks_activated", {"task_ids": ids})


def locked_case(case_id: int) -> Case:
    """The case, row-locked for the rest of the transaction (the engine's first lock)."""
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("sop_version", "agency")
        .get(pk=case_id)
    )


def locked_case_unit(case: Case, unit_id: int) -> CaseUnit | None:
    return (
        CaseUnit.objects.select_for_update(of=("self",))
        .select_related("unit")
        .filter(case=case, unit_id=unit_id)
        .first()
    )
