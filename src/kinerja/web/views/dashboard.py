"""The dashboard of an agency and a period: reports expected, submitted, approved and on
time (completeness and timeliness as DHIS2 shows them), achievement per unit and indicator,
and trend charts."""

from __future__ import annotations

import dataclasses
from collections import OrderedDict

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kinerja.core.http import parse_period, query_id
from kinerja.core.periods import Period
from kinerja.performance.selectors import indicator_rows

from ..charts import line_chart_svg, style_for
from ..permissions import (
    access_agency_for_dashboard,
    access_indicator_for_view,
    dashboard_agencies,
    dashboard_scope_for_period,
    given_periods,
)
from ..selectors import dashboard, indicator_page, unit_achievement_trend


def _dashboard(request: HttpRequest):
    """The agency, its dashboard data and the units shown, for the period asked (``?agency``,
    ``?period``), under the user's scope: an analyst sees only the quarters given to them."""
    agency, _units = access_agency_for_dashboard(request, query_id(request, "agency"))
    asked = parse_period(request.GET.get("period"))
    period, unit_ids, listed = dashboard_scope_for_period(
        request, agency, str(asked) if asked else None
    )
    data = dashboard(agency, period, unit_ids)
    if listed is not None:
        data = dataclasses.replace(
            data,
            periods=[p for p in data.periods if p in listed],
            selected=data.selected if period in listed else None,
            trend=[s for s in data.trend if str(s.period) in listed],
        )
    return agency, data, unit_ids, (asked if listed is None else None)


def _achievement_rows(agency, summary, unit_ids):
    """Indicator rows of the period grouped by unit (the performance app's selector)."""
    if summary is None or not summary.period.is_quarter:
        return []
    rows = indicator_rows(agency=agency, period=summary.period)
    grouped: OrderedDict = OrderedDict()
    for row in rows:
        if unit_ids is not None and row.unit.pk not in unit_ids:
            continue
        grouped.setdefault(row.unit, []).append(row)
    # Units in the office's own order (as in the SOP's table), not the indicators' order.
    return sorted(grouped.items(), key=lambda item: (item[0].order, item[0].name))


@login_required
@require_GET
def dashboard_view(request: HttpRequest) -> HttpResponse:
    agency, data, unit_ids, _asked = _dashboard(request)
    return render(
        request,
        "web/dashboard.html",
        {
            "agency": agency,
            "agencies": dashboard_agencies(request) if request.user.is_superuser else [agency],
            "data": data,
            "summary": data.selected,
            "by_unit": _achievement_rows(agency, data.selected, unit_ids),
            "achievement_trend": _achievement_trend(agency, data.selected, unit_ids),
            "limited": unit_ids is not None,
        },
    )


def _achievement_trend(agency, summary, unit_ids):
    if summary is None:
        return None
    trend = unit_achievement_trend(agency, summary.period, unit_ids)
    for index, unit in enumerate(trend.units):
        unit.style = _style_words(index)
    return trend


def _style_words(index: int) -> str:
    """How the ``index``-th line looks, in words (the chart's caption, not colour alone)."""
    style = style_for(index)
    lines = {"-": _("garis penuh"), "--": _("garis putus-putus"), ":": _("garis titik")}
    markers = {
        "o": _("lingkaran"),
        "s": _("kotak"),
        "^": _("segitiga"),
        "D": _("belah ketupat"),
        "v": _("segitiga terbalik"),
        "P": _("tanda tambah"),
        "X": _("tanda silang"),
        "*": _("bintang"),
    }
    line = lines.get(style["linestyle"], _("garis titik-strip"))
    return f"{line}, {markers[style['marker']]}"


def _svg(svg: bytes) -> HttpResponse:
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=60"
    return response


@login_required
@require_GET
def completeness_chart(request: HttpRequest) -> HttpResponse:
    """Completeness, timeliness and approval per quarter, as SVG."""
    _agency, data, _unit_ids, _asked = _dashboard(request)
    svg = line_chart_svg(
        labels=[s.period.code.replace("-", " ") for s in data.trend],
        series=[
            (_("Lengkap (dikirim)"), [s.completeness for s in data.trend]),
            (_("Tepat waktu"), [s.timeliness for s in data.trend]),
            (_("Disetujui"), [s.approval for s in data.trend]),
        ],
        title=_("Kelengkapan dan ketepatan waktu laporan per triwulan (%)"),
        ylabel="%",
    )
    return _svg(svg)


@login_required
@require_GET
def unit_achievement_chart(request: HttpRequest) -> HttpResponse:
    """Average year-to-date achievement per unit over the last eight quarters, as SVG."""
    agency, data, unit_ids, asked = _dashboard(request)
    if asked is not None or data.selected is None:
        trend = unit_achievement_trend(agency, asked or _period(None), unit_ids)
    else:
        trend = unit_achievement_trend(agency, data.selected.period, unit_ids)
    svg = line_chart_svg(
        labels=[p.code.replace("-", " ") for p in trend.periods],
        series=[(u.unit_name, u.values) for u in trend.units],
        title=_("Rata-rata capaian s.d. triwulan per unit (%)"),
        ylabel="%",
        direct_labels=True,
        values=False,
    )
    return _svg(svg)


def _period(text: str | None) -> Period:
    try:
        return Period.parse(text or "")
    except ValueError:
        return Period.quarter_of(timezone.localdate())


@login_required
@require_GET
def indicator_detail(request: HttpRequest, indicator_id: int) -> HttpResponse:
    """One indicator: targets, realisations and achievement by quarter and by year."""
    indicator = access_indicator_for_view(request, indicator_id)
    return render(
        request,
        "web/indicator.html",
        {"page": _indicator_page(request, indicator), "indicator": indicator},
    )


def _indicator_page(request: HttpRequest, indicator):
    """The indicator's page as the user may see it: an analyst sees the quarters given to
    them, and no yearly figures (they sum up quarters not given)."""
    page = indicator_page(indicator)
    periods = given_periods(request, indicator.owner_unit)
    if periods is None:
        return page
    return dataclasses.replace(
        page, quarters=[p for p in page.quarters if str(p.period) in periods], years=[]
    )


@login_required
@require_GET
def indicator_chart(request: HttpRequest, indicator_id: int) -> HttpResponse:
    """The indicator's annual achievement over the last (up to) five years, as SVG."""
    indicator = access_indicator_for_view(request, indicator_id)
    page = _indicator_page(request, indicator)
    svg = line_chart_svg(
        labels=[str(y.year) for y in page.years],
        series=[(_("Capaian tahunan"), [y.achievement for y in page.years])],
        title=_("Capaian tahunan %(code)s (%%)") % {"code": indicator.code},
        ylabel="%",
    )
    return _svg(svg)
