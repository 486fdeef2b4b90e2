"""Writes of the organization: agencies, their units, positions (jabatan) and who holds
them when, acting officials (Plt/Plh: holders of kind ``plt``/``plh``) included.

Each service is keyword-only with the actor first and runs in ONE transaction
(:func:`kinerja.core.records.record_write`): the row is re-read with
``select_for_update()``, the model's validation runs (a holder's dates in order, unique
codes), and an audit event records the values before and after. No side effects.

Who: a superuser, or an administrator (``Position.is_admin``) of the row's agency, both
before and after the change, for every row it refers to (an administrator cannot move a row
to, or point it at, another agency). Only a superuser creates an agency. A holding is given
only to a person the administrator manages (:func:`.permissions.manageable_users`), as the
master-data pages offer. Refused: :class:`~kinerja.core.errors.PermissionDenied`, nothing
written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from kinerja.core.errors import PermissionDenied
from kinerja.core.records import record_write

from .models import Agency, Position, PositionHolder, Unit
from .permissions import Scope, manageable_users, positions_scope

AGENCY_FIELDS = (
    "code",
    "name",
    "short_name",
    "parent_name",
    "address",
    "region_code",
    "timezone",
    "head_title",
    "is_active",
)
UNIT_FIELDS = ("agency", "code", "name", "kind", "reports_performance", "order", "is_active")
POSITION_FIELDS = ("agency", "unit", "code", "title", "role", "reports_to", "is_admin")
HOLDER_FIELDS = ("position", "user", "kind", "start_date", "end_date", "decree")

Values = Mapping[str, Any]


def _refused() -> PermissionDenied:
    return PermissionDenied(
        _("Hanya pengelola data instansi ini yang dapat mengubah data induknya.")
    )


def _manages(scope: Scope, *agency_ids: int | None) -> None:
    for agency_id in agency_ids:
        if agency_id is not None and not scope.manages_agency(agency_id):
            raise _refused()
        if agency_id is None and not scope.superuser:
            raise _refused()


def _fk_agency(obj, name: str) -> int | None:
    """The agency of the row ``obj.<name>`` points at (None when it points nowhere)."""
    target = getattr(obj, name, None)
    return None if target is None else target.agency_id


def agency_create(*, actor, values: Values) -> Agency:
    """Create an agency. Who: a superuser. Audit ``organization.agency_created``."""
    scope = positions_scope(actor)
    if not scope.superuser:
        raise PermissionDenied(_("Hanya superuser yang dapat menambah instansi."))
    return record_write(
        actor=actor,
        model=Agency,
        pk=None,
        values=values,
        fields=AGENCY_FIELDS,
        action="organization.agency",
        agency_of=lambda agency: agency,
    )


def agency_update(*, actor, agency_id: int, values: Values) -> Agency:
    """Change an agency. Who: its administrators, a superuser. Audit
    ``organization.agency_changed``."""
    scope = positions_scope(actor)
    return record_write(
        actor=actor,
        model=Agency,
        pk=agency_id,
        values=values,
        fields=AGENCY_FIELDS,
        action="organization.agency",
        agency_of=lambda agency: agency,
        check=lambda agency: _manages(scope, agency.pk),
    )


def unit_create(*, actor, values: Values) -> Unit:
    """Create a unit of ``values["agency"]``. Audit ``organization.unit_created``."""
    return _unit_write(actor, None, values)


def unit_update(*, actor, unit_id: int, values: Values) -> Unit:
    """Change a unit. Audit ``organization.unit_changed``."""
    return _unit_write(actor, unit_id, values)


def _unit_write(actor, pk: int | None, values: Values) -> Unit:
    scope = positions_scope(actor)
    return record_write(
        actor=actor,
        model=Unit,
        pk=pk,
        values=values,
        fields=UNIT_FIELDS,
        action="organization.unit",
        agency_of=lambda unit: unit.agency,
        check=lambda unit: _manages(scope, unit.agency_id),
    )


def position_create(*, actor, values: Values) -> Position:
    """Create a position of ``values["agency"]`` (its unit and superior, when given, of an
    agency the actor manages too). Audit ``organization.position_created``."""
    return _position_write(actor, None, values)


def position_update(*, actor, position_id: int, values: Values) -> Position:
    """Change a position (its role, its unit, whether it administers the agency...). Audit
    ``organization.position_changed``."""
    return _position_write(actor, position_id, values)


def _position_write(actor, pk: int | None, values: Values) -> Position:
    scope = positions_scope(actor)
    return record_write(
        actor=actor,
        model=Position,
        pk=pk,
        values=values,
        fields=POSITION_FIELDS,
        action="organization.position",
        agency_of=lambda position: position.agency,
        check=lambda position: _manages(
            scope,
            position.agency_id,
            *(
                _fk_agency(position, name)
                for name in ("unit", "reports_to")
                if getattr(position, f"{name}_id") is not None
            ),
        ),
    )


def holder_create(*, actor, values: Values) -> PositionHolder:
    """Give ``values["user"]`` the position ``values["position"]`` from ``start_date``
    (until ``end_date``, when given), definitively or as acting official (``kind`` ``plt`` or
    ``plh``). Audit ``organization.holder_created``."""
    return _holder_write(actor, None, values)


def holder_update(*, actor, holder_id: int, values: Values) -> PositionHolder:
    """Change a holding (e.g. end it: ``end_date``). Audit ``organization.holder_changed``."""
    return _holder_write(actor, holder_id, values)


def _holder_write(actor, pk: int | None, values: Values) -> PositionHolder:
    scope = positions_scope(actor)

    def may_change(holder: PositionHolder) -> None:
        _manages(scope, holder.position.agency_id)

    def may_write(holder: PositionHolder) -> None:
        if holder.position_id is None:
            return  # the model's validation names the missing position
        may_change(holder)
        if scope.superuser or holder.user_id is None:
            return
        if not manageable_users(set(scope.admin_agencies)).filter(pk=holder.user_id).exists():
            raise _refused()

    return record_write(
        actor=actor,
        model=PositionHolder,
        pk=pk,
        values=values,
        fields=HOLDER_FIELDS,
        action="organization.holder",
        agency_of=lambda holder: holder.position.agency,
        check_before=may_change,
        check=may_write,
    )
