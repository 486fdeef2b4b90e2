"""Table tests of the pure WorkCalendar against the real 2026 Indonesian calendar.

2026 facts used here (holidays package, categories public + government): Nyepi Thu 19 Mar
with cuti bersama Wed 18; Idul Fitri Sat 21-Sun 22 Mar with cuti bersama Fri 20, Mon 23,
Tue 24; Christmas Fri 25 Dec with cuti bersama Thu 24 Dec; Easter and Waisak on Sundays.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from kinerja.sop.schema import Duration
from kinerja.workcalendar.calendar import (
    DEFAULT_SCHEDULE,
    DayKind,
    OfficeDay,
    Override,
    WorkCalendar,
    national_holidays,
)

WITA = ZoneInfo("Asia/Makassar")
WIB = ZoneInfo("Asia/Jakarta")
UTC = dt.UTC


def at(text: str, tz: dt.tzinfo = WITA) -> dt.datetime:
    """``"2026-11-23 11:45"`` in WITA (or ``tz``)."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=tz)


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar()


def test_holidays_package_gives_the_2026_dates_we_rely_on() -> None:
    days = national_holidays(2026)
    assert days[dt.date(2026, 3, 21)] == "Hari Raya Idul Fitri"
    assert days[dt.date(2026, 3, 20)].startswith("Cuti Bersama")
    assert days[dt.date(2026, 3, 23)].startswith("Cuti Bersama")
    assert days[dt.date(2026, 3, 24)].startswith("Cuti Bersama")
    assert days[dt.date(2026, 12, 24)] == "Cuti Bersama Hari Raya Natal"
    assert days[dt.date(2026, 12, 25)] == "Hari Raya Natal"
    assert days[dt.date(2026, 1, 1)] == "Tahun Baru Masehi"


def test_default_schedule_is_37_5_hours_a_week(cal: WorkCalendar) -> None:
    # A week without holidays: Mon 23 to Sat 28 Nov 2026.
    assert cal.working_time(at("2026-11-23 00:00"), at("2026-11-28 00:00")) == dt.timedelta(
        hours=37.5
    )
    assert cal.working_minutes(at("2026-11-27 00:00"), at("2026-11-28 00:00")) == 7.5 * 60


@pytest.mark.parametrize(
    ("start", "duration", "due"),
    [
        # Christmas: Thu 24 cuti bersama, Fri 25 Natal, weekend → Monday.
        ("2026-12-23 15:30", "1 day", "2026-12-28 15:30"),
        # Nyepi + Idul Fitri: 18-24 March are all off.
        ("2026-03-17 09:00", "1 day", "2026-03-25 09:00"),
        ("2026-03-17 15:00", "2 jam", "2026-03-25 08:30"),
        ("2026-03-02 08:00", "15 days", "2026-03-30 08:00"),
        # Closed at the end: the work is due at the break start, not after the break.
        ("2026-11-23 11:45", "15 minutes", "2026-11-23 12:00"),
        ("2026-11-23 11:50", "15 minutes", "2026-11-23 13:05"),
        ("2026-11-23 15:45", "15 menit", "2026-11-23 16:00"),
        # Friday: break 11:30-13:00, closing 16:30.
        ("2026-11-27 11:20", "15 minutes", "2026-11-27 13:05"),
        ("2026-11-27 16:15", "15 minutes", "2026-11-27 16:30"),
        ("2026-11-23 16:15", "15 minutes", "2026-11-24 07:45"),
        # Outside office hours: start from the next opening.
        ("2026-11-28 10:00", "1 day", "2026-12-01 07:30"),
        ("2026-11-23 16:00", "1 day", "2026-11-25 07:30"),
        ("2026-11-23 12:30", "1 day", "2026-11-24 13:00"),
        ("2026-11-22 23:59", "1 hour", "2026-11-23 08:30"),
        # Days clamp back to a boundary: Friday 16:15 → Monday closes 16:00.
        ("2026-11-27 16:15", "1 day", "2026-11-30 16:00"),
        # Thursday 11:45 → Friday's break has started at 11:30.
        ("2026-11-26 11:45", "1 day", "2026-11-27 11:30"),
        # Hours cross the break and the night.
        ("2026-11-23 15:00", "2 hours", "2026-11-24 08:30"),
        ("2026-11-23 07:30", "8 hours", "2026-11-24 08:00"),
    ],
)
def test_add(cal: WorkCalendar, start: str, duration: str, due: str) -> None:
    result = cal.add(at(start), Duration.parse(duration))
    assert result == at(due)
    assert result.tzinfo == WITA


def test_input_in_utc_comes_back_in_the_agency_zone(cal: WorkCalendar) -> None:
    due = cal.add(dt.datetime(2026, 12, 23, 7, 30, tzinfo=UTC), Duration.parse("1 day"))
    assert due.isoformat() == "2026-12-28T15:30:00+08:00"
    assert due.utcoffset() == dt.timedelta(hours=8)


def test_other_zone_uses_its_own_clock() -> None:
    wib = WorkCalendar(DEFAULT_SCHEDULE, "Asia/Jakarta")
    # 00:30 UTC is 07:30 WIB (opening) but 08:30 WITA.
    start = dt.datetime(2026, 11, 23, 0, 30, tzinfo=UTC)
    assert wib.is_working_instant(start)
    due = wib.add(start, Duration.parse("4 hours"))
    assert due == at("2026-11-23 11:30", WIB)
    assert due.utcoffset() == dt.timedelta(hours=7)
    # Same instant on a WITA calendar: the break takes its hour.
    assert WorkCalendar().add(start, Duration.parse("4 hours")) == at("2026-11-23 13:30")


def test_no_dst_so_every_day_is_the_same_length(cal: WorkCalendar) -> None:
    for month in range(1, 13):
        day = dt.date(2027, month, 1)
        while not cal.is_working_day(day):
            day += dt.timedelta(days=1)
        start = dt.datetime.combine(day, dt.time(0), tzinfo=WITA)
        length = cal.working_minutes(start, start + dt.timedelta(days=1))
        assert length == 450, day


@pytest.mark.parametrize(
    ("instant", "working"),
    [
        ("2026-11-23 07:29", False),
        ("2026-11-23 07:30", True),
        ("2026-11-23 11:59", True),
        ("2026-11-23 12:00", False),
        ("2026-11-23 13:00", True),
        ("2026-11-23 16:00", False),
        ("2026-11-27 11:30", False),
        ("2026-11-27 16:15", True),
        ("2026-11-28 10:00", False),
        ("2026-12-24 10:00", False),
        ("2026-03-23 10:00", False),
    ],
)
def test_is_working_instant(cal: WorkCalendar, instant: str, working: bool) -> None:
    assert cal.is_working_instant(at(instant)) is working


@pytest.mark.parametrize(
    ("instant", "opening"),
    [
        ("2026-11-23 10:00", "2026-11-23 10:00"),
        ("2026-11-23 12:00", "2026-11-23 13:00"),
        ("2026-11-27 16:30", "2026-11-30 07:30"),
        ("2026-12-23 16:00", "2026-12-28 07:30"),
        ("2026-03-17 20:00", "2026-03-25 07:30"),
    ],
)
def test_next_opening(cal: WorkCalendar, instant: str, opening: str) -> None:
    assert cal.next_opening(at(instant)) == at(opening)


def test_working_days(cal: WorkCalendar) -> None:
    assert cal.is_working_day(dt.date(2026, 11, 23))
    assert not cal.is_working_day(dt.date(2026, 11, 28))  # Saturday
    assert not cal.is_working_day(dt.date(2026, 3, 20))  # cuti bersama Idul Fitri
    assert not cal.is_working_day(dt.date(2026, 8, 17))  # Hari Kemerdekaan
    with pytest.raises(TypeError):
        cal.is_working_day(at("2026-11-23 10:00"))


def test_working_minutes(cal: WorkCalendar) -> None:
    assert cal.working_minutes(at("2026-11-23 11:00"), at("2026-11-23 14:00")) == 120
    assert cal.working_minutes(at("2026-11-23 14:00"), at("2026-11-23 11:00")) == 0
    assert cal.working_minutes(at("2026-12-23 15:30"), at("2026-12-28 15:30")) == 450
    # 2026: 261 weekdays, 21 of them holidays or cuti bersama, 7.5 h each.
    year = cal.working_time(at("2026-01-01 00:00"), at("2027-01-01 00:00"))
    assert year == dt.timedelta(hours=240 * 7.5)


def test_naive_datetimes_are_rejected(cal: WorkCalendar) -> None:
    naive = dt.datetime(2026, 11, 23, 10, 0)
    with pytest.raises(ValueError, match="aware"):
        cal.add(naive, Duration.parse("1 day"))
    with pytest.raises(ValueError):
        cal.working_minutes(naive, at("2026-11-24 10:00"))
    with pytest.raises(ValueError):
        cal.is_working_instant(naive)
    with pytest.raises(ValueError):
        cal.next_opening(naive)


def test_added_holiday_and_removed_cuti_bersama() -> None:
    cal = WorkCalendar(
        overrides={
            dt.date(2026, 11, 24): Override(DayKind.HOLIDAY, "Cuti bersama tambahan"),
            dt.date(2026, 12, 24): Override(DayKind.WORKDAY, "Cuti bersama dibatalkan"),
        }
    )
    assert cal.add(at("2026-11-23 10:00"), Duration.parse("1 day")) == at("2026-11-25 10:00")
    assert cal.add(at("2026-12-23 15:30"), Duration.parse("1 day")) == at("2026-12-24 15:30")
    listed = dict(cal.holidays_in(2026))
    assert listed[dt.date(2026, 11, 24)] == "Cuti bersama tambahan"
    assert listed[dt.date(2026, 12, 24)] == "Cuti Bersama Hari Raya Natal (dibatalkan, hari kerja)"
    plain = dict(cal.holidays_in(2026, include_removed=False))
    assert dt.date(2026, 12, 24) not in plain


def test_workday_override_on_a_saturday_uses_the_first_open_weekday_hours() -> None:
    cal = WorkCalendar(overrides={dt.date(2026, 11, 28): Override(DayKind.WORKDAY, "Sabtu")})
    assert cal.is_working_day(dt.date(2026, 11, 28))
    assert cal.add(at("2026-11-27 16:20"), Duration.parse("30 minutes")) == at("2026-11-28 07:50")


def test_holidays_in_leaves_out_weekends(cal: WorkCalendar) -> None:
    listed = cal.holidays_in(2026)
    days = [day for day, _name in listed]
    assert days == sorted(days)
    assert all(day.weekday() < 5 for day in days)
    assert dt.date(2026, 3, 21) not in days  # Idul Fitri on a Saturday
    assert dt.date(2026, 4, 5) not in days  # Easter Sunday
    assert (dt.date(2026, 1, 1), "Tahun Baru Masehi") in listed
    assert len(listed) == 21


def test_custom_schedule_and_clamping_before_a_later_opening() -> None:
    schedule = {
        0: OfficeDay(dt.time(7, 30), dt.time(16, 0), dt.time(12, 0), dt.time(13, 0)),
        1: OfficeDay(dt.time(8, 0), dt.time(14, 0)),  # e.g. Ramadan-like short day
    }
    cal = WorkCalendar(schedule, WITA)
    # Monday 07:40 + 1 day → Tuesday opens 08:00: due at the opening.
    assert cal.add(at("2026-11-23 07:40"), Duration.parse("1 day")) == at("2026-11-24 08:00")
    # Monday 15:00 + 1 day → Tuesday closes 14:00.
    assert cal.add(at("2026-11-23 15:00"), Duration.parse("1 day")) == at("2026-11-24 14:00")
    # Tuesday 10:00 + 1 day → next Monday 10:00.
    assert cal.add(at("2026-11-24 10:00"), Duration.parse("1 day")) == at("2026-11-30 10:00")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"start": dt.time(16), "end": dt.time(8)},
        {"start": dt.time(8), "end": dt.time(16), "break_start": dt.time(12)},
        {
            "start": dt.time(8),
            "end": dt.time(16),
            "break_start": dt.time(7),
            "break_end": dt.time(9),
        },
    ],
)
def test_bad_office_day_is_rejected(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        OfficeDay(**kwargs)


def test_a_calendar_without_working_days_stops() -> None:
    def every_day(year: int) -> dict[dt.date, str]:
        first = dt.date(year, 1, 1)
        return {
            first + dt.timedelta(days=n): "libur"
            for n in range(366)
            if (first + dt.timedelta(days=n)).year == year
        }

    everything_off = WorkCalendar(holidays=every_day)
    with pytest.raises(ValueError, match="no working day"):
        everything_off.next_opening(at("2026-11-23 10:00"))


def test_cost_is_per_day_not_per_minute(monkeypatch: pytest.MonkeyPatch) -> None:
    cal = WorkCalendar()
    calls = 0
    original = WorkCalendar.office_day

    def counting(self: WorkCalendar, day: dt.date):  # noqa: ANN202
        nonlocal calls
        calls += 1
        return original(self, day)

    monkeypatch.setattr(WorkCalendar, "office_day", counting)
    cal.add(at("2026-03-02 08:00"), Duration.parse("15 days"))
    assert calls <= 40
    calls = 0
    cal.working_minutes(at("2026-01-01 00:00"), at("2027-01-01 00:00"))
    assert calls <= 366
    calls = 0
    cal.add(at("2026-01-02 08:00"), Duration(amount=10_000, unit="minute"))
    assert calls <= 40
