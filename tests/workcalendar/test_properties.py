"""Property tests: whatever the start, duration and calendar, the due instant is sane."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from kinerja.sop.schema import Duration, TimeUnit
from kinerja.workcalendar.calendar import (
    DEFAULT_SCHEDULE,
    DayKind,
    OfficeDay,
    Override,
    WorkCalendar,
)

WITA = ZoneInfo("Asia/Makassar")
TICK = dt.timedelta(microseconds=1)

CALENDARS = [
    WorkCalendar(),
    WorkCalendar(DEFAULT_SCHEDULE, "Asia/Jakarta"),
    # Odd hours: a short Tuesday opening late, a Saturday half day, a Friday without break,
    # plus overrides, to exercise clamping and different opening times.
    WorkCalendar(
        {
            0: OfficeDay(dt.time(7, 30), dt.time(16, 0), dt.time(12, 0), dt.time(13, 0)),
            1: OfficeDay(dt.time(9, 0), dt.time(13, 0)),
            3: OfficeDay(dt.time(7, 0), dt.time(17, 0), dt.time(11, 0), dt.time(11, 15)),
            4: OfficeDay(dt.time(8, 0), dt.time(11, 0)),
            5: OfficeDay(dt.time(8, 0), dt.time(12, 0)),
        },
        "Asia/Jayapura",
        overrides={
            dt.date(2026, 12, 24): Override(DayKind.WORKDAY, "batal"),
            dt.date(2026, 12, 27): Override(DayKind.WORKDAY, "Minggu kerja"),
            dt.date(2027, 1, 4): Override(DayKind.HOLIDAY, "tambahan"),
        },
    ),
]

calendars = st.sampled_from(CALENDARS)
starts = st.datetimes(
    min_value=dt.datetime(2026, 1, 1),
    max_value=dt.datetime(2027, 12, 31),
    timezones=st.sampled_from([dt.UTC, WITA, ZoneInfo("Asia/Jakarta")]),
)
units = st.sampled_from(list(TimeUnit))
LIMITS = {TimeUnit.MINUTE: 3000, TimeUnit.HOUR: 60, TimeUnit.DAY: 30}


@st.composite
def durations(draw: st.DrawFn, unit: TimeUnit | None = None) -> Duration:
    unit = unit or draw(units)
    return Duration(amount=draw(st.integers(1, LIMITS[unit])), unit=unit)


def is_office_time_or_boundary(cal: WorkCalendar, instant: dt.datetime) -> bool:
    """Working, or exactly at a closing or break start (the instant just before works)."""
    return cal.is_working_instant(instant) or cal.is_working_instant(instant - TICK)


@settings(max_examples=300, deadline=None)
@given(cal=calendars, start=starts, duration=durations())
def test_due_is_never_in_non_working_time(
    cal: WorkCalendar, start: dt.datetime, duration: Duration
) -> None:
    due = cal.add(start, duration)
    assert due > start
    assert due.tzinfo is cal.tz
    assert is_office_time_or_boundary(cal, due)


@settings(max_examples=300, deadline=None)
@given(
    cal=calendars,
    start=starts,
    duration=durations(),
    later=st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=10)),
)
def test_later_start_is_never_due_earlier(
    cal: WorkCalendar, start: dt.datetime, duration: Duration, later: dt.timedelta
) -> None:
    assert cal.add(start + later, duration) >= cal.add(start, duration)


@settings(max_examples=300, deadline=None)
@given(cal=calendars, start=starts, unit=units, data=st.data())
def test_larger_duration_is_never_due_earlier(
    cal: WorkCalendar, start: dt.datetime, unit: TimeUnit, data: st.DataObject
) -> None:
    small = data.draw(durations(unit))
    extra = data.draw(st.integers(0, LIMITS[unit]))
    large = Duration(amount=small.amount + extra, unit=unit)
    assert cal.add(start, large) >= cal.add(start, small)


@settings(max_examples=300, deadline=None)
@given(
    cal=calendars,
    start=starts,
    duration=st.one_of(durations(TimeUnit.MINUTE), durations(TimeUnit.HOUR)),
)
def test_minutes_and_hours_measure_back_exactly(
    cal: WorkCalendar, start: dt.datetime, duration: Duration
) -> None:
    minutes = duration.amount * (60 if duration.unit == TimeUnit.HOUR else 1)
    due = cal.add(start, duration)
    assert cal.working_minutes(start, due) == minutes
    assert cal.working_minutes(cal.next_opening(start), due) == minutes
    # And not a minute is wasted: one tick less would not be enough.
    assert cal.working_time(start, due - TICK) < dt.timedelta(minutes=minutes)


@settings(max_examples=200, deadline=None)
@given(cal=calendars, start=starts, duration=durations(TimeUnit.DAY))
def test_days_never_give_more_than_n_days(
    cal: WorkCalendar, start: dt.datetime, duration: Duration
) -> None:
    """The due instant is on the Nth working day after the next opening, and never later
    in working time than the same clock time there (a due instant moved forward to a late
    opening gains no working time)."""
    due = cal.add(start, duration)
    opening = cal.next_opening(start)
    day = opening.date()
    for _ in range(duration.amount):
        day += dt.timedelta(days=1)
        while not cal.is_working_day(day):
            day += dt.timedelta(days=1)
    assert due.date() == day
    same_clock = dt.datetime.combine(day, opening.time(), tzinfo=cal.tz)
    assert due <= same_clock or cal.working_time(same_clock, due) == dt.timedelta(0)


@settings(max_examples=200, deadline=None)
@given(cal=calendars, start=starts)
def test_next_opening_is_working_and_not_before(cal: WorkCalendar, start: dt.datetime) -> None:
    opening = cal.next_opening(start)
    assert opening >= start
    assert cal.is_working_instant(opening)
    assert cal.working_minutes(start, opening) == 0
