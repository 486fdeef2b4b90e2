"""Who signs and where: the letterhead, the signature blocks, the place-and-date line."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone

from kinerja.core import formatting as fmt
from kinerja.organization.models import Agency, Unit
from kinerja.organization.selectors import current_holders, positions_for_role
from kinerja.workcalendar.selectors import agency_timezone

from ...pdf import Letterhead, Signer


def letterhead(agency: Agency) -> Letterhead:
    return Letterhead(
        government=agency.parent_name,
        agency=agency.name,
        address=agency.address,
        logo_path=str(getattr(settings, "KINERJA_LOGO_PATH", "") or ""),
    )


def place_name(agency: Agency) -> str:
    """The place in "Binamu, 24 November 2026": the last word of the agency's name."""
    return (agency.name.split() or [""])[-1]


def today_in(agency: Agency) -> dt.date:
    return timezone.now().astimezone(agency_timezone(agency)).date()


def place_date(agency: Agency, day: dt.date) -> str:
    """``Binamu, 24 November 2026``."""
    return f"{place_name(agency)}, {fmt.date(day)}"


def signer_for(
    agency: Agency,
    role: str,
    *,
    unit: Unit | None = None,
    caption: str = "",
    dated: dt.date | None = None,
    title: str = "",
) -> Signer:
    """The signature block of whoever holds ``role`` today; a blank name and NIP to fill in
    by hand when nobody does. ``dated``: the issue date for the place-and-date line."""
    positions = positions_for_role(agency, role, unit=unit)
    position = positions[0] if positions else None
    holders = current_holders(position) if position else []
    user = holders[0] if holders else None
    return Signer(
        position=title or (position.title if position else role),
        name=user.display_name if user else "",
        nip=getattr(user, "nip", None) if user else None,
        caption=caption,
        place_date=place_date(agency, dated) if dated else "",
    )


def head_signer(agency: Agency, **kwargs: Any) -> Signer:
    return signer_for(agency, "camat", title=agency.head_title or "", **kwargs)


def dec(value: Any) -> float | None:
    """Decimal -> float for spreadsheet cells and charts (None stays None)."""
    if value is None:
        return None
    return float(value) if isinstance(value, Decimal | int | float) else value
