"""Working time: the due instant of a duration, the non-working days of a year (the same
calendar as the engine, ``workcalendar.selectors.calendar_for``)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from kinerja.sop.schema import Duration
from kinerja.workcalendar.selectors import calendar_for, default_calendar

from ..errors import ApiError
from .common import READ, agency_for

router = Router(tags=["calendar"])


class DueQuery(Schema):
    start: dt.datetime = Field(
        ..., description="ISO 8601; without an offset: the agency's local time"
    )
    duration: str = Field(..., max_length=40, description='"15 minutes", "2 jam", "1 day"')
    agency: str | None = Field(
        None, max_length=40, description="agency code (default: the common calendar)"
    )


class DurationOut(Schema):
    amount: int
    unit: str


class DueOut(Schema):
    start: dt.datetime
    duration: DurationOut
    due: dt.datetime
    agency: str | None = None


class HolidayQuery(Schema):
    year: int = Field(..., ge=1950, le=2100)
    agency: str | None = Field(None, max_length=40)


class Holiday(Schema):
    date: dt.date
    name: str


def _calendar(request: HttpRequest, code: str | None):
    if not code:
        return default_calendar()
    return calendar_for(agency_for(request, code))


@router.get("/due", response={200: DueOut, **READ}, url_name="calendar_due")
def calendar_due(request: HttpRequest, query: Query[DueQuery]):
    """The due instant of ``duration`` of working time from ``start`` in the agency's
    calendar (office hours, public holidays, cuti bersama, the administrator's changes):
    the same answer as ``kinerja calendar due``."""
    calendar = _calendar(request, query.agency)
    try:
        duration = Duration.parse(query.duration)
    except ValueError:
        raise ApiError(
            400,
            "validation",
            _("Masukan tidak sah; lihat rinciannya per kolom."),
            {"duration": _('Durasi tidak sah (contoh: "15 menit", "2 jam", "1 hari").')},
        ) from None
    start = query.start
    if start.tzinfo is None:
        start = start.replace(tzinfo=calendar.tz)
    if not 1950 <= start.year <= 2100 or (duration.unit == "day" and duration.amount > 3660):
        raise ApiError(
            400,
            "validation",
            _("Masukan tidak sah; lihat rinciannya per kolom."),
            {"start": _("Di luar rentang kalender (1950-2100).")},
        )
    return {
        "start": start,
        "duration": {"amount": duration.amount, "unit": str(duration.unit.value)},
        "due": calendar.add(start, duration),
        "agency": query.agency or None,
    }


@router.get("/holidays", response={200: list[Holiday], **READ}, url_name="calendar_holidays")
def calendar_holidays(request: HttpRequest, query: Query[HolidayQuery]):
    """The non-working office days of ``year`` (public holidays and cuti bersama on
    weekdays, with the administrator's additions and removals), as ``kinerja calendar
    holidays``."""
    calendar = _calendar(request, query.agency)
    return [{"date": day, "name": name} for day, name in calendar.holidays_in(query.year)]
