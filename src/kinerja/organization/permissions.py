"""Who may see what, in one place: the user's scope in the organization.

* a superuser sees everything;
* an agency's administrator (``Position.is_admin``) and its office-level officials (Camat,
  Sekcam, Kasubag Perencanaan: roles in ``OFFICE_ROLES``) see the whole agency;
* a section head (role ``kasi``) sees their own unit(s);
* an analyst sees only what was given to them: the units of the tasks assigned to them
  (``Task.assignee``), for those cases.

Every app's ``access_*`` helpers build on :func:`scope_for`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from .models import Position
from .selectors import held_position_ids

OFFICE_ROLES = frozenset({"camat", "sekcam", "kasubag_perencanaan", "admin"})
UNIT_HEAD_ROLES = frozenset({"kasi"})
# Who draws up an agency's plan (PK, Rencana Aksi, budget): see ``performance.permissions``.
PLANNING_ROLES = frozenset({"kasubag_perencanaan"})


@dataclass(frozen=True)
class Scope:
    superuser: bool = False
    position_ids: frozenset[int] = field(default_factory=frozenset)
    admin_agencies: frozenset[int] = field(default_factory=frozenset)
    office_agencies: frozenset[int] = field(default_factory=frozenset)
    head_units: frozenset[int] = field(default_factory=frozenset)
    # agencies where the user holds a planning role (PLANNING_ROLES)
    planner_agencies: frozenset[int] = field(default_factory=frozenset)
    # (case id, unit id) pairs given to this user by name (analysts)
    assigned: frozenset[tuple[int, int]] = field(default_factory=frozenset)

    @property
    def agencies(self) -> frozenset[int]:
        return self.admin_agencies | self.office_agencies

    def sees_agency(self, agency_id: int) -> bool:
        return self.superuser or agency_id in self.agencies

    def manages_agency(self, agency_id: int) -> bool:
        return self.superuser or agency_id in self.admin_agencies

    def sees_unit(self, unit, *, case_id: int | None = None) -> bool:
        """``unit`` is a Unit (its agency id is read from ``unit.agency_id``)."""
        if self.sees_agency(unit.agency_id) or unit.pk in self.head_units:
            return True
        if case_id is None:
            return any(u == unit.pk for _, u in self.assigned)
        return (case_id, unit.pk) in self.assigned

    def edits_unit(self, unit) -> bool:
        """Heads of the unit and agency administrators change a unit's data directly."""
        return self.manages_agency(unit.agency_id) or unit.pk in self.head_units


def scope_for(user, *, on: dt.date | None = None) -> Scope:
    """The user's scope today (or ``on``). Three queries."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    on = on or timezone.localdate()
    held = held_position_ids(user, on=on)
    positions = list(
        Position.objects.filter(pk__in=held).values("agency_id", "unit_id", "role", "is_admin")
    )
    from kinerja.workflow.models import Task

    assigned = frozenset(
        Task.objects.filter(assignee=user, unit__isnull=False).values_list("case_id", "unit_id")
    )
    return Scope(
        superuser=user.is_superuser,
        position_ids=frozenset(held),
        admin_agencies=frozenset(p["agency_id"] for p in positions if p["is_admin"]),
        office_agencies=frozenset(p["agency_id"] for p in positions if p["role"] in OFFICE_ROLES),
        planner_agencies=frozenset(
            p["agency_id"] for p in positions if p["role"] in PLANNING_ROLES
        ),
        head_units=frozenset(
            p["unit_id"] for p in positions if p["role"] in UNIT_HEAD_ROLES and p["unit_id"]
        ),
        assigned=assigned,
    )
