"""Agencies (instansi), their units, positions (jabatan) and who holds them when.

A position carries a ``role``: the code of the SOP executor it plays (``sekcam``, ``kasi``,
``analis``, ``kasubag_perencanaan``, ``camat``...). The workflow engine finds the position for
a step by that role, in the case's agency and, for unit-level roles, in the task's unit.
Holders are dated; an acting official (Plt/Plh) is a holder of kind ``plt``/``plh`` for a date
range and may do everything the position may do in that range.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Agency(models.Model):
    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama instansi"), max_length=200)
    short_name = models.CharField(_("nama singkat"), max_length=80, blank=True)
    parent_name = models.CharField(
        _("pemerintah daerah"),
        max_length=200,
        blank=True,
        help_text=_("Misalnya: Pemerintah Kabupaten Jeneponto"),
    )
    address = models.CharField(_("alamat"), max_length=250, blank=True)
    region_code = models.CharField(_("kode wilayah"), max_length=20, blank=True)
    timezone = models.CharField(_("zona waktu"), max_length=40, default="Asia/Makassar")
    head_title = models.CharField(_("jabatan pimpinan"), max_length=120, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    class Kind(models.TextChoices):
        SECRETARIAT = "sekretariat", _("Sekretariat")
        SUBSECTION = "subbagian", _("Subbagian")
        SECTION = "seksi", _("Seksi")
        OTHER = "lain", _("Lainnya")

    agency = models.ForeignKey(
        Agency, verbose_name=_("instansi"), on_delete=models.CASCADE, related_name="units"
    )
    code = models.SlugField(_("kode"), max_length=40)
    name = models.CharField(_("nama unit"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices, default=Kind.SECTION)
    reports_performance = models.BooleanField(
        _("melaporkan data kinerja"),
        default=True,
        help_text=_("Unit ini ikut dalam langkah per unit pada SOP (punya indikator sendiri)."),
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("unit kerja")
        verbose_name_plural = _("unit kerja")
        ordering = ["agency", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="organization_unit_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Position(models.Model):
    agency = models.ForeignKey(
        Agency, verbose_name=_("instansi"), on_delete=models.CASCADE, related_name="positions"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit kerja"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="positions",
        help_text=_("Kosongkan untuk jabatan tingkat kantor (Camat, Sekcam)."),
    )
    code = models.SlugField(_("kode"), max_length=60)
    title = models.CharField(_("nama jabatan"), max_length=200)
    role = models.SlugField(
        _("peran pelaksana SOP"),
        max_length=40,
        help_text=_("Kode pelaksana pada SOP, misalnya sekcam, kasi, analis, kasubag_perencanaan."),
    )
    reports_to = models.ForeignKey(
        "self",
        verbose_name=_("atasan langsung"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subordinates",
    )
    is_admin = models.BooleanField(
        _("pengelola data instansi"),
        default=False,
        help_text=_("Boleh mengelola data induk dan membuka kunci data instansi ini."),
    )

    class Meta:
        verbose_name = _("jabatan")
        verbose_name_plural = _("jabatan")
        ordering = ["agency", "unit__order", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "code"], name="organization_position_code_unique"
            )
        ]
        indexes = [models.Index(fields=["agency", "role"])]

    def __str__(self) -> str:
        return self.title


class PositionHolderQuerySet(models.QuerySet):
    def current(self, on=None):
        """Holders whose dates include ``on`` (today in the server's time zone by default)."""
        from django.utils import timezone

        on = on or timezone.localdate()
        return self.filter(Q(start_date__lte=on), Q(end_date__isnull=True) | Q(end_date__gte=on))


class PositionHolder(models.Model):
    class Kind(models.TextChoices):
        DEFINITIVE = "definitif", _("Definitif")
        PLT = "plt", _("Pelaksana Tugas (Plt)")
        PLH = "plh", _("Pelaksana Harian (Plh)")

    position = models.ForeignKey(
        Position, verbose_name=_("jabatan"), on_delete=models.CASCADE, related_name="holders"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pengguna"),
        on_delete=models.CASCADE,
        related_name="position_holdings",
    )
    kind = models.CharField(
        _("jenis"), max_length=12, choices=Kind.choices, default=Kind.DEFINITIVE
    )
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("sampai"), null=True, blank=True)
    decree = models.CharField(_("nomor SK / surat perintah"), max_length=120, blank=True)

    objects = PositionHolderQuerySet.as_manager()

    class Meta:
        verbose_name = _("pemangku jabatan")
        verbose_name_plural = _("pemangku jabatan")
        ordering = ["position", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="organization_holder_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        prefix = "" if self.kind == self.Kind.DEFINITIVE else f"{self.get_kind_display()} "
        return f"{prefix}{self.position} — {self.user}"

    @property
    def is_acting(self) -> bool:
        return self.kind != self.Kind.DEFINITIVE
