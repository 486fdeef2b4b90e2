"""Which version of a Perjanjian Kinerja (PK) applies to a period.

**Rule** (docs/documents.md): the targets of a period are those of the PK version *in force
at the period's end*: the version with the latest ``effective_date`` on or before the last
day of the period (the higher version number when two take effect the same day). A revision
that takes effect on 15 July therefore changes the targets of the third quarter and of the
year, never those of the second quarter. When no version has taken effect by the period's
end yet (a PK entered late), the first version applies: it is the only agreement there is.

Every report and page that shows targets goes through this module; ``is_current`` only says
which version a planner edits next.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Protocol, TypeVar

from kinerja.core.periods import Period

from .models import AgreementTarget, PerformanceAgreement


class _Version(Protocol):
    version: int
    effective_date: dt.date


V = TypeVar("V", bound=_Version)


def pick_version(versions: Iterable[V], on: dt.date) -> V | None:
    """The version in force on ``on`` among ``versions`` of one year's PK (pure)."""
    versions = list(versions)
    if not versions:
        return None
    in_force = [v for v in versions if v.effective_date <= on]
    if in_force:
        return max(in_force, key=lambda v: (v.effective_date, v.version))
    return min(versions, key=lambda v: v.version)


def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def agreement_in_force(agency, year: int, on: dt.date | None = None) -> PerformanceAgreement | None:
    """The version of ``agency``'s PK of ``year`` in force on ``on`` (default: 31 December
    of ``year``). One query."""
    versions = PerformanceAgreement.objects.filter(agency=agency, year=year)
    return pick_version(versions, on or year_end(year))


def agreement_for_period(agency, period: Period) -> PerformanceAgreement | None:
    """The PK version whose targets apply to ``period`` (a quarter or a year): the one in
    force on the period's last day. One query."""
    return agreement_in_force(agency, period.year, period.end)


def targets_in_force(
    agency, on: Mapping[int, dt.date]
) -> tuple[dict[tuple[int, int], Decimal], dict[int, int]]:
    """Annual targets of the versions in force: ``on`` maps a year to the day that decides
    (usually the period's end). Returns ``(year, indicator id) -> target`` and ``year ->
    version number``. One query."""
    rows = AgreementTarget.objects.filter(
        agreement__agency=agency, agreement__year__in=list(on)
    ).values_list(
        "agreement__year",
        "agreement__version",
        "agreement__effective_date",
        "indicator_id",
        "target",
    )
    return choose_targets(rows, on)


def choose_targets(
    rows: Iterable[tuple[int, int, dt.date, int, Decimal]], on: Mapping[int, dt.date]
) -> tuple[dict[tuple[int, int], Decimal], dict[int, int]]:
    """The pure half of :func:`targets_in_force`: ``rows`` are ``(year, version,
    effective_date, indicator id, target)`` of every version."""
    by_year: dict[int, dict[int, list]] = {}
    dates: dict[tuple[int, int], dt.date] = {}
    for year, version, effective, indicator_id, target in rows:
        by_year.setdefault(year, {}).setdefault(version, []).append((indicator_id, target))
        dates[(year, version)] = effective
    targets: dict[tuple[int, int], Decimal] = {}
    versions: dict[int, int] = {}
    for year, by_version in by_year.items():
        chosen = pick_version(
            [_V(v, dates[(year, v)]) for v in by_version], on.get(year) or year_end(year)
        )
        if chosen is None:
            continue
        versions[year] = chosen.version
        for indicator_id, target in by_version[chosen.version]:
            targets[(year, indicator_id)] = target
    return targets, versions


class _V:
    __slots__ = ("effective_date", "version")

    def __init__(self, version: int, effective_date: dt.date) -> None:
        self.version = version
        self.effective_date = effective_date
