"""What every endpoint shares: the documented error answers and object serialisation."""

from __future__ import annotations

from ..errors import Error

# The error answers a signed-in call may get (documented on every operation).
READ = {400: Error, 401: Error, 404: Error}
WRITE = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 413: Error, 422: Error}


def user_ref(user) -> dict | None:
    if user is None:
        return None
    return {"id": user.pk, "username": user.username, "name": user.display_name}


def task_out(task) -> dict:
    """A task as the API shows it (``task.step_def`` set by ``attach_steps`` when known)."""
    step_def = getattr(task, "step_def", None)
    unit = task.unit
    return {
        "id": task.pk,
        "case_id": task.case_id,
        "sop_code": task.case.sop_code,
        "agency": task.case.agency.code,
        "period": task.case.period,
        "step": task.step,
        "step_name": step_def.activity if step_def is not None else "",
        "variant": task.variant,
        "unit": {"id": unit.pk, "code": unit.code, "name": unit.name} if unit else None,
        "position": task.position.title,
        "assignee": user_ref(task.assignee),
        "status": task.status,
        "round": task.round,
        "activated_at": task.activated_at,
        "due_at": task.due_at,
        "completed_at": task.completed_at,
        "acted_by": user_ref(task.acted_by) if task.acted_by_id else None,
        "outcome": task.outcome,
        "comment": task.comment,
        "version": task.lock_version,
    }


def scope_of(request):
    """The caller's full scope (positions and tasks given by name), once per request."""
    from kinerja.workflow.permissions import scope_for

    scope = getattr(request, "_api_scope", None)
    if scope is None:
        scope = request._api_scope = scope_for(request.user)
    return scope


def agency_for(request, code: str):
    """The agency ``code`` if the caller is one of its people (or sees it agency-wide, or is
    a superuser); 404 otherwise (``organization.permissions.member_agencies``)."""
    from django.http import Http404

    from kinerja.organization.models import Agency
    from kinerja.organization.permissions import member_agencies

    agency = Agency.objects.filter(code=code).first()
    allowed = member_agencies(scope_of(request))
    if agency is None or (allowed is not None and agency.pk not in allowed):
        raise Http404
    return agency
