"""Who may fetch an archived document.

Decision (see docs/documents.md): the verification page is public and shows a document's
metadata and hash, which is what a reader of the paper needs to trust it; the file itself is
downloaded only by signed-in users allowed to generate that document (the generator's
``is_available_to`` with the stored parameters), so an archived report never leaks wider than
the live data it was made from.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from kinerja.core.errors import ApplicationError, PermissionDenied

from .models import DocumentJob, GeneratedDocument
from .params import parse_params


def user_may_download(user, document: GeneratedDocument) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    from .generators import registry  # not at import: the URLconf stays light

    try:
        generator = registry.get(document.code)
        params = parse_params(dict(document.params))
    except ApplicationError:
        return False
    return generator.is_available_to(user, **params)


def access_document_for_download(user, document_id: int) -> GeneratedDocument:
    """The document ``document_id`` if ``user`` may download it; raises otherwise."""
    document = (
        GeneratedDocument.objects.select_related("agency", "unit", "case")
        .filter(pk=document_id)
        .first()
    )
    if document is None:
        raise ApplicationError(_("Dokumen tidak ditemukan."), code="not_found")
    if not user_may_download(user, document):
        raise PermissionDenied(_("Anda tidak berhak mengunduh dokumen ini."))
    return document


def access_document_job(user, job_id: int) -> DocumentJob:
    """The background generation ``job_id`` if ``user`` asked for it (nobody else sees
    another's request, not even what was asked); raises ``not_found`` otherwise."""
    job = (
        DocumentJob.objects.select_related("document")
        .filter(pk=job_id, requested_by_id=getattr(user, "pk", None))
        .first()
    )
    if job is None or not user.is_active:
        raise ApplicationError(_("Pembuatan dokumen tidak ditemukan."), code="not_found")
    return job
