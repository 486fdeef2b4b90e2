"""Receivers of the workflow's events (connected in :class:`NotificationsConfig.ready`).

The engine sends its events after its transaction commits. A receiver must never raise into
the engine (the user's step is already saved; a failing mail server or a bug here must not
turn it into an error page), so each one logs its exception and returns.
"""

from __future__ import annotations

import functools
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


def _never_raise(receiver):
    @functools.wraps(receiver)
    def wrapper(*args, **kwargs):
        try:
            receiver(*args, **kwargs)
        except Exception:
            logger.exception("Notification receiver %s failed", receiver.__name__)

    return wrapper


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


@_never_raise
def on_tasks_activated(sender, task_ids: list[int], **kwargs) -> None:
    for task in _load_tasks(task_ids):
        with transaction.atomic():
            notify_task_assigned(task)


@_never_raise
def on_task_completed(sender, task_id: int, **kwargs) -> None:
    """A report sent back (decision step, outcome ``returned``): tell the doers of the task the
    flow went back to, with the comment."""
    done = _load_tasks([task_id])
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


@_never_raise
def on_case_completed(sender, case_id: int, **kwargs) -> None:
    case = Case.objects.select_related("agency", "sop_version").filter(pk=case_id).first()
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
    from kinerja.workflow import signals

    signals.tasks_activated.connect(on_tasks_activated, dispatch_uid="notifications.activated")
    signals.task_completed.connect(on_task_completed, dispatch_uid="notifications.completed")
    signals.case_completed.connect(on_case_completed, dispatch_uid="notifications.case_done")
