"""Who may open which page of the web app, in one place.

Every view calls one ``access_*`` helper; each returns the object (or raises ``Http404`` when
it lies outside the user's scope, so the page does not reveal that it exists). The rules
come from the user's scope (:func:`request_scope`, built like
:func:`kinerja.workflow.permissions.scope_for`):

* superusers see everything; agency administrators and office officials (Camat, Sekcam,
  Kasubag Perencanaan) see their whole agency;
* a section head (Kasi/Kasubag) sees their own unit(s) of every case;
* an analyst sees the units of the tasks given to them by name, for those cases;
* the doer of a task (holder of its position, Plt/Plh, or named assignee) sees it.

Changes are checked again by the services (the engine refuses a move the actor may not
make); these helpers decide only what is shown.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404, HttpRequest

from kinerja.core.errors import ApplicationError
from kinerja.organization.models import Agency, Unit
from kinerja.organization.permissions import Scope, build_scope
from kinerja.workflow import permissions as workflow_access
from kinerja.workflow.models import Case, Task

from .selectors import request_nav_positions


def _positions_scope(request: HttpRequest) -> Scope:
    """The scope without the tasks given by name (no query beyond the frame's positions)."""
    user = request.user
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    return build_scope(user, request_nav_positions(request))


def request_scope(request: HttpRequest) -> Scope:
    """The signed-in user's scope, computed once per request.

    Built by the one scope builder (:func:`kinerja.organization.permissions.build_scope`,
    as :func:`kinerja.workflow.permissions.scope_for` does) from the positions the page frame
    reads anyway, so it costs one query (the tasks given by name).
    """
    scope = getattr(request, "_kinerja_scope", None)
    if scope is not None:
        return scope
    scope = Scope()
    given: dict[int, tuple[int, str]] = {}
    user = request.user
    if user.is_authenticated and user.is_active:
        rows = list(
            Task.objects.filter(assignee=user, unit__isnull=False).values_list(
                "case_id", "unit_id", "case__agency_id", "case__period"
            )
        )
        given = {case_id: (agency_id, period) for case_id, _u, agency_id, period in rows}
        assigned = frozenset((case_id, unit_id) for case_id, unit_id, _a, _p in rows)
        scope = build_scope(user, request_nav_positions(request), assigned=assigned)
    request._kinerja_scope = scope
    request._kinerja_given_cases = given
    return scope


def _given_cases(request: HttpRequest) -> dict[int, tuple[int, str]]:
    """Case id -> (agency id, period code) of the cases whose unit tasks were given to the
    user by name (read with the scope, no further query)."""
    request_scope(request)
    return request._kinerja_given_cases


def access_case_for_view(request: HttpRequest, case_id: int) -> tuple[Case, set[int] | None]:
    """The case and the units of it the user may see
    (:func:`kinerja.workflow.permissions.access_case_for_view`); 404 when the user sees none
    of it. One query (plus the scope)."""
    try:
        return workflow_access.access_case_for_view(request_scope(request), case_id)
    except ApplicationError:
        raise Http404 from None


def access_unit_files(
    request: HttpRequest, *, unit: Unit, period: str, case_id: int | None = None
) -> None:
    """Files of ``unit`` for ``period`` (evidence of its realisations, report materials of
    ``case_id``): the agency-wide officials and administrators, the unit's head, and the
    analyst given that unit's task in that quarter's case (in ``case_id`` when given).
    Raises ``Http404`` for everybody else: an analyst assigned the unit in another quarter
    sees nothing of this one. Every file view calls this; the rule is
    :func:`kinerja.performance.permissions.may_see_unit_files`."""
    from kinerja.performance.permissions import may_see_unit_files

    scope = request_scope(request)
    given = _given_cases(request)
    if not may_see_unit_files(scope, unit, period, case_id=case_id, given_cases=given):
        raise Http404


def access_task_for_view(request: HttpRequest, task_id: int) -> tuple[Task, bool]:
    """The task and whether the user may act on it
    (:func:`kinerja.workflow.permissions.access_task_for_view`); 404 otherwise. Asked first
    on the positions alone (no further query: the doer, agency-wide officials, section
    heads), then with the tasks given by name."""
    try:
        return workflow_access.access_task_for_view(
            _positions_scope(request),
            request.user,
            task_id,
            wider=lambda: request_scope(request),
        )
    except ApplicationError:
        raise Http404 from None


def dashboard_agencies(request: HttpRequest) -> list[Agency]:
    """Agencies whose dashboard the user may open: the agency-wide ones, plus the agency of
    the units a section head or analyst sees (they see only those units' rows). One query."""
    scope = request_scope(request)
    if scope.superuser:
        return list(Agency.objects.filter(is_active=True))
    unit_ids = set(scope.head_units) | {u for _c, u in scope.assigned}
    return list(
        Agency.objects.filter(
            Q(pk__in=scope.agencies)
            | Q(pk__in=Unit.objects.filter(pk__in=unit_ids).values("agency_id"))
        )
    )


def access_agency_for_dashboard(
    request: HttpRequest, agency_id: int | None
) -> tuple[Agency, set[int] | None]:
    """The agency of the dashboard and the units shown (None: all). 404 outside scope."""
    agencies = dashboard_agencies(request)
    if not agencies:
        raise Http404
    chosen = (
        agencies[0] if agency_id is None else next((a for a in agencies if a.pk == agency_id), None)
    )
    if chosen is None:
        raise Http404
    scope = request_scope(request)
    if scope.sees_agency(chosen.pk):
        return chosen, None
    return chosen, set(scope.head_units) | {u for _c, u in scope.assigned}


def dashboard_scope_for_period(
    request: HttpRequest, agency: Agency, period: str | None
) -> tuple[str | None, set[int] | None, set[str] | None]:
    """The dashboard's period, units and listed periods under the file rule
    (:func:`access_unit_files`): agency-wide users see every period and unit; a section head
    sees their units in every period; an analyst sees a unit only in the quarters whose case
    gave them that unit's task, and only those quarters are listed.

    Returns ``(period, unit ids or None for all, periods listed or None for all)``. No
    query beyond the scope's."""
    scope = request_scope(request)
    if scope.sees_agency(agency.pk):
        return period, None, None
    case_periods = {
        case_id: code
        for case_id, (agency_id, code) in _given_cases(request).items()
        if agency_id == agency.pk
    }
    given: dict[str, set[int]] = {}
    for case_id, unit_id in scope.assigned:
        if case_id in case_periods:
            given.setdefault(case_periods[case_id], set()).add(unit_id)
    heads = set(scope.head_units)
    if heads:
        return period, heads | given.get(period or "", set()), None
    listed = set(given)
    if period not in listed:
        period = max(listed, key=_period_key) if listed else None
    return period, set(given.get(period or "", set())), listed


def given_periods(request: HttpRequest, unit: Unit) -> set[str] | None:
    """The quarters of ``unit`` the user sees under the file rule: None (all) for agency-wide
    users and the unit's head; for an analyst the periods of the cases that gave them the
    unit's task. No query beyond the scope's."""
    scope = request_scope(request)
    if scope.sees_agency(unit.agency_id) or unit.pk in scope.head_units:
        return None
    given = _given_cases(request)
    return {
        given[c][1]
        for c, u in scope.assigned
        if u == unit.pk and c in given and given[c][0] == unit.agency_id
    }


def _period_key(code: str):
    from kinerja.core.periods import Period

    return Period.parse(code)


def managed_agency_ids(request: HttpRequest) -> set[int] | None:
    """Agencies whose master data the user administers; None: all (superuser)."""
    scope = request_scope(request)
    if scope.superuser:
        return None
    return set(scope.admin_agencies)


def access_master_data(request: HttpRequest) -> set[int] | None:
    """Master-data pages are for agency administrators and superusers only (404 for others).
    Returns the agencies they manage (None: all)."""
    agencies = managed_agency_ids(request)
    if agencies is not None and not agencies:
        raise Http404
    return agencies


def access_managed_user(request: HttpRequest, user_id: int):
    """A user whose account the signed-in administrator may manage (see
    :func:`kinerja.organization.permissions.manageable_users`); 404 otherwise."""
    from kinerja.organization.permissions import manageable_users

    agencies = access_master_data(request)
    user = manageable_users(agencies).filter(pk=user_id).first()
    if user is None:
        raise Http404
    return user


def access_agency_for_admin(request: HttpRequest, agency_id: int) -> Agency:
    agencies = access_master_data(request)
    if agencies is not None and agency_id not in agencies:
        raise Http404
    agency = Agency.objects.filter(pk=agency_id).first()
    if agency is None:
        raise Http404
    return agency


def may_release_units(request: HttpRequest, case: Case) -> bool:
    """Whether to offer "go on without a late unit"
    (:func:`kinerja.workflow.permissions.may_release_unit`, which the engine's
    ``case_release_unit`` checks again)."""
    return workflow_access.may_release_unit(request_scope(request), case)


def may_unlock_case_units(request: HttpRequest, case: Case) -> bool:
    """Whether to offer "unlock this unit's quarter" on the case page: administrators of the
    agency and superusers (``performance.permissions.may_unlock``, which the unlock service
    checks again)."""
    from kinerja.performance.permissions import may_unlock

    return may_unlock(request_scope(request), case.agency_id)


def access_indicator_for_view(request: HttpRequest, indicator_id: int):
    """An indicator of an agency whose dashboard the user may open, with the same limit as
    the dashboard: a section head or analyst sees only the indicators of their units. 404
    otherwise. One query (plus the dashboard's agencies)."""
    from kinerja.performance.models import Indicator

    indicator = (
        Indicator.objects.select_related("agency", "owner_unit", "objective")
        .filter(pk=indicator_id)
        .first()
    )
    if indicator is None:
        raise Http404
    _agency, unit_ids = access_agency_for_dashboard(request, indicator.agency_id)
    if unit_ids is not None and indicator.owner_unit_id not in unit_ids:
        raise Http404
    return indicator


def planning_agency_ids(request: HttpRequest) -> set[int] | None:
    """Agencies whose indicators and targets the user maintains
    (:func:`kinerja.performance.permissions.planning_agencies`, the rule the services check);
    None: all (superuser). No query beyond the frame's positions."""
    from kinerja.performance.permissions import planning_agencies

    return planning_agencies(_positions_scope(request))


def access_planning(request: HttpRequest) -> set[int] | None:
    """The indicator and target pages: 404 for users who maintain no agency's plan."""
    agencies = planning_agency_ids(request)
    if agencies is not None and not agencies:
        raise Http404
    return agencies


def access_agency_for_planning(request: HttpRequest, agency_id: int | None) -> Agency:
    """The agency whose targets are shown (the first one the user plans for when None).
    404 outside the user's planning agencies. One query."""
    agencies = access_planning(request)
    qs = Agency.objects.all() if agencies is None else Agency.objects.filter(pk__in=agencies)
    if agency_id is not None:
        qs = qs.filter(pk=agency_id)
    agency = qs.order_by("name").first()
    if agency is None:
        raise Http404
    return agency


def access_planning_or_master(request: HttpRequest) -> set[int] | None:
    """The master-data index: administrators and planners (404 for others). Returns the
    agencies whose plan the user maintains (None: all)."""
    plans = planning_agency_ids(request)
    admin = managed_agency_ids(request)
    if plans is not None and not plans and admin is not None and not admin:
        raise Http404
    return plans
