"""A unit's quarterly report entry (steps 3 and 4 of the seed SOP) saved as one whole: the
realisations typed on the task page, the report materials and the evidence files chosen on
the same submit. All or nothing: a refused realisation or file saves none of the others.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.core.errors import ApplicationError
from kinerja.core.periods import Period
from kinerja.organization.models import Unit

from .models import Indicator, Realisation
from .uploads import check_upload


def report_entry_save(
    *,
    actor,
    case,
    unit: Unit,
    period: Period,
    items: Sequence,
    materials: Sequence[UploadedFile] = (),
    evidence: Sequence[tuple[Indicator, UploadedFile]] = (),
) -> list[Realisation]:
    """Save ``items`` (``services.RealisationInput``) of ``period`` with
    ``realisations_save``, add each file of ``materials`` to ``case`` for ``unit`` with
    ``material_add`` and each (indicator, file) of ``evidence`` to that indicator's
    realisation of ``period`` with ``evidence_add``, in ONE transaction.

    Who: as ``realisations_save`` (the head of the unit, the analyst given its task, an
    agency administrator); each service checks the actor, the unit's lock and versions, and
    writes its audit events. Every file is checked by content before anything is written,
    so a bad file stops the save first. Evidence for an indicator without a realisation (in
    the database or among ``items``) is refused. Returns the realisations saved.
    """
    from . import services

    for upload in [*materials, *(file for _indicator, file in evidence)]:
        check_upload(upload, name=upload.name)
        upload.seek(0)
    with transaction.atomic():
        saved = services.realisations_save(actor=actor, period=period, items=items)
        for upload in materials:
            services.material_add(
                actor=actor, case=case, unit=unit, upload=upload, name=upload.name
            )
        if evidence:
            by_indicator = {r.indicator_id: r for r in saved}
            for indicator, upload in evidence:
                realisation = by_indicator.get(indicator.pk) or (
                    Realisation.objects.filter(
                        indicator=indicator, year=period.year, quarter=period.quarter
                    ).first()
                )
                if realisation is None:
                    raise ApplicationError(
                        _("%(code)s: isi realisasi dulu sebelum mengunggah data dukung.")
                        % {"code": indicator.code}
                    )
                services.evidence_add(
                    actor=actor, realisation=realisation, upload=upload, name=upload.name
                )
    return saved
