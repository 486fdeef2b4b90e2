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
from kinerja.performance.selectors import (
    indicator_page,
    quarter_window,
    trend_of,
    trend_quarters,
    unit_achievement_trend,
)
from kinerja.workflow.selectors import case_periods, chosen_period, dashboard

from ..charts import line_chart_svg, style_for
from ..permissions import (
    access_agency_for_dashboard,
    access_indicator_for_view,
    dashboard_agencies,
    dashboard_scope_for_period,
    given_periods,
)


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
    if unit_ids is not None:
        # each quarter of the trend shows the units the user sees in that quarter
        trend = [
            dataclasses.replace(s, units=[u for u in s.units if _seen(request, u.unit, s.period)])
            for s in data.trend
        ]
        data = dataclasses.replace(
            data, trend=[s for s in trend if s.units or s.period == period_of(data.selected)]
        )
    return agency, data, unit_ids, (asked if listed is None else None)


def period_of(summary) -> Period | None:
    return summary.period if summary is not None else None


def _seen(request: HttpRequest, unit, period: Period) -> bool:
    """Whether the user sees ``unit``'s figures of ``period``: the rule of the unit's files
    (``given_periods``): agency-wide users and the unit's head in every quarter, an analyst
    only in the quarters whose case gave them the unit's task."""
    periods = given_periods(request, unit)
    return periods is None or str(period) in periods


def _given_only(request: HttpRequest, trend):
    """``trend`` as the user may see it: a unit's figures only of the quarters the user sees
    (:func:`_seen`); quarters in which they see none of the units are left out."""
    seen = {u.unit_id: [_seen(request, u.unit, p) for p in trend.periods] for u in trend.units}
    if all(all(flags) for flags in seen.values()):
        return trend
    keep = [i for i in range(len(trend.periods)) if any(f[i] for f in seen.values())]
    units = [
        dataclasses.replace(u, values=[u.values[i] if seen[u.unit_id][i] else None for i in keep])
        for u in trend.units
    ]
    return dataclasses.replace(trend, periods=[trend.periods[i] for i in keep], units=units)


def _achievement(request: HttpRequest, agency, summary, unit_ids):
    """The period's indicator rows grouped by unit and the units' trend over the eight
    quarters up to it (those the user sees), from one read of the performance app's rows
    (the figures of the quarterly report)."""
    if summary is None:
        return [], None
    window = quarter_window(
        agency=agency, periods=trend_quarters(summary.period), unit_ids=unit_ids
    )
    trend = trend_of(window)
    if unit_ids is not None:
        trend = _given_only(request, trend)
    for index, unit in enumerate(trend.units):
        unit.style = _style_words(index)
    if not summary.period.is_quarter:
        return [], trend
    grouped: OrderedDict = OrderedDict()
    for row in window.rows[summary.period]:
        grouped.setdefault(row.unit, []).append(row)
    # Units in the office's own order (as in the SOP's table), not the indicators' order.
    return sorted(grouped.items(), key=lambda item: (item[0].order, item[0].name)), trend


@login_required
@require_GET
def dashboard_view(request: HttpRequest) -> HttpResponse:
    agency, data, unit_ids, _asked = _dashboard(request)
    by_unit, trend = _achievement(request, agency, data.selected, unit_ids)
    return render(
        request,
        "web/dashboard.html",
        {
            "agency": agency,
            "agencies": dashboard_agencies(request) if request.user.is_superuser else [agency],
            "data": data,
            "summary": data.selected,
            "by_unit": by_unit,
            "achievement_trend": trend,
            "limited": unit_ids is not None,
        },
    )


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
    """Average year-to-date achievement per unit over the last eight quarters, as SVG: the
    dashboard's period (``?period``, else its newest case's) without its case summaries."""
    agency, _units = access_agency_for_dashboard(request, query_id(request, "agency"))
    asked = parse_period(request.GET.get("period"))
    period, unit_ids, listed = dashboard_scope_for_period(
        request, agency, str(asked) if asked else None
    )
    if listed is None and asked is not None:
        shown = asked
    else:
        chosen = chosen_period(case_periods(agency), period)
        if listed is not None and chosen not in listed:
            chosen = None
        shown = Period.parse(chosen) if chosen else _period(None)
    trend = unit_achievement_trend(agency, shown, unit_ids)
    if unit_ids is not None:
        trend = _given_only(request, trend)
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
