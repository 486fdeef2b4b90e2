"""Writes of an agency's indicators (the indicator pages of the plan).

Each is keyword-only with the actor first and runs in ONE transaction
(:func:`kinerja.core.records.record_write`): the row locked, the model's validation, an
audit event with the values before and after. Who: planners of the indicator's agency
(:func:`.permissions.may_plan`), before and after the change. The objective and the owner
unit must belong to the indicator's agency. No side effects.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from kinerja.core.errors import ApplicationError, PermissionDenied
from kinerja.core.records import record_write

from . import permissions
from .models import Indicator

INDICATOR_FIELDS = (
    "agency",
    "objective",
    "code",
    "name",
    "unit_of_measure",
    "owner_unit",
    "polarity",
    "negative_formula",
    "rollup",
    "decimals",
    "evidence_required",
    "definition",
    "data_source",
    "order",
    "is_active",
)


def _checker(actor):
    from kinerja.workflow.permissions import scope_for

    scope = scope_for(actor)

    def may_change(ind: Indicator) -> None:
        if ind.agency_id is None:
            return  # the model's validation names the missing agency
        if not permissions.may_plan(scope, ind.agency_id):
            raise PermissionDenied(
                _("Hanya pengelola data dan Kasubag Perencanaan yang dapat mengubah indikator.")
            )

    def may_write(ind: Indicator) -> None:
        may_change(ind)
        problems = []
        if ind.objective_id is not None and ind.objective.plan.agency_id != ind.agency_id:
            problems.append(_("Sasaran ini bukan milik instansi yang dipilih."))
        if ind.owner_unit_id is not None and ind.owner_unit.agency_id != ind.agency_id:
            problems.append(_("Unit ini bukan milik instansi yang dipilih."))
        if problems:
            raise ApplicationError(problems[0], code="other_agency", details=problems[1:])

    return may_change, may_write


def indicator_create(*, actor, values: Mapping[str, Any]) -> Indicator:
    """Create an indicator with ``values`` (model field names; the agency, objective and
    owner unit as rows). Audit ``performance.indicator_created``."""
    return _write(actor, None, values)


def indicator_update(*, actor, indicator_id: int, values: Mapping[str, Any]) -> Indicator:
    """Change an indicator. Audit ``performance.indicator_changed``."""
    return _write(actor, indicator_id, values)


def _write(actor, pk: int | None, values: Mapping[str, Any]) -> Indicator:
    may_change, may_write = _checker(actor)
    return record_write(
        actor=actor,
        model=Indicator,
        pk=pk,
        values=values,
        fields=INDICATOR_FIELDS,
        action="performance.indicator",
        agency_of=lambda ind: ind.agency,
        check_before=may_change,
        check=may_write,
    )
