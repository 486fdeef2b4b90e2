"""Pages of the reports app: the documents of an agency or case with generate buttons
(generation runs in the background worker; the page follows it), download, the public
verification page and the SOP drawing.

The generators (fpdf2, matplotlib, python-docx) are imported when a page needs them, not
with the URLconf: a process that only reverses URLs (``kinerja tick``, the worker) does not
load them."""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from kinerja.core.errors import ApplicationError, PermissionDenied
from kinerja.core.http import parse_int, query_id, safe_next
from kinerja.core.periods import Period
from kinerja.organization.models import Agency
from kinerja.sop.models import SopVersion
from kinerja.sop.selectors import sop_latest
from kinerja.workflow.models import Case
from kinerja.workflow.permissions import scope_for

from . import formatting
from .models import DocumentJob
from .params import HalfYear
from .permissions import (
    access_document_for_download,
    access_document_job,
    user_may_download,
)
from .selectors import document_by_code, documents_for, documents_with_hash
from .services import document_job_request, verify_url

PARAM_FIELDS = (
    "agency",
    "unit",
    "period",
    "year",
    "half",
    "case",
    "task",
    "sop",
    "paper",
    "issue_date",
)
#: How far back the quarter, year and half-year choices of the documents page go.
QUARTERS_OFFERED, YEARS_OFFERED, HALVES_OFFERED = 8, 5, 4


def quarter_choices(today, selected: Period) -> list[Period]:
    """The current quarter and the ones before it (newest first), plus ``selected``."""
    quarters = [Period.quarter_of(today)]
    while len(quarters) < QUARTERS_OFFERED:
        quarters.append(quarters[-1].previous())
    if selected not in quarters:
        quarters.append(selected)
    return quarters


def half_choices(today) -> list[HalfYear]:
    halves = [HalfYear.of(today)]
    while len(halves) < HALVES_OFFERED:
        last = halves[-1]
        halves.append(HalfYear(last.year, 1) if last.half == 2 else HalfYear(last.year - 1, 2))
    return halves


class DocumentListView(LoginRequiredMixin, TemplateView):
    """``?case=<id>`` or ``?agency=<code>`` (default: the user's first agency)."""

    template_name = "reports/documents.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        scope = scope_for(user)
        case = None
        case_id = query_id(self.request, "case")
        agency_code = self.request.GET.get("agency", "").strip()
        if case_id is not None:
            case = get_object_or_404(
                Case.objects.select_related("agency", "sop_version"), pk=case_id
            )
            agency = case.agency
            if not _sees_case_or_agency(scope, agency, case):
                raise Http404
        elif agency_code:
            agency = get_object_or_404(Agency, code=agency_code)
            if not _sees_case_or_agency(scope, agency, None):
                raise Http404
        else:
            agency = (
                Agency.objects.filter(pk__in=scope.agencies).first()
                if not scope.superuser
                else Agency.objects.first()
            )
            if agency is None:
                agency = Agency.objects.filter(units__pk__in=scope.head_units).first()
        if agency is None:
            raise Http404
        today = formatting_today(agency)
        period = case.period_obj if case else Period.quarter_of(today).previous()
        units = [
            u
            for u in agency.units.filter(is_active=True, reports_performance=True)
            if scope.sees_agency(agency.pk) or u.pk in scope.head_units
        ]
        defaults = {
            "agency": agency.code,
            "period": str(period),
            # The LKjIP's year: the case's, else the last year that is over.
            "year": today.year - 1 if case is None else case.period_obj.year,
            "half": str(HalfYear.of(today)),
            "sop": case.sop_code if case else "pengumpulan-data-kinerja",
            "case": case.pk if case else "",
        }
        from .generators import registry

        generators = []
        for generator in registry:
            if generator.context == "case" and "case" in generator.required and case is None:
                continue
            probe = {"agency": agency}
            if case is not None:
                probe["case"] = case
            if generator.code == "laporan-unit":
                if not units:
                    continue
                probe["unit"] = units[0]
            if not generator.is_available_to(user, **probe):
                continue
            fields = [f for f in (*generator.required, *generator.optional) if f in PARAM_FIELDS]
            generators.append({"generator": generator, "fields": fields})
        documents = [
            d for d in documents_for(agency=agency, case=case)[:200] if user_may_download(user, d)
        ]
        # Just asked for (GenerateView's redirect): its status at the top, followed until the
        # file is ready, then downloaded at once. Only the user who asked sees it.
        try:
            job_id = query_id(self.request, "proses")
            if job_id is not None:
                context.update(job_context(access_document_job(user, job_id)))
        except ApplicationError:
            pass  # a stale or foreign marker: the page without it
        context.update(
            quarters=quarter_choices(today, period),
            years=list(range(today.year, today.year - YEARS_OFFERED, -1)),
            halves=half_choices(today),
            today=today,
        )
        context.update(
            agency=agency,
            case=case,
            units=units,
            defaults=defaults,
            generators=generators,
            documents=documents,
        )
        return context


def _sees_case_or_agency(scope, agency: Agency, case: Case | None) -> bool:
    """The documents page of an agency (or one of its cases) exists only for those who see
    some of it: agency-wide officials, heads of its units, analysts given a unit's task (of
    that case). Others get 404, so another agency's names never show."""
    if scope.sees_agency(agency.pk):
        return True
    if agency.units.filter(pk__in=scope.head_units).exists():
        return True
    given = {c for c, _u in scope.assigned if case is None or c == case.pk}
    return bool(given) and Case.objects.filter(agency=agency, pk__in=given).exists()


def formatting_today(agency: Agency):
    from .generators.common import today_in

    return today_in(agency)


class GenerateView(LoginRequiredMixin, View):
    """POST code, fmt and the generator's parameters; a refused request returns to the page
    with the reason, an accepted one is queued for the background worker and returns to the
    documents page with ``?proses=<job id>``, whose status fragment follows it and offers
    the file when it is ready (:class:`JobStatusView`)."""

    http_method_names = ["post"]

    def post(self, request, *args: Any, **kwargs: Any) -> HttpResponse:
        code = request.POST.get("code", "")
        fmt = request.POST.get("fmt", "")
        params = {k: request.POST[k] for k in PARAM_FIELDS if request.POST.get(k)}
        from .generators import registry

        try:
            generator = registry.get(code)
            allowed = set(generator.required) | set(generator.optional)
            params = {
                k: v for k, v in params.items() if k in allowed or k in ("agency", "issue_date")
            }
            if "agency" in params and "agency" not in allowed and "case" in params:
                params.pop("agency")
            job = document_job_request(actor=request.user, code=code, fmt=fmt, **params)
        except PermissionDenied as exc:
            raise DjangoPermissionDenied(exc.message) from exc
        except ApplicationError as exc:
            messages.error(request, str(exc))
            return self._back(request)
        if code == "lkjip" and job.agency is not None:
            year = job.params.get("year")
            if year and int(year) >= formatting_today(job.agency).year:
                messages.warning(
                    request,
                    _(
                        "Tahun %(year)s belum berakhir: LKjIP ini hanya memuat data yang sudah "
                        "ada sampai hari ini dan belum dapat menjadi laporan tahunan. Buat lagi "
                        "setelah triwulan IV selesai."
                    )
                    % {"year": year},
                )
        return self._back(request, job=job.pk)

    def _back(self, request, job: int | None = None) -> HttpResponse:
        target = safe_next(request, reverse("reports:documents"))
        if job is not None:
            parts = urlsplit(target)
            query = [(k, v) for k, v in parse_qsl(parts.query) if k not in ("proses", "dibuat")]
            query.append(("proses", str(job)))
            target = urlunsplit(parts._replace(query=urlencode(query)))
        return HttpResponseRedirect(target)


#: After this long in the queue the status fragment says the background worker may be off.
JOB_WAIT_WARNING_SECONDS = 60


def job_context(job: DocumentJob) -> dict[str, Any]:
    now = timezone.now()
    waited = (now - job.requested_at).total_seconds()
    running = (now - job.started_at).total_seconds() if job.started_at else 0
    return {
        "job": job,
        "seconds": int(running if job.started_at else waited),
        "worker_late": job.status == DocumentJob.Status.QUEUED
        and waited > JOB_WAIT_WARNING_SECONDS,
    }


class JobStatusView(LoginRequiredMixin, View):
    """``/dokumen/proses/<id>/``: the status fragment of one's own background generation
    (polled by htmx every second while it is queued or running; the finished fragment
    stops polling and offers the file or says why it failed)."""

    def get(self, request, pk: int) -> HttpResponse:
        try:
            job = access_document_job(request.user, pk)
        except ApplicationError as exc:
            raise Http404 from exc
        response = render(request, "reports/_job.html", job_context(job))
        response["Cache-Control"] = "no-store"
        return response


class DownloadView(LoginRequiredMixin, View):
    def get(self, request, pk: int) -> HttpResponse:
        try:
            document = access_document_for_download(request.user, pk)
        except PermissionDenied as exc:
            raise DjangoPermissionDenied(exc.message) from exc
        except ApplicationError as exc:
            raise Http404 from exc
        return FileResponse(
            document.file.open("rb"),
            as_attachment=document.format != "svg",
            filename=document.filename,
            content_type=document.content_type,
        )


class VerifyView(TemplateView):
    """Public: anyone holding the paper may check it. Shows metadata and hash; an uploaded
    file is compared byte for byte (by SHA-256) with the stored one."""

    template_name = "reports/verify.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        document = (
            document_by_code(self.kwargs.get("short_code", ""))
            if self.kwargs.get("short_code")
            else None
        )
        if self.kwargs.get("short_code") and document is None:
            raise Http404
        if document is not None:
            tz = document.agency.timezone if document.agency else "Asia/Makassar"
            context.update(
                document=document,
                generated_at=formatting.datetime(document.generated_at, tz),
                verify_link=verify_url(document.short_code),
                may_download=user_may_download(self.request.user, document),
            )
        return context

    def post(self, request, *args: Any, **kwargs: Any) -> HttpResponse:
        context = self.get_context_data(**kwargs)
        upload = request.FILES.get("file")
        if upload is None:
            context["error"] = _("Pilih berkas yang akan diperiksa.")
            return self.render_to_response(context, status=400)
        if upload.size > settings.KINERJA_MAX_VERIFY_MB * 1024 * 1024:
            context["error"] = _("Berkas lebih besar dari batas %(mb)s MB.") % {
                "mb": settings.KINERJA_MAX_VERIFY_MB
            }
            return self.render_to_response(context, status=413)
        hasher = hashlib.sha256()
        for chunk in upload.chunks():  # large uploads are temporary files: never whole in memory
            hasher.update(chunk)
        digest = hasher.hexdigest()
        document = context.get("document")
        if document is not None:
            matched = [document] if digest == document.sha256 else []
        else:
            matched = documents_with_hash(digest)
        context.update(checked=True, uploaded_hash=digest, authentic=bool(matched), matches=matched)
        return self.render_to_response(context)


class SopDrawingView(LoginRequiredMixin, View):
    """``/dokumen/sop/<code>.svg``: the SOP document drawn as SVG (the newest version, or
    ``?versi=N``)."""

    def get(self, request, code: str) -> HttpResponse:
        try:
            number = parse_int(request.GET.get("versi"), name="versi", minimum=1, maximum=32767)
            version = (
                SopVersion.objects.get(code=code, version=number)
                if number is not None
                else sop_latest(code)
            )
        except SopVersion.DoesNotExist as exc:
            raise Http404 from exc
        from .generators.sop import render_sop_svg

        response = HttpResponse(render_sop_svg(version.spec), content_type="image/svg+xml")
        response["Cache-Control"] = "private, max-age=300"
        return response


class SopPageView(LoginRequiredMixin, TemplateView):
    template_name = "reports/sop.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        try:
            version = sop_latest(self.kwargs["code"])
        except SopVersion.DoesNotExist as exc:
            raise Http404 from exc
        from .generators.sop import render_sop_svg

        context.update(version=version, svg=render_sop_svg(version.spec))
        return context
