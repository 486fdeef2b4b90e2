"""Achievement trends on the dashboard and the indicator page: access, SVG, text tables."""

from __future__ import annotations

import pytest

from kinerja.core.periods import Period
from kinerja.performance.models import Indicator
from kinerja.performance.selectors import annual_rows, indicator_rows

pytestmark = pytest.mark.django_db


def indicator_of(office, unit_code: str) -> Indicator:
    return (
        Indicator.objects.filter(agency=office.agency, owner_unit__code=unit_code)
        .order_by("code")
        .first()
    )


def test_dashboard_shows_unit_trend_chart_and_table(perf_office, case, login):
    page = login("sekcam").get("/dasbor/").content.decode()
    assert "/dasbor/grafik/capaian-unit.svg" in page
    assert 'id="unit-trend-table"' in page
    assert "2026-Q3" in page and "2024-Q4" in page  # eight quarters up to the case's
    # the dashboard table links every indicator to its page
    ind = indicator_of(perf_office, "pemerintahan")
    assert f"/dasbor/indikator/{ind.pk}/" in page


def test_unit_trend_matches_indicator_rows(perf_office):
    from kinerja.performance import achievement as calc
    from kinerja.performance.selectors import unit_achievement_trend

    period = Period(perf_office_year(), 2)
    trend = unit_achievement_trend(perf_office.agency, period, None)
    assert len(trend.periods) == 8 and trend.periods[-1] == period
    rows = indicator_rows(agency=perf_office.agency, period=period)
    for unit in trend.units:
        expected = calc.average(
            [r.achievement_ytd_exact for r in rows if r.unit.pk == unit.unit_id]
        )
        assert unit.values[-1] == expected


def perf_office_year() -> int:
    from django.utils import timezone

    return timezone.localdate().year


def test_indicator_years_match_annual_rows(perf_office):
    from kinerja.performance.selectors import indicator_page

    ind = indicator_of(perf_office, "pemerintahan")
    page = indicator_page(ind)
    past = [y for y in page.years if y.year < perf_office_year()]
    assert past
    for point in past:
        row = next(
            r
            for r in annual_rows(agency=perf_office.agency, year=point.year)
            if r.indicator.pk == ind.pk
        )
        assert point.achievement == row.achievement
        assert point.realisation == row.realisation


def test_unit_chart_is_svg_with_unit_labels(perf_office, case, login):
    response = login("sekcam").get("/dasbor/grafik/capaian-unit.svg?period=2026-Q3")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    body = response.content.decode()
    assert body.lstrip().startswith("<?xml") and "<svg" in body
    assert "Seksi Pemerintahan" in body and "Seksi Ketenteraman" in body


def test_section_head_sees_only_their_unit_in_the_trend(perf_office, case, login):
    body = login("kasi_trantib").get("/dasbor/grafik/capaian-unit.svg").content.decode()
    assert "Seksi Ketenteraman" in body and "Seksi Pemerintahan" not in body
    page = login("kasi_trantib").get("/dasbor/").content.decode()
    assert "Seksi Pemerintahan" not in page


def test_indicator_page_and_chart_allowed_and_denied(perf_office, case, login, outsider, client):
    own = indicator_of(perf_office, "trantib")
    other = indicator_of(perf_office, "pemerintahan")
    sekcam = login("sekcam")
    page = sekcam.get(f"/dasbor/indikator/{other.pk}/").content.decode()
    assert other.name in page and 'id="year-table"' in page and 'id="quarter-table"' in page
    chart = sekcam.get(f"/dasbor/indikator/{other.pk}/grafik.svg")
    assert chart["Content-Type"] == "image/svg+xml"
    assert f"Capaian tahunan {other.code}" in chart.content.decode()
    head = login("kasi_trantib")
    assert head.get(f"/dasbor/indikator/{own.pk}/").status_code == 200
    assert head.get(f"/dasbor/indikator/{own.pk}/grafik.svg").status_code == 200
    assert head.get(f"/dasbor/indikator/{other.pk}/").status_code == 404
    assert head.get(f"/dasbor/indikator/{other.pk}/grafik.svg").status_code == 404
    client.force_login(outsider)
    assert client.get(f"/dasbor/indikator/{own.pk}/").status_code == 404
    assert client.get("/dasbor/grafik/capaian-unit.svg").status_code == 404


def test_chart_is_cached_by_content(perf_office):
    from unittest import mock

    from kinerja.web import charts

    kwargs = {"labels": ["A", "B"], "series": [("x", [1, 2])], "title": "t", "ylabel": "%"}
    first = charts.line_chart_svg(**kwargs)
    with mock.patch.object(charts, "_draw") as draw:
        assert charts.line_chart_svg(**kwargs) == first
        draw.assert_not_called()


def test_dashboard_lists_units_in_office_order_and_links_excel_and_documents(
    perf_office, case, login
):
    import re

    page = login("sekcam").get("/dasbor/").content.decode()
    section = page[page.index("Capaian per unit dan indikator") :]
    captions = re.findall(r"<caption[^>]*>([^<]+)</caption>", section)
    order = {u.name: u.order for u in perf_office.units.values()}
    shown = [c.strip() for c in captions if c.strip() in order]
    assert len(shown) >= 2
    assert shown == sorted(shown, key=order.__getitem__)
    assert f"/kinerja/{perf_office.agency.code}/excel/" in page
    assert f"/dokumen/?agency={perf_office.agency.code}" in page
