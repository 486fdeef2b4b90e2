"""Reads about who holds which position."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from .models import Position, PositionHolder


def held_position_ids(user, *, on: dt.date | None = None) -> set[int]:
    """Ids of positions ``user`` holds on ``on``, definitively or as acting official. 1 query."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        PositionHolder.objects.current(on).filter(user=user).values_list("position_id", flat=True)
    )


def current_holders(position: Position, *, on: dt.date | None = None):
    """Users holding ``position`` on ``on``; definitive holders first, then acting ones."""
    on = on or timezone.localdate()
    holdings = (
        PositionHolder.objects.current(on)
        .filter(position=position)
        .select_related("user")
        .order_by("kind", "start_date")
    )
    return [h.user for h in holdings if h.user.is_active]


def positions_for_role(agency, role: str, *, unit=None):
    """Positions playing SOP executor ``role`` in ``agency``.

    For a unit task, the position of that unit wins; otherwise the office-level position.
    A role held only inside units is never guessed for the office or for another unit: when
    several units have it (the "kasi" of every section), the answer is empty (the caller says
    so); when exactly one position has it, that one.
    """
    positions = list(Position.objects.filter(agency=agency, role=role).select_related("unit"))
    if unit is not None:
        in_unit = [p for p in positions if p.unit_id == unit.pk]
        if in_unit:
            return in_unit
    office = [p for p in positions if p.unit_id is None]
    if office:
        return office
    return positions if len(positions) == 1 else []


def nav_positions(user) -> list[dict]:
    """The positions ``user`` holds today with their agency (one query): the page header shows
    the agency and the acting titles, the menu shows master data to administrators. The rows
    carry ``permissions.POSITION_FIELDS``, so a page builds the user's scope from them."""
    return list(
        PositionHolder.objects.current(timezone.localdate())
        .filter(user=user)
        .values(
            "kind",
            "position_id",
            "position__title",
            "position__role",
            "position__unit_id",
            "position__agency_id",
            "position__is_admin",
            "position__agency__name",
            "position__agency__parent_name",
        )
        .order_by("position__agency__name", "kind")
    )
