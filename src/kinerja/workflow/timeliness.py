"""Timeliness of a unit in a case: the one rule behind "Tepat waktu" (docs/timeliness.md).

**Rule.** A unit is on time for a period when *every task of its steps* (the SOP steps with
``scope: unit``: for the seed SOP steps 2 to 5, every round, returns included) was finished
within its working-time standard, i.e. completed no later than its due instant. A task still
open after its due instant makes the unit late now. Office steps (step 1 assigning the units,
step 6 compiling the office report) are not the unit's and do not count. Skipped and
cancelled tasks do not count.

Each task's due instant is its activation plus its standard in working time
(:mod:`kinerja.workcalendar.calendar`), so a step taken late is late by itself even when the
next steps are quick: a Kasi who disposes to the analyst 29 working hours after the
15-minute standard makes the unit late, whatever happens after.

Lateness is measured in working minutes of the agency's calendar between the due instant and
the completion (or ``now`` for a task still open).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from kinerja.workcalendar.calendar import WorkCalendar

from .models import Task

COUNTED = (Task.Status.ACTIVE, Task.Status.COMPLETED)


@dataclass(frozen=True)
class LateStep:
    """One task of the unit finished (or still open) after its due instant."""

    step: int
    round: int
    due_at: dt.datetime
    finished_at: dt.datetime | None  # None: still open
    late_minutes: int  # working minutes past the due instant (at least 1)

    @property
    def open(self) -> bool:
        return self.finished_at is None


def task_late_minutes(task: Task, *, calendar: WorkCalendar, now: dt.datetime) -> int | None:
    """Working minutes ``task`` was (or is) past its due instant; None when it is not late
    (or does not count: skipped, cancelled)."""
    if task.status not in COUNTED or task.due_at is None:
        return None
    if task.status == Task.Status.COMPLETED:
        end = task.completed_at
        if end is None or end <= task.due_at:
            return None
    else:
        if now <= task.due_at:
            return None
        end = now
    return max(1, calendar.working_minutes(task.due_at, end))


def is_late(task: Task, *, now: dt.datetime) -> bool:
    """The rule for one task, without a calendar: finished (or still open) after its due
    instant. Skipped and cancelled tasks are never late."""
    if task.status not in COUNTED or task.due_at is None:
        return False
    if task.status == Task.Status.COMPLETED:
        return task.completed_at is not None and task.completed_at > task.due_at
    return now > task.due_at


def late_steps(
    tasks: Iterable[Task],
    *,
    calendar: WorkCalendar | Callable[[], WorkCalendar],
    now: dt.datetime,
) -> list[LateStep]:
    """The late tasks among ``tasks`` (one unit's tasks of one case), in step order.
    ``calendar`` may be a function giving it: it is called only when a task is late (the
    calendar costs two queries)."""
    late = []
    for task in tasks:
        if not is_late(task, now=now):
            continue
        if callable(calendar):
            calendar = calendar()
        minutes = task_late_minutes(task, calendar=calendar, now=now)
        if minutes is None:
            continue
        finished = task.completed_at if task.status == Task.Status.COMPLETED else None
        late.append(LateStep(task.step, task.round, task.due_at, finished, minutes))
    return sorted(late, key=lambda s: (s.step, s.round))


def unit_on_time(tasks: Iterable[Task], *, calendar: WorkCalendar, now: dt.datetime) -> bool:
    """True when no task of the unit is late (see the module's rule)."""
    return not late_steps(tasks, calendar=calendar, now=now)
