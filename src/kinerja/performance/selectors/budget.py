"""The programme table with budget realisation (Tabel Anggaran of the quarterly report and
the LKjIP), built on :func:`~.rows.indicator_rows` for the programmes' achievement."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from kinerja.core.periods import Period

from .. import achievement as calc
from ..models import AgreementProgram, BudgetRealisation, Indicator
from .rows import indicator_rows


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


def budget_rows(*, agency, period: Period) -> list[BudgetRow]:
    """The programme table of the PK version in force at ``period``'s end with budget
    realisation.

    ``absorption_ytd`` = realised in quarters 1..q / budget × 100 (None without budget);
    ``achievement_avg`` = mean year-to-date achievement of the programme's indicators (those
    with a figure; None when none has one); ``efficient`` = achievement_avg > absorption_ytd.
    An annual ``period`` counts all four quarters. 10 queries (11 with a configured scale).
    """
    from ..agreements import agreement_for_period

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


@dataclass
class BudgetTotal:
    """The totals row of the programme table."""

    budget: Decimal
    realised_quarter: Decimal
    realised_ytd: Decimal
    absorption_ytd: Decimal | None  # of the totals (None without budget)


def budget_total(rows: list[BudgetRow]) -> BudgetTotal | None:
    """The sums of ``rows`` and the absorption of the sums (as every row's:
    :func:`~kinerja.performance.achievement.absorption`). None for no rows. No query."""
    if not rows:
        return None
    budget = sum((b.budget for b in rows), Decimal(0))
    ytd = sum((b.realised_ytd for b in rows), Decimal(0))
    return BudgetTotal(
        budget=budget,
        realised_quarter=sum((b.realised_quarter for b in rows), Decimal(0)),
        realised_ytd=ytd,
        absorption_ytd=calc.absorption(ytd, budget).value,
    )
