"""Figures over time, built on the rows of :mod:`.rows` (the one arithmetic): an indicator's
quarters and years (the indicator page) and the units' average year-to-date achievement over
the last quarters (the dashboard's trend); plus small reads of single rows."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from django.utils import timezone

from kinerja.core.periods import Period

from .. import achievement as calc
from ..models import Indicator, PerformanceAgreement, QuarterTarget, Realisation, UnitPeriodLock
from .rows import QuarterWindow, _read, _year_row, quarter_achievement, quarter_window


class HistoryPoint(NamedTuple):
    period: Period
    target: Decimal | None
    realisation: Decimal | None
    achievement: Decimal | None


def _history(indicator: Indicator, qtargets, reals, years: int) -> list[HistoryPoint]:
    """The quarters with a target or a realisation of the ``years`` years ending with the
    latest such year (this year without any), oldest first. ``qtargets``/``reals`` are keyed
    by (indicator id, year, quarter)."""
    keys = {(y, q) for i, y, q in [*qtargets, *reals] if i == indicator.pk}
    last_year = max((y for y, _ in keys), default=timezone.localdate().year)
    points = []
    for y, q in sorted(k for k in keys if k[0] > last_year - years):
        target = qtargets.get((indicator.pk, y, q))
        real = reals.get((indicator.pk, y, q))
        result = quarter_achievement(indicator, target, real)
        points.append(
            HistoryPoint(Period(y, q), target, real.value if real else None, result.value)
        )
    return points


def indicator_history(*, indicator: Indicator, years: int = 5) -> list[HistoryPoint]:
    """Quarterly target, realisation and achievement of ``indicator`` over ``years`` years,
    ending with the latest year that has a target or realisation (this year without any).
    Only quarters with a target or a realisation are listed, oldest first. The quarter
    achievement of :func:`~.rows.indicator_rows`. 2 queries.
    """
    qtargets = {
        (indicator.pk, y, q): t
        for y, q, t in QuarterTarget.objects.filter(indicator=indicator).values_list(
            "year", "quarter", "target"
        )
    }
    reals = {
        (indicator.pk, r.year, r.quarter): r
        for r in Realisation.objects.filter(indicator=indicator).only(
            "year", "quarter", "value", "not_available"
        )
    }
    return _history(indicator, qtargets, reals, years)


@dataclass
class YearPoint:
    year: int
    target: Decimal | None  # the annual target of the PK version in force at the year's end
    realisation: Decimal | None  # the four quarters rolled up by the indicator's rule
    achievement: Decimal | None
    reason: str  # why achievement is None (a label), else ""


@dataclass
class IndicatorPage:
    indicator: Any  # performance.Indicator
    quarters: list[HistoryPoint]  # oldest first
    years: list[YearPoint]  # oldest first


def indicator_page(indicator: Indicator, *, years: int = 5) -> IndicatorPage:
    """The indicator's quarters (as :func:`indicator_history`) and, per year, its annual
    figures: the row :func:`~.rows.annual_rows` gives it for that year (the quarters rolled
    up against the PK target in force at the year's end). Years shown: those with a quarter
    listed or an annual target, up to the last year with a quarter. 6 queries (7 with a
    configured rating scale)."""
    data = _read(indicator.agency, None, indicator_ids=[indicator.pk])
    history = _history(indicator, data.qtargets, data.reals, years)
    if not history:
        return IndicatorPage(indicator=indicator, quarters=[], years=[])
    with_target = {
        y
        for y in {row[0] for row in data.versions}
        if indicator.pk in data.targets_on(y, Period(y).end)[0]
    }
    last = max(p.period.year for p in history)
    shown = sorted(
        y for y in {p.period.year for p in history} | with_target if last - years < y <= last
    )
    points = []
    for year in shown:
        row = _year_row(indicator, year, data, 0)
        points.append(
            YearPoint(
                year=year,
                target=row.annual_target,
                realisation=row.realisation,
                achievement=row.achievement,
                reason=row.achievement_reason_label,
            )
        )
    return IndicatorPage(indicator=indicator, quarters=history, years=points)


# --------------------------------------------------------------------------------------------
# Achievement trends (the dashboard's charts)


@dataclass
class UnitTrend:
    unit_id: int
    unit_name: str
    values: list[Decimal | None]  # average year-to-date achievement per quarter of the window
    unit: Any = None  # organization.Unit


@dataclass
class AchievementTrend:
    periods: list[Period]  # oldest first
    units: list[UnitTrend]


def trend_quarters(period: Period, count: int = 8) -> list[Period]:
    """The ``count`` quarters up to ``period`` (its fourth quarter for a year), oldest first."""
    last = period if period.is_quarter else Period(period.year, 4)
    window = [last]
    while len(window) < count:
        window.insert(0, window[0].previous())
    return window


def trend_of(window: QuarterWindow) -> AchievementTrend:
    """Per unit, the average of its indicators' year-to-date achievement
    (``IndicatorRow.achievement_ytd``, averaged exact and rounded once) in each quarter of
    ``window`` (None where no indicator has a figure). Units without any realisation in the
    window's years are left out; units in the office's order. No query."""
    units: dict[int, Any] = {}
    for rows in window.rows.values():
        for row in rows:
            if row.indicator.pk in window.reported:
                units.setdefault(row.unit.pk, row.unit)
    ordered = sorted(units.values(), key=lambda u: (u.order, u.name))
    trend = []
    for unit in ordered:
        values = [
            calc.average([r.achievement_ytd_exact for r in window.rows[p] if r.unit.pk == unit.pk])
            for p in window.periods
        ]
        trend.append(UnitTrend(unit_id=unit.pk, unit_name=unit.name, values=values, unit=unit))
    return AchievementTrend(periods=window.periods, units=trend)


def unit_achievement_trend(
    agency, period: Period, unit_ids: set[int] | None, *, quarters: int = 8
) -> AchievementTrend:
    """:func:`trend_of` the ``quarters`` quarters up to ``period`` (of the units ``unit_ids``;
    None: every unit of the agency): the figures :func:`~.rows.indicator_rows` gives each of
    those quarters. 6 queries (7 with a configured rating scale)."""
    periods = trend_quarters(period, quarters)
    return trend_of(quarter_window(agency=agency, periods=periods, unit_ids=unit_ids))


# --------------------------------------------------------------------------------------------
# Single rows


def unit_locks(*, unit_ids, period: Period) -> list[UnitPeriodLock]:
    """The locks (in force and lifted) of ``period`` (a quarter) for ``unit_ids``, in the
    units' order. One query."""
    if not period.is_quarter:
        return []
    return list(
        UnitPeriodLock.objects.filter(
            unit_id__in=list(unit_ids), year=period.year, quarter=period.quarter
        )
        .select_related("unit", "locked_by", "unlocked_by")
        .order_by("unit__order", "unit__name", "locked_at", "id")
    )


def realisation_for(*, indicator: Indicator, period: Period) -> Realisation | None:
    """The realisation row of ``indicator`` in quarter ``period`` (with its live evidence)."""
    return (
        Realisation.objects.filter(indicator=indicator, year=period.year, quarter=period.quarter)
        .prefetch_related("evidence")
        .first()
    )


def unit_is_locked(*, unit, period: Period) -> bool:
    return UnitPeriodLock.objects.filter(
        unit=unit, year=period.year, quarter=period.quarter, unlocked_at__isnull=True
    ).exists()


def agreement_versions(*, agency, year: int) -> list[PerformanceAgreement]:
    """Every version of the PK of ``year``, newest first, with targets and programmes."""
    return list(
        PerformanceAgreement.objects.filter(agency=agency, year=year)
        .select_related("created_by")
        .prefetch_related("targets__indicator", "programs")
        .order_by("-version")
    )
