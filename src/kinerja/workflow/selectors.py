"""Reads of cases and tasks: the task lists, working time of tasks (SLA timing), the case
page and the completeness/timeliness summary of the dashboard. Each selector owns its joins
so pages stay constant in queries however many cases, tasks and units exist (pinned in
tests/web/test_queries.py)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from kinerja.core.periods import Period
from kinerja.organization.models import Agency, Unit
from kinerja.organization.selectors import held_position_ids
from kinerja.sop.models import SopVersion
from kinerja.sop.schema import SopDefinition, Step
from kinerja.workcalendar.calendar import WorkCalendar
from kinerja.workcalendar.selectors import calendar_for

from .models import Case, CaseUnit, Disposition, Task
from .timeliness import late_steps


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


# --------------------------------------------------------------------------------------------
# Working time of tasks


class Calendars:
    """One working-time calendar per agency, read once per request (two queries each)."""

    def __init__(self) -> None:
        self._by_agency: dict[int, WorkCalendar] = {}

    def get(self, agency: Agency) -> WorkCalendar:
        if agency.pk not in self._by_agency:
            self._by_agency[agency.pk] = calendar_for(agency)
        return self._by_agency[agency.pk]


@dataclass
class Timing:
    standard_minutes: int
    left_minutes: int | None = None  # open tasks: negative when overdue
    taken_minutes: int | None = None  # closed tasks
    on_time: bool | None = None

    @property
    def overdue(self) -> bool:
        return self.left_minutes is not None and self.left_minutes < 0

    @property
    def level(self) -> str:
        """``overdue``, ``soon`` (a quarter of the standard or 30 minutes left) or ``ok``."""
        if self.left_minutes is None:
            return "done" if self.on_time else "late"
        if self.left_minutes < 0:
            return "overdue"
        if self.left_minutes <= max(30, self.standard_minutes // 4):
            return "soon"
        return "ok"


def attach_timing(tasks: list[Task], *, now: dt.datetime | None = None, calendars=None) -> None:
    """Set ``task.timing``: working time left (or overdue), or taken against the standard."""
    now = now or timezone.now()
    calendars = calendars or Calendars()
    for task in tasks:
        cal = calendars.get(task.case.agency)
        standard = cal.working_minutes(task.activated_at, task.due_at)
        timing = Timing(standard_minutes=standard)
        if task.status == Task.Status.ACTIVE:
            if task.due_at > now:
                # Never show "0 minutes left" for a task that is not yet due.
                timing.left_minutes = max(1, cal.working_minutes(now, task.due_at))
            else:
                timing.left_minutes = -max(1, cal.working_minutes(task.due_at, now))
        elif task.completed_at is not None:
            timing.taken_minutes = cal.working_minutes(task.activated_at, task.completed_at)
            timing.on_time = task.completed_at <= task.due_at
        task.timing = timing


# --------------------------------------------------------------------------------------------
# The case page


def step_shape(spec: SopDefinition, step: Step) -> str:
    """The 35/2012 flowchart symbol of a step: capsule (start/end), diamond, rectangle."""
    if step.is_decision:
        return "decision"
    if step.number == spec.first_step.number or (step.next is None and not step.is_decision):
        return "terminator"
    return "process"


@dataclass
class FlowRow:
    step: Step
    shape: str
    executor_index: int
    tasks: list[Task] = field(default_factory=list)

    @property
    def active(self) -> int:
        return sum(1 for t in self.tasks if t.status == Task.Status.ACTIVE)

    @property
    def completed(self) -> int:
        return sum(1 for t in self.tasks if t.status == Task.Status.COMPLETED)

    @property
    def returned(self) -> int:
        return sum(1 for t in self.tasks if t.outcome == Task.Outcome.RETURNED)


@dataclass
class UnitRow:
    case_unit: CaseUnit
    cells: dict[int, Task | None]  # step number -> the latest task of the unit at that step


@dataclass
class CasePage:
    case: Case
    spec: SopDefinition
    flow: list[FlowRow]
    unit_rows: list[UnitRow]
    unit_steps: list[Step]
    tasks: list[Task]
    dispositions: list[Disposition]
    returned_rounds: int


def _current_pass(latest, unit_id: int, unit_steps) -> dict[int, Task | None]:
    """The unit's latest task per step, leaving out a later step's task that belongs to an
    earlier pass (activated before the newest task of an earlier step: the approval of a
    quarter that has been unlocked since). A return stays shown: it is why the earlier step
    runs again."""
    cells: dict[int, Task | None] = {}
    newest = None
    for step in unit_steps:
        task = latest.get((unit_id, step.number))
        if (
            task is not None
            and newest is not None
            and task.activated_at < newest
            and task.outcome != Task.Outcome.RETURNED
        ):
            task = None
        cells[step.number] = task
        if task is not None and (newest is None or task.activated_at > newest):
            newest = task.activated_at
    return cells


def case_page(case: Case, visible_units: set[int] | None, *, now=None) -> CasePage:
    """Everything the case page shows, limited to ``visible_units`` (None: all). Five
    queries: units, tasks, dispositions and the calendar."""
    spec = case.sop_version.spec
    case_units = list(
        CaseUnit.objects.filter(case=case)
        .select_related("unit", "released_by")
        .order_by("unit__order", "unit__name")
    )
    if visible_units is not None:
        case_units = [cu for cu in case_units if cu.unit_id in visible_units]
    tasks = list(
        Task.objects.filter(case=case)
        .select_related("unit", "position", "assignee", "acted_by")
        .order_by("activated_at", "id")
    )
    if visible_units is not None:
        tasks = [t for t in tasks if t.unit_id is None or t.unit_id in visible_units]
    for task in tasks:
        task.case = case
        task.step_def = spec.step(task.step)
    attach_timing(tasks, now=now)
    executors = [e.code for e in spec.executors]
    flow = []
    for step in spec.steps:
        flow.append(
            FlowRow(
                step=step,
                shape=step_shape(spec, step),
                executor_index=executors.index(step.executor),
                tasks=[t for t in tasks if t.step == step.number],
            )
        )
    unit_steps = [s for s in spec.steps if s.scope == "unit"]
    latest: dict[tuple[int, int], Task] = {}
    for task in tasks:
        if task.unit_id is not None:
            latest[(task.unit_id, task.step)] = task  # ordered by activation: last one wins
    unit_rows = [UnitRow(cu, _current_pass(latest, cu.unit_id, unit_steps)) for cu in case_units]
    dispositions = list(
        Disposition.objects.filter(case=case)
        .select_related("from_user", "to_user", "from_position", "to_position", "unit")
        .order_by("created_at", "id")
    )
    if visible_units is not None:
        dispositions = [d for d in dispositions if d.unit_id is None or d.unit_id in visible_units]
    return CasePage(
        case=case,
        spec=spec,
        flow=flow,
        unit_rows=unit_rows,
        unit_steps=unit_steps,
        tasks=tasks,
        dispositions=dispositions,
        returned_rounds=sum(1 for t in tasks if t.outcome == Task.Outcome.RETURNED),
    )


def cases_visible(scope) -> QuerySet[Case]:
    """The cases the user sees (agency-wide: their agencies'; section heads and analysts:
    those with one of their units, a subquery, so no DISTINCT), newest period first. The
    case list page and the API."""
    qs = Case.objects.select_related("agency", "sop_version")
    if not scope.superuser:
        units = set(scope.head_units) | {u for _c, u in scope.assigned}
        seen = CaseUnit.objects.filter(unit_id__in=units).values("case_id")
        qs = qs.filter(Q(agency_id__in=scope.agencies) | Q(pk__in=seen))
    return qs.order_by("-period", "-opened_at", "-id")


def cases_for_scope(scope, *, limit: int = 50) -> list[Case]:
    """The newest cases the user sees (one query), with what the case list shows: not the
    SOP definition."""
    qs = cases_visible(scope).only(
        "period",
        "status",
        "opened_at",
        "agency",
        "sop_version",
        "agency__name",
        "agency__short_name",
        "sop_version__title",
    )
    return list(qs[:limit])


# --------------------------------------------------------------------------------------------
# The dashboard (completeness and timeliness, as DHIS2 shows them)


def submit_and_approve_steps(spec: SopDefinition) -> tuple[int, int] | None:
    """The step where a unit submits its report and the decision that approves it."""
    decision = next((s for s in spec.steps if s.is_decision), None)
    if decision is None:
        return None
    submit = next(
        (s.number for s in spec.steps if s.handler == "performance.report_entry"),
        decision.decision.no,
    )
    return submit, decision.number


@dataclass
class UnitStatus:
    unit_id: int
    unit_name: str
    released: bool = False
    submitted: bool = False
    approved: bool = False
    on_time: bool = False
    submitted_at: dt.datetime | None = None
    due_at: dt.datetime | None = None
    returned: int = 0
    current_step: int | None = None
    current_task_id: int | None = None
    # the unit's tasks finished (or still open) after their due instant, by step
    # (kinerja.workflow.timeliness: on time = submitted and none of them late)
    late: list = field(default_factory=list)
    unit: Unit | None = None


@dataclass
class PeriodSummary:
    period: Period
    case: Case | None
    units: list[UnitStatus]

    @property
    def expected(self) -> int:
        return len(self.units)

    @property
    def submitted(self) -> int:
        return sum(u.submitted for u in self.units)

    @property
    def approved(self) -> int:
        return sum(u.approved for u in self.units)

    @property
    def on_time(self) -> int:
        return sum(u.on_time for u in self.units)

    @property
    def released(self) -> int:
        return sum(u.released for u in self.units)

    def rate(self, value: int) -> float | None:
        return 100 * value / self.expected if self.expected else None

    @property
    def completeness(self) -> float | None:
        return self.rate(self.submitted)

    @property
    def timeliness(self) -> float | None:
        return self.rate(self.on_time)

    @property
    def approval(self) -> float | None:
        return self.rate(self.approved)


@dataclass
class Dashboard:
    periods: list[str]  # every period with a case, newest first
    selected: PeriodSummary | None
    trend: list[PeriodSummary]  # oldest first


def dashboard(
    agency: Agency, period: str | None, unit_ids: set[int] | None, *, trend: int = 8
) -> Dashboard:
    """Completeness and timeliness of ``period`` (the newest when None) and of the ``trend``
    quarters up to it. Three queries however many cases there are."""
    all_cases = list(
        Case.objects.filter(agency=agency).select_related("sop_version").order_by("opened_at")
    )
    for case in all_cases:
        case.agency = agency  # read once by the caller: no query per case
    periods = sorted({c.period for c in all_cases}, key=Period.parse, reverse=True)
    period = chosen_period(periods, period)
    if period is None:
        return Dashboard(periods=[], selected=None, trend=[])
    chosen = Period.parse(period)
    window = [p for p in periods if Period.parse(p) <= chosen and Period.parse(p).is_quarter]
    window = sorted(window[:trend], key=Period.parse)
    if period not in window:
        window.append(period)
    summaries = period_summaries(all_cases, window, unit_ids)
    by_period = {str(s.period): s for s in summaries}
    return Dashboard(
        periods=periods,
        selected=by_period[period],
        trend=[by_period[p] for p in window if Period.parse(p).is_quarter],
    )


def case_periods(agency: Agency) -> list[str]:
    """Every period with a case of ``agency``, newest first (the dashboard's choice). One
    query."""
    codes = Case.objects.filter(agency=agency).order_by().values_list("period", flat=True)
    return sorted(set(codes), key=Period.parse, reverse=True)


def chosen_period(periods: list[str], period: str | None) -> str | None:
    """The dashboard's period: ``period`` when it has a case, else the newest of
    ``periods`` (None without any)."""
    if period in periods:
        return period
    return periods[0] if periods else None


def period_summaries(
    all_cases: list[Case],
    periods: list[str],
    unit_ids: set[int] | None,
    *,
    now: dt.datetime | None = None,
) -> list[PeriodSummary]:
    """Completeness and timeliness of each period in ``periods`` (two queries; two more for
    the agency's calendar when a task is late, to say by how much). A unit is on time when
    it submitted and every task of its steps finished within its standard
    (:mod:`kinerja.workflow.timeliness`)."""
    now = now or timezone.now()
    cases = {
        c.period: c
        for c in all_cases
        if c.period in periods and submit_and_approve_steps(c.sop_version.spec)
    }
    steps = {}
    for case in cases.values():
        found = submit_and_approve_steps(case.sop_version.spec)
        if found:
            steps[case.pk] = found
    case_units = CaseUnit.objects.filter(case_id__in=steps).select_related("unit")
    if unit_ids is not None:
        case_units = case_units.filter(unit_id__in=unit_ids)
    by_case: dict[int, dict[int, UnitStatus]] = defaultdict(dict)
    for cu in case_units.order_by("unit__order", "unit__name"):
        by_case[cu.case_id][cu.unit_id] = UnitStatus(
            unit_id=cu.unit_id,
            unit_name=cu.unit.name,
            released=cu.status == CaseUnit.Status.RELEASED,
            unit=cu.unit,
        )
    tasks = Task.objects.filter(case_id__in=steps, unit__isnull=False).only(
        "id", "case_id", "unit_id", "step", "status", "outcome", "round", "completed_at", "due_at"
    )
    unit_tasks: dict[tuple[int, int], list[Task]] = defaultdict(list)
    if unit_ids is not None:
        tasks = tasks.filter(unit_id__in=unit_ids)
    for task in tasks.order_by("activated_at", "id"):
        status = by_case[task.case_id].get(task.unit_id)
        if status is None:
            continue
        submit, approve = steps[task.case_id]
        unit_tasks[(task.case_id, task.unit_id)].append(task)
        if task.status == Task.Status.ACTIVE:
            status.current_step, status.current_task_id = task.step, task.pk
        if task.step == submit:
            if task.round == 1:
                status.due_at = task.due_at
            if task.status == Task.Status.COMPLETED and not status.submitted:
                status.submitted = True
                status.submitted_at = task.completed_at
        elif task.step == approve and task.status == Task.Status.COMPLETED:
            if task.outcome == Task.Outcome.APPROVED:
                status.approved = True
            elif task.outcome == Task.Outcome.RETURNED:
                status.returned += 1
    calendars: dict[int, WorkCalendar] = {}  # one per agency, read only if a task is late

    def calendar_of(case: Case):
        def read() -> WorkCalendar:
            if case.agency_id not in calendars:
                calendars[case.agency_id] = calendar_for(case.agency)
            return calendars[case.agency_id]

        return read

    for case in cases.values():
        if case.pk not in by_case:
            continue
        for status in by_case[case.pk].values():
            status.late = late_steps(
                unit_tasks[(case.pk, status.unit_id)], calendar=calendar_of(case), now=now
            )
            status.on_time = status.submitted and not status.late
    result = []
    for code in periods:
        case = cases.get(code)
        if case is not None and case.pk not in steps:
            case = None
        units = list(by_case[case.pk].values()) if case is not None else []
        result.append(PeriodSummary(period=Period.parse(code), case=case, units=units))
    return result
