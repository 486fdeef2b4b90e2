"""The SOP document as the office knows it: identity, six boxes, the steps table."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from kinerja.core.http import parse_int
from kinerja.sop.models import SopVersion
from kinerja.sop.selectors import sop_list, sop_version
from kinerja.workflow.selectors import step_shape


@login_required
def sop_index(request: HttpRequest) -> HttpResponse:
    return render(request, "web/sop_list.html", {"sops": sop_list()})


def _document_links(code: str) -> list[dict[str, str]]:
    """Links to the reports app's SOP documents, when it provides them."""
    links = []
    for name, label in (
        ("reports:sop_page", _("dokumen SOP")),
        ("reports:sop_svg", _("bagan SVG")),
    ):
        try:
            links.append({"url": reverse(name, args=[code]), "label": label})
        except NoReverseMatch:
            continue
    return links


@login_required
def sop_detail(request: HttpRequest, code: str) -> HttpResponse:
    """Any signed-in user may read an SOP (it is the office's public procedure)."""
    number = parse_int(request.GET.get("versi"), name="versi", minimum=1, maximum=32767)
    try:
        version = sop_version(code, number)
    except SopVersion.DoesNotExist:
        raise Http404 from None
    spec = version.spec
    executors = [e.code for e in spec.executors]
    rows = [
        {"step": s, "shape": step_shape(spec, s), "executor_index": executors.index(s.executor)}
        for s in spec.steps
    ]
    boxes = [
        ("Dasar Hukum", spec.legal_basis),
        ("Kualifikasi Pelaksana", spec.executor_qualifications),
        ("Keterkaitan", spec.related_sops),
        ("Peralatan/Perlengkapan", spec.equipment),
        ("Peringatan", spec.warnings),
        ("Pencatatan dan Pendataan", spec.records),
    ]
    return render(
        request,
        "web/sop.html",
        {
            "version": version,
            "spec": spec,
            "rows": rows,
            "boxes": boxes,
            "documents": _document_links(code),
        },
    )
