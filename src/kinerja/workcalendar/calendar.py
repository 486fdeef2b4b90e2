"""Working time: turning an SOP time standard into a due instant, and measuring time taken.

SOP time standards (``15 menit``, ``1 jam``, ``1 hari``) are *working* time (Perpres 21/2023):
they run only inside an agency's office hours, never on weekends, public holidays or cuti
bersama. :class:`WorkCalendar` is pure Python on purpose (no database access inside): the
engine, the reports and the tests build one from plain data, and
:mod:`kinerja.workcalendar.selectors` builds one from an agency's rows.

Rules
-----
* Office hours are per weekday, as one or two intervals (before and after the break). A
  weekday without hours is closed. A working day is a date whose weekday has hours, that is
  not a national holiday or cuti bersama, unless an override says otherwise: an override
  ``holiday`` closes a date, an override ``workday`` opens it (with that weekday's hours, or
  the hours of the first open weekday if that weekday is normally closed).
* An instant is working when it lies in an office interval ``[opening, closing)``.
* ``next_opening(t)`` is ``t`` itself when ``t`` is working, else the next interval start.
* **Minutes and hours** count minutes inside office intervals (breaks excluded). Intervals are
  closed at the end: 15 minutes from Monday 11:45 is Monday 12:00 (the break start), not
  13:00, because the work is done at 12:00.
* **Days**: ``N days`` is the same clock time on the Nth following working day, measured from
  ``next_opening(start)``. So an instant outside office hours first moves to the next
  opening: ``1 day`` from Saturday 10:00 is measured from Monday 07:30 and is Tuesday 07:30.
  If that clock time is outside the target day's office hours (in its break, or after an
  earlier closing time, e.g. a Friday start at 16:15 and a Monday closing at 16:00) the due
  instant is clamped back to the latest office boundary before it (break start or closing):
  the due instant is never in non-working time and never gives more time than N days. If
  the clock time is before that day's opening (a later-opening day), the due instant is that
  day's opening, which is the same point in working time as the previous closing.
* All instants must be aware (naive ones raise :class:`ValueError`); results are aware
  datetimes in the calendar's time zone. Arithmetic is done in UTC, so a zone with DST would
  still measure real elapsed minutes (Indonesian zones have none).
* The cost is one step per calendar day, never per minute: 15 working days or a year of
  measuring is a few hundred steps.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from kinerja.sop.durations import TimeUnit

if TYPE_CHECKING:  # the schema loads pydantic: not at start-up (docs/speed.md)
    from kinerja.sop.schema import Duration

UTC = dt.UTC
DEFAULT_TIMEZONE = "Asia/Makassar"
# A calendar that finds no working day in this many consecutive days is broken (every day
# overridden as a holiday, say); stop instead of looping for ever.
MAX_CLOSED_DAYS = 3 * 366

HolidayLookup = Callable[[int], Mapping[dt.date, str]]
Interval = tuple[dt.datetime, dt.datetime]


class DayKind(StrEnum):
    HOLIDAY = "holiday"
    WORKDAY = "workday"


@dataclass(frozen=True, slots=True)
class OfficeDay:
    """One weekday's office hours, with an optional break inside them."""

    start: dt.time
    end: dt.time
    break_start: dt.time | None = None
    break_end: dt.time | None = None

    def __post_init__(self) -> None:
        if not self.start < self.end:
            raise ValueError(f"office hours must start before they end: {self}")
        if (self.break_start is None) != (self.break_end is None):
            raise ValueError(f"a break needs both a start and an end: {self}")
        if self.break_start is not None and self.break_end is not None:
            if not (self.start < self.break_start < self.break_end < self.end):
                raise ValueError(f"the break must lie inside office hours: {self}")

    def intervals(self) -> tuple[tuple[dt.time, dt.time], ...]:
        """The working intervals of the day, in order (two when there is a break)."""
        if self.break_start is None or self.break_end is None:
            return ((self.start, self.end),)
        return ((self.start, self.break_start), (self.break_end, self.end))


@dataclass(frozen=True, slots=True)
class Override:
    """An admin's decision for one date (e.g. a new cuti bersama decree)."""

    kind: DayKind
    name: str = ""


_MON_THU = OfficeDay(dt.time(7, 30), dt.time(16, 0), dt.time(12, 0), dt.time(13, 0))
_FRIDAY = OfficeDay(dt.time(7, 30), dt.time(16, 30), dt.time(11, 30), dt.time(13, 0))
# 4 x 7.5 h + 7.5 h = 37.5 h a week, Perpres 21/2023; Friday's longer break is for prayers.
DEFAULT_SCHEDULE: Mapping[int, OfficeDay] = MappingProxyType(
    {0: _MON_THU, 1: _MON_THU, 2: _MON_THU, 3: _MON_THU, 4: _FRIDAY}
)


@functools.lru_cache(maxsize=64)
def national_holidays(year: int) -> Mapping[dt.date, str]:
    """Indonesian public holidays and cuti bersama of ``year``, with Indonesian names.

    Cached per year in-process, and between processes in the data folder (see
    :func:`_holidays_cache_file`): the ``holidays`` package loads every country and computes
    lunar dates each time (about 0.7 s of CPU, most of what `kinerja calendar due` costs).
    Cuti bersama is only in the package's GOVERNMENT category, and years after the current
    one are estimates, which is why admins can override dates.
    """
    cache = _holidays_cache_file(year)
    if cache is not None:
        try:
            stored = json.loads(cache.read_text(encoding="utf-8"))
            return MappingProxyType({dt.date.fromisoformat(k): v for k, v in stored.items()})
        except (OSError, ValueError, AttributeError):
            pass
    import holidays as holidays_package

    found = holidays_package.country_holidays(
        "ID", years=year, categories=("public", "government"), language="id"
    )
    days = dict(sorted(found.items()))
    if cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(
                "w", encoding="utf-8", dir=cache.parent, delete=False, suffix=".tmp"
            ) as tmp:
                json.dump({d.isoformat(): name for d, name in days.items()}, tmp)
            os.replace(tmp.name, cache)
        except OSError:
            pass  # a read-only data folder: computed again next time
    return MappingProxyType(days)


def _holidays_cache_file(year: int) -> Path | None:
    """``<data folder>/cache/holidays-<package version>-ID-<year>.json``, or None without a
    configured data folder. Keyed by the package's version: an upgrade may move a date."""
    try:
        from importlib.metadata import version

        from django.conf import settings

        return Path(settings.DATA_DIR) / "cache" / f"holidays-{version('holidays')}-ID-{year}.json"
    except Exception:
        return None


def _require_aware(value: dt.datetime, what: str = "datetime") -> None:
    if not isinstance(value, dt.datetime):
        raise TypeError(f"{what} must be a datetime, not {type(value).__name__}")
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise ValueError(f"{what} must be timezone-aware, got naive {value.isoformat()}")


class WorkCalendar:
    """Office hours, holidays and overrides of one agency, and working-time arithmetic.

    ``schedule`` maps weekday (0 = Monday) to :class:`OfficeDay`; ``holidays`` returns the
    non-working dates of a year with their names (default: :func:`national_holidays`);
    ``overrides`` maps a date to an :class:`Override` and wins over both.
    """

    def __init__(
        self,
        schedule: Mapping[int, OfficeDay] = DEFAULT_SCHEDULE,
        tz: dt.tzinfo | str = DEFAULT_TIMEZONE,
        *,
        holidays: HolidayLookup = national_holidays,
        overrides: Mapping[dt.date, Override] | None = None,
    ) -> None:
        if any(day not in range(7) for day in schedule):
            raise ValueError(f"weekdays are 0 (Monday) to 6 (Sunday): {sorted(schedule)}")
        if not schedule:
            raise ValueError("a calendar needs at least one open weekday")
        self.schedule: Mapping[int, OfficeDay] = MappingProxyType(dict(schedule))
        self.tz: dt.tzinfo = ZoneInfo(tz) if isinstance(tz, str) else tz
        self.overrides: Mapping[dt.date, Override] = MappingProxyType(dict(overrides or {}))
        self._holiday_lookup = holidays
        self._holiday_years: dict[int, Mapping[dt.date, str]] = {}
        # Hours used when an override opens a normally closed weekday (a working Saturday).
        self._fallback_day = self.schedule[min(self.schedule)]
        self._intervals_cache: dict[dt.date, tuple[Interval, ...]] = {}

    def __repr__(self) -> str:
        return f"<WorkCalendar {self.tz} {len(self.schedule)} open weekdays>"

    # -- days -------------------------------------------------------------------------------

    def _holidays(self, year: int) -> Mapping[dt.date, str]:
        if year not in self._holiday_years:
            self._holiday_years[year] = self._holiday_lookup(year)
        return self._holiday_years[year]

    def office_day(self, day: dt.date) -> OfficeDay | None:
        """The office hours on ``day``, or None when the office is closed that day."""
        override = self.overrides.get(day)
        if override is not None:
            if override.kind == DayKind.HOLIDAY:
                return None
            return self.schedule.get(day.weekday(), self._fallback_day)
        if day.weekday() not in self.schedule or day in self._holidays(day.year):
            return None
        return self.schedule[day.weekday()]

    def is_working_day(self, day: dt.date) -> bool:
        if isinstance(day, dt.datetime):
            raise TypeError("is_working_day takes a date; use is_working_instant for instants")
        return self.office_day(day) is not None

    def holidays_in(self, year: int, *, include_removed: bool = True) -> list[tuple[dt.date, str]]:
        """Non-working dates of ``year`` that would otherwise be office days, with names.

        Weekends are left out (they are closed anyway). National holidays, cuti bersama and
        admin-added holidays are listed; a holiday removed by an override (e.g. a cancelled
        cuti bersama) is listed with "(dibatalkan, hari kerja)" after its name, unless
        ``include_removed`` is False, so admins see what they changed.
        """
        national = self._holidays(year)
        dates = sorted(set(national) | {d for d in self.overrides if d.year == year})
        result: list[tuple[dt.date, str]] = []
        for day in dates:
            if day.weekday() not in self.schedule:
                continue
            override = self.overrides.get(day)
            if override is None:
                result.append((day, national[day]))
            elif override.kind == DayKind.HOLIDAY:
                result.append((day, override.name or national.get(day, "")))
            elif include_removed and day in national:
                marker = _("dibatalkan, hari kerja")
                result.append((day, f"{national[day]} ({marker})"))
        return result

    def _intervals(self, day: dt.date) -> tuple[Interval, ...]:
        """The office intervals of ``day`` as UTC instants (memoised; dates repeat a lot)."""
        cached = self._intervals_cache.get(day)
        if cached is None:
            hours = self.office_day(day)
            cached = ()
            if hours is not None:
                cached = tuple(
                    (self._utc(day, opening), self._utc(day, closing))
                    for opening, closing in hours.intervals()
                )
            self._intervals_cache[day] = cached
        return cached

    def _utc(self, day: dt.date, clock: dt.time) -> dt.datetime:
        return dt.datetime.combine(day, clock, tzinfo=self.tz).astimezone(UTC)

    def _days_from(self, day: dt.date) -> Iterator[tuple[dt.date, tuple[Interval, ...]]]:
        """Dates from ``day`` on with their intervals; stops a calendar with no working days."""
        closed = 0
        while True:
            intervals = self._intervals(day)
            closed = 0 if intervals else closed + 1
            if closed > MAX_CLOSED_DAYS:
                raise ValueError(f"no working day in {MAX_CLOSED_DAYS} days from {day}")
            yield day, intervals
            day += dt.timedelta(days=1)

    # -- instants ---------------------------------------------------------------------------

    def _local(self, value: dt.datetime, what: str = "datetime") -> dt.datetime:
        _require_aware(value, what)
        return value.astimezone(self.tz)

    def is_working_instant(self, value: dt.datetime) -> bool:
        """True when ``value`` is inside office hours (opening included, closing excluded)."""
        local = self._local(value)
        instant = local.astimezone(UTC)
        return any(start <= instant < end for start, end in self._intervals(local.date()))

    def next_opening(self, value: dt.datetime) -> dt.datetime:
        """``value`` itself if it is working time, else the start of the next office interval."""
        local = self._local(value)
        instant = local.astimezone(UTC)
        for _day, intervals in self._days_from(local.date()):
            for start, end in intervals:
                if instant < end:
                    return max(start, instant).astimezone(self.tz)
        raise AssertionError("unreachable")  # pragma: no cover

    # -- arithmetic -------------------------------------------------------------------------

    def add(self, start: dt.datetime, duration: Duration) -> dt.datetime:
        """The due instant of ``duration`` of working time from ``start`` (see module rules)."""
        return self.add_amount(start, duration.amount, duration.unit)

    def add_amount(self, start: dt.datetime, amount: int, unit: TimeUnit) -> dt.datetime:
        """:meth:`add` for ``amount`` ``unit`` (as :func:`kinerja.sop.durations.parse_duration`
        gives them)."""
        local = self._local(start, "start")
        if unit == TimeUnit.DAY:
            return self._add_days(local, amount)
        minutes = amount * (60 if unit == TimeUnit.HOUR else 1)
        return self._add_minutes(local, minutes)

    def _add_minutes(self, local: dt.datetime, minutes: int) -> dt.datetime:
        remaining = dt.timedelta(minutes=minutes)
        instant = local.astimezone(UTC)
        for _day, intervals in self._days_from(local.date()):
            for start, end in intervals:
                start = max(start, instant)
                if start >= end:
                    continue
                # "<=": intervals are closed at the end, so work that fits exactly is due at
                # the break or closing, not after it.
                if remaining <= end - start:
                    return (start + remaining).astimezone(self.tz)
                remaining -= end - start
        raise AssertionError("unreachable")  # pragma: no cover

    def _add_days(self, local: dt.datetime, days: int) -> dt.datetime:
        base = self.next_opening(local)
        clock = base.time()
        remaining = days
        target = base.date()
        for day, intervals in self._days_from(base.date() + dt.timedelta(days=1)):
            if intervals:
                remaining -= 1
                if remaining == 0:
                    target = day
                    break
        hours = self.office_day(target)
        assert hours is not None
        return self._clamp(target, clock, hours)

    def _clamp(self, day: dt.date, clock: dt.time, hours: OfficeDay) -> dt.datetime:
        """``clock`` on ``day`` if it is office time or a boundary, else the boundary before."""
        spans = hours.intervals()
        chosen = spans[0][0]  # before the opening: the opening itself (see module rules)
        for opening, closing in spans:
            if opening <= clock <= closing:
                chosen = clock
                break
            if closing < clock:
                chosen = closing
        return dt.datetime.combine(day, chosen, tzinfo=self.tz).astimezone(UTC).astimezone(self.tz)

    def working_time(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Office time between two instants (zero if ``end`` is not after ``start``)."""
        start_local = self._local(start, "start")
        end_local = self._local(end, "end")
        if end_local <= start_local:
            return dt.timedelta(0)
        lo, hi = start_local.astimezone(UTC), end_local.astimezone(UTC)
        total = dt.timedelta(0)
        day, last = start_local.date(), end_local.date()
        while day <= last:
            for opening, closing in self._intervals(day):
                overlap = min(closing, hi) - max(opening, lo)
                if overlap > dt.timedelta(0):
                    total += overlap
            day += dt.timedelta(days=1)
        return total

    def working_minutes(self, start: dt.datetime, end: dt.datetime) -> int:
        """Whole working minutes between two instants (seconds are cut off, not rounded)."""
        return int(self.working_time(start, end).total_seconds() // 60)
