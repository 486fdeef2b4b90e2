"""Helpers shared by the notification tests: a controlled clock that calls tick."""

from __future__ import annotations

import datetime as dt

import time_machine

from kinerja.notifications.scheduler import TickReport, tick
from kinerja.workflow.models import Task

SOP = "pengumpulan-data-kinerja"


def active(case, step, unit=None, variant=None) -> Task:
    qs = Task.objects.filter(case=case, step=step, status=Task.Status.ACTIVE)
    if unit is not None:
        qs = qs.filter(unit=unit)
    if variant is not None:
        qs = qs.filter(variant=variant)
    return qs.get()


class Clock:
    """Calls :func:`tick` at chosen instants with the clock frozen there (time-machine)."""

    def __init__(self) -> None:
        self.now: dt.datetime | None = None
        self.ticks = 0
        self.reports: list[TickReport] = []

    def at(self, instant: dt.datetime) -> TickReport:
        assert self.now is None or instant >= self.now, "the clock only goes forward"
        self.now = instant
        with time_machine.travel(instant, tick=False):
            report = tick()
        assert not report.errors, report.errors
        self.ticks += 1
        if report.cases_opened or report.alerts:
            self.reports.append(report)
        return report

    def run(self, start: dt.datetime, end: dt.datetime, every: dt.timedelta) -> None:
        """Tick from ``start`` to ``end`` (both included when on the grid)."""
        instant = start
        while instant <= end:
            self.at(instant)
            instant += every

    def minutes(self, start: dt.datetime, end: dt.datetime) -> None:
        self.run(start, end, dt.timedelta(minutes=1))
