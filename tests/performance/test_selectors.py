"""Selectors: rows, completeness, history, annual rows, and their query counts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinerja.core.periods import Period
from kinerja.performance import services
from kinerja.performance.achievement import Reason
from kinerja.performance.models import Indicator, RatingBand, RatingScale
from kinerja.performance.selectors import (
    annual_rows,
    budget_rows,
    indicator_history,
    indicator_rows,
    unit_completeness,
)

from .conftest import pdf_bytes

D = Decimal


def enter(world, period, values: dict, actor="admin"):
    items = [
        services.RealisationInput(indicator=ind, value=v) if v != "na" else
        services.RealisationInput(indicator=ind, not_available=True, not_available_reason="BPS")
        for ind, v in values.items()
    ]  # fmt: skip
    return services.realisations_save(actor=world.users[actor], period=period, items=items)


@pytest.mark.django_db
def test_indicator_rows_quarter_and_ytd(world):
    enter(world, Period(2026, 1), {world.pem1: D(20), world.pem2: D(8), world.tra1: D(25)})
    enter(world, Period(2026, 2), {world.pem1: D(30), world.pem2: D(12), world.tra1: D(15)})
    rows = {
        r.indicator.code: r for r in indicator_rows(agency=world.agency, period=Period(2026, 2))
    }
    pem1 = rows["PEM-1"]
    assert (pem1.quarter_target, pem1.realisation, pem1.achievement) == (D(25), D(30), D("120.00"))
    assert (pem1.ytd_target, pem1.ytd_realisation, pem1.achievement_ytd) == (D(50), D(50), D(100))
    assert pem1.rating.code == "sangat_baik" and pem1.status == "ok"
    assert pem1.annual_target == D(100) and pem1.agreement_version == 1
    assert pem1.unit == world.units["pemerintahan"] and pem1.objective.code == "SS-1"
    pem2 = rows["PEM-2"]  # negative, last: 12 against 10 -> 80
    assert pem2.achievement == D("80.00") and pem2.achievement_ytd == D("80.00")
    assert pem2.rating.code == "baik"
    tra1 = rows["TRA-1"]  # negative ratio, average of 25 and 15 = 20 against 20
    assert tra1.achievement == D("133.33") and tra1.achievement_ytd == D("100.00")
    # Q3: nothing entered yet
    q3 = {r.indicator.code: r for r in indicator_rows(agency=world.agency, period=Period(2026, 3))}
    assert q3["PEM-1"].status == "missing" and q3["PEM-1"].achievement is None
    assert q3["PEM-1"].achievement_reason == Reason.MISSING
    assert q3["PEM-1"].achievement_reason_label
    assert q3["PEM-2"].achievement_ytd == D("80.00")  # last available value (Q2)
    only = indicator_rows(agency=world.agency, period=Period(2026, 2), unit=world.units["trantib"])
    assert [r.indicator.code for r in only] == ["TRA-1"]


@pytest.mark.django_db
def test_configured_rating_scale_wins(world):
    scale = RatingScale.objects.create(agency=world.agency, name="Skala kantor")
    RatingBand.objects.create(scale=scale, code="ok", label="Tercapai", above=D(99), css_class="a")
    RatingBand.objects.create(scale=scale, code="no", label="Belum", above=None)
    enter(world, Period(2026, 1), {world.pem1: D(25)})
    row = indicator_rows(agency=world.agency, period=Period(2026, 1), unit=world.pem1.owner_unit)[0]
    assert row.rating.label == "Tercapai" and row.rating.color == "a"


@pytest.mark.django_db
def test_unit_completeness_lists_every_missing_item(world):
    pem = world.units["pemerintahan"]
    q3 = Period(2026, 3)
    missing = unit_completeness(agency=world.agency, unit=pem, period=q3)
    assert len(missing) == 2
    assert "PEM-1" in missing[0] and "belum diisi" in missing[0]
    real = enter(world, q3, {world.pem1: D(20), world.pem2: "na"})[0]
    missing = unit_completeness(agency=world.agency, unit=pem, period=q3)
    assert len(missing) == 1 and "data dukung" in missing[0]  # N/A needs no evidence
    services.evidence_add(actor=world.users["admin"], realisation=real, upload=pdf_bytes(),
                          name="a.pdf")  # fmt: skip
    assert unit_completeness(agency=world.agency, unit=pem, period=q3) == []


@pytest.mark.django_db
def test_history_and_annual_rows(world):
    admin = world.users["admin"]
    services.agreement_create(
        actor=admin, agency=world.agency, year=2025, effective_date=Period(2025).start,
        targets={"PEM-1": D(80)},
    )  # fmt: skip
    for q in range(1, 5):
        enter(world, Period(2025, q), {world.pem1: D(20)})
    for q in range(1, 5):
        enter(world, Period(2026, q), {world.pem1: D(30), world.pem2: D(q + 7)})
    history = indicator_history(indicator=world.pem1)
    assert [str(p.period) for p in history][:5] == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4",
                                                     "2026-Q1"]  # fmt: skip
    assert history[-1].target == D(25) and history[-1].achievement == D("120.00")
    assert history[0].target is None and history[0].achievement is None
    rows = {r.indicator.code: r for r in annual_rows(agency=world.agency, year=2026)}
    pem1 = rows["PEM-1"]
    assert pem1.realisation == D(120) and pem1.achievement == D("120.00")
    assert pem1.previous_realisations == {2025: D(80)}
    assert pem1.period == Period(2026) and pem1.quarter_target is None
    assert rows["PEM-2"].realisation == D(11)  # last of Q1..Q4 = 11 against 10: (20-11)/10
    assert rows["PEM-2"].achievement == D("90.00")
    assert rows["TRA-1"].status == "missing" and rows["TRA-1"].achievement is None


def _more_indicators(world, n):
    first = world.pem1
    for i in range(n):
        ind = Indicator.objects.create(
            agency=world.agency, objective=first.objective, code=f"X-{i}", name="x",
            unit_of_measure="%", owner_unit=first.owner_unit, evidence_required=True,
        )  # fmt: skip
        services.quarter_targets_set(
            actor=world.users["admin"], indicator=ind, year=2026, targets={1: D(1), 2: D(1)}
        )
        real = enter(world, Period(2026, 2), {ind: D(1)})[0]
        services.evidence_add(actor=world.users["admin"], realisation=real, upload=pdf_bytes(),
                              name="a.pdf")  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, call, expected",
    [
        ("indicator_rows", lambda w: indicator_rows(agency=w.agency, period=Period(2026, 2)), 5),
        ("annual_rows", lambda w: annual_rows(agency=w.agency, year=2026), 5),
        ("budget_rows", lambda w: budget_rows(agency=w.agency, period=Period(2026, 2)), 9),
        (
            "unit_completeness",
            lambda w: unit_completeness(
                agency=w.agency, unit=w.units["pemerintahan"], period=Period(2026, 2)
            ),
            5,
        ),
        ("indicator_history", lambda w: indicator_history(indicator=w.pem1), 2),
    ],
)
def test_selector_query_counts_do_not_grow(world, name, call, expected):
    counts = []
    for extra in (0, 5):
        if extra:
            _more_indicators(world, extra)
        with CaptureQueriesContext(connection) as ctx:
            call(world)
        counts.append(len(ctx.captured_queries))
    assert counts == [expected, expected], name
