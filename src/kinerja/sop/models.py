"""Loaded SOPs, versioned, and which agencies run which SOP."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:  # the schema loads pydantic: imported when a definition is read
    from .schema import SopDefinition


class SopVersionQuerySet(models.QuerySet):
    def latest_for(self, code: str) -> SopVersion:
        version = self.filter(code=code).order_by("-version").first()
        if version is None:
            raise SopVersion.DoesNotExist(code)
        return version


class SopVersion(models.Model):
    """One loaded version of an SOP: the normalized definition and the source it came from.

    Loading the same content again is a no-op; different content becomes the next version.
    A running case keeps the version it started with.
    """

    code = models.SlugField(_("kode SOP"), max_length=80)
    version = models.PositiveIntegerField(_("versi"))
    title = models.CharField(_("nama SOP"), max_length=250)
    definition = models.JSONField(_("definisi"))
    source = models.TextField(_("sumber YAML"))
    source_name = models.CharField(_("nama berkas"), max_length=250, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    loaded_at = models.DateTimeField(_("dimuat pada"), default=timezone.now)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dimuat oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = SopVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("versi SOP")
        verbose_name_plural = _("versi SOP")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="sop_version_unique"),
            models.UniqueConstraint(fields=["code", "sha256"], name="sop_version_content_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    @cached_property
    def spec(self) -> SopDefinition:
        """The definition as the typed model (validated when it was loaded)."""
        from .schema import SopDefinition

        return SopDefinition.model_validate(self.definition)


class AgencySop(models.Model):
    """An agency runs an SOP; its schedule may differ from the SOP's own."""

    agency = models.ForeignKey(
        "organization.Agency",
        verbose_name=_("instansi"),
        on_delete=models.CASCADE,
        related_name="sops",
    )
    sop_code = models.SlugField(_("kode SOP"), max_length=80)
    is_active = models.BooleanField(_("aktif"), default=True)
    schedule_day = models.PositiveSmallIntegerField(
        _("tanggal mulai"),
        null=True,
        blank=True,
        help_text=_("Kosongkan untuk memakai jadwal SOP (tanggal 10)."),
    )
    schedule_months = models.CharField(
        _("bulan mulai"),
        max_length=40,
        blank=True,
        help_text=_("Misalnya 1,4,7,10. Kosongkan untuk memakai jadwal SOP."),
    )

    class Meta:
        verbose_name = _("SOP instansi")
        verbose_name_plural = _("SOP instansi")
        constraints = [
            models.UniqueConstraint(fields=["agency", "sop_code"], name="sop_agencysop_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency} — {self.sop_code}"
