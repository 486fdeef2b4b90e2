"""Data-dukung (evidence) and report-material files."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from kinerja.core.services import audit
from kinerja.organization.models import Unit

from ..models import Evidence, Realisation, ReportMaterial
from ..uploads import check_upload
from .common import _check_unit_editable


def _store_file(record, checked, *, actor, now: dt.datetime, description: str):
    """Fill a StoredFile (evidence or material) from a checked upload, write the file and
    save the row; the file is removed again if the row cannot be saved."""
    record.original_name = checked.original_name
    record.content_type = checked.content_type
    record.size = checked.size
    record.sha256 = checked.sha256
    record.uploaded_by = actor if getattr(actor, "pk", None) else None
    record.uploaded_at = now
    record.description = (description or "").strip()[:250]
    record.file.save(checked.content.name, checked.content, save=False)
    try:
        record.save()
    except Exception:
        record.file.delete(save=False)
        raise
    return record


def evidence_add(
    *,
    actor,
    realisation: Realisation,
    upload: UploadedFile | bytes,
    name: str = "",
    description: str = "",
    now: dt.datetime | None = None,
) -> Evidence:
    """Attach a data-dukung file to a realisation.

    Who: as :func:`realisation_save`; refused when the unit's quarter is locked. The file is
    checked by content and size (:func:`.uploads.check_upload`), stored under
    ``MEDIA_ROOT/evidence/<agency>/<year>/``, and its SHA-256 kept. Audited.
    """
    now = now or timezone.now()
    checked = check_upload(upload, name=name)
    with transaction.atomic():
        real = (
            Realisation.objects.select_for_update(of=("self",))
            .select_related("agency", "indicator__owner_unit")
            .get(pk=realisation.pk)
        )
        _check_unit_editable(actor, real.indicator.owner_unit, real.period, now)
        evidence = _store_file(
            Evidence(realisation=real), checked, actor=actor, now=now, description=description
        )
        audit(
            actor=actor,
            action="evidence.added",
            obj=evidence,
            agency=real.agency,
            after={
                "realisation": real.pk,
                "indicator": real.indicator.code,
                "period": str(real.period),
                "name": evidence.original_name,
                "sha256": evidence.sha256,
                "size": evidence.size,
            },
        )
    return evidence


def evidence_remove(
    *, actor, evidence: Evidence, reason: str = "", now: dt.datetime | None = None
) -> Evidence:
    """Hide a data-dukung file (the file and row stay for the audit trail).

    Who: as :func:`realisation_save`; refused when locked. Audited.
    """
    now = now or timezone.now()
    with transaction.atomic():
        ev = (
            Evidence.objects.select_for_update(of=("self",))
            .select_related("realisation__agency", "realisation__indicator__owner_unit")
            .get(pk=evidence.pk)
        )
        real = ev.realisation
        _check_unit_editable(actor, real.indicator.owner_unit, real.period, now)
        if ev.removed_at is not None:
            return ev
        ev.removed_at = now
        ev.removed_by = actor if getattr(actor, "pk", None) else None
        ev.save(update_fields=["removed_at", "removed_by"])
        audit(
            actor=actor,
            action="evidence.removed",
            obj=ev,
            agency=real.agency,
            before={"name": ev.original_name, "sha256": ev.sha256},
            after=None,
            reason=reason,
        )
    return ev


def material_add(
    *,
    actor,
    case,
    unit: Unit,
    upload: UploadedFile | bytes,
    name: str = "",
    description: str = "",
    now: dt.datetime | None = None,
) -> ReportMaterial:
    """Store a report-material file (bahan laporan, step 3) for ``unit`` in ``case``.

    Who: as :func:`realisation_save` for the case's quarter; refused when locked. Same file
    checks as evidence; stored under ``MEDIA_ROOT/materials/<agency>/<period>/``. Audited.
    """
    now = now or timezone.now()
    checked = check_upload(upload, name=name)
    period = case.period_obj
    with transaction.atomic():
        if period.is_quarter:
            _check_unit_editable(actor, unit, period, now)
        material = _store_file(
            ReportMaterial(case=case, unit=unit),
            checked,
            actor=actor,
            now=now,
            description=description,
        )
        audit(
            actor=actor,
            action="material.added",
            obj=material,
            agency=case.agency,
            after={
                "case": case.pk,
                "unit": unit.pk,
                "name": material.original_name,
                "sha256": material.sha256,
            },
        )
    return material


def material_remove(
    *, actor, material: ReportMaterial, reason: str = "", now: dt.datetime | None = None
) -> ReportMaterial:
    """Hide a report-material file. Who: as :func:`material_add`. Audited."""
    now = now or timezone.now()
    with transaction.atomic():
        mat = (
            ReportMaterial.objects.select_for_update(of=("self",))
            .select_related("case__agency", "unit")
            .get(pk=material.pk)
        )
        if mat.case.period_obj.is_quarter:
            _check_unit_editable(actor, mat.unit, mat.case.period_obj, now)
        if mat.removed_at is not None:
            return mat
        mat.removed_at = now
        mat.removed_by = actor if getattr(actor, "pk", None) else None
        mat.save(update_fields=["removed_at", "removed_by"])
        audit(
            actor=actor,
            action="material.removed",
            obj=mat,
            agency=mat.case.agency,
            before={"name": mat.original_name, "sha256": mat.sha256},
            reason=reason,
        )
    return mat
