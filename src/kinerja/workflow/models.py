"""Cases, tasks and dispositions: the SOP running for an agency and a period.

Only :mod:`kinerja.workflow.services` writes these rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.core.periods import Period


class Case(models.Model):
    """One run of an SOP for one agency and one period (unique per SOP, agency and period)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Berjalan")
        COMPLETED = "completed", _("Selesai")
        CANCELLED = "cancelled", _("Dibatalkan")

    sop_version = models.ForeignKey(
        "sop.SopVersion",
        verbose_name=_("versi SOP"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    sop_code = models.SlugField(_("kode SOP"), max_length=80)
    agency = models.ForeignKey(
        "organization.Agency",
        verbose_name=_("instansi"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    period = models.CharField(_("periode"), max_length=10)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    opened_at = models.DateTimeField(_("dibuka pada"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuka oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    completed_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("kasus SOP")
        verbose_name_plural = _("kasus SOP")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sop_code", "agency", "period"], name="workflow_case_one_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sop_version.title} — {self.agency} — {self.period_obj.label}"

    @property
    def period_obj(self) -> Period:
        return Period.parse(self.period)


class CaseUnit(models.Model):
    """A unit taking part in a case; ``waiting_at`` is the office step its flow has reached."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Ikut")
        RELEASED = "released", _("Ditinggal (terlambat)")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_units")
    unit = models.ForeignKey("organization.Unit", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    waiting_at = models.PositiveSmallIntegerField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    release_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("unit dalam kasus")
        verbose_name_plural = _("unit dalam kasus")
        constraints = [
            models.UniqueConstraint(fields=["case", "unit"], name="workflow_caseunit_unique")
        ]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.unit}"


class Task(models.Model):
    """One step of the SOP for one unit (unit scope) or for the whole office (office scope)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Menunggu tindakan")
        COMPLETED = "completed", _("Selesai")
        SKIPPED = "skipped", _("Dilewati")
        CANCELLED = "cancelled", _("Dibatalkan")

    class Outcome(models.TextChoices):
        DONE = "done", _("Selesai")
        APPROVED = "approved", _("Disetujui")
        RETURNED = "returned", _("Dikembalikan untuk diperbaiki")
        RELEASED = "released", _("Dilewati (unit terlambat)")

    case = models.ForeignKey(
        Case, verbose_name=_("kasus"), on_delete=models.CASCADE, related_name="tasks"
    )
    step = models.PositiveSmallIntegerField(_("langkah"))
    variant = models.CharField(_("varian"), max_length=30, blank=True, default="")
    unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("unit kerja"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    position = models.ForeignKey(
        "organization.Position",
        verbose_name=_("jabatan pelaksana"),
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ditugaskan kepada"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_tasks",
        help_text=_("Diisi bila pelaksana dipilih oleh langkah sebelumnya."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    round = models.PositiveSmallIntegerField(_("putaran"), default=1)
    activated_at = models.DateTimeField(_("diaktifkan pada"))
    due_at = models.DateTimeField(_("batas waktu"))
    standard_amount = models.PositiveIntegerField(_("standar waktu"))
    standard_unit = models.CharField(_("satuan standar waktu"), max_length=8)
    completed_at = models.DateTimeField(_("diselesaikan pada"), null=True, blank=True)
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dikerjakan oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="acted_tasks",
    )
    outcome = models.CharField(_("hasil"), max_length=12, choices=Outcome.choices, blank=True)
    comment = models.TextField(_("catatan"), blank=True)
    data = models.JSONField(_("data langkah"), default=dict, blank=True)
    lock_version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("tugas")
        verbose_name_plural = _("tugas")
        ordering = ["due_at", "id"]
        constraints = [
            # At most one open task per step, variant and unit of a case (NULL units are
            # distinct in unique indexes, so the office-scope case needs its own constraint).
            models.UniqueConstraint(
                fields=["case", "step", "variant", "unit"],
                condition=Q(status="active", unit__isnull=False),
                name="workflow_task_one_active_per_unit",
            ),
            models.UniqueConstraint(
                fields=["case", "step", "variant"],
                condition=Q(status="active", unit__isnull=True),
                name="workflow_task_one_active_per_office",
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_at__isnull=False),
                name="workflow_task_completed_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "position"]),
            models.Index(fields=["status", "assignee"]),
            models.Index(fields=["status", "due_at"]),
        ]

    def __str__(self) -> str:
        where = f" {self.unit}" if self.unit_id else ""
        return f"#{self.pk} langkah {self.step}{where}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.ACTIVE


class Disposition(models.Model):
    """A written instruction passed down (lembar disposisi): from, to, instruction, when, read."""

    case = models.ForeignKey(
        Case, verbose_name=_("kasus"), on_delete=models.CASCADE, related_name="dispositions"
    )
    task = models.ForeignKey(
        Task, verbose_name=_("dari tugas"), on_delete=models.CASCADE, related_name="dispositions"
    )
    unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("unit kerja"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dari"),
        on_delete=models.PROTECT,
        related_name="dispositions_sent",
    )
    from_position = models.ForeignKey(
        "organization.Position",
        verbose_name=_("jabatan pengirim"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_position = models.ForeignKey(
        "organization.Position",
        verbose_name=_("kepada jabatan"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("kepada"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dispositions_received",
    )
    instruction = models.TextField(_("isi disposisi"))
    created_at = models.DateTimeField(_("tanggal"))
    read_at = models.DateTimeField(_("dibaca pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("disposisi")
        verbose_name_plural = _("disposisi")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_position} → {self.to_position}: {self.instruction[:40]}"
