"""The demo office's history, made by running the real engine with past timestamps.

Relative to today: the quarter whose case opened last (by the scheduler's rule, see
:mod:`kinerja.demo.openings`: the 10th of January, April, July or October for the seed SOP)
is in progress at several steps, with one unit's report returned once and
fixed; the five quarters before it are complete (so monitoring, trends and one annual
report have data). The units work in parallel, most of them within every step's standard
and one late in each quarter (docs/timeliness.md). Timings are drawn from a seeded random
generator: ILLUSTRATIVE.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from kinerja.sop.models import AgencySop
from kinerja.sop.schema import Duration
from kinerja.workcalendar.selectors import calendar_for
from kinerja.workflow.models import Case, Task
from kinerja.workflow.services import case_open, task_complete

from . import performance
from .office import AGENCY_CODE, Office, build_office
from .openings import SOP, end_of, latest_opening, openings

__all__ = ["SOP", "ensure_demo", "latest_opening", "play_case", "play_quarter_in_progress"]
ANALYSTS = {
    "umum": "analis_3",
    "perencanaan": "analis_3",
    "pemerintahan": "analis_1",
    "trantib": "analis_2",
    "pmk": "analis_1",
    "kesos": "analis_2",
    "pelayanan": "analis_3",
}
KASI = {
    "umum": "kasubag_umum",
    "perencanaan": "kasubag_perencanaan",
    "pemerintahan": "kasi_pemerintahan",
    "trantib": "kasi_trantib",
    "pmk": "kasi_pmk",
    "kesos": "kasi_kesos",
    "pelayanan": "kasi_pelayanan",
}
# Where each unit stands in the quarter in progress (the step its open task is at; 6 = done).
IN_PROGRESS = {
    "umum": 6,
    "perencanaan": 4,
    "pemerintahan": 6,
    "trantib": 5,
    "pmk": 4,
    "kesos": 3,
    "pelayanan": 2,
}
RETURNED_UNIT = "pemerintahan"


class _Clock:
    """Moves forward in working time from an instant, never past ``limit``."""

    def __init__(self, office: Office | None, start: dt.datetime, limit: dt.datetime, rng):
        if office is None:  # a fork (see :meth:`fork`) sets its own fields
            return
        self.calendar = calendar_for(office.agency)
        self.at = self.calendar.add(start, Duration(amount=1, unit="minute"))
        self.limit = limit
        self.rng = rng

    def fork(self) -> _Clock:
        """A clock of its own from this instant: each unit works in parallel, not in turn."""
        other = _Clock(None, self.at, self.limit, self.rng)
        other.calendar, other.at, other.limit, other.rng = (
            self.calendar,
            self.at,
            self.limit,
            self.rng,
        )
        return other

    def tick(self, low: int, high: int) -> dt.datetime:
        minutes = self.rng.randint(low, max(low, high))
        self.at = min(
            self.calendar.add(self.at, Duration(amount=minutes, unit="minute")), self.limit
        )
        return self.at

    def within(self, task: Task, low: int, high: int) -> dt.datetime:
        """Finish ``task`` within its standard: ``low``-``high`` working minutes from now,
        never past its due instant."""
        room = self.calendar.working_minutes(self.at, task.due_at) - 1
        high = max(1, min(high, room))
        return self.tick(min(low, high), high)

    def late(self, task: Task, low: int, high: int) -> dt.datetime:
        """Finish ``task`` ``low``-``high`` working minutes after its due instant."""
        self.at = max(self.at, task.due_at)
        return self.tick(low, high)

    def shortly_before_limit(self, low: int, high: int) -> dt.datetime:
        """Move to ``low``-``high`` working minutes before ``limit`` (not backwards)."""
        left = self.calendar.working_minutes(self.at, self.limit)
        gap = self.rng.randint(low, high)
        if left > gap:
            self.at = self.calendar.add(self.at, Duration(amount=left - gap, unit="minute"))
        return self.at


def _active(case: Case, step: int, unit=None) -> Task:
    return Task.objects.get(case=case, step=step, unit=unit, status=Task.Status.ACTIVE)


def working_minutes_before(calendar, end: dt.datetime, minutes: int) -> dt.datetime:
    """An instant ``minutes`` of working time (or a little more) before ``end``."""
    start = end
    for _ in range(24 * 60):  # half-hour steps, at most 30 days back
        if calendar.working_minutes(start, end) >= minutes:
            return start
        start -= dt.timedelta(minutes=30)
    return start


def play_case(
    office: Office,
    case: Case,
    clock: _Clock,
    *,
    stop_at: dict[str, int],
    returned_unit: str | None,
    finish: bool,
    late: dict[str, int] | None = None,
) -> None:
    """Play ``case`` through the engine: every unit up to its step in ``stop_at`` (6 = done),
    ``returned_unit`` returned once and fixed, and step 6 when ``finish``.

    The units work in parallel from the Sekcam's disposition, each step within its standard
    (so most units are on time), except the steps named in ``late`` (unit code -> step),
    finished well past their due instant. A unit whose open task is the Sekcam's one-hour
    check sent its report shortly before ``clock.limit`` (the quarter in progress)."""
    u = office.users
    late = late or {}
    task_complete(
        actor=u["sekcam"],
        task_id=_active(case, 1).pk,
        now=clock.tick(5, 14),
        data={
            "instruction": f"Mohon disiapkan laporan data kinerja "
            f"{case.period_obj.label} sesuai indikator kinerja "
            "unit masing-masing."
        },
    )
    ends = [clock.at]
    for code, unit in office.units.items():
        target = stop_at.get(code, 6)
        kasi, analyst = u[KASI[code]], u[ANALYSTS[code]]
        c = clock.fork()

        def done(task: Task, low: int, high: int, c=c, code=code) -> dt.datetime:
            if late.get(code) == task.step:
                return c.late(task, 120, 900)
            return c.within(task, low, high)

        if target <= 2:
            continue
        task = _active(case, 2, unit)
        task_complete(
            actor=kasi,
            task_id=task.pk,
            assignee=analyst,
            now=done(task, 2, 12),
            data={"instruction": "Kumpulkan bahan laporan dan data dukung."},
        )
        if target <= 3:
            continue
        performance.fill_unit_report(case=case, unit=unit, actor=analyst, now=c.at)
        task = _active(case, 3, unit)
        # The materials are the step's output (uploaded by fill_unit_report).
        task_complete(actor=analyst, task_id=task.pk, now=done(task, 60, 360))
        if target <= 4:
            continue
        if target == 5:
            c.shortly_before_limit(10, 40)  # the Sekcam's 1-hour check is still to come
        task = _active(case, 4, unit)
        task_complete(actor=kasi, task_id=task.pk, now=done(task, 30, 300))
        if code == returned_unit:
            task = _active(case, 5, unit)
            task_complete(
                actor=u["sekcam"],
                task_id=task.pk,
                outcome="returned",
                now=done(task, 10, 45),
                comment="Kendala dan upaya pada indikator kedua belum diisi; lengkapi data dukung.",
            )
            performance.fix_returned_report(case=case, unit=unit, actor=kasi, now=c.at)
            task = _active(case, 4, unit)
            task_complete(actor=kasi, task_id=task.pk, now=done(task, 30, 240))
        if target <= 5:
            continue
        task = _active(case, 5, unit)
        task_complete(
            actor=u["sekcam"], task_id=task.pk, outcome="approved", now=done(task, 10, 45)
        )
        ends.append(c.at)
    if not finish:
        return
    clock.at = max(ends)
    for variant, work in (("triwulan", (120, 440)), ("tahunan", (2000, 5000))):
        task = Task.objects.filter(
            case=case, step=6, variant=variant, status=Task.Status.ACTIVE
        ).first()
        if task is None:
            continue
        task_complete(
            actor=u["kasubag_perencanaan"], task_id=task.pk, now=clock.within(task, *work)
        )


@transaction.atomic
def ensure_demo(*, stdout=None, today: dt.date | None = None) -> bool:
    """Load the demo office once. Returns False when it was already there."""
    from kinerja.organization.models import Agency
    from kinerja.sop.services import sop_load_builtin

    sop_load_builtin()
    if Agency.objects.filter(code=AGENCY_CODE).exists():
        return False
    office = build_office()
    AgencySop.objects.get_or_create(agency=office.agency, sop_code=SOP)
    performance.load_performance_data(office)
    rng = random.Random(2026)
    # The five quarters before the one in progress, then the one in progress: the openings
    # `kinerja tick` makes for the demo office (its rule, not a copy).
    *past, (current_opening, current) = openings(
        office.agency, end_of(today or timezone.localdate(), office.agency), 6
    )
    for opened, period in past:
        case, _ = case_open(sop_code=SOP, agency=office.agency, period=period, now=opened)
        clock = _Clock(office, opened, opened + dt.timedelta(days=60), rng)
        # one unit (another each quarter) let a step run late; the others kept to standard
        late = {rng.choice(list(office.units)): rng.choice([2, 3, 4])}
        play_case(office, case, clock, stop_at={}, returned_unit=None, finish=True, late=late)
        if stdout:
            stdout.write(f"  {period.label}: selesai")
    play_quarter_in_progress(office, current_opening, current, rng)
    if stdout:
        stdout.write(f"  {current.label}: berjalan")
    return True


def play_quarter_in_progress(office: Office, opened: dt.datetime, period, rng) -> None:
    """The quarter in progress opened at ``opened``; the Sekcam dispatched about four working
    hours ago and the units have moved since, each within its standards except Pelayanan,
    whose Kasi has not disposed yet (late: step 2's standard is 15 minutes)."""
    now = timezone.now()
    calendar = calendar_for(office.agency)
    case, _ = case_open(sop_code=SOP, agency=office.agency, period=period, now=opened)
    dispatched = working_minutes_before(calendar, now, 4 * 60)
    clock = _Clock(office, max(opened, dispatched), now, rng)
    play_case(office, case, clock, stop_at=IN_PROGRESS, returned_unit=RETURNED_UNIT, finish=False)
