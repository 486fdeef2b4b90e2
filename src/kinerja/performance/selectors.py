"""Reads of performance data: the contract the report, web and notification apps code against.

Every selector runs a fixed number of queries however many indicators, quarters or files
there are (pinned by tests/performance/test_selectors.py). Achievements are computed in
Python by :mod:`kinerja.performance.achievement`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.periods import Period

from . import achievement as calc
from .achievement import Band, Entry, Rating, Reason
from .models import (
    AgreementProgram,
    BudgetRealisation,
    Indicator,
    Objective,
    PerformanceAgreement,
    QuarterTarget,
    RatingScale,
    Realisation,
    UnitPeriodLock,
)

STATUS_OK = "ok"
STATUS_MISSING = "missing"
STATUS_NOT_AVAILABLE = "not_available"


RATED_YTD = "ytd"  # the year-to-date achievement (quarters 1..q)
RATED_QUARTER = "quarter"  # the quarter's achievement (when year to date has none)
RATED_YEAR = "year"  # the whole year against the PK target (annual_rows)


@dataclass
class IndicatorRow:
    """One indicator in a quarter (``indicator_rows``) or a year (``annual_rows``).

    Figures are ``Decimal`` or ``None``; ``achievement_reason``/``achievement_ytd_reason`` say
    why an achievement is ``None`` (a :class:`~.achievement.Reason`).
    """

    indicator: Indicator
    objective: Objective
    unit: object  # organization.Unit, the owner unit
    period: Period
    annual_target: Decimal | None
    quarter_target: Decimal | None
    realisation: Decimal | None
    status: str  # 'ok' | 'missing' | 'not_available'
    not_available_reason: str
    ytd_target: Decimal | None
    ytd_realisation: Decimal | None
    achievement: Decimal | None
    achievement_ytd: Decimal | None
    rating: Rating | None
    problems: str
    actions: str
    evidence_count: int
    locked: bool
    realisation_id: int | None
    agreement_version: int | None
    achievement_reason: Reason | None = None
    achievement_ytd_reason: Reason | None = None
    lock_version: int = 0  # send back as expected_version when saving
    entered_by: object | None = None
    entered_at: object | None = None
    # annual_rows only
    previous_realisations: dict[int, Decimal | None] = field(default_factory=dict)
    final_target: Decimal | None = None
    achievement_final: Decimal | None = None  # realisation against the Renstra final target
    # which achievement ``rating`` rates: RATED_YTD, RATED_QUARTER or RATED_YEAR
    rating_basis: str = ""
    # the achievements before their one rounding, for figures built on them (averages)
    achievement_exact: Decimal | None = None
    achievement_ytd_exact: Decimal | None = None

    @property
    def achievement_reason_label(self) -> str:
        return str(calc.REASON_LABELS[self.achievement_reason]) if self.achievement_reason else ""

    @property
    def rating_basis_label(self) -> str:
        """Which figure the rating belongs to, in the page's language: "Capaian s.d. TW III",
        "Capaian TW III" or "Capaian tahun 2026" (shown next to every rating)."""
        from django.utils.translation import gettext

        from kinerja.core.periods import ROMAN

        if not self.rating:
            return ""
        if self.rating_basis == RATED_YEAR:
            return gettext("Capaian tahun %(year)d") % {"year": self.period.year}
        quarter = ROMAN[self.period.quarter]
        if self.rating_basis == RATED_QUARTER:
            return gettext("Capaian TW %(quarter)s") % {"quarter": quarter}
        return gettext("Capaian s.d. TW %(quarter)s") % {"quarter": quarter}

    @property
    def rating_basis_text(self) -> str:
        """The same in Indonesian, for documents: "s.d. TW III", "TW III", "tahun 2026"."""
        from kinerja.core.periods import ROMAN

        if not self.rating:
            return ""
        if self.rating_basis == RATED_YEAR:
            return f"tahun {self.period.year}"
        quarter = "TW " + ROMAN[self.period.quarter]
        return quarter if self.rating_basis == RATED_QUARTER else f"s.d. {quarter}"

    @property
    def achievement_ytd_reason_label(self) -> str:
        reason = self.achievement_ytd_reason
        return str(calc.REASON_LABELS[reason]) if reason else ""


@dataclass
class BudgetRow:
    code: str
    name: str
    budget: Decimal
    realised_quarter: Decimal
    realised_ytd: Decimal
    absorption_ytd: Decimal | None
    achievement_avg: Decimal | None
    efficient: bool | None
    indicator_codes: list[str] = field(default_factory=list)


class HistoryPoint(NamedTuple):
    period: Period
    target: Decimal | None
    realisation: Decimal | None
    achievement: Decimal | None


# --------------------------------------------------------------------------------------------
# Building blocks (each one query)


def current_agreement(agency, year: int) -> PerformanceAgreement | None:
    return PerformanceAgreement.objects.filter(agency=agency, year=year, is_current=True).first()


def rating_bands(agency) -> tuple[Band, ...]:
    """The agency's scale, else the global one, else the built-in default. One query."""
    scales = list(
        RatingScale.objects.filter(Q(agency=agency) | Q(agency__isnull=True)).prefetch_related(
            "bands"
        )
    )
    if not scales:
        return calc.DEFAULT_BANDS
    scales.sort(key=lambda s: s.agency_id is None)
    bands = list(scales[0].bands.all())
    if not bands:
        return calc.DEFAULT_BANDS
    return tuple(
        Band(b.above, Rating(b.code, b.label, b.css_class or "text-bg-secondary")) for b in bands
    )


def _indicators(agency, unit=None, ids: Iterable[int] | None = None) -> list[Indicator]:
    qs = Indicator.objects.filter(agency=agency, is_active=True).select_related(
        "objective", "objective__plan", "owner_unit"
    )
    if unit is not None:
        qs = qs.filter(owner_unit=unit)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return list(qs.order_by("objective__order", "objective__code", "order", "code"))


def _annual_targets(agency, on: dict[int, dt.date]) -> tuple[dict, dict]:
    """(year, indicator id) -> target and year -> version of the PK versions in force on
    ``on[year]`` (the period's end: :mod:`kinerja.performance.agreements`)."""
    from .agreements import targets_in_force

    return targets_in_force(agency, on)


def _quarter_targets(indicator_ids, years: Iterable[int]) -> dict[tuple[int, int, int], Decimal]:
    return {
        (i, y, q): t
        for i, y, q, t in QuarterTarget.objects.filter(
            indicator_id__in=indicator_ids, year__in=list(years)
        ).values_list("indicator_id", "year", "quarter", "target")
    }


def _realisations(indicator_ids, years: Iterable[int]) -> dict[tuple[int, int, int], Realisation]:
    qs = (
        Realisation.objects.filter(indicator_id__in=indicator_ids, year__in=list(years))
        .select_related("entered_by")
        .annotate(n_evidence=Count("evidence", filter=Q(evidence__removed_at__isnull=True)))
    )
    return {(r.indicator_id, r.year, r.quarter): r for r in qs}


def _locked_units(agency, year: int, quarters: Iterable[int]) -> set[tuple[int, int]]:
    return set(
        UnitPeriodLock.objects.filter(
            agency=agency, year=year, quarter__in=list(quarters), unlocked_at__isnull=True
        ).values_list("unit_id", "quarter")
    )


def _entry(indicator_id, year, quarter, qtargets, reals) -> Entry:
    real = reals.get((indicator_id, year, quarter))
    return Entry(
        target=qtargets.get((indicator_id, year, quarter)),
        value=real.value if real else None,
        not_available=bool(real and real.not_available),
    )


def _status(real: Realisation | None) -> str:
    if real is None:
        return STATUS_MISSING
    if real.not_available:
        return STATUS_NOT_AVAILABLE
    return STATUS_OK if real.value is not None else STATUS_MISSING


# --------------------------------------------------------------------------------------------
# The contract


def indicator_rows(*, agency, period: Period, unit=None) -> list[IndicatorRow]:
    """Every active indicator of ``agency`` (or of ``unit``) in quarter ``period``.

    Quarter achievement: the quarter's realisation against its Rencana Aksi target;
    year to date: quarters 1..q rolled up by the indicator's rule. ``rating`` rates the
    year-to-date achievement (the quarter's when YTD is None). Anyone who may see the unit
    may call it (the caller checks scope). 6 queries (7 with a configured rating scale).
    """
    if not period.is_quarter:
        raise ValueError("indicator_rows needs a quarter period; use annual_rows for a year")
    year, q = period.year, period.quarter
    indicators = _indicators(agency, unit)
    ids = [i.pk for i in indicators]
    targets, versions = _annual_targets(agency, {year: period.end})
    qtargets = _quarter_targets(ids, [year])
    reals = _realisations(ids, [year])
    locked = _locked_units(agency, year, [q])
    bands = rating_bands(agency)
    rows = []
    for ind in indicators:
        real = reals.get((ind.pk, year, q))
        status = _status(real)
        qtarget = qtargets.get((ind.pk, year, q))
        quarter = calc.achievement(
            qtarget,
            real.value if real else None,
            polarity=ind.polarity,
            negative_formula=ind.negative_formula,
            not_available=status == STATUS_NOT_AVAILABLE,
        )
        ytd = calc.cumulative(
            [_entry(ind.pk, year, n, qtargets, reals) for n in range(1, q + 1)],
            rule=ind.rollup,
            polarity=ind.polarity,
            negative_formula=ind.negative_formula,
        )
        shown = ytd.result.value if ytd.result.value is not None else quarter.value
        basis = RATED_YTD if ytd.result.value is not None else RATED_QUARTER
        rows.append(
            IndicatorRow(
                indicator=ind,
                objective=ind.objective,
                unit=ind.owner_unit,
                period=period,
                annual_target=targets.get((year, ind.pk)),
                quarter_target=qtarget,
                realisation=real.value if real else None,
                status=status,
                not_available_reason=real.not_available_reason if real else "",
                ytd_target=ytd.target,
                ytd_realisation=ytd.realisation,
                achievement=quarter.value,
                achievement_ytd=ytd.result.value,
                rating=calc.rating(shown, bands),
                rating_basis=basis,
                problems=real.problems if real else "",
                actions=real.actions if real else "",
                evidence_count=real.n_evidence if real else 0,
                locked=(ind.owner_unit_id, q) in locked,
                realisation_id=real.pk if real else None,
                agreement_version=versions.get(year),
                achievement_reason=quarter.reason,
                achievement_ytd_reason=ytd.result.reason,
                lock_version=real.lock_version if real else 0,
                entered_by=real.entered_by if real else None,
                entered_at=real.entered_at if real else None,
                final_target=ind.final_target,
                achievement_exact=quarter.exact,
                achievement_ytd_exact=ytd.result.exact,
            )
        )
    return rows


def annual_rows(*, agency, year: int, previous_years: int = 4) -> list[IndicatorRow]:
    """Every active indicator of ``agency`` for a whole year (LKjIP, Bab III).

    ``realisation`` is the roll-up of the four quarters (rule as in YTD), compared with the
    annual PK target (``annual_target``; ``quarter_target`` is None). ``previous_realisations``
    holds the rolled-up realisation of up to ``previous_years`` earlier years;
    ``achievement_final`` compares the realisation with the Renstra final target. ``locked``
    is True when all four quarters of the unit are locked. Problems and actions are the
    quarters' texts joined with their quarter label. 6 queries (7 with a configured scale).
    """
    years = list(range(year - previous_years, year + 1))
    indicators = _indicators(agency)
    ids = [i.pk for i in indicators]
    targets, versions = _annual_targets(agency, {year: Period(year).end})
    qtargets = _quarter_targets(ids, years)
    reals = _realisations(ids, years)
    locked = _locked_units(agency, year, [1, 2, 3, 4])
    bands = rating_bands(agency)
    rows = []
    for ind in indicators:
        annual_target = targets.get((year, ind.pk))
        kwargs = {
            "rule": ind.rollup,
            "polarity": ind.polarity,
            "negative_formula": ind.negative_formula,
        }
        entries = [_entry(ind.pk, year, n, qtargets, reals) for n in range(1, 5)]
        whole = calc.cumulative(entries, target_override=annual_target, **kwargs)
        if annual_target is None:
            # Only the PK target counts for a year: without it there is no achievement.
            reason = whole.result.reason if whole.realisation is None else Reason.NO_TARGET
            whole = calc.Cumulative(
                None, whole.realisation, calc.Result(None, reason), whole.realisation_exact
            )
        previous = {}
        for y in years[:-1]:
            if not any((ind.pk, y, n) in reals or (ind.pk, y, n) in qtargets for n in range(1, 5)):
                continue  # nothing recorded that year: left out rather than shown as "–"
            past = calc.cumulative(
                [_entry(ind.pk, y, n, qtargets, reals) for n in range(1, 5)], **kwargs
            )
            previous[y] = past.realisation
        quarter_reals = [reals.get((ind.pk, year, n)) for n in range(1, 5)]
        present = [r for r in quarter_reals if r is not None]
        if any(r.not_available for r in present) and whole.realisation is None:
            status = STATUS_NOT_AVAILABLE
        elif whole.realisation is None:
            status = STATUS_MISSING
        else:
            status = STATUS_OK
        exact = whole.realisation_exact if whole.realisation is not None else None
        final = calc.achievement(ind.final_target, exact, **_formula(ind))
        rows.append(
            IndicatorRow(
                indicator=ind,
                objective=ind.objective,
                unit=ind.owner_unit,
                period=Period(year),
                annual_target=annual_target,
                quarter_target=None,
                realisation=whole.realisation,
                status=status,
                not_available_reason=_joined(
                    (n, r.not_available_reason) for n, r in enumerate(quarter_reals, 1) if r
                ),
                ytd_target=annual_target,
                ytd_realisation=whole.realisation,
                achievement=whole.result.value,
                achievement_ytd=whole.result.value,
                rating=calc.rating(whole.result.value, bands),
                rating_basis=RATED_YEAR,
                problems=_joined((n, r.problems) for n, r in enumerate(quarter_reals, 1) if r),
                actions=_joined((n, r.actions) for n, r in enumerate(quarter_reals, 1) if r),
                evidence_count=sum(r.n_evidence for r in present),
                locked=all((ind.owner_unit_id, n) in locked for n in range(1, 5)),
                realisation_id=None,
                agreement_version=versions.get(year),
                achievement_reason=whole.result.reason,
                achievement_ytd_reason=whole.result.reason,
                previous_realisations=previous,
                final_target=ind.final_target,
                achievement_final=final.value,
                achievement_exact=whole.result.exact,
                achievement_ytd_exact=whole.result.exact,
            )
        )
    return rows


def _formula(ind: Indicator) -> dict[str, str]:
    return {"polarity": ind.polarity, "negative_formula": ind.negative_formula}


def _joined(parts: Iterable[tuple[int, str]]) -> str:
    from kinerja.core.periods import ROMAN

    texts = [f"TW {ROMAN[n]}: {text.strip()}" for n, text in parts if text and text.strip()]
    return "\n".join(texts)


def budget_rows(*, agency, period: Period) -> list[BudgetRow]:
    """The programme table of the PK version in force at ``period``'s end with budget
    realisation.

    ``absorption_ytd`` = realised in quarters 1..q / budget × 100 (None without budget);
    ``achievement_avg`` = mean year-to-date achievement of the programme's indicators (those
    with a figure; None when none has one); ``efficient`` = achievement_avg > absorption_ytd.
    An annual ``period`` counts all four quarters. 10 queries (11 with a configured scale).
    """
    from .agreements import agreement_for_period

    year, q = period.year, period.quarter or 4
    agreement = agreement_for_period(agency, period)
    if agreement is None:
        return []
    programs = list(
        AgreementProgram.objects.filter(agreement=agreement)
        .prefetch_related(Prefetch("indicators", queryset=Indicator.objects.only("id", "code")))
        .order_by("order", "code")
    )
    spent: dict[str, dict[int, Decimal]] = defaultdict(dict)
    for code, quarter, amount in BudgetRealisation.objects.filter(
        agency=agency, year=year, quarter__lte=q
    ).values_list("program_code", "quarter", "amount"):
        spent[code][quarter] = amount
    achievements: dict[int, Decimal | None] = {}
    if any(p.indicators.all() for p in programs):
        for row in indicator_rows(agency=agency, period=Period(year, q)):
            achievements[row.indicator.pk] = row.achievement_ytd_exact  # rounded once, below
    rows = []
    for program in programs:
        realised_ytd = sum(spent[program.code].values(), Decimal(0))
        absorbed = calc.absorption(realised_ytd, program.budget).value
        linked = list(program.indicators.all())
        avg = calc.average([achievements.get(i.pk) for i in linked])
        rows.append(
            BudgetRow(
                code=program.code,
                name=program.name,
                budget=program.budget,
                realised_quarter=spent[program.code].get(q, Decimal(0)),
                realised_ytd=realised_ytd,
                absorption_ytd=absorbed,
                achievement_avg=avg,
                efficient=calc.efficient(avg, absorbed),
                indicator_codes=[i.code for i in linked],
            )
        )
    return rows


def completeness_of(rows: list[IndicatorRow]) -> list[str]:
    """The completeness rule (kelengkapan) on indicator rows already read (``indicator_rows``
    of one unit and quarter): one Indonesian line per problem. An indicator without a
    realisation (or without the reason it is not available), and an indicator that requires
    evidence without any file. A "not available" entry needs no evidence. Empty list:
    complete. No query: screens that show the rows call it on them.
    """
    problems = []
    for row in rows:
        label = f"{row.indicator.code} {row.indicator.name}"
        if row.status == STATUS_MISSING:
            problems.append(
                _("%(indicator)s: realisasi %(period)s belum diisi.")
                % {"indicator": label, "period": row.period.label}
            )
        elif row.status == STATUS_NOT_AVAILABLE and not row.not_available_reason.strip():
            problems.append(
                _("%(indicator)s: alasan data tidak tersedia belum diisi.") % {"indicator": label}
            )
        elif row.status == STATUS_OK and row.indicator.evidence_required and not row.evidence_count:
            problems.append(_("%(indicator)s: data dukung wajib diunggah.") % {"indicator": label})
    return problems


def unit_completeness(*, agency, unit, period: Period) -> list[str]:
    """What is missing before ``unit``'s report for ``period`` is complete (kelengkapan):
    :func:`completeness_of` on the unit's :func:`indicator_rows`. Empty list: complete.
    6-7 queries.
    """
    return completeness_of(indicator_rows(agency=agency, period=period, unit=unit))


def indicator_history(*, indicator: Indicator, years: int = 5) -> list[HistoryPoint]:
    """Quarterly target, realisation and achievement of ``indicator`` over ``years`` years,
    ending with the latest year that has a target or realisation (this year without any).
    Only quarters with a target or a realisation are listed, oldest first. 2 queries.
    """
    qtargets = {
        (y, q): t
        for y, q, t in QuarterTarget.objects.filter(indicator=indicator).values_list(
            "year", "quarter", "target"
        )
    }
    reals = {
        (r.year, r.quarter): r
        for r in Realisation.objects.filter(indicator=indicator).only(
            "year", "quarter", "value", "not_available"
        )
    }
    keys = set(qtargets) | set(reals)
    last_year = max((y for y, _ in keys), default=timezone.localdate().year)
    first_year = last_year - years + 1
    points = []
    for y, q in sorted(k for k in keys if k[0] >= first_year):
        real = reals.get((y, q))
        result = calc.achievement(
            qtargets.get((y, q)),
            real.value if real else None,
            not_available=bool(real and real.not_available),
            **_formula(indicator),
        )
        points.append(
            HistoryPoint(
                Period(y, q), qtargets.get((y, q)), real.value if real else None, result.value
            )
        )
    return points


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
