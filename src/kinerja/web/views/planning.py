"""Indicators and targets (master data of the plan): agency administrators and the Kasubag
Perencanaan of the agency; 404 for everyone else."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kinerja.core.errors import ApplicationError, ConcurrentUpdate
from kinerja.core.http import MAX_ID, parse_int
from kinerja.organization.models import Agency
from kinerja.performance.models import Indicator

from ..forms import _format_number
from ..permissions import access_agency_for_planning, access_planning
from ..planning import (
    INDICATOR_KIND,
    QUARTERS,
    BudgetGridForm,
    IndicatorForm,
    TargetsGridForm,
    budget_cell,
    budget_grid,
    columns,
    format_money,
    targets_grid,
)
from ..services import budget_grid_save, masterdata_save, targets_grid_save
from .common import add_application_error
from .masterdata import _cell


def _form_after_conflict(form, grid, locale: str, fmt, exc: ConcurrentUpdate):
    """The grid form to show after a save conflict: the cells this user changed keep what
    they typed; every cell they left as it was shows the figure saved meanwhile (else saving
    again would undo the other person's figure); the next save compares against those."""
    data = form.data.copy()
    current = grid.state
    for name, value in form.typed.items():
        if value == form.loaded_state.cells.get(name):
            stored = current.cells.get(name)
            data[name] = "" if stored is None else fmt(stored, locale)
    data["loaded"] = current.dumps()
    fresh = type(form)(data, grid=grid, locale=locale)
    fresh.is_valid()
    fresh.add_error(None, str(exc.message))
    return fresh


@login_required
def indicator_list(request: HttpRequest) -> HttpResponse:
    agencies = access_planning(request)
    qs = INDICATOR_KIND.queryset(agencies).order_by("agency__name", "order", "code")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    fields = INDICATOR_KIND.columns
    return render(
        request,
        "web/master/list.html",
        {
            "kind": INDICATOR_KIND,
            "columns": [Indicator._meta.get_field(c).verbose_name for c in fields],
            "rows": [
                (obj, [_cell(obj, c) for c in fields], reverse("web:indicator_edit", args=[obj.pk]))
                for obj in page
            ],
            "page": page,
            "may_create": True,
            "create_url": reverse("web:indicator_create"),
        },
    )


@login_required
def indicator_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    agencies = access_planning(request)
    instance = None
    if pk is not None:
        instance = INDICATOR_KIND.queryset(agencies).filter(pk=pk).first()
        if instance is None:
            raise Http404
    form = IndicatorForm(request.POST or None, instance=instance, agencies=agencies)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                masterdata_save(actor=request.user, kind=INDICATOR_KIND, form=form)
            except ApplicationError as exc:
                add_application_error(form, exc)
                status = 400
            else:
                messages.success(request, _("Data tersimpan."))
                return redirect("web:indicator_list")
        else:
            status = 400
    return render(
        request,
        "web/master/form.html",
        {
            "kind": INDICATOR_KIND,
            "form": form,
            "instance": instance,
            "list_url": reverse("web:indicator_list"),
        },
        status=status,
    )


def _int(value: str | None) -> int | None:
    """An id or year from the query string or form; bad input is a 400 with a message."""
    return parse_int(value, minimum=1, maximum=MAX_ID)


@login_required
def targets_page(request: HttpRequest) -> HttpResponse:
    """The targets grid of an agency and a year (GET ``agency``, ``year``)."""
    source = request.POST if request.method == "POST" else request.GET
    agency = access_agency_for_planning(request, _int(source.get("agency")))
    this_year = timezone.localdate().year
    year = _int(source.get("year")) or this_year
    if not 2000 <= year <= 2100:
        raise Http404
    agencies = access_planning(request)
    choices = Agency.objects.all() if agencies is None else Agency.objects.filter(pk__in=agencies)
    locale = translation.get_language() or "id"
    grid = targets_grid(agency, year)
    form = TargetsGridForm(request.POST or None, grid=grid, locale=locale)
    status = 200
    conflict: list[str] = []
    if request.method == "POST":
        if form.is_valid():
            try:
                warnings = targets_grid_save(
                    actor=request.user,
                    agency=agency,
                    year=year,
                    loaded=form.loaded_state,
                    typed=form.typed,
                    revision_reason=form.cleaned_data["reason"] if form.revise else None,
                    effective_date=form.effective() if form.revise else None,
                )
            except ConcurrentUpdate as exc:
                # Keep what this user changed; show the figures saved meanwhile in the cells
                # they left as they were (else saving again would undo the other person's
                # figures); the next save compares against them. Show which rows changed.
                form = _form_after_conflict(form, grid, locale, _format_number, exc)
                conflict = exc.details
                status = 409
            except ApplicationError as exc:
                add_application_error(form, exc)
                status = 400
            else:
                messages.success(request, _("Target tersimpan."))
                for warning in warnings:
                    messages.warning(request, warning)
                return redirect(f"{reverse('web:targets')}?agency={agency.pk}&year={year}")
        else:
            status = 400
    rows = [
        (row, [form[f"{c}_{row.indicator.pk}"] for c in columns()], row.indicator.code in conflict)
        for row in grid.rows
    ]
    return render(
        request,
        "web/master/targets.html",
        {
            "agency": agency,
            "agencies": list(choices.order_by("name")),
            "year": year,
            "years": list(range(this_year - 3, this_year + 3)),
            "grid": grid,
            "form": form,
            "rows": rows,
            "conflict": conflict,
        },
        status=status,
    )


@login_required
def budget_page(request: HttpRequest) -> HttpResponse:
    """Budget realisation of an agency and a year (GET ``agency``, ``year``): one row per
    programme of the current PK, the realised amount of each quarter; the same people and
    the same conflict rule as the targets grid."""
    source = request.POST if request.method == "POST" else request.GET
    agency = access_agency_for_planning(request, _int(source.get("agency")))
    this_year = timezone.localdate().year
    year = _int(source.get("year")) or this_year
    if not 2000 <= year <= 2100:
        raise Http404
    agencies = access_planning(request)
    choices = Agency.objects.all() if agencies is None else Agency.objects.filter(pk__in=agencies)
    locale = translation.get_language() or "id"
    grid = budget_grid(agency, year)
    form = BudgetGridForm(request.POST or None, grid=grid, locale=locale)
    status = 200
    conflict: list[str] = []
    if request.method == "POST" and grid.agreement is not None:
        if form.is_valid():
            try:
                written = budget_grid_save(
                    actor=request.user,
                    agency=agency,
                    year=year,
                    loaded=form.loaded_state,
                    typed=form.typed,
                )
            except ConcurrentUpdate as exc:
                # Keep what this user changed; show the figures saved meanwhile everywhere
                # else (a cell left as it was must not undo the other person's figure);
                # compare the next save against them and mark the programmes that changed.
                form = _form_after_conflict(form, grid, locale, format_money, exc)
                conflict = exc.details
                status = 409
            except ApplicationError as exc:
                add_application_error(form, exc)
                status = 400
            else:
                if written:
                    messages.success(request, _("Realisasi anggaran tersimpan."))
                else:
                    messages.info(request, _("Tidak ada perubahan."))
                return redirect(f"{reverse('web:budget')}?agency={agency.pk}&year={year}")
        else:
            status = 400
    rows = [
        (
            row,
            [form[budget_cell(row.program.pk, n)] for n in QUARTERS],
            row.program.code in conflict,
        )
        for row in grid.rows
    ]
    return render(
        request,
        "web/master/budget.html",
        {
            "agency": agency,
            "agencies": list(choices.order_by("name")),
            "year": year,
            "years": list(range(this_year - 3, this_year + 3)),
            "grid": grid,
            "form": form,
            "rows": rows,
            "conflict": conflict,
        },
        status=status,
    )
