"""The organisation, read: the agencies the caller belongs to (or sees agency-wide), and one
agency's units, positions and their holders today, acting officials (Plt/Plh) included."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from kinerja.organization.models import Agency, Position, PositionHolder, Unit
from kinerja.organization.permissions import member_agencies

from .common import READ, agency_for, scope_of

router = Router(tags=["organization"])

AgencyCode = Annotated[str, Field(max_length=40, pattern=r"^[-a-zA-Z0-9_]+$")]


class AgencyOut(Schema):
    code: str
    name: str
    short_name: str
    timezone: str
    is_active: bool


class AgencyUnit(Schema):
    id: int
    code: str
    name: str
    kind: str
    reports_performance: bool
    is_active: bool


class PositionHolding(Schema):
    user_id: int
    username: str
    name: str
    nip: str | None = None
    kind: str = Field(..., description="definitif, plt or plh")
    start_date: dt.date
    end_date: dt.date | None = None


class AgencyPosition(Schema):
    id: int
    code: str
    title: str
    role: str
    unit: str | None = None
    is_admin: bool
    reports_to: int | None = None
    holders: list[PositionHolding]


class AgencyDetail(AgencyOut):
    units: list[AgencyUnit]
    positions: list[AgencyPosition]


def _agency(a: Agency) -> dict:
    return {
        "code": a.code,
        "name": a.name,
        "short_name": a.short_name,
        "timezone": a.timezone,
        "is_active": a.is_active,
    }


@router.get("/agencies", response={200: list[AgencyOut], **READ}, url_name="agency_list")
def agency_list(request: HttpRequest):
    """The agencies whose organisation the caller reads (superusers: all)."""
    allowed = member_agencies(scope_of(request))
    qs = Agency.objects.order_by("code")
    if allowed is not None:
        qs = qs.filter(pk__in=allowed)
    return [_agency(a) for a in qs]


@router.get("/agencies/{agency}", response={200: AgencyDetail, **READ}, url_name="agency_show")
def agency_show(request: HttpRequest, agency: AgencyCode):
    """One agency: its units, its positions (with the SOP role each plays) and who holds
    them today, definitive or acting. Four queries."""
    agency = agency_for(request, agency)
    units = Unit.objects.filter(agency=agency).order_by("order", "name")
    positions = list(
        Position.objects.filter(agency=agency)
        .select_related("unit")
        .order_by("unit__order", "title")
    )
    holders: dict[int, list[dict]] = {}
    for h in (
        PositionHolder.objects.current(timezone.localdate())
        .filter(position__agency=agency)
        .select_related("user")
        .order_by("kind", "start_date")
    ):
        holders.setdefault(h.position_id, []).append(
            {
                "user_id": h.user_id,
                "username": h.user.username,
                "name": h.user.display_name,
                "nip": h.user.nip,
                "kind": h.kind,
                "start_date": h.start_date,
                "end_date": h.end_date,
            }
        )
    return {
        **_agency(agency),
        "units": [
            {
                "id": u.pk,
                "code": u.code,
                "name": u.name,
                "kind": u.kind,
                "reports_performance": u.reports_performance,
                "is_active": u.is_active,
            }
            for u in units
        ],
        "positions": [
            {
                "id": p.pk,
                "code": p.code,
                "title": p.title,
                "role": p.role,
                "unit": p.unit.code if p.unit_id else None,
                "is_admin": p.is_admin,
                "reports_to": p.reports_to_id,
                "holders": holders.get(p.pk, []),
            }
            for p in positions
        ],
    }
