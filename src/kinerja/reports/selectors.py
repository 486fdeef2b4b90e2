"""Reads of the reports app: archived documents, and the workflow facts documents print
(dispositions, completed tasks). Each selector owns its joins."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import QuerySet

from kinerja.organization.models import Agency
from kinerja.workcalendar.selectors import agency_timezone
from kinerja.workflow.models import Case, Disposition, Task

from .models import GeneratedDocument


def documents_for(*, agency: Agency | None = None, case: Case | None = None) -> QuerySet:
    """Archived documents of an agency or a case, newest first (one query)."""
    qs = GeneratedDocument.objects.select_related("agency", "unit", "generated_by", "case")
    if case is not None:
        qs = qs.filter(case=case)
    elif agency is not None:
        qs = qs.filter(agency=agency)
    return qs.order_by("-generated_at", "-id")


def document_by_code(short_code: str) -> GeneratedDocument | None:
    return (
        GeneratedDocument.objects.select_related("agency", "unit", "generated_by", "case")
        .filter(short_code=short_code.strip().upper())
        .first()
    )


def documents_with_hash(sha256: str) -> list[GeneratedDocument]:
    return list(
        GeneratedDocument.objects.select_related("agency", "generated_by").filter(sha256=sha256)
    )


def case_dispositions(
    case: Case, *, steps: Iterable[int] = (1, 2, 5), task: Task | None = None, unit=None
) -> list[Disposition]:
    """Dispositions of ``case`` made by tasks of ``steps`` (one query)."""
    qs = Disposition.objects.filter(case=case, task__step__in=list(steps))
    if task is not None:
        qs = qs.filter(task=task)
    if unit is not None:
        qs = qs.filter(unit=unit)
    return list(
        qs.select_related(
            "task", "unit", "from_user", "from_position", "to_user", "to_position"
        ).order_by("created_at", "id")
    )


def completed_tasks(*, agency: Agency, sop_code: str, start: dt.date, end: dt.date) -> list[Task]:
    """Tasks of ``agency``'s cases of ``sop_code`` completed between ``start`` and ``end``
    (dates in the agency's zone, inclusive), oldest first (one query)."""
    tz = agency_timezone(agency)
    since = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return list(
        Task.objects.filter(
            case__agency=agency,
            case__sop_code=sop_code,
            status=Task.Status.COMPLETED,
            completed_at__gte=since,
            completed_at__lt=until,
        )
        .select_related("case", "unit")
        .order_by("completed_at", "id")
    )


def recipient_tasks(case: Case, dispositions: list[Disposition]) -> dict[int, Task | None]:
    """Disposition id -> the task the disposition hands to its recipient (the first task of
    the case activated when it was given, for the addressed position or user and unit), whose
    deadline the sheet prints. One query."""
    tasks = list(
        Task.objects.filter(case=case).only(
            "id", "step", "unit_id", "position_id", "assignee_id", "activated_at", "due_at"
        )
    )
    out: dict[int, Task | None] = {}
    for disp in dispositions:
        given = disp.created_at - dt.timedelta(seconds=1)
        candidates = [
            t
            for t in tasks
            if t.pk != disp.task_id
            and t.activated_at >= given
            and (disp.unit_id is None or t.unit_id == disp.unit_id)
            and (
                t.position_id == disp.to_position_id
                or (disp.to_user_id is not None and t.assignee_id == disp.to_user_id)
            )
        ]
        out[disp.pk] = min(candidates, key=lambda t: (t.activated_at, t.pk), default=None)
    return out
