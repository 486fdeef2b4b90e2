"""A small performance world on the two-unit demo office.

Indicators (2026, PK version 1):
* PEM-1 (Pemerintahan) positive, sum, evidence required: annual 100, quarters 25 each;
* PEM-2 (Pemerintahan) negative (two_minus), last: annual 10, quarters 10 each;
* TRA-1 (Trantib) negative (ratio), average: annual 20, quarters 20 each.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from tests.conftest import wita

D = Decimal


@dataclass
class World:
    office: object
    pem1: object
    pem2: object
    tra1: object

    @property
    def users(self):
        return self.office.users

    @property
    def units(self):
        return self.office.units

    @property
    def agency(self):
        return self.office.agency


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(two_unit_office) -> World:
    from kinerja.performance import services
    from kinerja.performance.models import Indicator, Objective, RenstraPlan

    office = two_unit_office
    agency = office.agency
    plan = RenstraPlan.objects.create(
        agency=agency, title="Renstra", start_year=2022, end_year=2026
    )
    objective = Objective.objects.create(plan=plan, code="SS-1", name="Sasaran", order=1)

    def indicator(code, unit, **kw):
        return Indicator.objects.create(
            agency=agency,
            objective=objective,
            code=code,
            name=f"Indikator {code}",
            unit_of_measure="%",
            owner_unit=office.units[unit],
            **kw,
        )

    pem1 = indicator("PEM-1", "pemerintahan", rollup="sum", evidence_required=True, order=1)
    pem2 = indicator("PEM-2", "pemerintahan", polarity="negative", rollup="last", order=2)
    tra1 = indicator(
        "TRA-1", "trantib", polarity="negative", negative_formula="ratio", rollup="average"
    )
    admin = office.users["admin"]
    at = wita(2026, 1, 20, 9, 0)
    services.agreement_create(
        actor=admin,
        agency=agency,
        year=2026,
        effective_date=dt.date(2026, 1, 2),
        targets={"PEM-1": D(100), "PEM-2": D(10), "TRA-1": D(20)},
        programs=[
            services.ProgramInput("P1", "Program Pemerintahan", D(1000), ["PEM-1", "PEM-2"]),
            services.ProgramInput("P2", "Program Trantib", D(500), ["TRA-1"]),
        ],
        now=at,
    )
    for ind, value in ((pem1, 25), (pem2, 10), (tra1, 20)):
        services.quarter_targets_set(
            actor=admin,
            indicator=ind,
            year=2026,
            targets=dict.fromkeys(range(1, 5), D(value)),
            now=at,
        )
    return World(office=office, pem1=pem1, pem2=pem2, tra1=tra1)


def pdf_bytes() -> bytes:
    from kinerja.demo.performance import _pdf

    return _pdf("Data dukung", ["uji"])
