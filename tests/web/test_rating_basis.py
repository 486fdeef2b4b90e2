"""Every rating says which figure it rates (issue 9 item 7): a lower-is-better indicator at
50 % for the quarter is "Sangat Baik" year to date, and the page says so."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from kinerja.core.periods import Period
from kinerja.performance.selectors import RATED_QUARTER, RATED_YTD, indicator_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def lower_is_better(perf_office, case):
    """A negative indicator: Q1 and Q2 2 against 10, Q3 15 against 10 -> (20 - 15) / 10 =
    50 % for the quarter, (60 - 19) / 30 = 136,67 % year to date (sum)."""
    from kinerja.performance.models import Indicator, QuarterTarget, Realisation

    ind = (
        Indicator.objects.filter(agency=perf_office.agency, polarity="negative")
        .filter(owner_unit__in=perf_office.units.values())
        .order_by("code")
        .first()
    )
    assert ind is not None, "the demo data has negative indicators"
    ind.rollup, ind.negative_formula = "sum", "two_minus"
    ind.save()
    for quarter, value in [(1, "2"), (2, "2"), (3, "15")]:
        QuarterTarget.objects.update_or_create(
            agency=perf_office.agency,
            indicator=ind,
            year=2026,
            quarter=quarter,
            defaults={"target": Decimal(10)},
        )
        Realisation.objects.update_or_create(
            agency=perf_office.agency,
            indicator=ind,
            year=2026,
            quarter=quarter,
            defaults={
                "value": Decimal(value),
                "not_available": False,
                "entered_at": timezone.make_aware(dt.datetime(2026, 10, 12, 9)),
            },
        )
    return ind


def test_row_says_which_figure_its_rating_belongs_to(perf_office, lower_is_better):
    rows = indicator_rows(agency=perf_office.agency, period=Period(2026, 3))
    row = next(r for r in rows if r.indicator.pk == lower_is_better.pk)
    assert row.achievement == Decimal("50.00")
    assert row.achievement_ytd == Decimal("136.67")
    assert row.rating.label == "Sangat Baik"
    assert row.rating_basis == RATED_YTD
    assert row.rating_basis_label == "Capaian s.d. TW III"
    assert row.rating_basis_text == "s.d. TW III"


def test_dashboard_labels_the_rating(perf_office, lower_is_better, login):
    page = login("sekcam").get("/dasbor/?period=2026-Q3").content.decode()
    link = f"/dasbor/indikator/{lower_is_better.pk}/"
    row = page[page.find(link) :]
    row = row[: row.find("</tr>")]
    assert "50,00 %" in row and "136,67 %" in row
    assert re.search(r"Sangat Baik</span>\s*<span[^>]*>Capaian s\.d\. TW III</span>", row)


def test_rating_falls_back_to_the_quarter_and_says_so(perf_office, lower_is_better):
    from kinerja.performance.models import Realisation

    Realisation.objects.filter(indicator=lower_is_better, year=2026, quarter=1).delete()
    rows = indicator_rows(agency=perf_office.agency, period=Period(2026, 3))
    row = next(r for r in rows if r.indicator.pk == lower_is_better.pk)
    assert row.achievement_ytd is None  # sum needs every quarter
    assert row.rating.label == "Sangat Kurang"  # 50 % for the quarter
    assert row.rating_basis == RATED_QUARTER
    assert row.rating_basis_label == "Capaian TW III"


def test_quarterly_report_prints_the_basis(perf_office, lower_is_better):
    from kinerja.reports.generators.laporan import rating_text

    rows = indicator_rows(agency=perf_office.agency, period=Period(2026, 3))
    row = next(r for r in rows if r.indicator.pk == lower_is_better.pk)
    assert rating_text(row) == "Sangat Baik (s.d. TW III)"
