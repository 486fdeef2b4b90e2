"""The dashboard of an agency and a period: reports expected, submitted, approved and on
time (completeness and timeliness as DHIS2 shows them), achievement per unit and indicator,
and trend charts."""

from __future__ import annotations

from collections import OrderedDict

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ..charts import line_chart_svg
from ..permissions import access_agency_for_dashboard, dashboard_agencies
from ..selectors import dashboard


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _achievement_rows(agency, summary, unit_ids):
    """Indicator rows of the period grouped by unit (the performance app's selector)."""
    if summary is None or not summary.period.is_quarter:
        return []
    try:
        from kinerja.performance.selectors import indicator_rows
    except ImportError:
        return []
    rows = indicator_rows(agency=agency, period=summary.period)
    grouped: OrderedDict = OrderedDict()
    for row in rows:
        if unit_ids is not None and row.unit.pk not in unit_ids:
            continue
        grouped.setdefault(row.unit, []).append(row)
    return list(grouped.items())


@login_required
@require_GET
def dashboard_view(request: HttpRequest) -> HttpResponse:
    agency, unit_ids = access_agency_for_dashboard(request, _int(request.GET.get("agency")))
    data = dashboard(agency, request.GET.get("period"), unit_ids)
    return render(
        request,
        "web/dashboard.html",
        {
            "agency": agency,
            "agencies": dashboard_agencies(request) if request.user.is_superuser else [agency],
            "data": data,
            "summary": data.selected,
            "by_unit": _achievement_rows(agency, data.selected, unit_ids),
            "limited": unit_ids is not None,
        },
    )


@login_required
@require_GET
def completeness_chart(request: HttpRequest) -> HttpResponse:
    """Completeness, timeliness and approval per quarter, as SVG."""
    agency, unit_ids = access_agency_for_dashboard(request, _int(request.GET.get("agency")))
    data = dashboard(agency, request.GET.get("period"), unit_ids)
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
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=60"
    return response
