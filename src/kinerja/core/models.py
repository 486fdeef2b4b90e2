"""The append-only audit log every service writes to."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):  # noqa: D102
        raise RuntimeError("The audit log is append-only.")

    def delete(self):  # noqa: D102
        raise RuntimeError("The audit log is append-only.")


class AuditEvent(models.Model):
    """One change made by someone: who, what, on which object, before and after, when.

    Rows are only ever inserted (saving an existing row or deleting raises).
    """

    created_at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pelaku"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("tindakan"), max_length=80, db_index=True)
    object_type = models.CharField(_("jenis objek"), max_length=80)
    object_id = models.CharField(_("ID objek"), max_length=64)
    agency = models.ForeignKey(
        "organization.Agency",
        verbose_name=_("instansi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    before = models.JSONField(_("sebelum"), null=True, blank=True)
    after = models.JSONField(_("sesudah"), null=True, blank=True)
    reason = models.TextField(_("alasan"), blank=True)
    # Where the change came from when not from the pages: "api" (and which token).
    source = models.CharField(_("jalur"), max_length=20, blank=True, default="")
    source_detail = models.CharField(_("rincian jalur"), max_length=200, blank=True, default="")

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("jejak audit")
        verbose_name_plural = _("jejak audit")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise RuntimeError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("The audit log is append-only.")


class OutboxEvent(models.Model):
    """Something that must be told after a change, written in the change's own transaction.

    The transactional outbox (:mod:`kinerja.core.outbox`): a committed change always has its
    event row, so a process that dies right after the commit loses nothing; the worker or
    ``kinerja tick`` delivers what the dying process did not. ``delivered_at`` is set in the
    same transaction as the delivery's own writes (the notices), so an event is delivered
    once.
    """

    kind = models.CharField(_("jenis"), max_length=80)
    payload = models.JSONField(_("isi"), default=dict)
    created_at = models.DateTimeField(_("dibuat pada"), default=timezone.now)
    delivered_at = models.DateTimeField(_("disampaikan pada"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("percobaan gagal"), default=0)
    next_attempt_at = models.DateTimeField(_("percobaan berikutnya"), null=True, blank=True)
    last_error = models.TextField(_("galat terakhir"), blank=True)

    class Meta:
        verbose_name = _("peristiwa keluar")
        verbose_name_plural = _("peristiwa keluar")
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=models.Q(delivered_at__isnull=True),
                name="core_outbox_pending",
            )
        ]

    def __str__(self) -> str:
        state = "delivered" if self.delivered_at else "pending"
        return f"#{self.pk} {self.kind} ({state})"
