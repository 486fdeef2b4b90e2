"""Completing a task: the engine's main move, told as a short story.

:func:`task_complete` locks the case and the task, checks that the task is still open and
that the actor may act on it, checks the outcome and the step's own rules (its handler),
asks :func:`kinerja.workflow.routing.route` where the flow goes, closes the task, follows
the route and publishes the events (delivered after the commit)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.errors import ApplicationError, ConcurrentUpdate
from kinerja.core.outbox import outbox_publish
from kinerja.sop.schema import Step

from .. import permissions, routing
from ..handlers import get_handler
from ..models import Case, Task
from . import flow
from .dispositions import decision_disposition


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
        task = _locked_task(task_id)
        if _is_retry(task, actor, outcome):
            return task
        permissions.require_may_act_on_task(actor, task, on=timezone.localdate(now))
        _check_version(task, expected_version)
        spec = task.case.sop_version.spec
        step = spec.step(task.step)
        _check_outcome(step, outcome, comment)
        route = routing.route(spec, step, task, outcome, period=task.case.period_obj)
        _check_assignee(route, assignee, task)
        handler = get_handler(step.handler)
        handler.validate(task=task, actor=actor, outcome=outcome, data=data)
        _close(task, actor=actor, outcome=outcome, comment=comment, data=data, now=now)
        ctx = flow.Context(case=task.case, actor=actor, now=now)
        _follow(ctx, route, task, assignee=assignee)
        if step.is_decision:
            decision_disposition(
                task=task,
                actor=actor,
                returns_to=step.decision.no,
                outcome=outcome,
                comment=comment,
            )
        handler.on_complete(
            task=task, actor=actor, outcome=outcome, data=data, activated=ctx.activated
        )
        flow.publish_activated(ctx.activated)
        outbox_publish("workflow.task_completed", {"task_id": task.pk})
    return task


def _locked_task(task_id: int) -> Task:
    """The task, its case row locked first and then its own row (always in that order, so
    two users never deadlock)."""
    case_id = Task.objects.values_list("case_id", flat=True).filter(pk=task_id).first()
    if case_id is None:
        raise ApplicationError(_("Tugas tidak ditemukan."), code="not_found")
    case: Case = flow.locked_case(case_id)
    task = (
        Task.objects.select_for_update(of=("self",))
        .select_related("unit", "position")
        .get(pk=task_id)
    )
    task.case = case
    return task


def _is_retry(task: Task, actor, outcome: str) -> bool:
    """True for a retry of the move that completed the task (same actor and outcome);
    any other move on a closed task is refused."""
    if task.status == Task.Status.COMPLETED:
        if task.acted_by_id == getattr(actor, "pk", None) and task.outcome == outcome:
            return True
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
    return False


def _check_version(task: Task, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != task.lock_version:
        raise ConcurrentUpdate(
            _(
                "Tugas ini sudah diubah orang lain sejak Anda membukanya. Muat ulang halaman "
                "dan periksa perubahan sebelum menyimpan lagi."
            )
        )


def _check_outcome(step: Step, outcome: str, comment: str) -> None:
    """A decision is approved or returned (a return says why); any other step is done."""
    if not step.is_decision:
        if outcome != Task.Outcome.DONE:
            raise ApplicationError(
                _("Langkah ini bukan keputusan; hasil yang dapat dipilih hanya 'selesai'."),
                code="invalid_outcome",
            )
        return
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


def _check_assignee(route: routing.Route, assignee, task: Task) -> None:
    """The doer of the next step is named exactly when this step chooses them, and must
    hold a position that plays that step's role."""
    if route.chooses_doer and assignee is None:
        raise ApplicationError(
            _("Pilih siapa yang akan mengerjakan langkah berikutnya."),
            code="assignee_required",
        )
    if assignee is None:
        return
    if not route.chooses_doer:
        raise ApplicationError(
            _("Langkah ini tidak menentukan pelaksana langkah berikutnya."),
            code="invalid_assignee",
        )
    flow.position_of_user_for_role(assignee, task.case.agency, route.step.executor, task.unit)


def _close(task: Task, *, actor, outcome: str, comment: str, data: dict, now: dt.datetime):
    flow.task_change(
        actor=actor,
        task=task,
        agency=task.case.agency,
        action="task.completed",
        reason=comment,
        status=Task.Status.COMPLETED,
        completed_at=now,
        acted_by=actor,
        outcome=outcome,
        comment=comment,
        data={**task.data, **data},
    )


def _follow(ctx: flow.Context, route: routing.Route, task: Task, *, assignee) -> None:
    """Activate what the route says; a return first tells the step it goes back to."""
    if route.reopens is not None:
        get_handler(route.reopens.handler).on_reopen(task=task, actor=ctx.actor)
    flow.enter(ctx, route, task, assignee=assignee)
