"""People who use Kinerja. A user signs in with a username or an 18-digit NIP."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

nip_validator = RegexValidator(
    r"^\d{18}$", _("NIP terdiri atas 18 angka (tanpa spasi), misalnya 196911202021011001.")
)


def normalize_nip(value: str | None) -> str | None:
    """NIPs are often typed with spaces ("19691120 202101 1 001"); keep only the digits."""
    if value is None:
        return None
    digits = "".join(ch for ch in str(value) if ch.isdigit())
    return digits or None


class User(AbstractUser):
    nip = models.CharField(
        _("NIP"),
        max_length=18,
        unique=True,
        null=True,
        blank=True,
        validators=[nip_validator],
        help_text=_("Nomor Induk Pegawai, 18 angka. Boleh dipakai untuk masuk."),
    )
    full_name = models.CharField(_("nama lengkap dengan gelar"), max_length=150, blank=True)
    language = models.CharField(_("bahasa"), max_length=8, choices=settings.LANGUAGES, default="id")
    email_notifications = models.BooleanField(_("kirim notifikasi lewat e-mail"), default=True)
    phone = models.CharField(_("nomor telepon"), max_length=30, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        constraints = [
            models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci_unique")
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs):
        self.nip = normalize_nip(self.nip)
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username


class LoginThrottle(models.Model):
    """Failed sign-ins (and reset requests) counted per account and per client address.

    ``key`` is ``account:<identity>`` (the account a typed name resolves to, whatever its
    spelling) or ``address:<ip>``. Once ``failures`` reach the limit within the cool-off
    window, ``locked_until`` is set and sign-in is refused until then."""

    key = models.CharField(max_length=200, unique=True)
    failures = models.PositiveIntegerField(default=0)
    window_start = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("penghitung gagal masuk")
        verbose_name_plural = _("penghitung gagal masuk")

    def __str__(self) -> str:
        return f"{self.key}: {self.failures}"
