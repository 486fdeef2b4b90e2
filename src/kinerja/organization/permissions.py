"""Who may see what, in one place: the user's scope in the organization.

* a superuser sees everything;
* an agency's administrator (``Position.is_admin``) and its office-level officials (Camat,
  Sekcam, Kasubag Perencanaan: roles in ``OFFICE_ROLES``) see the whole agency;
* a section head (role ``kasi``) sees their own unit(s);
* an analyst sees only what was given to them: the units of the tasks assigned to them
  (``Task.assignee``), for those cases.

The scope is built in one place, :func:`build_scope`; the full scope of a user (with the
tasks given by name) is :func:`kinerja.workflow.permissions.scope_for`, and pages use
``web.permissions.request_scope`` (the same builder, cached per request). This module imports
nothing above ``organization``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import PositionHolder

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
    # (agency id, role) of every position held (the SOP executor roles the user plays)
    roles: frozenset[tuple[int, str]] = field(default_factory=frozenset)
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


# The fields of a held position that a scope is built from (a ``PositionHolder`` values row;
# the page frame reads the same fields, so pages build their scope without a further query).
POSITION_FIELDS = (
    "position_id",
    "position__agency_id",
    "position__unit_id",
    "position__role",
    "position__is_admin",
)


def held_positions(user, *, on: dt.date | None = None) -> list[dict]:
    """The positions ``user`` holds on ``on`` (definitively or as Plt/Plh), as
    ``POSITION_FIELDS`` rows. One query."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        PositionHolder.objects.current(on or timezone.localdate())
        .filter(user=user)
        .values(*POSITION_FIELDS)
    )


def member_agencies(scope: Scope) -> frozenset[int] | None:
    """Agencies whose organisation (units, positions, holders), calendar and cases the user
    reads as one of its people: those where they hold a position, plus those they see
    agency-wide. None: every agency (superusers)."""
    if scope.superuser:
        return None
    return scope.agencies | frozenset(agency_id for agency_id, _role in scope.roles)


def build_scope(user, positions, *, assigned: frozenset = frozenset()) -> Scope:
    """THE scope builder: ``user``'s scope from the positions they hold (``POSITION_FIELDS``
    rows) and the (case id, unit id) pairs given to them by name. No query."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    positions = list(positions)
    return Scope(
        superuser=user.is_superuser,
        position_ids=frozenset(p["position_id"] for p in positions),
        admin_agencies=frozenset(
            p["position__agency_id"] for p in positions if p["position__is_admin"]
        ),
        office_agencies=frozenset(
            p["position__agency_id"] for p in positions if p["position__role"] in OFFICE_ROLES
        ),
        head_units=frozenset(
            p["position__unit_id"]
            for p in positions
            if p["position__role"] in UNIT_HEAD_ROLES and p["position__unit_id"]
        ),
        planner_agencies=frozenset(
            p["position__agency_id"] for p in positions if p["position__role"] in PLANNING_ROLES
        ),
        roles=frozenset((p["position__agency_id"], p["position__role"]) for p in positions),
        assigned=frozenset(assigned),
    )


def positions_scope(user, *, on: dt.date | None = None) -> Scope:
    """The scope from held positions only, without the tasks given by name (those live in
    ``workflow``: the full scope is :func:`kinerja.workflow.permissions.scope_for`). One
    query."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    return build_scope(user, held_positions(user, on=on))


def manageable_users(agencies: set[int] | None) -> QuerySet:
    """Users whose account an administrator of ``agencies`` may manage (None: a superuser,
    every user). An agency administrator manages the people holding one of the agency's
    positions today or from a future date (a holding that ended gives no hold over the
    person any more), and never staff or superusers."""
    User = get_user_model()
    if agencies is None:
        return User.objects.all()
    today = timezone.localdate()
    holders = PositionHolder.objects.filter(position__agency_id__in=agencies).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )
    return User.objects.filter(pk__in=holders.values("user_id"), is_staff=False, is_superuser=False)
