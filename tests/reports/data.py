"""Performance data for document tests and the benchmark: a Renstra, indicators per unit, a
PK with programmes, quarter targets, realisations (with problems/actions) and budget
realisations. Plain model writes: this is fixture data, not a user action."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from kinerja.organization.models import Agency, Unit
from kinerja.performance.models import (
    AgreementProgram,
    AgreementTarget,
    BudgetRealisation,
    Indicator,
    Objective,
    PerformanceAgreement,
    QuarterTarget,
    Realisation,
    RenstraPlan,
)


def build_performance(
    agency: Agency,
    *,
    year: int = 2026,
    per_unit: int = 2,
    quarters: int = 3,
    history_years: int = 2,
    units: list[Unit] | None = None,
) -> list[Indicator]:
    units = units or list(agency.units.filter(reports_performance=True).order_by("order"))
    plan = RenstraPlan.objects.create(
        agency=agency, title=f"Renstra {agency.name}", start_year=year - 4, end_year=year + 1
    )
    objectives = [
        Objective.objects.create(plan=plan, code=f"S{n}", name=name, order=n)
        for n, name in enumerate(
            [
                "Meningkatnya kualitas pelayanan administrasi kecamatan",
                "Meningkatnya ketenteraman dan partisipasi masyarakat",
            ],
            1,
        )
    ]
    indicators = []
    n = 0
    for u_index, unit in enumerate(units):
        for k in range(per_unit):
            n += 1
            indicators.append(
                Indicator(
                    agency=agency,
                    objective=objectives[(u_index + k) % 2],
                    code=f"IK{n:02d}",
                    name=f"Persentase layanan {unit.name.lower()} tepat waktu {k + 1}",
                    unit_of_measure="%",
                    owner_unit=unit,
                    rollup="average",
                    decimals=2,
                    baseline=Decimal("70"),
                    final_target=Decimal("95"),
                    order=n,
                )
            )
    Indicator.objects.bulk_create(indicators)
    now = timezone.now()
    agreement = PerformanceAgreement.objects.create(
        agency=agency, year=year, version=1, effective_date=dt.date(year, 1, 31), created_at=now
    )
    AgreementTarget.objects.bulk_create(
        AgreementTarget(agreement=agreement, indicator=ind, target=Decimal("90"))
        for ind in indicators
    )
    programs = []
    for p in range(3):
        program = AgreementProgram.objects.create(
            agreement=agreement,
            code=f"7.01.0{p + 1}",
            name=[
                "Program Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota",
                "Program Penyelenggaraan Pemerintahan dan Pelayanan Publik",
                "Program Pemberdayaan Masyarakat Desa dan Kelurahan",
            ][p],
            budget=Decimal(1_250_000_000 + p * 300_000_000),
            order=p,
        )
        program.indicators.set(indicators[p::3])
        programs.append(program)
    qts, reals, budget = [], [], []
    for y in range(year - history_years, year + 1):
        for q in range(1, 5):
            for i, ind in enumerate(indicators):
                qts.append(
                    QuarterTarget(
                        agency=agency, indicator=ind, year=y, quarter=q, target=Decimal(80 + q * 2)
                    )
                )
                if y == year and q > quarters:
                    continue
                value = Decimal(70 + (i * 7 + q * 3 + (year - y) * 2) % 30) + Decimal("0.5")
                reals.append(
                    Realisation(
                        agency=agency,
                        indicator=ind,
                        year=y,
                        quarter=q,
                        value=value,
                        problems="Keterlambatan data dari kelurahan" if i % 3 == 0 else "",
                        actions="Pendampingan operator kelurahan" if i % 3 == 0 else "",
                        entered_at=now,
                    )
                )
            if y == year and q <= quarters:
                for p, program in enumerate(programs):
                    budget.append(
                        BudgetRealisation(
                            agency=agency,
                            program_code=program.code,
                            year=y,
                            quarter=q,
                            amount=Decimal(210_000_000 + p * 55_000_000 + q * 1_234_567),
                            entered_at=now,
                        )
                    )
    QuarterTarget.objects.bulk_create(qts)
    Realisation.objects.bulk_create(reals)
    BudgetRealisation.objects.bulk_create(budget)
    return indicators
