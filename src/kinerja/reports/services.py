"""Generating and archiving documents."""

from __future__ import annotations

import hashlib
import logging
import secrets
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kinerja.core.errors import ApplicationError, PermissionDenied
from kinerja.core.services import audit
from kinerja.workcalendar.calendar import DEFAULT_TIMEZONE
from kinerja.workcalendar.selectors import agency_timezone

from . import formatting
from .models import DocumentJob, GeneratedDocument
from .params import params_json, parse_params

logger = logging.getLogger("kinerja.reports")

# Crockford base32 without I, L, O, U: easy to read aloud and type from paper.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10  # 50 bits


def new_short_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def verify_url(short_code: str) -> str:
    return f"{settings.SITE_URL}/v/{short_code}"


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _checked_request(*, actor, code: str, fmt: str, params: dict[str, Any]):
    """The generator, the format and the parsed parameters of a request, or the
    :class:`ApplicationError` (unknown document, bad parameter or format) or
    :class:`PermissionDenied` that refuses it."""
    from .generators import registry  # not at import: the URLconf stays light

    fmt_value = (fmt or "").lower()
    generator = registry.get(code)
    parsed = parse_params(params)
    generator.check_params(parsed)
    if fmt_value not in generator.formats:
        raise ApplicationError(
            _("Dokumen %(title)s tersedia dalam format: %(formats)s.")
            % {"title": generator.title, "formats": ", ".join(generator.formats)},
            code="bad_format",
        )
    if actor is not None and not generator.is_available_to(actor, **parsed):
        raise PermissionDenied(_("Anda tidak berhak membuat dokumen ini."))
    return generator, fmt_value, parsed


def document_generate(*, actor, code: str, fmt: str, **params: Any) -> GeneratedDocument:
    """Render document ``code`` in format ``fmt`` and archive it; returns the new
    :class:`GeneratedDocument`.

    ``actor`` is the user asking (checked with the generator's ``is_available_to``) or
    ``None`` for a system generation (the ``kinerja report`` command). ``params`` are text or
    objects (``agency``, ``period``, ``unit``, ``year``, ``half``, ``case``, ``task``, ``sop``,
    ``paper``, ``issue_date``: the date of the place-and-date line, see
    :meth:`DocumentGenerator.issue_date`). The short code is drawn before rendering because
    it is printed (QR code and link) inside the document whose hash is stored. Writes the
    row and an audit event in one transaction; the file is written first, so a failed
    transaction leaves an unreferenced file, never a row without its file.
    """
    generator, fmt_value, parsed = _checked_request(actor=actor, code=code, fmt=fmt, params=params)
    # The place-and-date line: the date the document is issued for, never the clock alone
    # (the generation time is ``generated_at``); archived with the parameters.
    parsed["issue_date"] = generator.issue_date(**parsed)
    agency = parsed.get("agency")
    tz = agency_timezone(agency) if agency is not None else DEFAULT_TIMEZONE
    now = timezone.now()
    for _attempt in range(5):
        short_code = new_short_code()
        if not GeneratedDocument.objects.filter(short_code=short_code).exists():
            break
    from .pdf import Stamp

    # Documents are official records in Indonesian whatever the user's page language.
    with translation.override("id"):
        data = generator.collect(**parsed)
        draft = tuple(str(item) for item in generator.draft_items(data))
        stamp = Stamp(
            short_code=short_code,
            verify_url=verify_url(short_code),
            generated_at_text=formatting.datetime(now, tz),
            generated_by=actor.display_name if actor is not None else "sistem",
            draft=draft,
        )
        content = generator.render(fmt_value, data, stamp=stamp)
    filename = generator.filename(fmt_value, **parsed)
    with transaction.atomic():
        document = GeneratedDocument(
            code=code,
            format=fmt_value,
            title=generator.document_title(**parsed),
            params=params_json(parsed),
            period_label=generator.period_label(**parsed),
            agency=agency,
            unit=parsed.get("unit"),
            case=parsed.get("case"),
            filename=filename,
            sha256=sha256_of(content),
            size=len(content),
            short_code=short_code,
            generated_by=actor,
            generated_at=now,
            is_draft=bool(draft),
            draft_items=list(draft),
        )
        document.file.save(filename, ContentFile(content), save=False)
        document.save()
        audit(
            actor=actor,
            action="document.generated",
            obj=document,
            agency=agency,
            after={
                "code": code,
                "format": fmt_value,
                "params": document.params,
                "sha256": document.sha256,
                "short_code": short_code,
                "is_draft": bool(draft),
            },
        )
    return document


def document_job_request(*, actor, code: str, fmt: str, **params: str) -> DocumentJob:
    """Ask for document ``code`` in format ``fmt`` to be generated in the background (the
    documents page): checks the request as :func:`document_generate` does (a refusal is
    raised here, at once), then writes the :class:`DocumentJob`, its audit event and the
    background task in one transaction (the task row is in the same database with the
    database backend: a job never exists without its task). ``params`` are the form's text.
    """
    generator, fmt_value, parsed = _checked_request(actor=actor, code=code, fmt=fmt, params=params)
    with transaction.atomic():
        job = DocumentJob.objects.create(
            code=code,
            format=fmt_value,
            title=generator.document_title(**parsed),
            params={k: str(v) for k, v in params.items()},
            language=translation.get_language() or "id",
            agency=parsed.get("agency"),
            requested_by=actor,
            requested_at=timezone.now(),
        )
        audit(
            actor=actor,
            action="document.requested",
            obj=job,
            agency=job.agency,
            after={"code": code, "format": fmt_value, "params": job.params},
        )
        from .tasks import generate_document

        generate_document.enqueue(job_id=job.pk)
    return job


def document_job_run(*, job_id: int) -> DocumentJob:
    """Generate the document of a queued :class:`DocumentJob` (the background task): marks it
    running, calls :func:`document_generate` as the user who asked, in their language, and
    records the document or the reason it failed (an application error's message, else a
    general one; the exception is logged). Never raises for a failed generation; a job that
    is not queued any more (run twice) is returned unchanged."""
    with transaction.atomic():
        job = DocumentJob.objects.select_for_update().select_related("requested_by").get(pk=job_id)
        if job.status != DocumentJob.Status.QUEUED:
            return job
        job.status = DocumentJob.Status.RUNNING
        job.started_at = timezone.now()
        job.save(update_fields=["status", "started_at"])
    document, error = None, ""
    try:
        with translation.override(job.language):
            document = document_generate(
                actor=job.requested_by, code=job.code, fmt=job.format, **job.params
            )
    except (ApplicationError, PermissionDenied) as exc:
        error = str(exc) or _("Dokumen tidak dapat dibuat.")
    except Exception:
        logger.exception("Generating document job %s (%s) failed", job.pk, job.code)
        error = ""  # the page shows the general message in the user's language
        document = None
    with transaction.atomic():
        job = DocumentJob.objects.select_for_update().get(pk=job_id)
        job.finished_at = timezone.now()
        job.document = document
        job.status = DocumentJob.Status.DONE if document else DocumentJob.Status.FAILED
        job.error = error
        job.save(update_fields=["finished_at", "document", "status", "error"])
        if document is None:
            audit(
                actor=job.requested_by,
                action="document.failed",
                obj=job,
                agency=job.agency,
                after={"code": job.code, "format": job.format, "error": error},
            )
    return job
