"""Who may do what with cases and tasks, in one place: the engine (``services.py``) and the
pages (``web.permissions``) both ask these functions.

* the full scope of a user (:func:`scope_for`): the positions they hold plus the unit tasks
  given to them by name;
* act on a task (:func:`may_act_on_task`): a task given to a named user is that user's
  alone; otherwise the holders of its position (also Plt/Plh);
* go on without a late unit (:func:`may_release_unit`): administrators of the agency and
  holders of the role of the step that waits for every unit
  (:meth:`~kinerja.sop.schema.SopDefinition.join_step`; step 6 of the seed SOP);
* see a case or a task (:func:`access_case_for_view`, :func:`access_task_for_view`).

The ``access_*`` helpers fetch the object for a user and raise :class:`ApplicationError`
(code ``not_found``) when it does not exist or lies outside the user's scope, so a caller
cannot tell the two apart (pages turn it into a 404); refusing a move raises
:class:`PermissionDenied` (:func:`require_may_act_on_task`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils.translation import gettext as _

from kinerja.core.errors import ApplicationError, PermissionDenied
from kinerja.organization.permissions import (
    Scope,
    build_scope,
    held_positions,
    positions_scope,
)

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


def user_may_act_on_task(user, task: Task, *, on: dt.date | None = None) -> bool:
    """:func:`may_act_on_task` on the positions ``user`` holds ``on``. 1 query."""
    return may_act_on_task(positions_scope(user, on=on), user, task)


def require_may_act_on_task(user, task: Task, *, on: dt.date | None = None) -> None:
    """Raise :class:`PermissionDenied` unless ``user`` may act on ``task`` ``on`` that day
    (the engine's check before any move on a task). 1 query."""
    if not user_may_act_on_task(user, task, on=on):
        raise PermissionDenied(
            _(
                "Anda tidak memegang jabatan %(position)s (atau sebagai Plt/Plh-nya), "
                "jadi tidak dapat mengerjakan tugas ini."
            )
            % {"position": task.position}
        )


def may_release_unit(scope: Scope, case: Case) -> bool:
    """May the user go on without a late unit of ``case``? Administrators of the agency and
    holders (in the case's agency) of the role of the join step."""
    if scope.manages_agency(case.agency_id):
        return True
    join = case.sop_version.spec.join_step()
    return join is not None and (case.agency_id, join.executor) in scope.roles


def may_open_case(scope: Scope, agency_id: int) -> bool:
    """May the user open a case of ``agency_id`` by hand (the scheduler opens them on their
    day)? Administrators of the agency (and superusers)."""
    return scope.manages_agency(agency_id)


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


def _not_found() -> ApplicationError:
    return ApplicationError(_("Tidak ditemukan."), code="not_found")


def access_case_for_view(scope: Scope, case_id: int) -> tuple[Case, set[int] | None]:
    """The case and the units of it the user of ``scope`` may see (None: every unit).
    Raises ``not_found`` when the case does not exist or the user sees none of its units.
    One query, two when the scope is limited to some units."""
    case = Case.objects.select_related("agency", "sop_version").filter(pk=case_id).first()
    if case is None:
        raise _not_found()
    units = visible_unit_ids(scope, case)
    if units is not None and not case.case_units.filter(unit_id__in=units).exists():
        raise _not_found()
    return case, units


def access_task_for_view(
    scope: Scope, user, task_id: int, *, wider: Callable[[], Scope] | None = None
) -> tuple[Task, bool]:
    """The task and whether ``user`` may act on it (:func:`may_see_task`,
    :func:`may_act_on_task`). ``wider``: a fuller scope asked only when ``scope`` does not
    show the task (the pages pass the positions first, then lazily the tasks given by name,
    to save a query). Raises ``not_found`` otherwise. One query."""
    task = (
        Task.objects.select_related(
            "case", "case__agency", "case__sop_version", "unit", "position", "assignee", "acted_by"
        )
        .filter(pk=task_id)
        .first()
    )
    if task is None:
        raise _not_found()
    if not may_see_task(scope, user, task):
        if wider is None or not may_see_task(wider(), user, task):
            raise _not_found()
    return task, task.is_open and may_act_on_task(scope, user, task)
