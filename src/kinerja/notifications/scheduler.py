"""The scheduler: :func:`tick` does everything that is due, once. Rules: docs/scheduler.md.

``kinerja tick`` (cron, every minute), ``kinerja worker`` (every minute, with the background
worker) and ``kinerja demo`` (the same loop in a thread) all call :func:`tick`. Running it
twice, late, or in two processes at the same time is safe:

* cases: :func:`kinerja.workflow.services.case_open` is idempotent, and the unique constraint
  (SOP, agency, period) decides between two processes;
* task alerts: the task row is locked with ``SELECT ... FOR UPDATE SKIP LOCKED`` (another tick
  busy with the task is skipped, it will be seen on the next tick), then a
  :class:`~.models.TaskAlert` row is inserted; its unique constraint (task, kind) makes the
  second insert fail, and the notices are written in the same transaction as the alert;
* e-mail retries: a compare-and-set update of ``next_attempt_at`` lets one tick enqueue.

Rules
-----
**Cases.** For every active :class:`~kinerja.sop.models.AgencySop` whose SOP has a
``schedule``: the scheduled instant is ``day`` (the agency's ``schedule_day`` or the SOP's,
default 10) of each of ``months`` (the agency's ``schedule_months`` or the SOP's, default
1,4,7,10) at the schedule's ``time`` (07:30) in the agency's zone. The most recent scheduled
instant at or before now opens the case of its period (``previous_quarter``: the quarter
before the scheduled date) if it is no older than :data:`OPEN_WINDOW` (31 days), so a new
installation does not open years of history. A weekend or holiday does not move the opening;
the first task's due instant follows the working calendar.

**Task deadlines** (per active task, working time of the agency's calendar, ``total`` = the
working minutes between ``activated_at`` and ``due_at``):

* ``reminder_50`` at ``add(activated_at, ceil(total x 0.5) minutes)``, ``reminder_90`` at
  ``add(activated_at, ceil(total x 0.9) minutes)``, to the doers; a reminder is sent only
  while it is the current stage (a tick that first sees the task after the next stage began
  skips it: no 50% reminder after the 90% one, no reminder after the deadline);
* ``overdue`` at ``due_at``, to the doers;
* ``escalation`` at ``add(due_at, min(time standard, 1 working day))`` if the task is still
  open, to the holders of ``position.reports_to`` (the Sekcam for the Kasi, analysts and
  Kasubag; the Camat for the Sekcam's own tasks), quoting the SOP's warning.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import math

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from kinerja.core.errors import ApplicationError
from kinerja.core.outbox import deliver_pending
from kinerja.core.periods import Period
from kinerja.sop.models import AgencySop, SopVersion
from kinerja.sop.schema import Duration, Schedule, TimeUnit
from kinerja.workcalendar.calendar import WorkCalendar
from kinerja.workcalendar.selectors import agency_timezone, calendar_for, calendars_for
from kinerja.workflow.models import Case, Task
from kinerja.workflow.services import case_open

from . import messages
from .models import Notification, TaskAlert
from .selectors import superiors_for, task_doers
from .services import (
    MAX_EMAIL_ATTEMPTS,
    PENDING_GRACE,
    enqueue_email,
    notification_create,
    task_link,
)

logger = logging.getLogger(__name__)

#: A scheduled opening older than this is history, not due work (see module docstring).
OPEN_WINDOW = dt.timedelta(days=31)
#: Escalation waits one more time standard after the deadline, at most this long.
ESCALATION_CAP = Duration(amount=1, unit=TimeUnit.DAY)

STAGES = [
    TaskAlert.Kind.REMINDER_50,
    TaskAlert.Kind.REMINDER_90,
    TaskAlert.Kind.OVERDUE,
    TaskAlert.Kind.ESCALATION,
]


@dataclasses.dataclass
class TickReport:
    """What one tick did (``kinerja tick`` prints it)."""

    now: dt.datetime
    cases_opened: list[str] = dataclasses.field(default_factory=list)
    alerts: dict[str, int] = dataclasses.field(default_factory=dict)
    notifications: int = 0
    emails_retried: int = 0
    outbox_delivered: int = 0
    errors: list[str] = dataclasses.field(default_factory=list)

    def summary(self) -> str:
        alerts = ", ".join(f"{k}={v}" for k, v in sorted(self.alerts.items())) or "0"
        text = (
            f"{self.now.isoformat()} cases_opened={len(self.cases_opened)} alerts[{alerts}] "
            f"notifications={self.notifications} emails_retried={self.emails_retried}"
        )
        if self.outbox_delivered:
            text += f" outbox_delivered={self.outbox_delivered}"
        if self.cases_opened:
            text += " (" + ", ".join(self.cases_opened) + ")"
        if self.errors:
            text += f" errors={len(self.errors)}"
        return text


# --------------------------------------------------------------------------------------------
# Cases


def _schedule_for(agency_sop: AgencySop, schedule: Schedule) -> tuple[int, list[int]]:
    day = agency_sop.schedule_day or schedule.day
    months = schedule.months
    if agency_sop.schedule_months.strip():
        parsed = sorted(
            {int(m) for m in agency_sop.schedule_months.replace(";", ",").split(",") if m.strip()}
        )
        months = [m for m in parsed if 1 <= m <= 12] or months
    return min(max(day, 1), 28), months


def latest_opening(
    agency_sop: AgencySop, schedule: Schedule, now: dt.datetime
) -> tuple[dt.datetime, Period]:
    """The most recent scheduled opening of ``agency_sop`` at or before ``now`` and the period
    it opens (the rule of :func:`open_due_cases`, without its window; the demo plays its
    quarters with it). ``ApplicationError`` for an agency with an unknown time zone."""
    day, months = _schedule_for(agency_sop, schedule)
    tz = agency_timezone(agency_sop.agency)
    opening = latest_scheduled_instant(now, day=day, months=months, at=schedule.time, tz=tz)
    return opening, period_for(opening, schedule)


def latest_scheduled_instant(
    now: dt.datetime, *, day: int, months: list[int], at: dt.time, tz: dt.tzinfo
) -> dt.datetime:
    """The most recent scheduled opening at or before ``now`` (in ``tz``)."""
    local = timezone.localtime(now, tz)
    for year in (local.year, local.year - 1):
        for month in sorted(months, reverse=True):
            instant = dt.datetime.combine(dt.date(year, month, day), at, tzinfo=tz)
            if instant <= local:
                return instant
    raise AssertionError("unreachable: some month of last year is always before now")


def period_for(opening: dt.datetime, schedule: Schedule) -> Period:
    """The period a case opened at ``opening`` reports on (the schedule's ``period``)."""
    if schedule.period in ("previous_year", "current_year"):
        year = opening.year - (1 if schedule.period == "previous_year" else 0)
        return Period(year)
    current = Period.quarter_of(opening.date())
    return current.previous() if schedule.period == "previous_quarter" else current


def open_due_cases(now: dt.datetime, report: TickReport) -> None:
    """Open every case whose scheduled day has come (idempotent; see module rules).

    Three queries whatever the number of agencies when nothing is due: the active
    assignments with their agencies, the SOPs' newest versions, and one query for which of
    the due (SOP, agency, period) cases exist already; only the missing ones go through
    :func:`~kinerja.workflow.services.case_open` (which stays idempotent for a race).
    """
    agency_sops = list(
        AgencySop.objects.filter(is_active=True, agency__is_active=True).select_related("agency")
    )
    specs: dict[str, SopVersion | None] = {}
    for code in sorted({agency_sop.sop_code for agency_sop in agency_sops}):
        specs[code] = SopVersion.objects.filter(code=code).order_by("-version").first()
    due: list[tuple[AgencySop, Period]] = []
    for agency_sop in agency_sops:
        version = specs[agency_sop.sop_code]
        if version is None or version.spec.schedule is None:
            continue
        schedule = version.spec.schedule
        day, months = _schedule_for(agency_sop, schedule)
        try:
            tz = agency_timezone(agency_sop.agency)
        except ApplicationError as exc:
            report.errors.append(f"{agency_sop}: {exc}")
            logger.warning("Could not open the case of %s: %s", agency_sop, exc)
            continue
        opening = latest_scheduled_instant(now, day=day, months=months, at=schedule.time, tz=tz)
        if now - opening > OPEN_WINDOW:
            continue
        due.append((agency_sop, period_for(opening, schedule)))
    if not due:
        return
    existing = set(
        Case.objects.filter(
            sop_code__in={agency_sop.sop_code for agency_sop, _period in due},
            agency_id__in={agency_sop.agency_id for agency_sop, _period in due},
            period__in={str(period) for _agency_sop, period in due},
        ).values_list("sop_code", "agency_id", "period")
    )
    for agency_sop, period in due:
        code = agency_sop.sop_code
        if (code, agency_sop.agency_id, str(period)) in existing:
            continue
        try:
            case, created = case_open(
                sop_code=code, agency=agency_sop.agency, period=period, now=now
            )
        except ApplicationError as exc:
            report.errors.append(f"{agency_sop}: {exc}")
            logger.warning("Could not open the case of %s: %s", agency_sop, exc)
            continue
        if created:
            report.cases_opened.append(f"{agency_sop.agency.code}/{code}/{period}")


# --------------------------------------------------------------------------------------------
# Task deadlines


def stage_instants(task: Task, calendar: WorkCalendar) -> dict[str, dt.datetime]:
    """When each alert of ``task`` is due (the rules of the module docstring)."""
    total = calendar.working_minutes(task.activated_at, task.due_at)
    instants: dict[str, dt.datetime] = {}
    for kind, share in ((TaskAlert.Kind.REMINDER_50, 0.5), (TaskAlert.Kind.REMINDER_90, 0.9)):
        minutes = math.ceil(total * share)
        instants[kind] = (
            calendar.add(task.activated_at, Duration(amount=minutes, unit=TimeUnit.MINUTE))
            if minutes > 0
            else task.activated_at
        )
    instants[TaskAlert.Kind.OVERDUE] = task.due_at
    standard = Duration(amount=task.standard_amount, unit=TimeUnit(task.standard_unit))
    one_day = calendar.add(task.due_at, ESCALATION_CAP)
    one_standard = calendar.add(task.due_at, standard)
    instants[TaskAlert.Kind.ESCALATION] = min(one_day, one_standard)
    return instants


def _due_stages(instants: dict[str, dt.datetime], now: dt.datetime) -> list[str]:
    due = []
    for index, kind in enumerate(STAGES):
        if now < instants[kind]:
            continue
        if kind in (TaskAlert.Kind.REMINDER_50, TaskAlert.Kind.REMINDER_90):
            following = instants[STAGES[index + 1]]
            if now >= following:
                continue  # superseded by the next stage: not worth a reminder any more
        due.append(kind)
    return due


def _notify_stage(task: Task, kind: str, now: dt.datetime, link: str) -> int:
    on = timezone.localdate(now, agency_timezone(task.case.agency))
    made = 0
    if kind == TaskAlert.Kind.ESCALATION:
        doers = ", ".join(str(u) for u in task_doers(task, on=on))
        warning = " ".join(task.case.sop_version.spec.warnings)
        for user in superiors_for(task, on=on):
            made += bool(
                notification_create(
                    recipient=user,
                    kind=kind,
                    dedupe_key=f"task:{task.pk}",
                    render=lambda: messages.escalation(task, doers, warning),
                    task=task,
                    link=link,
                    now=now,
                )
            )
        return made
    if kind == TaskAlert.Kind.OVERDUE:

        def render():
            return messages.overdue(task)
    else:
        percent = 50 if kind == TaskAlert.Kind.REMINDER_50 else 90

        def render():
            return messages.reminder(task, percent)

    for user in task_doers(task, on=on):
        made += bool(
            notification_create(
                recipient=user,
                kind=kind,
                dedupe_key=f"task:{task.pk}",
                render=render,
                task=task,
                link=link,
                now=now,
            )
        )
    return made


def alert_task(task_id: int, kind: str, at: dt.datetime, now: dt.datetime) -> int | None:
    """Record alert ``kind`` of a task and notify, exactly once.

    Locks the task row (``SKIP LOCKED``: if another tick holds it, do nothing now) and checks
    it is still active, then inserts the :class:`TaskAlert`; a duplicate means another process
    did it. Returns the number of notices made, or None when nothing was recorded.

    The link is made before the lock: the first ``reverse`` of a fresh process imports the
    URLconf (every app's views), which must not happen while holding a row lock (on SQLite,
    the database's write lock, which other ticks wait for).
    """
    link = task_link(Task(pk=task_id))
    with transaction.atomic():
        task = (
            Task.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related(
                "case",
                "case__agency",
                "case__sop_version",
                "unit",
                "position",
                "position__reports_to",
                "assignee",
            )
            .filter(pk=task_id, status=Task.Status.ACTIVE)
            .first()
        )
        if task is None:
            return None
        try:
            with transaction.atomic():
                TaskAlert.objects.create(task=task, kind=kind, at=at, created_at=now)
        except IntegrityError:
            return None
        return _notify_stage(task, kind, now, link)


def process_task_alerts(now: dt.datetime, report: TickReport) -> None:
    """Reminders, overdue marks and escalations of every active task that are due now.

    One query for the tasks (with their recorded alerts), two for every agency's calendar
    (:func:`~kinerja.workcalendar.selectors.calendars_for`, once per run), then the
    instants are computed in memory; only a task with a stage due goes to :func:`alert_task`.
    """
    tasks = list(
        Task.objects.filter(status=Task.Status.ACTIVE, activated_at__lte=now)
        .exclude(alerts__kind=TaskAlert.Kind.ESCALATION)
        .select_related("case__agency")
        .prefetch_related("alerts")
    )
    if not tasks:
        return
    calendars = calendars_for({task.case.agency for task in tasks})
    refused: set[int] = set()
    for task in tasks:
        agency = task.case.agency
        calendar = calendars.get(agency.pk)
        if calendar is None:
            if agency.pk not in refused:
                refused.add(agency.pk)
                try:
                    calendars[agency.pk] = calendar = calendar_for(agency)
                except ApplicationError as exc:
                    report.errors.append(f"{agency}: {exc}")
                    logger.warning("No calendar for %s: %s", agency, exc)
            if calendar is None:
                continue
        done = {alert.kind for alert in task.alerts.all()}
        if now < task.due_at and TaskAlert.Kind.REMINDER_90 in done:
            continue  # nothing more before the deadline: no calendar arithmetic
        instants = stage_instants(task, calendar)
        for kind in _due_stages(instants, now):
            if kind in done:
                continue
            made = alert_task(task.pk, kind, instants[kind], now)
            if made is not None:
                report.alerts[kind] = report.alerts.get(kind, 0) + 1
                report.notifications += made


# --------------------------------------------------------------------------------------------
# E-mail retries


def retry_emails(now: dt.datetime, report: TickReport) -> None:
    """Enqueue again the mails that failed (after their backoff) or whose task was lost."""
    candidates = Notification.objects.filter(
        Q(email_status=Notification.EmailStatus.FAILED)
        | Q(email_status=Notification.EmailStatus.PENDING),
        email_attempts__lt=MAX_EMAIL_ATTEMPTS,
        next_attempt_at__lte=now,
    ).values_list("pk", "next_attempt_at")[:200]
    for pk, next_attempt_at in list(candidates):
        # Compare-and-set: of two ticks, one wins and enqueues; the other moves on.
        won = Notification.objects.filter(pk=pk, next_attempt_at=next_attempt_at).update(
            next_attempt_at=now + PENDING_GRACE
        )
        if won:
            transaction.on_commit(lambda pk=pk: enqueue_email(pk))
            report.emails_retried += 1


# --------------------------------------------------------------------------------------------
# Entry points


def deliver_outbox(now: dt.datetime, report: TickReport) -> None:
    """Deliver the events a process committed but did not deliver (it died, or a receiver
    failed): :func:`kinerja.core.outbox.deliver_pending`. First, so a task's 'new task'
    notice comes before its reminders."""
    report.outbox_delivered += deliver_pending()


def tick(now: dt.datetime | None = None) -> TickReport:
    """Do everything that is due at ``now`` (default: the current time), once.

    Who: ``kinerja tick``, the loop of ``kinerja worker`` and ``kinerja demo``, tests. Safe to
    call every minute, late, or from several processes at once (see the module docstring for
    the locks and constraints). Each part runs on its own so a failure in one (logged and
    reported) does not stop the others.
    """
    now = now or timezone.now()
    if timezone.is_naive(now):
        raise ValueError("tick() needs an aware datetime")
    report = TickReport(now=now)
    for part in (deliver_outbox, open_due_cases, process_task_alerts, retry_emails):
        try:
            part(now, report)
        except Exception as exc:
            logger.exception("Scheduler part %s failed", part.__name__)
            report.errors.append(f"{part.__name__}: {type(exc).__name__}: {exc}")
    return report
