"""Cases and tasks: the same reads as the case and task pages, the same engine moves.

Who sees what is ``workflow.permissions`` (``visible_unit_ids``, ``may_see_task``,
``may_act_on_task``); the moves are ``workflow.services`` (``case_open``, ``task_complete``,
``case_release_unit``), which check again and refuse with their reason (422), a stale
version (409) or a move the caller may not make on what they see (403). Anything outside the
caller's scope is 404."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema, Status
from pydantic import ConfigDict

from kinerja.core.errors import PermissionDenied
from kinerja.core.periods import Period
from kinerja.notifications.selectors import role_holders
from kinerja.organization.models import Unit
from kinerja.workflow import selectors as workflow_selectors
from kinerja.workflow.models import Case, Task
from kinerja.workflow.permissions import (
    may_act_on_task,
    may_open_case,
    may_release_unit,
    may_see_task,
    visible_unit_ids,
)
from kinerja.workflow.services import case_open, case_release_unit, task_complete

from ..errors import ApiError
from ..pagination import Page, PageQuery, paginate
from ..schemas import Id, Ref, TaskDetail, UserRef
from .common import READ, WRITE, agency_for, scope_of, task_out, user_ref

router = Router(tags=["cases and tasks"])

STATUS = Literal["open", "completed", "cancelled"]


# --------------------------------------------------------------------------------------------
# Schemas


class TimingOut(Schema):
    standard_minutes: int = Field(..., description="the time standard, in working minutes")
    left_minutes: int | None = Field(None, description="open tasks: negative when overdue")
    taken_minutes: int | None = Field(None, description="closed tasks: working time taken")
    on_time: bool | None = None
    level: str = Field(..., description="ok, soon, overdue, done or late")


class CaseTaskOut(Schema):
    id: int
    step: int
    step_name: str
    variant: str
    unit: Ref | None = None
    position: str
    assignee: UserRef | None = None
    status: str
    round: int
    activated_at: dt.datetime
    due_at: dt.datetime
    completed_at: dt.datetime | None = None
    acted_by: UserRef | None = None
    outcome: str
    comment: str
    version: int
    timing: TimingOut


class CaseUnitOut(Schema):
    unit: Ref
    status: str = Field(..., description="active or released")
    released_at: dt.datetime | None = None
    release_reason: str = ""
    current_step: int | None = Field(None, description="the step of its open task")


class DispositionOut(Schema):
    id: int
    task_id: int | None = None
    unit: str | None = None
    from_user: UserRef | None = None
    from_position: str | None = None
    to_position: str | None = None
    to_user: UserRef | None = None
    instruction: str
    created_at: dt.datetime
    read_at: dt.datetime | None = None


class CaseOut(Schema):
    id: int
    sop_code: str
    sop_version: int
    agency: str
    period: str
    status: str
    opened_at: dt.datetime
    completed_at: dt.datetime | None = None


class CaseDetail(CaseOut):
    units: list[CaseUnitOut]
    tasks: list[CaseTaskOut]
    dispositions: list[DispositionOut]
    returned_rounds: int = Field(..., description="how many times a report was sent back")
    may_release: bool = Field(..., description="the caller may go on without a late unit")


class CaseFilter(PageQuery):
    agency: str | None = Field(None, max_length=40)
    unit: str | None = Field(None, max_length=40)
    period: str | None = Field(None, max_length=10)
    status: STATUS | None = None


class CaseOpen(Schema):
    sop: str = Field(..., max_length=80, description="SOP code")
    agency: str = Field(..., max_length=40, description="agency code")
    period: str = Field(..., max_length=10, description="e.g. 2026-Q3")


class StepData(Schema):
    """What a step's handler reads (``workflow/step_handlers.py``,
    ``performance/step_handlers.py``); other keys are kept on the task."""

    model_config = ConfigDict(extra="allow")

    instruction: str | None = Field(None, max_length=2000, description="steps 1-2: disposition")
    instructions: dict[str, str] | None = Field(
        None, description="step 1: per unit id, overrides instruction"
    )
    no_materials_reason: str | None = Field(
        None, max_length=2000, description="step 3: why there are no materials"
    )


class TaskCompletion(Schema):
    outcome: Literal["done", "approved", "returned"] = "done"
    comment: str = Field("", max_length=5000, description="required when returning")
    expected_version: int | None = Field(
        None, ge=0, le=2**31, description="the task's version as read (else If-Match)"
    )
    assignee: Id | None = Field(None, description="user id, where this step chooses the next doer")
    data: StepData = Field(default_factory=StepData)


class UnitRelease(Schema):
    unit: str = Field("", max_length=40, description="unit code (one taking part in the case)")
    reason: str = Field("", max_length=2000, description="required")


# --------------------------------------------------------------------------------------------
# Helpers


def _timing(task) -> dict:
    t = task.timing
    return {
        "standard_minutes": t.standard_minutes,
        "left_minutes": t.left_minutes,
        "taken_minutes": t.taken_minutes,
        "on_time": t.on_time,
        "level": t.level,
    }


def _ref(unit) -> dict | None:
    return {"id": unit.pk, "code": unit.code, "name": unit.name} if unit is not None else None


def _case_out(case: Case) -> dict:
    return {
        "id": case.pk,
        "sop_code": case.sop_code,
        "sop_version": case.sop_version.version,
        "agency": case.agency.code,
        "period": case.period,
        "status": case.status,
        "opened_at": case.opened_at,
        "completed_at": case.completed_at,
    }


def _access_case(request: HttpRequest, case_id: int) -> tuple[Case, set[int] | None]:
    """The case and the units of it the caller sees; 404 when they see none of it (the rule
    of the case page: ``workflow.permissions.visible_unit_ids``)."""
    case = Case.objects.select_related("agency", "sop_version").filter(pk=case_id).first()
    if case is None:
        raise Http404
    units = visible_unit_ids(scope_of(request), case)
    if units is not None and not case.case_units.filter(unit_id__in=units).exists():
        raise Http404
    return case, units


def _access_task(request: HttpRequest, task_id: int) -> tuple[Task, bool]:
    """The task and whether the caller may act on it; 404 when they may not see it (the
    rule of the task page: ``workflow.permissions.may_see_task``)."""
    task = (
        Task.objects.select_related(
            "case", "case__agency", "case__sop_version", "unit", "position", "assignee", "acted_by"
        )
        .filter(pk=task_id)
        .first()
    )
    scope = scope_of(request)
    if task is None or not may_see_task(scope, request.user, task):
        raise Http404
    return task, task.is_open and may_act_on_task(scope, request.user, task)


def _task_detail(task: Task, may_act: bool) -> dict:
    spec = task.case.sop_version.spec
    step = spec.step(task.step)
    task.step_def = step
    chosen = [s for s in spec.steps if s.assignee_chosen_by == task.step]
    candidates = []
    if chosen and may_act:
        candidates = [
            user_ref(u)
            for u in role_holders(task.case.agency, [chosen[0].executor], on=timezone.localdate())
        ]
    return {
        **task_out(task),
        "data": task.data,
        "may_act": may_act,
        "outcomes": ["approved", "returned"] if step.is_decision else ["done"],
        "choose_assignee": candidates,
    }


def _if_match(value: str | None) -> int | None:
    """``If-Match: "3"`` (the task's version, as its ETag) -> 3."""
    if value is None:
        return None
    text = value.strip().removeprefix("W/").strip('"')
    if not text.isascii() or not text.isdigit() or len(text) > 10:
        raise ApiError(
            400,
            "validation",
            _("Masukan tidak sah; lihat rinciannya per kolom."),
            {"If-Match": _('Harus versi tugas, misalnya "3".')},
        )
    return int(text)


# --------------------------------------------------------------------------------------------
# Cases


@router.get("/cases", response={200: Page[CaseOut], **READ}, url_name="case_list")
def case_list(request: HttpRequest, query: Query[CaseFilter]):
    """The cases the caller sees (agency-wide officials: their agencies'; section heads and
    analysts: those of their units), newest period first. Filters: ``agency``, ``unit``
    (codes), ``period``, ``status``."""
    rows = workflow_selectors.cases_visible(scope_of(request))
    if query.agency:
        rows = rows.filter(agency__code=query.agency)
    if query.unit:
        rows = rows.filter(case_units__unit__code=query.unit).distinct()
    if query.period:
        rows = rows.filter(period=query.period)
    if query.status:
        rows = rows.filter(status=query.status)
    return paginate(request, rows, query, lambda page: [_case_out(c) for c in page])


@router.post("/cases", response={201: CaseOut, 200: CaseOut, **WRITE}, url_name="case_open")
def case_open_endpoint(request: HttpRequest, body: CaseOpen):
    """Open the case of an SOP for an agency and period (administrators of the agency;
    otherwise the scheduler opens it on its day). An existing case is answered 200."""
    agency = agency_for(request, body.agency)
    if not may_open_case(scope_of(request), agency.pk):
        raise PermissionDenied(_("Hanya administrator instansi yang dapat membuka kasus."))
    try:
        period = Period.parse(body.period)
    except ValueError:
        raise ApiError(
            400,
            "validation",
            _("Masukan tidak sah; lihat rinciannya per kolom."),
            {"period": _("Periode tidak sah (contoh: 2026-Q3).")},
        ) from None
    case, created = case_open(sop_code=body.sop, agency=agency, period=period, actor=request.user)
    case = Case.objects.select_related("agency", "sop_version").get(pk=case.pk)
    return Status(201 if created else 200, _case_out(case))


@router.get("/cases/{case_id}", response={200: CaseDetail, **READ}, url_name="case_show")
def case_show(request: HttpRequest, case_id: Id):
    """One case as its page shows it (limited to the units the caller sees): its units, every
    task of every round with its timing against the standard (working time), the
    dispositions, how many reports were returned."""
    case, units = _access_case(request, case_id)
    page = workflow_selectors.case_page(case, units)
    current = {}
    for task in page.tasks:
        if task.unit_id is not None and task.status == Task.Status.ACTIVE:
            current[task.unit_id] = task.step
    return {
        **_case_out(case),
        "units": [
            {
                "unit": _ref(row.case_unit.unit),
                "status": row.case_unit.status,
                "released_at": row.case_unit.released_at,
                "release_reason": row.case_unit.release_reason,
                "current_step": current.get(row.case_unit.unit_id),
            }
            for row in page.unit_rows
        ],
        "tasks": [
            {
                **{k: v for k, v in task_out(t).items() if k in CaseTaskOut.model_fields},
                "timing": _timing(t),
            }
            for t in page.tasks
        ],
        "dispositions": [
            {
                "id": d.pk,
                "task_id": d.task_id,
                "unit": d.unit.code if d.unit_id else None,
                "from_user": user_ref(d.from_user) if d.from_user_id else None,
                "from_position": d.from_position.title if d.from_position_id else None,
                "to_position": d.to_position.title if d.to_position_id else None,
                "to_user": user_ref(d.to_user) if d.to_user_id else None,
                "instruction": d.instruction,
                "created_at": d.created_at,
                "read_at": d.read_at,
            }
            for d in page.dispositions
        ],
        "returned_rounds": page.returned_rounds,
        "may_release": case.status == Case.Status.OPEN
        and may_release_unit(scope_of(request), case),
    }


@router.post(
    "/cases/{case_id}/release-unit", response={200: CaseDetail, **WRITE}, url_name="case_release"
)
def case_release(request: HttpRequest, case_id: Id, body: UnitRelease):
    """Go on without a late unit (reason required): administrators of the agency and the
    holders of the step that waits for every unit. Answers the case."""
    case, units = _access_case(request, case_id)
    unit = Unit.objects.filter(
        agency_id=case.agency_id, code=body.unit, pk__in=case.case_units.values("unit_id")
    ).first()
    if unit is None or (units is not None and unit.pk not in units):
        raise ApiError(
            400,
            "validation",
            _("Masukan tidak sah; lihat rinciannya per kolom."),
            {"unit": _("Bukan unit yang ikut dalam kasus ini.")},
        )
    case_release_unit(actor=request.user, case_id=case.pk, unit_id=unit.pk, reason=body.reason)
    return case_show(request, case.pk)


# --------------------------------------------------------------------------------------------
# Tasks


@router.get("/tasks/{task_id}", response={200: TaskDetail, **READ}, url_name="task_show")
def task_show(request: HttpRequest, task_id: Id, response: HttpResponse):
    """One task: its step, state, data, version (also the ``ETag``, for ``If-Match``),
    whether the caller may act on it, the outcomes it takes, and whom it may give the next
    step to."""
    task, may_act = _access_task(request, task_id)
    response["ETag"] = f'"{task.lock_version}"'
    return _task_detail(task, may_act)


@router.post(
    "/tasks/{task_id}/complete", response={200: TaskDetail, **WRITE}, url_name="task_complete"
)
def task_complete_endpoint(
    request: HttpRequest,
    task_id: Id,
    body: TaskCompletion,
    if_match: str | None = Header(None, alias="If-Match", max_length=40),
):
    """Complete a task (the engine's ``task_complete``): ``outcome`` (``done``; a decision:
    ``approved`` or ``returned`` with a ``comment``), the ``assignee`` where this step
    chooses the next doer, the step's ``data``. Send the version read (``expected_version``
    or ``If-Match``): a stale one is 409. A retry of the same move answers the task
    unchanged."""
    task, _may_act = _access_task(request, task_id)
    expected = body.expected_version
    if expected is None:
        expected = _if_match(if_match)
    assignee = None
    if body.assignee is not None:
        assignee = get_user_model().objects.filter(pk=body.assignee, is_active=True).first()
        if assignee is None:
            raise ApiError(
                400,
                "validation",
                _("Masukan tidak sah; lihat rinciannya per kolom."),
                {"assignee": _("Pengguna tidak ditemukan.")},
            )
    data: dict[str, Any] = body.data.model_dump(exclude_none=True)
    task_complete(
        actor=request.user,
        task_id=task.pk,
        outcome=body.outcome,
        comment=body.comment,
        data=data,
        assignee=assignee,
        expected_version=expected,
    )
    task, may_act = _access_task(request, task.pk)
    return _task_detail(task, may_act)
