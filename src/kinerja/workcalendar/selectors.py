"""Reading an agency's working-time calendar from the database.

Callers (the workflow engine, reports, the ``calendar`` command) get a pure
:class:`~kinerja.workcalendar.calendar.WorkCalendar` and do all arithmetic on it, so due
dates for a whole case cost two queries, not two per step. Holidays of the ``holidays``
package are cached per year in-process (:func:`~.calendar.national_holidays`); office
hours and overrides are read fresh each call so an admin's change applies at once.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import Q
from django.utils.translation import gettext as _

from kinerja.core.errors import ApplicationError
from kinerja.organization.models import Agency

from .calendar import (
    DEFAULT_SCHEDULE,
    DEFAULT_TIMEZONE,
    DayKind,
    OfficeDay,
    Override,
    WorkCalendar,
    national_holidays,
)
from .models import CalendarOverride, OfficeHours


def _overrides(agency: Agency | None) -> dict[dt.date, Override]:
    """All-agency overrides, then the agency's own on top (they win for the same date)."""
    condition = Q(agency__isnull=True)
    if agency is not None:
        condition |= Q(agency=agency)
    rows = CalendarOverride.objects.filter(condition).values_list(
        "agency_id", "date", "kind", "name"
    )
    result: dict[dt.date, Override] = {}
    for _agency_id, day, kind, name in sorted(rows, key=lambda row: row[0] is not None):
        result[day] = Override(DayKind(kind), name)
    return result


def agency_timezone(agency: Agency) -> ZoneInfo:
    """The agency's zone; a mistyped zone is an admin error, reported in Indonesian."""
    try:
        return ZoneInfo(agency.timezone or DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ApplicationError(
            _("Zona waktu instansi %(agency)s tidak dikenal: %(tz)s")
            % {"agency": agency, "tz": agency.timezone},
            code="bad_timezone",
        ) from exc


def calendar_for(agency: Agency) -> WorkCalendar:
    """The working-time calendar of ``agency`` (two queries). Anyone may read it."""
    rows = OfficeHours.objects.filter(agency=agency).values_list(
        "weekday", "start", "end", "break_start", "break_end"
    )
    schedule = {
        weekday: OfficeDay(start, end, break_start, break_end)
        for weekday, start, end, break_start, break_end in rows
    }
    return WorkCalendar(
        schedule or DEFAULT_SCHEDULE,
        agency_timezone(agency),
        holidays=national_holidays,
        overrides=_overrides(agency),
    )


def default_calendar() -> WorkCalendar:
    """The calendar when no agency is known: default hours, Asia/Makassar, all-agency
    overrides (one query)."""
    return WorkCalendar(
        DEFAULT_SCHEDULE,
        DEFAULT_TIMEZONE,
        holidays=national_holidays,
        overrides=_overrides(None),
    )


def calendars_for(agencies) -> dict[int, WorkCalendar]:
    """The calendars of many agencies, by agency id, in two queries whatever their number
    (the scheduler's tick: one calendar per agency per run, not two queries per agency). An
    agency whose zone is mistyped is left out (:func:`calendar_for` reports it)."""
    agencies = {agency.pk: agency for agency in agencies}
    hours: dict[int, dict[int, OfficeDay]] = {pk: {} for pk in agencies}
    for agency_id, weekday, start, end, break_start, break_end in OfficeHours.objects.filter(
        agency_id__in=list(agencies)
    ).values_list("agency_id", "weekday", "start", "end", "break_start", "break_end"):
        hours[agency_id][weekday] = OfficeDay(start, end, break_start, break_end)
    common: dict[dt.date, Override] = {}
    own: dict[int, dict[dt.date, Override]] = {pk: {} for pk in agencies}
    for agency_id, day, kind, name in CalendarOverride.objects.filter(
        Q(agency__isnull=True) | Q(agency_id__in=list(agencies))
    ).values_list("agency_id", "date", "kind", "name"):
        target = common if agency_id is None else own[agency_id]
        target[day] = Override(DayKind(kind), name)
    calendars = {}
    for pk, agency in agencies.items():
        try:
            tz = agency_timezone(agency)
        except ApplicationError:
            continue  # left out: calendar_for(agency) raises the admin's error for it alone
        calendars[pk] = WorkCalendar(
            hours[pk] or DEFAULT_SCHEDULE,
            tz,
            holidays=national_holidays,
            overrides={**common, **own[pk]},  # the agency's own win for the same date
        )
    return calendars
