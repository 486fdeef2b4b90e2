"""Indicator rows: the one achievement arithmetic behind every page and document.

:func:`indicator_rows` (a quarter), :func:`quarter_window` (several quarters read at once:
the dashboard's table and trend) and :func:`annual_rows` (a year) compute every figure of an
indicator through :func:`quarter_figures` and :func:`year_figures`, which apply
:mod:`kinerja.performance.achievement` under the indicator's polarity and roll-up rule.
Pages, reports and charts read these rows (or the selectors built on them); no other module
computes an achievement or a rating. Each selector runs a fixed number of queries however
many indicators, quarters or files there are (pinned by tests/performance/test_selectors.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from kinerja.core.periods import Period

from .. import achievement as calc
from ..achievement import Band, Entry, Rating, Reason
from ..agreements import choose_targets
from ..models import (
    AgreementTarget,
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


# --------------------------------------------------------------------------------------------
# Building blocks (each one query)


def current_agreement(agency, year: int) -> PerformanceAgreement | None:
    return PerformanceAgreement.objects.filter(agency=agency, year=year, is_current=True).first()


def rating_bands(agency) -> tuple[Band, ...]:
    """The agency's scale, else the global one, else the built-in default; bands from the
    highest ``above`` down. One query (the scales with their bands, joined)."""
    rows = (
        RatingScale.objects.filter(Q(agency=agency) | Q(agency__isnull=True))
        .order_by()
        .values_list(
            "pk", "agency_id", "bands__above", "bands__code", "bands__label", "bands__css_class"
        )
    )
    scales: dict[int, list] = {}
    own: int | None = None
    for scale_id, agency_id, above, code, label, css_class in rows:
        bands = scales.setdefault(scale_id, [])
        if agency_id is not None:
            own = scale_id
        if code is not None:
            bands.append(Band(above, Rating(code, label, css_class or "text-bg-secondary")))
    if not scales:
        return calc.DEFAULT_BANDS
    bands = scales[own if own is not None else next(iter(scales))]
    if not bands:
        return calc.DEFAULT_BANDS
    return tuple(sorted(bands, key=lambda b: (b.above is None, -(b.above or 0))))


# --------------------------------------------------------------------------------------------
# The arithmetic of one indicator (pure: no query)


def _formula(ind: Indicator) -> dict[str, str]:
    return {"polarity": ind.polarity, "negative_formula": ind.negative_formula}


def quarter_achievement(
    ind: Indicator, target: Decimal | None, real: Realisation | None
) -> calc.Result:
    """The achievement of one quarter: its realisation against its Rencana Aksi target."""
    return calc.achievement(
        target,
        real.value if real else None,
        not_available=bool(real and real.not_available),
        **_formula(ind),
    )


def quarter_figures(ind: Indicator, entries: list[Entry]) -> calc.Cumulative:
    """Year to date: ``entries`` (quarters 1..q, in order) rolled up by the indicator's rule
    against their rolled-up targets."""
    return calc.cumulative(entries, rule=ind.rollup, **_formula(ind))


def year_figures(
    ind: Indicator, entries: list[Entry], annual_target: Decimal | None
) -> calc.Cumulative:
    """The whole year: the four quarters rolled up by the indicator's rule against the annual
    (PK) target. Only the PK target counts for a year: without it there is no achievement
    (reason ``no_target`` once there is a realisation)."""
    whole = calc.cumulative(
        entries, rule=ind.rollup, target_override=annual_target, **_formula(ind)
    )
    if annual_target is None:
        reason = whole.result.reason if whole.realisation is None else Reason.NO_TARGET
        whole = calc.Cumulative(
            None, whole.realisation, calc.Result(None, reason), whole.realisation_exact
        )
    return whole


# --------------------------------------------------------------------------------------------
# Building blocks (each one query)


def _lock_name(year: int, quarter: int) -> str:
    return f"locked_{year}_{quarter}"


def _indicators(agency, unit_ids=None, indicator_ids=None, quarters=()) -> list[Indicator]:
    """The active indicators, each with whether its owner unit's quarter is locked now, for
    each (year, quarter) of ``quarters`` (``_lock_name`` attributes: one query, not two)."""
    locks = {
        _lock_name(y, q): Exists(
            UnitPeriodLock.objects.filter(
                unit_id=OuterRef("owner_unit_id"), year=y, quarter=q, unlocked_at__isnull=True
            )
        )
        for y, q in quarters
    }
    qs = (
        Indicator.objects.filter(agency=agency, is_active=True)
        .select_related("objective", "objective__plan", "owner_unit")
        .annotate(**locks)
    )
    if unit_ids is not None:
        qs = qs.filter(owner_unit_id__in=list(unit_ids))
    if indicator_ids is not None:
        qs = qs.filter(pk__in=list(indicator_ids))
    return list(qs.order_by("objective__order", "objective__code", "order", "code"))


def _target_versions(agency, years, indicator_ids=None) -> list[tuple]:
    """Every PK version's targets of ``years`` (None: all): ``(year, version, effective date,
    indicator id, target)`` rows for :func:`~kinerja.performance.agreements.choose_targets`."""
    qs = AgreementTarget.objects.filter(agreement__agency=agency)
    if years is not None:
        qs = qs.filter(agreement__year__in=list(years))
    if indicator_ids is not None:
        qs = qs.filter(indicator_id__in=list(indicator_ids))
    return list(
        qs.values_list(
            "agreement__year",
            "agreement__version",
            "agreement__effective_date",
            "indicator_id",
            "target",
        )
    )


def _in_years(qs, years):
    return qs if years is None else qs.filter(year__in=list(years))


def _quarter_targets(indicator_ids, years) -> dict[tuple[int, int, int], Decimal]:
    qs = _in_years(QuarterTarget.objects.filter(indicator_id__in=indicator_ids), years)
    return {
        (i, y, q): t for i, y, q, t in qs.values_list("indicator_id", "year", "quarter", "target")
    }


def _realisations(indicator_ids, years) -> dict[tuple[int, int, int], Realisation]:
    qs = (
        _in_years(Realisation.objects.filter(indicator_id__in=indicator_ids), years)
        .select_related("entered_by")
        .annotate(n_evidence=Count("evidence", filter=Q(evidence__removed_at__isnull=True)))
    )
    return {(r.indicator_id, r.year, r.quarter): r for r in qs}


def _locked_units(agency, years) -> set[tuple[int, int, int]]:
    """(unit id, year, quarter) of the quarters locked now."""
    qs = _in_years(UnitPeriodLock.objects.filter(agency=agency, unlocked_at__isnull=True), years)
    return set(qs.order_by().values_list("unit_id", "year", "quarter"))


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


@dataclass
class _Data:
    """Everything the rows of an agency are computed from, read once for ``years``."""

    indicators: list[Indicator]
    versions: list[tuple]
    qtargets: dict
    reals: dict
    locked: set[tuple[int, int, int]]
    bands: tuple[Band, ...]

    def targets_on(self, year: int, on: dt.date) -> tuple[dict, int | None]:
        """(indicator id -> annual target, PK version) of the version in force on ``on``."""
        targets, versions = choose_targets(self.versions, {year: on})
        return {i: t for (y, i), t in targets.items() if y == year}, versions.get(year)


def _read(
    agency,
    years: Iterable[int] | None,
    unit_ids: Iterable[int] | None = None,
    indicator_ids: Iterable[int] | None = None,
    quarters: Iterable[tuple[int, int]] | None = None,
) -> _Data:
    """The active indicators of ``agency`` (of ``unit_ids``, of ``indicator_ids``; None: all)
    with their figures of ``years`` (None: every year) and the locks of ``quarters`` ((year,
    quarter) pairs; None: every quarter of ``years``). Five queries (six with a configured
    rating scale; one more when ``quarters`` is None)."""
    years = None if years is None else sorted(set(years))
    quarters = None if quarters is None else sorted(set(quarters))
    indicators = _indicators(agency, unit_ids, indicator_ids, quarters or ())
    ids = [i.pk for i in indicators]
    if quarters is None:
        locked = _locked_units(agency, years)
    else:
        locked = {
            (ind.owner_unit_id, y, q)
            for ind in indicators
            for y, q in quarters
            if getattr(ind, _lock_name(y, q))
        }
    return _Data(
        indicators=indicators,
        versions=_target_versions(agency, years, ids if indicator_ids is not None else None),
        qtargets=_quarter_targets(ids, years),
        reals=_realisations(ids, years),
        locked=locked,
        bands=rating_bands(agency),
    )


# --------------------------------------------------------------------------------------------
# The contract


def _quarter_row(ind: Indicator, period: Period, data: _Data, targets, version) -> IndicatorRow:
    year, q = period.year, period.quarter
    real = data.reals.get((ind.pk, year, q))
    status = _status(real)
    qtarget = data.qtargets.get((ind.pk, year, q))
    quarter = quarter_achievement(ind, qtarget, real)
    ytd = quarter_figures(
        ind, [_entry(ind.pk, year, n, data.qtargets, data.reals) for n in range(1, q + 1)]
    )
    shown = ytd.result.value if ytd.result.value is not None else quarter.value
    basis = RATED_YTD if ytd.result.value is not None else RATED_QUARTER
    return IndicatorRow(
        indicator=ind,
        objective=ind.objective,
        unit=ind.owner_unit,
        period=period,
        annual_target=targets.get(ind.pk),
        quarter_target=qtarget,
        realisation=real.value if real else None,
        status=status,
        not_available_reason=real.not_available_reason if real else "",
        ytd_target=ytd.target,
        ytd_realisation=ytd.realisation,
        achievement=quarter.value,
        achievement_ytd=ytd.result.value,
        rating=calc.rating(shown, data.bands),
        rating_basis=basis,
        problems=real.problems if real else "",
        actions=real.actions if real else "",
        evidence_count=real.n_evidence if real else 0,
        locked=(ind.owner_unit_id, year, q) in data.locked,
        realisation_id=real.pk if real else None,
        agreement_version=version,
        achievement_reason=quarter.reason,
        achievement_ytd_reason=ytd.result.reason,
        lock_version=real.lock_version if real else 0,
        entered_by=real.entered_by if real else None,
        entered_at=real.entered_at if real else None,
        final_target=ind.final_target,
        achievement_exact=quarter.exact,
        achievement_ytd_exact=ytd.result.exact,
    )


def _quarter_rows(data: _Data, period: Period) -> list[IndicatorRow]:
    targets, version = data.targets_on(period.year, period.end)
    return [_quarter_row(ind, period, data, targets, version) for ind in data.indicators]


def indicator_rows(*, agency, period: Period, unit=None) -> list[IndicatorRow]:
    """Every active indicator of ``agency`` (or of ``unit``) in quarter ``period``.

    Quarter achievement: the quarter's realisation against its Rencana Aksi target;
    year to date: quarters 1..q rolled up by the indicator's rule. ``rating`` rates the
    year-to-date achievement (the quarter's when YTD is None). Anyone who may see the unit
    may call it (the caller checks scope). 6 queries (7 with a configured rating scale).
    """
    if not period.is_quarter:
        raise ValueError("indicator_rows needs a quarter period; use annual_rows for a year")
    data = _read(
        agency,
        [period.year],
        None if unit is None else [unit.pk],
        quarters=[(period.year, period.quarter)],
    )
    return _quarter_rows(data, period)


@dataclass
class QuarterWindow:
    """:func:`indicator_rows` of several quarters, read at once."""

    periods: list[Period]  # oldest first
    rows: dict[Period, list[IndicatorRow]]
    # indicators with a realisation (a figure or "not available") in the periods' years
    reported: set[int]


def quarter_window(*, agency, periods: list[Period], unit_ids=None) -> QuarterWindow:
    """The :func:`indicator_rows` of each quarter of ``periods`` (of the indicators of
    ``unit_ids``; None: every unit), the same rows those quarters get one by one. 6 queries
    (7 with a configured rating scale) however many quarters."""
    if not all(p.is_quarter for p in periods):
        raise ValueError("quarter_window needs quarter periods")
    data = _read(
        agency, {p.year for p in periods}, unit_ids, quarters=[(p.year, p.quarter) for p in periods]
    )
    return QuarterWindow(
        periods=list(periods),
        rows={p: _quarter_rows(data, p) for p in periods},
        reported={i for i, _y, _q in data.reals},
    )


def annual_rows(*, agency, year: int, previous_years: int = 4) -> list[IndicatorRow]:
    """Every active indicator of ``agency`` for a whole year (LKjIP, Bab III).

    ``realisation`` is the roll-up of the four quarters (rule as in YTD), compared with the
    annual PK target (``annual_target``; ``quarter_target`` is None). ``previous_realisations``
    holds the rolled-up realisation of up to ``previous_years`` earlier years;
    ``achievement_final`` compares the realisation with the Renstra final target. ``locked``
    is True when all four quarters of the unit are locked. Problems and actions are the
    quarters' texts joined with their quarter label. 6 queries (7 with a configured scale).
    """
    data = _read(
        agency, range(year - previous_years, year + 1), quarters=[(year, n) for n in range(1, 5)]
    )
    return [_year_row(ind, year, data, previous_years) for ind in data.indicators]


def _year_row(ind: Indicator, year: int, data: _Data, previous_years: int) -> IndicatorRow:
    targets, version = data.targets_on(year, Period(year).end)
    qtargets, reals = data.qtargets, data.reals
    annual_target = targets.get(ind.pk)
    whole = year_figures(
        ind, [_entry(ind.pk, year, n, qtargets, reals) for n in range(1, 5)], annual_target
    )
    previous = {}
    for y in range(year - previous_years, year):
        if not any((ind.pk, y, n) in reals or (ind.pk, y, n) in qtargets for n in range(1, 5)):
            continue  # nothing recorded that year: left out rather than shown as "–"
        past = quarter_figures(ind, [_entry(ind.pk, y, n, qtargets, reals) for n in range(1, 5)])
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
    return IndicatorRow(
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
        rating=calc.rating(whole.result.value, data.bands),
        rating_basis=RATED_YEAR,
        problems=_joined((n, r.problems) for n, r in enumerate(quarter_reals, 1) if r),
        actions=_joined((n, r.actions) for n, r in enumerate(quarter_reals, 1) if r),
        evidence_count=sum(r.n_evidence for r in present),
        locked=all((ind.owner_unit_id, year, n) in data.locked for n in range(1, 5)),
        realisation_id=None,
        agreement_version=version,
        achievement_reason=whole.result.reason,
        achievement_ytd_reason=whole.result.reason,
        previous_realisations=previous,
        final_target=ind.final_target,
        achievement_final=final.value,
        achievement_exact=whole.result.exact,
        achievement_ytd_exact=whole.result.exact,
    )


def _joined(parts: Iterable[tuple[int, str]]) -> str:
    from kinerja.core.periods import ROMAN

    texts = [f"TW {ROMAN[n]}: {text.strip()}" for n, text in parts if text and text.strip()]
    return "\n".join(texts)


def average_achievement(rows: list[IndicatorRow]) -> Decimal | None:
    """The mean of the rows' achievements (``achievement_exact``: a year's for
    :func:`annual_rows`), rounded once; None when none has one (the LKjIP's summary)."""
    return calc.average([r.achievement_exact for r in rows])


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
