"""What Kinerja told whom, and which deadline marks the scheduler has made.

Only :mod:`kinerja.notifications.services` and :mod:`kinerja.notifications.scheduler` write
these rows. Both tables carry unique constraints that make every notice happen once, however
many ticks or workers run at the same time: the database, not the code, is the judge.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message to one user (in-app always, by e-mail if the user wants it).

    ``subject`` and ``body`` are written in the recipient's language when the notice is made,
    so the list shows what the e-mail said. ``dedupe_key`` names the event the notice is about
    (``task:<id>``, ``returned:<id>``, ``case:<id>``); with the recipient and the kind it is
    unique, so an event is told to a person once.
    """

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("Tugas baru")
        RETURNED = "returned", _("Laporan dikembalikan")
        REMINDER_50 = "reminder_50", _("Pengingat 50%")
        REMINDER_90 = "reminder_90", _("Pengingat 90%")
        OVERDUE = "overdue", _("Terlambat")
        ESCALATION = "escalation", _("Eskalasi ke atasan")
        CASE_COMPLETE = "case_complete", _("Kasus selesai")

    class EmailStatus(models.TextChoices):
        NOT_WANTED = "not_wanted", _("Tidak dikirim (tidak diminta)")
        PENDING = "pending", _("Menunggu dikirim")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("penerima"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    task = models.ForeignKey(
        "workflow.Task",
        verbose_name=_("tugas"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    case = models.ForeignKey(
        "workflow.Case",
        verbose_name=_("kasus"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    dedupe_key = models.CharField(_("kunci peristiwa"), max_length=80)
    subject = models.CharField(_("judul"), max_length=250)
    body = models.TextField(_("isi"))
    link = models.CharField(_("tautan"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("dibuat pada"))
    read_at = models.DateTimeField(_("dibaca pada"), null=True, blank=True)
    email_status = models.CharField(_("status e-mail"), max_length=12, choices=EmailStatus.choices)
    email_attempts = models.PositiveSmallIntegerField(_("percobaan kirim"), default=0)
    next_attempt_at = models.DateTimeField(_("percobaan berikutnya"), null=True, blank=True)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    sent_at = models.DateTimeField(_("terkirim pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "dedupe_key"], name="notifications_once_per_event"
            ),
            models.CheckConstraint(
                condition=~Q(email_status="sent") | Q(sent_at__isnull=False),
                name="notifications_sent_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["email_status", "next_attempt_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} — {self.subject}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class TaskAlert(models.Model):
    """The scheduler has reminded about, marked overdue or escalated a task: once per kind.

    ``at`` is the instant the rule fixed (e.g. 50% of the working time), ``created_at`` when a
    tick acted on it (the first tick at or after ``at``).
    """

    class Kind(models.TextChoices):
        REMINDER_50 = "reminder_50", _("Pengingat 50%")
        REMINDER_90 = "reminder_90", _("Pengingat 90%")
        OVERDUE = "overdue", _("Terlambat")
        ESCALATION = "escalation", _("Eskalasi ke atasan")

    task = models.ForeignKey(
        "workflow.Task", verbose_name=_("tugas"), on_delete=models.CASCADE, related_name="alerts"
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("saat aturan"))
    created_at = models.DateTimeField(_("dicatat pada"))

    class Meta:
        verbose_name = _("tanda tenggat tugas")
        verbose_name_plural = _("tanda tenggat tugas")
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "kind"], name="notifications_taskalert_once")
        ]

    def __str__(self) -> str:
        return f"#{self.task_id} {self.kind} @ {self.at.isoformat()}"
