"""Indicators and targets (master data of the plan): agency administrators and the Kasubag
Perencanaan of the agency; 404 for everyone else."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.core.errors import ApplicationError, ConcurrentUpdate
from kinerja.core.http import MAX_ID, parse_int
from kinerja.organization.models import Agency
from kinerja.performance.grids import (
    Grid,
    budget_grid,
    budget_grid_save,
    targets_grid,
    targets_grid_save,
)
from kinerja.performance.models import Indicator

from ..masterdata import save_row
from ..permissions import access_agency_for_planning, access_planning
from ..planning import INDICATOR_KIND, BudgetGridForm, GridForm, IndicatorForm, TargetsGridForm
from .common import add_application_error
from .masterdata import _cell


def _form_after_conflict(form: GridForm, grid: Grid, locale: str, exc: ConcurrentUpdate):
    """The grid form to show after a save conflict: the cells this user changed keep what
    they typed; every cell they left as it was shows the figure saved meanwhile (else saving
    again would undo the other person's figure); the next save compares against those."""
    data = form.data.copy()
    current = grid.state
    for name, value in form.typed.items():
        if value == form.loaded_state.cells.get(name):
            stored = current.cells.get(name)
            data[name] = "" if stored is None else form.format(stored, locale)
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
                save_row(actor=request.user, kind=INDICATOR_KIND, instance=instance, form=form)
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


@dataclass(frozen=True)
class GridPage:
    """What differs between the two planning grids; :func:`_grid_page` does the rest."""

    url_name: str
    template: str
    read: Callable[[Agency, int], Grid]
    form_class: type[GridForm]
    # submit(request, form, agency, year): one service call, then the page's messages
    submit: Callable[[HttpRequest, GridForm, Agency, int], None]
    title: Any
    prefix: str
    form_id: str
    row_kind: str
    changed_label: Any
    submit_label: Any
    needs_agreement: bool = False


def _grid_page(request: HttpRequest, page: GridPage) -> HttpResponse:
    """A planning grid of an agency and a year (GET ``agency``, ``year``): planners only
    (404 for others); a save that meets someone else's save meanwhile keeps what this user
    changed, shows the other figures and names the rows that changed (409)."""
    source = request.POST if request.method == "POST" else request.GET
    agency = access_agency_for_planning(request, _int(source.get("agency")))
    this_year = timezone.localdate().year
    year = _int(source.get("year")) or this_year
    if not 2000 <= year <= 2100:
        raise Http404
    agencies = access_planning(request)
    choices = Agency.objects.all() if agencies is None else Agency.objects.filter(pk__in=agencies)
    locale = translation.get_language() or "id"
    grid = page.read(agency, year)
    form = page.form_class(request.POST or None, grid=grid, locale=locale)
    status = 200
    conflict: list[str] = []
    if request.method == "POST" and (grid.agreement is not None or not page.needs_agreement):
        if form.is_valid():
            try:
                page.submit(request, form, agency, year)
            except ConcurrentUpdate as exc:
                form = _form_after_conflict(form, grid, locale, exc)
                conflict = exc.details
                status = 409
            except ApplicationError as exc:
                add_application_error(form, exc)
                status = 400
            else:
                return redirect(f"{reverse(page.url_name)}?agency={agency.pk}&year={year}")
        else:
            status = 400
    rows = [(row, cells, row.code in conflict) for row, cells in form.cell_rows()]
    return render(
        request,
        page.template,
        {
            "agency": agency,
            "agencies": list(choices.order_by("name")),
            "year": year,
            "years": list(range(this_year - 3, this_year + 3)),
            "grid": grid,
            "form": form,
            "rows": rows,
            "conflict": conflict,
            "title": page.title,
            "prefix": page.prefix,
            "form_id": page.form_id,
            "row_kind": page.row_kind,
            "changed_label": page.changed_label,
            "submit_label": page.submit_label,
        },
        status=status,
    )


def _save_targets(request: HttpRequest, form: TargetsGridForm, agency: Agency, year: int) -> None:
    warnings = targets_grid_save(
        actor=request.user,
        agency=agency,
        year=year,
        loaded=form.loaded_state,
        typed=form.typed,
        revision_reason=form.cleaned_data["reason"] if form.revise else None,
        effective_date=form.effective() if form.revise else None,
    )
    messages.success(request, _("Target tersimpan."))
    for warning in warnings:
        messages.warning(request, warning)


def _save_budget(request: HttpRequest, form: BudgetGridForm, agency: Agency, year: int) -> None:
    written = budget_grid_save(
        actor=request.user, agency=agency, year=year, loaded=form.loaded_state, typed=form.typed
    )
    if written:
        messages.success(request, _("Realisasi anggaran tersimpan."))
    else:
        messages.info(request, _("Tidak ada perubahan."))


TARGETS = GridPage(
    url_name="web:targets",
    template="web/master/targets.html",
    read=targets_grid,
    form_class=TargetsGridForm,
    submit=_save_targets,
    title=gettext_lazy("Target kinerja"),
    prefix="t",
    form_id="targets-form",
    row_kind="indicator",
    changed_label=gettext_lazy("Indikator yang berubah"),
    submit_label=gettext_lazy("Simpan target"),
)

BUDGET = GridPage(
    url_name="web:budget",
    template="web/master/budget.html",
    read=budget_grid,
    form_class=BudgetGridForm,
    submit=_save_budget,
    title=gettext_lazy("Realisasi anggaran"),
    prefix="b",
    form_id="budget-form",
    row_kind="program",
    changed_label=gettext_lazy("Program yang berubah"),
    submit_label=gettext_lazy("Simpan realisasi anggaran"),
    needs_agreement=True,
)


@login_required
def targets_page(request: HttpRequest) -> HttpResponse:
    """The targets grid: annual PK target and Rencana Aksi quarter targets per indicator."""
    return _grid_page(request, TARGETS)


@login_required
def budget_page(request: HttpRequest) -> HttpResponse:
    """Budget realisation: one row per programme of the current PK, the realised amount of
    each quarter; the same people and the same conflict rule as the targets grid."""
    return _grid_page(request, BUDGET)
