"""Who may do what with cases and tasks, in one place: the engine (``services.py``) and the
pages (``web.permissions``) both ask these functions.

* the full scope of a user (:func:`scope_for`): the positions they hold plus the unit tasks
  given to them by name;
* act on a task (:func:`may_act_on_task`): a task given to a named user is that user's
  alone; otherwise the holders of its position (also Plt/Plh);
* go on without a late unit (:func:`may_release_unit`): administrators of the agency and
  holders of the role of the step that waits for every unit (:func:`join_step`; step 6 of
  the seed SOP).
"""

from __future__ import annotations

import datetime as dt

from kinerja.organization.permissions import Scope, build_scope, held_positions
from kinerja.sop.schema import Scope as StepScope

from .models import Case, Task


def assigned_pairs(user) -> frozenset[tuple[int, int]]:
    """(case id, unit id) of the unit tasks given to ``user`` by name. One query."""
    if not getattr(user, "pk", None):
        return frozenset()
    return frozenset(
        Task.objects.filter(assignee=user, unit__isnull=False).values_list("case_id", "unit_id")
    )


def given_cases(user) -> dict[int, tuple[int, str]]:
    """Case id -> (agency id, period code) of the cases whose unit tasks were given to
    ``user`` by name. One query."""
    if not getattr(user, "pk", None):
        return {}
    rows = Task.objects.filter(assignee=user, unit__isnull=False).values_list(
        "case_id", "case__agency_id", "case__period"
    )
    return {case_id: (agency_id, period) for case_id, agency_id, period in rows}


def scope_for(user, *, on: dt.date | None = None) -> Scope:
    """The user's scope today (or ``on``), built by
    :func:`kinerja.organization.permissions.build_scope`. Two queries."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    return build_scope(user, held_positions(user, on=on), assigned=assigned_pairs(user))


def may_act_on_task(scope: Scope, user, task: Task) -> bool:
    """The holder of the task's position (or its Plt/Plh) may act; a task given to a named
    user (``assignee``) is that user's alone. Only the positions part of ``scope`` is read."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if task.assignee_id is not None:
        return task.assignee_id == user.pk
    return task.position_id in scope.position_ids


def join_step(spec):
    """The step that waits for every unit: the first office step after the first unit step
    (step 6 of the seed SOP); None when the SOP has none."""
    first_unit = min((s.number for s in spec.steps if s.scope == StepScope.UNIT), default=0)
    joins = [s for s in spec.steps if s.scope == StepScope.OFFICE and s.number > first_unit]
    return joins[0] if joins else None


def may_release_unit(scope: Scope, case: Case) -> bool:
    """May the user go on without a late unit of ``case``? Administrators of the agency and
    holders (in the case's agency) of the role of the join step."""
    if scope.manages_agency(case.agency_id):
        return True
    join = join_step(case.sop_version.spec)
    return join is not None and (case.agency_id, join.executor) in scope.roles


def visible_unit_ids(scope: Scope, case: Case) -> set[int] | None:
    """Units of ``case`` the user may see; ``None`` means every unit (agency-wide scope).
    The user may see the case when this is None or holds one of the case's units."""
    if scope.sees_agency(case.agency_id):
        return None
    return set(scope.head_units) | {u for c, u in scope.assigned if c == case.pk}


def may_see_task(scope: Scope, user, task: Task) -> bool:
    """Whoever may act on the open task, whoever sees its unit (or, for an office step, the
    whole agency), and whoever acted on it once it is closed."""
    if task.is_open and may_act_on_task(scope, user, task):
        return True
    if scope.sees_agency(task.case.agency_id):
        return True
    if task.unit_id is not None and (
        task.unit_id in scope.head_units or (task.case_id, task.unit_id) in scope.assigned
    ):
        return True
    return not task.is_open and task.acted_by_id == getattr(user, "pk", None)
