"""Excel pages: download templates, export, upload with a preview (dry run) and a confirm
step.

Access (:func:`access_agency_for_excel`): 404 for users who see nothing of the agency; the
targets import is for planners (403 for others); the realisations import for users who may
edit at least one unit of the quarter (the services check every row again). Templates and
export show the whole agency to those who see it, otherwise the user's own units.

The uploaded file waits for the confirm step in ``DATA_DIR/imports/<token>`` (named in the
user's session); the confirm step imports it again from scratch, so a change made in between
is caught by the same checks.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from kinerja.core.errors import ApplicationError
from kinerja.core.http import parse_period, parse_year
from kinerja.core.periods import Period
from kinerja.organization.models import Agency
from kinerja.workflow.permissions import scope_for

from . import permissions, spreadsheets

SESSION_KEY = "kinerja_imports"
PURPOSE_VIEW = "view"
PURPOSE_TARGETS = spreadsheets.KIND_TARGETS
PURPOSE_REALISATIONS = spreadsheets.KIND_REALISATIONS


def access_agency_for_excel(
    request: HttpRequest, code: str, purpose: str, period: Period
) -> tuple[Agency, set[int] | None]:
    """The agency and the units the user works with (None: all). 404 outside the agency;
    403 for an import the user may not do."""
    agency = get_object_or_404(Agency, code=code, is_active=True)
    user = request.user
    scope = scope_for(user)
    units = list(agency.units.filter(is_active=True))
    editable = permissions.editable_units(
        scope, user, agency_id=agency.pk, period=period, units=units
    )
    sees_all = scope.sees_agency(agency.pk)
    if not sees_all and not editable and not any(scope.sees_unit(u) for u in units):
        raise Http404
    if purpose == PURPOSE_TARGETS and not permissions.may_plan(scope, agency.pk):
        raise PermissionDenied(_("Hanya perencana instansi yang dapat mengimpor target."))
    if purpose == PURPOSE_REALISATIONS and not editable:
        raise PermissionDenied(_("Anda tidak berwenang mengubah realisasi unit mana pun."))
    if sees_all:
        return agency, None
    return agency, editable | {u.pk for u in units if u.pk in scope.head_units}


def _period(request: HttpRequest) -> Period:
    period = parse_period(request.GET.get("periode") or request.POST.get("periode"))
    if period is None:
        return Period.quarter_of(timezone.localdate()).previous()
    if period.is_quarter:
        return period
    raise Http404


def _year(request: HttpRequest, default: int) -> int:
    year = parse_year(request.GET.get("tahun") or request.POST.get("tahun"))
    return default if year is None else year


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=spreadsheets.XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ExcelHomeView(LoginRequiredMixin, TemplateView):
    """The Excel page of an agency: choose the year/quarter, download, upload."""

    template_name = "performance/excel.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        period = _period(self.request)
        agency, _units = access_agency_for_excel(
            self.request, kwargs["agency"], PURPOSE_VIEW, period
        )
        scope = scope_for(self.request.user)
        context.update(
            agency=agency,
            period=period,
            year=period.year,
            periods=[
                Period(y, q) for y in range(period.year - 1, period.year + 2) for q in range(1, 5)
            ],
            may_import_targets=permissions.may_plan(scope, agency.pk),
            may_import_realisations=bool(
                permissions.editable_units(
                    scope,
                    self.request.user,
                    agency_id=agency.pk,
                    period=period,
                    units=agency.units.filter(is_active=True),
                )
            ),
        )
        return context


class TemplateDownloadView(LoginRequiredMixin, View):
    """``kind`` = targets (``?tahun=``) or realisations (``?periode=``)."""

    kind = spreadsheets.KIND_REALISATIONS

    def get(self, request: HttpRequest, agency: str) -> HttpResponse:
        period = _period(request)
        agency_obj, units = access_agency_for_excel(request, agency, PURPOSE_VIEW, period)
        if self.kind == spreadsheets.KIND_TARGETS:
            year = _year(request, period.year)
            data = spreadsheets.targets_workbook(agency=agency_obj, year=year, unit_ids=units)
            return _xlsx(data, f"rencana-aksi-{agency_obj.code}-{year}.xlsx")
        data = spreadsheets.realisations_workbook(agency=agency_obj, period=period, unit_ids=units)
        return _xlsx(data, f"realisasi-{agency_obj.code}-{period}.xlsx")


class ExportView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, agency: str) -> HttpResponse:
        period = _period(request)
        agency_obj, units = access_agency_for_excel(request, agency, PURPOSE_VIEW, period)
        data = spreadsheets.export_workbook(agency=agency_obj, period=period, unit_ids=units)
        return _xlsx(data, f"kinerja-{agency_obj.code}-{period}.xlsx")


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Berkas Excel atau CSV"),
        help_text=gettext_lazy("Berkas .xlsx atau .csv, paling besar %(mb)s MB.")
        % {"mb": settings.KINERJA_MAX_UPLOAD_MB},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


class ImportView(LoginRequiredMixin, View):
    """GET: the upload form. POST with a file: a dry run and its result (the preview);
    POST with ``token`` and ``confirm``: the real import of the file shown in the preview."""

    kind = spreadsheets.KIND_REALISATIONS
    template_name = "performance/import.html"

    def setup_target(self, request: HttpRequest, agency: str):
        period = _period(request)
        agency_obj, _units = access_agency_for_excel(request, agency, self.kind, period)
        year = _year(request, period.year)
        return agency_obj, period, year

    def get(self, request: HttpRequest, agency: str) -> HttpResponse:
        agency_obj, period, year = self.setup_target(request, agency)
        return self.render(request, agency_obj, period, year, UploadForm())

    def post(self, request: HttpRequest, agency: str) -> HttpResponse:
        agency_obj, period, year = self.setup_target(request, agency)
        if request.POST.get("token"):
            return self.confirm(request, agency_obj, period, year)
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(request, agency_obj, period, year, form)
        upload = form.cleaned_data["file"]
        try:
            data = spreadsheets.read_upload(upload)
        except ApplicationError as err:
            form.add_error("file", err.message)
            return self.render(request, agency_obj, period, year, form)
        result = self.run(request, agency_obj, period, year, data, upload.name, dry_run=True)
        token = self.keep(request, data, upload.name) if result.ok else ""
        return self.render(
            request,
            agency_obj,
            period,
            year,
            UploadForm(),
            result=result,
            token=token,
            filename=upload.name,
        )

    def confirm(self, request, agency_obj, period, year) -> HttpResponse:
        stored = request.session.get(SESSION_KEY, {}).pop(request.POST["token"], None)
        request.session.modified = True
        path = Path(stored["path"]) if stored else None
        if not stored or stored["kind"] != self.kind or not path.exists():
            messages.error(request, _("Berkas pratinjau sudah tidak ada. Unggah lagi."))
            return HttpResponseRedirect(request.get_full_path())
        try:
            data = path.read_bytes()
        finally:
            path.unlink(missing_ok=True)
        result = self.run(request, agency_obj, period, year, data, stored["name"], dry_run=False)
        if result.ok:
            messages.success(
                request, _("Impor berhasil. %(summary)s") % {"summary": result.summary_text()}
            )
            for warning in result.warnings:
                messages.warning(request, warning)
            url = reverse("performance:excel", args=[agency_obj.code])
            return HttpResponseRedirect(f"{url}?periode={period}")
        return self.render(
            request, agency_obj, period, year, UploadForm(), result=result, filename=stored["name"]
        )

    def run(self, request, agency_obj, period, year, data, name, *, dry_run):
        if self.kind == spreadsheets.KIND_TARGETS:
            return spreadsheets.import_targets(
                actor=request.user,
                agency=agency_obj,
                year=year,
                data=data,
                name=name,
                dry_run=dry_run,
            )
        return spreadsheets.import_realisations(
            actor=request.user,
            agency=agency_obj,
            period=period,
            data=data,
            name=name,
            dry_run=dry_run,
        )

    def keep(self, request: HttpRequest, data: bytes, name: str) -> str:
        folder = Path(settings.DATA_DIR) / "imports"
        folder.mkdir(parents=True, exist_ok=True)
        token = secrets.token_urlsafe(16)
        path = folder / token
        path.write_bytes(data)
        pending = request.session.get(SESSION_KEY, {})
        # One pending file per user and kind: an older preview is dropped.
        for old_token, old in list(pending.items()):
            if old["kind"] == self.kind:
                Path(old["path"]).unlink(missing_ok=True)
                del pending[old_token]
        pending[token] = {"kind": self.kind, "path": str(path), "name": name[:200]}
        request.session[SESSION_KEY] = pending
        return token

    def render(self, request, agency_obj, period, year, form, **extra) -> HttpResponse:
        context = {
            "agency": agency_obj,
            "period": period,
            "year": year,
            "kind": self.kind,
            "is_targets": self.kind == spreadsheets.KIND_TARGETS,
            "form": form,
            **extra,
        }
        return render(request, self.template_name, context)
