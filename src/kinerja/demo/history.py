"""The demo office's history, made by running the real engine with past timestamps.

Relative to today: the quarter whose case opened last (on the 10th of January, April, July
or October) is in progress at several steps, with one unit's report returned once and
fixed; the five quarters before it are complete (so monitoring, trends and one annual
report have data). Timings are drawn from a seeded random generator: ILLUSTRATIVE.
"""

from __future__ import annotations

import datetime as dt
import importlib
import random

from django.db import transaction
from django.utils import timezone

from kinerja.core.periods import Period
from kinerja.sop.models import AgencySop
from kinerja.sop.schema import Duration
from kinerja.workcalendar.selectors import calendar_for
from kinerja.workflow.models import Case, Task
from kinerja.workflow.services import case_open, task_complete

from .office import AGENCY_CODE, Office, build_office

SOP = "pengumpulan-data-kinerja"
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


def _performance_hooks():
    """The performance app fills realisations before steps 3-4 (once it exists)."""
    try:
        return importlib.import_module("kinerja.performance.demo")
    except ImportError:
        return None


def latest_opening(today: dt.date) -> tuple[dt.date, Period]:
    """The last scheduled opening day on or before ``today`` and the period it reports on."""
    candidates = [dt.date(y, m, 10) for y in (today.year - 1, today.year) for m in (1, 4, 7, 10)]
    opened = max(d for d in candidates if d <= today)
    return opened, Period.quarter_of(opened).previous()


class _Clock:
    """Moves forward in working time from an instant, never past ``limit``."""

    def __init__(self, office: Office, start: dt.datetime, limit: dt.datetime, rng):
        self.calendar = calendar_for(office.agency)
        self.at = self.calendar.add(start, Duration(amount=1, unit="minute"))
        self.limit = limit
        self.rng = rng

    def tick(self, low: int, high: int) -> dt.datetime:
        minutes = self.rng.randint(low, high)
        self.at = min(
            self.calendar.add(self.at, Duration(amount=minutes, unit="minute")), self.limit
        )
        return self.at


def _active(case: Case, step: int, unit=None) -> Task:
    return Task.objects.get(case=case, step=step, unit=unit, status=Task.Status.ACTIVE)


def play_case(
    office: Office,
    case: Case,
    clock: _Clock,
    *,
    stop_at: dict[str, int],
    returned_unit: str | None,
    finish: bool,
) -> None:
    """Play ``case`` through the engine: every unit up to its step in ``stop_at`` (6 = done),
    ``returned_unit`` returned once and fixed, and step 6 when ``finish``."""
    u = office.users
    hooks = _performance_hooks()
    task_complete(
        actor=u["sekcam"],
        task_id=_active(case, 1).pk,
        now=clock.tick(5, 40),
        data={
            "instruction": f"Mohon disiapkan laporan data kinerja "
            f"{case.period_obj.label} sesuai indikator kinerja "
            "unit masing-masing."
        },
    )
    for code, unit in office.units.items():
        target = stop_at.get(code, 6)
        kasi, analyst = u[KASI[code]], u[ANALYSTS[code]]
        if target <= 2:
            continue
        task_complete(
            actor=kasi,
            task_id=_active(case, 2, unit).pk,
            assignee=analyst,
            now=clock.tick(5, 30),
            data={"instruction": "Kumpulkan bahan laporan dan data dukung."},
        )
        if target <= 3:
            continue
        if hooks:
            hooks.fill_unit_report(case=case, unit=unit, actor=analyst, now=clock.at)
        task_complete(
            actor=analyst,
            task_id=_active(case, 3, unit).pk,
            now=clock.tick(60, 480),
            # The materials are the step's output (uploaded by the hook); without the
            # performance app there is nothing to upload, so say why.
            data=None if hooks else {"no_materials_reason": "Tanpa modul data kinerja."},
        )
        if target <= 4:
            continue
        task_complete(actor=kasi, task_id=_active(case, 4, unit).pk, now=clock.tick(30, 400))
        if code == returned_unit:
            task_complete(
                actor=u["sekcam"],
                task_id=_active(case, 5, unit).pk,
                outcome="returned",
                now=clock.tick(10, 90),
                comment="Kendala dan upaya pada indikator kedua belum diisi; lengkapi data dukung.",
            )
            if hooks:
                hooks.fix_returned_report(case=case, unit=unit, actor=kasi, now=clock.at)
            task_complete(actor=kasi, task_id=_active(case, 4, unit).pk, now=clock.tick(30, 300))
        if target <= 5:
            continue
        task_complete(
            actor=u["sekcam"],
            task_id=_active(case, 5, unit).pk,
            outcome="approved",
            now=clock.tick(10, 70),
        )
    if not finish:
        return
    for variant, work in (("triwulan", (120, 440)), ("tahunan", (2000, 5000))):
        task = Task.objects.filter(
            case=case, step=6, variant=variant, status=Task.Status.ACTIVE
        ).first()
        if task is None:
            continue
        if hooks and hasattr(hooks, "compile_report"):
            hooks.compile_report(case=case, actor=u["kasubag_perencanaan"], now=clock.at)
        task_complete(actor=u["kasubag_perencanaan"], task_id=task.pk, now=clock.tick(*work))


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
    hooks = _performance_hooks()
    if hooks:
        hooks.load_performance_data(office)
    today = today or timezone.localdate()
    rng = random.Random(2026)
    opened_day, current = latest_opening(today)
    calendar = calendar_for(office.agency)
    tz = calendar.tz
    period = current
    history = []
    for _ in range(5):
        period = period.previous()
        history.append(period)
    for past in reversed(history):
        day = dt.date(past.next().start.year, past.next().start.month, 10)
        opened = dt.datetime.combine(day, dt.time(7, 30), tzinfo=tz)
        case, _ = case_open(sop_code=SOP, agency=office.agency, period=past, now=opened)
        clock = _Clock(office, opened, opened + dt.timedelta(days=60), rng)
        play_case(office, case, clock, stop_at={}, returned_unit=None, finish=True)
        if stdout:
            stdout.write(f"  {past.label}: selesai")
    # The quarter in progress opened on its day; the Sekcam dispatched a few days ago (late),
    # and the units have moved since.
    now = timezone.now()
    opened = dt.datetime.combine(opened_day, dt.time(7, 30), tzinfo=tz)
    case, _ = case_open(sop_code=SOP, agency=office.agency, period=current, now=opened)
    clock = _Clock(office, max(opened, now - dt.timedelta(days=4)), now, rng)
    play_case(office, case, clock, stop_at=IN_PROGRESS, returned_unit=RETURNED_UNIT, finish=False)
    if stdout:
        stdout.write(f"  {current.label}: berjalan")
    return True
