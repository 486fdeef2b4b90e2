"""Uploaded files (report materials, evidence), served only to users who may see them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest

from kinerja.performance.models import Evidence, ReportMaterial

from ..permissions import access_unit_files


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
    """A report material: for whoever sees its unit in its case (see access_unit_files)."""
    material = (
        ReportMaterial.objects.filter(pk=pk, removed_at__isnull=True)
        .select_related("case", "unit")
        .first()
    )
    if material is None:
        raise Http404
    access_unit_files(
        request, unit=material.unit, period=material.case.period, case_id=material.case_id
    )
    return _send(material)


@login_required
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    """Evidence of a realisation: for whoever sees the indicator's unit in that quarter."""
    evidence = (
        Evidence.objects.filter(pk=pk, removed_at__isnull=True)
        .select_related("realisation__indicator__owner_unit")
        .first()
    )
    if evidence is None:
        raise Http404
    realisation = evidence.realisation
    access_unit_files(
        request, unit=realisation.indicator.owner_unit, period=str(realisation.period)
    )
    return _send(evidence)
