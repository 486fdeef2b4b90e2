"""Who may change performance data, in one place (built on organization's :class:`Scope`).

* plan (indicators, PK targets and programmes, Rencana Aksi, budget realisation): agency
  administrators and the Kasubag Perencanaan of the agency (``PLANNING_ROLES``). The Camat
  signs the PK and the Sekcam reviews the reports; they read the plan, they do not enter it
  (docs/architecture.md, "One planner rule"). The targets grid, the budget page, the
  indicator pages, the Excel target import and the services all ask :func:`may_plan`;
* Rencana Aksi (quarter targets) of an indicator: planners and the head of its owner unit;
* realisations, evidence and report materials of a unit for a quarter: the head of the unit
  (also as Plt/Plh), the analyst assigned the unit's step-3 task (``performance.materials``)
  of that quarter's case while that task is open, and agency administrators;
* lock a unit's quarter: office-level officials and administrators (the review step does it);
* unlock: agency administrators only (``Scope.manages_agency``), with a reason.

Nobody changes a unit's realisations while its quarter is locked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from kinerja.core.periods import Period
from kinerja.organization.permissions import Scope

MATERIALS_HANDLER = "performance.materials"


def may_plan(scope: Scope, agency_id: int) -> bool:
    """May the user maintain ``agency_id``'s plan (indicators, PK, Rencana Aksi, budget)?"""
    return scope.manages_agency(agency_id) or agency_id in scope.planner_agencies


def planning_agencies(scope: Scope) -> set[int] | None:
    """The agencies whose plan the user maintains (:func:`may_plan`); None: all (superuser)."""
    if scope.superuser:
        return None
    return set(scope.admin_agencies | scope.planner_agencies)


def may_set_quarter_targets(scope: Scope, unit) -> bool:
    return may_plan(scope, unit.agency_id) or scope.edits_unit(unit)


def may_lock(scope: Scope, agency_id: int) -> bool:
    """The review step (Sekcam) locks a unit's quarter: office-level officials and
    administrators."""
    return scope.manages_agency(agency_id) or agency_id in scope.office_agencies


def may_unlock(scope: Scope, agency_id: int) -> bool:
    return scope.manages_agency(agency_id)


def may_see_unit_files(
    scope: Scope,
    unit,
    period,
    *,
    case_id: int | None = None,
    given_cases: Mapping[int, tuple[int, str]],
) -> bool:
    """May the user see the files of ``unit`` for ``period`` (evidence of its realisations,
    report materials of ``case_id`` when given)? The agency-wide officials and
    administrators, the unit's head, and the analyst given that unit's task in that
    quarter's case (in ``case_id`` when given): an analyst assigned the unit in another
    quarter sees nothing of this one. ``given_cases``: case id -> (agency id, period code)
    of the cases whose unit tasks were given to the user
    (:func:`kinerja.workflow.permissions.given_cases`)."""
    if scope.sees_agency(unit.agency_id) or unit.pk in scope.head_units:
        return True
    cases = {c for c, u in scope.assigned if u == unit.pk}
    if case_id is not None:
        return case_id in cases
    return any(given_cases.get(c) == (unit.agency_id, str(period)) for c in cases)


def analyst_units(actor, *, agency_id: int, period: Period, unit_ids: Iterable[int]) -> set[int]:
    """Units of ``unit_ids`` whose open step-3 (materials) task of ``period``'s case is
    assigned to ``actor``. One query."""
    from kinerja.workflow.models import Task

    if not getattr(actor, "pk", None):
        return set()
    tasks = Task.objects.filter(
        case__agency_id=agency_id,
        case__period=str(period),
        unit_id__in=list(unit_ids),
        assignee=actor,
        status=Task.Status.ACTIVE,
    ).select_related("case__sop_version")
    return {
        t.unit_id
        for t in tasks
        if t.case.sop_version.spec.step(t.step).handler == MATERIALS_HANDLER
    }


def editable_units(scope: Scope, actor, *, agency_id: int, period: Period, units) -> set[int]:
    """Ids of ``units`` whose data for ``period`` ``actor`` may change (locks aside)."""
    units = list(units)
    allowed = {u.pk for u in units if scope.edits_unit(u)}
    rest = [u.pk for u in units if u.pk not in allowed]
    if rest:
        allowed |= analyst_units(actor, agency_id=agency_id, period=period, unit_ids=rest)
    return allowed


def may_edit_unit_data(actor, unit, period: Period, *, scope: Scope | None = None) -> bool:
    """For views: may ``actor`` change ``unit``'s realisations of ``period`` (locks aside)?"""
    from kinerja.workflow.permissions import scope_for

    scope = scope or scope_for(actor)
    return bool(editable_units(scope, actor, agency_id=unit.agency_id, period=period, units=[unit]))
