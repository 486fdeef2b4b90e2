"""When the demo office's cases open: by the scheduler's own rule
(:func:`kinerja.notifications.scheduler.latest_opening`: the agency's or the SOP's day,
months and time, and the period each opening reports on), so the demo's quarters are the
ones ``kinerja tick`` opens for the demo office, never a copy of the rule."""

from __future__ import annotations

import datetime as dt

from kinerja.core.periods import Period
from kinerja.notifications import scheduler
from kinerja.organization.models import Agency
from kinerja.sop.models import AgencySop, SopVersion
from kinerja.workcalendar.selectors import agency_timezone

from .office import AGENCY_CODE

SOP = "pengumpulan-data-kinerja"


def _schedule(agency: Agency):
    """The demo SOP's schedule for ``agency``: its AgencySop row (or the SOP's own schedule
    when the agency does not run it yet) and the SOP's newest version's schedule (the
    schema's default schedule when the SOP is not loaded, as in a bare test office)."""
    from kinerja.sop.schema import Schedule

    agency_sop = AgencySop.objects.filter(agency=agency, sop_code=SOP).first()
    if agency_sop is None:
        agency_sop = AgencySop(agency=agency, sop_code=SOP)
    version = SopVersion.objects.filter(code=SOP).order_by("-version").first()
    schedule = version.spec.schedule if version is not None else None
    return agency_sop, schedule or Schedule()


def openings(agency: Agency, until: dt.datetime, count: int) -> list[tuple[dt.datetime, Period]]:
    """The ``count`` latest scheduled openings at or before ``until``, oldest first, each with
    the period its case reports on."""
    agency_sop, schedule = _schedule(agency)
    found: list[tuple[dt.datetime, Period]] = []
    at = until
    for _ in range(count):
        opening, period = scheduler.latest_opening(agency_sop, schedule, at)
        found.append((opening, period))
        at = opening - dt.timedelta(microseconds=1)
    return found[::-1]


def end_of(day: dt.date, agency: Agency) -> dt.datetime:
    """The last instant of ``day`` in ``agency``'s zone."""
    return dt.datetime.combine(day, dt.time.max, tzinfo=agency_timezone(agency))


def latest_opening(today: dt.date, agency: Agency | None = None) -> tuple[dt.date, Period]:
    """The day of the last scheduled opening on or before ``today`` and the period it reports
    on, for ``agency`` (the demo office when None)."""
    if agency is None:
        agency = Agency.objects.filter(code=AGENCY_CODE).first() or Agency(code=AGENCY_CODE)
    [(opening, period)] = openings(agency, end_of(today, agency), 1)
    return opening.date(), period
