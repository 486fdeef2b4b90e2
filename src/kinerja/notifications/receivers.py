"""Receivers of the workflow's events (registered in :class:`NotificationsConfig.ready`).

The engine writes its events to the outbox (:mod:`kinerja.core.outbox`) in its own
transaction; each receiver here runs when an event is delivered (right after the commit, or
by the worker/tick after a crash), in the delivery's transaction: the notices and the mark
"delivered" commit together. A receiver that raises rolls its notices back and the event is
retried later; it never reaches the user's page (the step is already saved). Every notice has
a unique key per event, so running a receiver twice tells no one twice.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from kinerja.workflow.models import Case, Task

from . import messages
from .models import Notification
from .selectors import role_holders, task_doers
from .services import case_link, notification_create, task_link

logger = logging.getLogger(__name__)

#: Roles told when a case is complete: they compile and sign the office's report.
CASE_COMPLETE_ROLES = ["sekcam", "kasubag_perencanaan"]


def _load_tasks(ids: list[int]) -> list[Task]:
    return list(
        Task.objects.filter(pk__in=ids).select_related(
            "case", "case__agency", "case__sop_version", "unit", "position", "assignee"
        )
    )


def notify_task_assigned(task: Task) -> int:
    """Tell the doers of ``task`` it is theirs. A task re-opened by a return is left to the
    'returned' notice, which carries the comment (one notice per event, not two)."""
    if task.status != Task.Status.ACTIVE:
        return 0
    reopened = Task.objects.filter(
        case_id=task.case_id,
        unit_id=task.unit_id,
        outcome=Task.Outcome.RETURNED,
        completed_at=task.activated_at,
    ).exists()
    if reopened:
        return 0
    now = timezone.now()
    made = 0
    for user in task_doers(task, on=timezone.localdate(now)):
        made += bool(
            notification_create(
                recipient=user,
                kind=Notification.Kind.ASSIGNED,
                dedupe_key=f"task:{task.pk}",
                render=lambda: messages.assigned(task),
                task=task,
                link=task_link(task),
                now=now,
            )
        )
    return made


def on_tasks_activated(payload: dict) -> None:
    for task in _load_tasks(payload["task_ids"]):
        with transaction.atomic():
            notify_task_assigned(task)


def on_task_completed(payload: dict) -> None:
    """A report sent back (decision step, outcome ``returned``): tell the doers of the task the
    flow went back to, with the comment."""
    done = _load_tasks([payload["task_id"]])
    if not done or done[0].outcome != Task.Outcome.RETURNED:
        return
    returned = done[0]
    spec = returned.case.sop_version.spec
    step = spec.step(returned.step)
    target = step.decision.no if step.decision else None
    reopened = (
        Task.objects.filter(
            case_id=returned.case_id,
            unit_id=returned.unit_id,
            step=target,
            status=Task.Status.ACTIVE,
        )
        .select_related("case", "case__agency", "case__sop_version", "unit", "position", "assignee")
        .order_by("-id")
        .first()
    )
    if reopened is None:
        return
    now = timezone.now()
    with transaction.atomic():
        for user in task_doers(reopened, on=timezone.localdate(now)):
            notification_create(
                recipient=user,
                kind=Notification.Kind.RETURNED,
                dedupe_key=f"returned:{returned.pk}",
                render=lambda: messages.returned(reopened, returned),
                task=reopened,
                link=task_link(reopened),
                now=now,
            )


def on_case_completed(payload: dict) -> None:
    case = (
        Case.objects.select_related("agency", "sop_version").filter(pk=payload["case_id"]).first()
    )
    if case is None:
        return
    now = timezone.now()
    with transaction.atomic():
        for user in role_holders(case.agency, CASE_COMPLETE_ROLES, on=timezone.localdate(now)):
            notification_create(
                recipient=user,
                kind=Notification.Kind.CASE_COMPLETE,
                dedupe_key=f"case:{case.pk}",
                render=lambda: messages.case_complete(case),
                case=case,
                link=case_link(case),
                now=now,
            )


def connect() -> None:
    from kinerja.core import outbox

    outbox.register("workflow.tasks_activated", on_tasks_activated)
    outbox.register("workflow.task_completed", on_task_completed)
    outbox.register("workflow.case_completed", on_case_completed)
