"""Reads of cases and tasks. Each selector owns its joins so list pages stay constant in
queries however many cases exist."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from kinerja.organization.selectors import held_position_ids
from kinerja.sop.models import SopVersion

from .models import Case, Task


def attach_steps(tasks: list[Task]) -> list[Task]:
    """Set ``task.step_def`` (the SOP step) on each task with one query for all versions."""
    version_ids = {t.case.sop_version_id for t in tasks}
    versions = {v.pk: v for v in SopVersion.objects.filter(pk__in=version_ids)}
    for task in tasks:
        version = versions[task.case.sop_version_id]
        task.case.sop_version = version
        task.step_def = version.spec.step(task.step)
    return tasks


def open_tasks_for_user(user, *, now: dt.datetime | None = None) -> list[Task]:
    """Every active task ``user`` may act on: of positions they hold (definitively or as
    Plt/Plh today), and tasks given to them by name. Most urgent first. Three queries."""
    now = now or timezone.now()
    held = held_position_ids(user, on=timezone.localdate(now))
    tasks = list(
        Task.objects.filter(status=Task.Status.ACTIVE)
        .filter(Q(assignee=user) | Q(assignee__isnull=True, position_id__in=held))
        .select_related("case", "case__agency", "unit", "position", "assignee")
        .order_by("due_at", "-activated_at", "id")
    )
    return attach_steps(tasks)


def case_tasks(case: Case) -> QuerySet[Task]:
    return (
        Task.objects.filter(case=case)
        .select_related("unit", "position", "assignee", "acted_by")
        .order_by("step", "unit__order", "id")
    )
