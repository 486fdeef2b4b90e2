"""One arithmetic (issue 11): the dashboard's table and trend and the indicator page show the
figures the documents print for the same unit and period. Read through the test client (as
a person sees them) and compared with the generated quarterly report (XLSX) and with the data
the quarterly report and the LKjIP are made of."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from kinerja.core import formatting as fmt
from kinerja.core.periods import Period
from kinerja.performance import achievement as calc
from kinerja.performance.models import Indicator, Realisation
from kinerja.reports.generators.laporan import QuarterlyReport
from kinerja.reports.generators.lkjip import Lkjip
from kinerja.reports.services import document_generate
from tests.conftest import wita
from tests.web.conftest import SOP

pytestmark = pytest.mark.django_db


def percent(value) -> str:
    return fmt.percent(value, empty="–", lang="id")


def cells(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", c).strip()
        for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", html, re.S)
    ]


def table(page: str, table_id: str) -> list[list[str]]:
    body = page[page.index(f'id="{table_id}"') :]
    body = body[: body.index("</table>")]
    return [cells(row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def xlsx_achievements(data: bytes, codes) -> dict[str, tuple[str, str]]:
    """Indicator code -> (quarter achievement, year-to-date achievement) as printed."""
    ws = load_workbook(io.BytesIO(data))["Capaian Indikator"]
    found = {}
    for row in ws.iter_rows(values_only=True):
        name = row[2] if len(row) > 9 else None
        code = name.split()[0] if isinstance(name, str) and name.strip() else None
        if code in codes:
            found[code] = tuple(
                percent(None if v in (None, "", "-") else Decimal(str(v))) for v in row[8:10]
            )
    return found


def test_dashboard_table_and_trend_are_the_quarterly_reports_figures(perf_office, case, login):
    from kinerja.workflow.services import case_open

    agency, sekcam = perf_office.agency, perf_office.users["sekcam"]
    # the newest quarter with figures entered (the demo's history), with its case
    last = Realisation.objects.filter(agency=agency).order_by("-year", "-quarter").first()
    period = Period(last.year, last.quarter)
    assert period < Period.parse(case.period)
    case_open(sop_code=SOP, agency=agency, period=str(period), now=wita(2026, 7, 10, 7, 30))
    page = login("sekcam").get(f"/dasbor/?period={period}").content.decode()

    # the table of achievement per unit and indicator = the quarterly report's cells
    doc = document_generate(
        actor=sekcam, code="laporan-triwulan", fmt="xlsx", agency=agency, period=str(period)
    )
    with doc.file.open("rb") as f:
        printed = xlsx_achievements(
            f.read(), set(Indicator.objects.filter(agency=agency).values_list("code", flat=True))
        )
    shown = {}
    section = page[page.index('id="ach-h"') : page.index('id="ach-trend-h"')]
    for pk, rest in re.findall(r'<a href="/dasbor/indikator/(\d+)/">(.*?)</tr>', section, re.S):
        values = cells("<td>" + rest)
        shown[Indicator.objects.get(pk=pk).code] = (values[-3], values[-2])
    assert shown and shown == {code: printed[code] for code in shown}
    assert any(q != "–" for q, _ytd in shown.values())

    # the trend: each unit's average year-to-date achievement of each quarter, from the
    # quarterly report of that quarter (averaged exact, rounded once)
    rows = table(page, "unit-trend-table")
    header, units = rows[0], rows[1:]
    quarters = [Period.parse(code) for code in header[1:]]
    assert len(quarters) == 8 and quarters[-1] == period
    assert units
    reports = {q: QuarterlyReport().collect(agency=agency, period=q).rows for q in quarters}
    figures = 0
    for name, *values in units:
        for q, value in zip(quarters, values, strict=True):
            expected = calc.average(
                [r.achievement_ytd_exact for r in reports[q] if r.unit.name == name]
            )
            assert value == percent(expected), (name, q)
            figures += expected is not None
    assert figures  # not only dashes


def test_indicator_page_is_the_reports_figures(perf_office, case, login):
    agency = perf_office.agency
    client = login("sekcam")
    checked_years = checked_quarters = 0
    for ind in Indicator.objects.filter(agency=agency, owner_unit__reports_performance=True):
        page = client.get(f"/dasbor/indikator/{ind.pk}/").content.decode()
        # per year: the LKjIP's row of the indicator (annual target, realisation, achievement)
        for year, target, real, achieved, *_ in table(page, "year-table")[1:]:
            row = next(
                r
                for r in Lkjip().collect(agency=agency, year=int(year)).rows
                if r.indicator.pk == ind.pk
            )
            decimals = ind.decimals
            assert target == fmt.measure(row.annual_target, decimals, empty="–", lang="id")
            assert real == fmt.measure(row.realisation, decimals, empty="–", lang="id")
            if row.achievement is None:  # a dash and why
                assert achieved.startswith("–") and row.achievement_reason_label in achieved
            else:
                assert achieved == percent(row.achievement)
            checked_years += 1
        # per quarter: the quarterly report's row (quarter target, realisation, achievement)
        for label, target, real, achieved in table(page, "quarter-table")[1:]:
            period = next(
                Period(y, q)
                for y in range(2020, 2031)
                for q in range(1, 5)
                if Period(y, q).label == label
            )
            row = next(
                r
                for r in QuarterlyReport().collect(agency=agency, period=period).rows
                if r.indicator.pk == ind.pk
            )
            assert target == fmt.measure(row.quarter_target, ind.decimals, empty="–", lang="id")
            assert real == fmt.measure(row.realisation, ind.decimals, empty="–", lang="id")
            assert achieved == percent(row.achievement)
            checked_quarters += 1
        if checked_years >= 3 and checked_quarters >= 8:
            break
    assert checked_years >= 3 and checked_quarters >= 8
