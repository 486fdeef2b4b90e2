"""Personal API tokens and the stored answers of idempotent POSTs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A personal token: whoever sends it acts as ``owner`` (same scope, same audit rows).

    Only a hash of the secret is stored; ``prefix`` (the token's first characters, unique)
    finds the row without scanning. Shown in full once, when created."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pemilik"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("nama"), max_length=100)
    prefix = models.CharField(_("awalan"), max_length=16, unique=True)
    secret_hash = models.CharField(_("hash rahasia"), max_length=64)
    created_at = models.DateTimeField(_("dibuat pada"), default=timezone.now)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicabut oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now

    @property
    def label(self) -> str:
        """How audit rows name the token."""
        return f"token #{self.pk} {self.name} ({self.prefix})"


class IdempotentRequest(models.Model):
    """The first answer to a POST sent with an ``Idempotency-Key`` by ``user``: a retry with
    the same key gets it again instead of doing the work twice. A row without ``status`` is
    a request still running (a concurrent retry is told so)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(blank=True, default=b"")

    class Meta:
        verbose_name = _("permintaan idempoten")
        verbose_name_plural = _("permintaan idempoten")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="api_idempotent_user_key")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"
