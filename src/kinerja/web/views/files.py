"""Uploaded files (report materials, evidence), served only to users who may see them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest

from kinerja.performance.models import Evidence, ReportMaterial

from ..permissions import access_case_for_view, request_scope


def _send(stored) -> FileResponse:
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=stored.content_type not in ("application/pdf", "image/png", "image/jpeg"),
        filename=stored.original_name,
        content_type=stored.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def material_file(request: HttpRequest, pk: int) -> FileResponse:
    """A report material: for whoever sees its unit in its case."""
    material = ReportMaterial.objects.filter(pk=pk, removed_at__isnull=True).first()
    if material is None:
        raise Http404
    _case, units = access_case_for_view(request, material.case_id)
    if units is not None and material.unit_id not in units:
        raise Http404
    return _send(material)


@login_required
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    """Evidence of a realisation: for whoever sees the indicator's unit."""
    evidence = (
        Evidence.objects.filter(pk=pk, removed_at__isnull=True)
        .select_related("realisation__indicator__owner_unit")
        .first()
    )
    if evidence is None:
        raise Http404
    if not request_scope(request).sees_unit(evidence.realisation.indicator.owner_unit):
        raise Http404
    return _send(evidence)
