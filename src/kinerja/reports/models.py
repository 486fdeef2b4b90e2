"""The archive of generated documents.

Every document Kinerja produces is stored once, with its SHA-256, who made it and when, and a
short random code printed on it (QR code + short link to the verification page). Rows and
files never change: generating again makes a new row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def document_upload_to(instance: GeneratedDocument, filename: str) -> str:
    """``documents/<agency or _>/<yyyy>/<mm>/<short_code>-<filename>``."""
    agency = instance.agency.code if instance.agency_id else "_"
    when = instance.generated_at
    return f"documents/{agency}/{when:%Y}/{when:%m}/{instance.short_code}-{filename}"


class GeneratedDocument(models.Model):
    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        XLSX = "xlsx", "XLSX (Excel)"
        DOCX = "docx", "DOCX (Word)"
        SVG = "svg", "SVG"

    code = models.SlugField(_("jenis dokumen"), max_length=40)
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    title = models.CharField(_("judul"), max_length=250)
    params = models.JSONField(_("parameter"), default=dict, blank=True)
    period_label = models.CharField(_("periode"), max_length=60, blank=True)
    agency = models.ForeignKey(
        "organization.Agency",
        verbose_name=_("instansi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("unit kerja"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    case = models.ForeignKey(
        "workflow.Case",
        verbose_name=_("kasus SOP"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    file = models.FileField(_("berkas"), upload_to=document_upload_to, max_length=300)
    filename = models.CharField(_("nama berkas"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("ukuran (bita)"))
    short_code = models.CharField(_("kode verifikasi"), max_length=16, unique=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Kosong bila dibuat oleh sistem (perintah kinerja report)."),
    )
    generated_at = models.DateTimeField(_("dibuat pada"))
    is_draft = models.BooleanField(
        _("draf"),
        default=False,
        help_text=_(
            "Dibuat dari data yang belum lengkap atau belum disetujui: bertanda DRAF, "
            "belum untuk ditandatangani."
        ),
    )
    draft_items = models.JSONField(
        _("yang belum lengkap"),
        default=list,
        blank=True,
        help_text=_("Daftar data yang belum lengkap atau belum disetujui saat dokumen dibuat."),
    )

    class Meta:
        verbose_name = _("dokumen")
        verbose_name_plural = _("dokumen")
        ordering = ["-generated_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "code", "-generated_at"]),
            models.Index(fields=["case", "-generated_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(format__in=["pdf", "xlsx", "docx", "svg"]),
                name="reports_document_known_format",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.format.upper()}, {self.short_code})"

    def save(self, *args, **kwargs):
        # Archived documents are immutable; a new generation is a new row.
        if self.pk is not None and not self._state.adding:
            raise RuntimeError("Generated documents are immutable.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("reports:verify", kwargs={"short_code": self.short_code})

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "svg": "image/svg+xml",
}


class DocumentJob(models.Model):
    """A document asked for on the documents page and generated in the background
    (``kinerja worker``): the page polls its status and offers the file when it is ready.

    The parameters are kept as the form sent them (text) and parsed again by the worker; the
    archived :class:`GeneratedDocument` is linked when it is done, the reason when it failed.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("menunggu giliran")
        RUNNING = "running", _("sedang dibuat")
        DONE = "done", _("selesai")
        FAILED = "failed", _("gagal")

    code = models.SlugField(_("jenis dokumen"), max_length=40)
    format = models.CharField(_("format"), max_length=8)
    title = models.CharField(_("judul"), max_length=250)
    params = models.JSONField(_("parameter"), default=dict, blank=True)
    language = models.CharField(_("bahasa"), max_length=8, default="id")
    agency = models.ForeignKey(
        "organization.Agency",
        verbose_name=_("instansi"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diminta oleh"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    requested_at = models.DateTimeField(_("diminta pada"))
    started_at = models.DateTimeField(_("mulai dibuat"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)
    document = models.ForeignKey(
        GeneratedDocument,
        verbose_name=_("dokumen"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    error = models.TextField(_("alasan gagal"), blank=True)

    class Meta:
        verbose_name = _("pembuatan dokumen")
        verbose_name_plural = _("pembuatan dokumen")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "-requested_at"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.format.upper()}, {self.get_status_display()})"

    @property
    def pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
