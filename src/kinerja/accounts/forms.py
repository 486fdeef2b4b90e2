"""Sign-in and password forms, labelled for people who sign in with a username or a NIP."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Django's form (it passes the request to ``authenticate`` so django-axes counts
    failures) with labels and messages in plain Indonesian."""

    username = forms.CharField(
        label=_("Nama pengguna atau NIP"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
        help_text=_("NIP boleh diketik dengan spasi."),
    )
    password = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _(
            "Nama pengguna/NIP atau kata sandi salah. Periksa huruf besar-kecil pada kata sandi."
        ),
        "inactive": _("Akun ini tidak aktif. Hubungi pengelola data kinerja."),
    }


class _SavedThroughService:
    """Django's password forms save through :func:`.services.user_set_password` (one
    transaction, the row locked, audited as ``reason`` without the password)."""

    reason = "changed"

    def save(self, commit=True):
        if not commit:
            return super().save(commit=False)
        from .services import user_set_password

        return user_set_password(
            actor=self.user,
            user=self.user,
            password=self.cleaned_data["new_password1"],
            reason=self.reason,
        )


class KinerjaPasswordChangeForm(_SavedThroughService, PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": _("Kata sandi lama salah. Silakan ketik lagi."),
        "password_mismatch": _("Kedua kata sandi baru tidak sama."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Kata sandi lama")
        self.fields["new_password1"].label = _("Kata sandi baru")
        self.fields["new_password2"].label = _("Ulangi kata sandi baru")


class KinerjaSetPasswordForm(_SavedThroughService, SetPasswordForm):
    """The new password of someone who followed an e-mailed reset link."""

    reason = "reset"

    error_messages = {
        **SetPasswordForm.error_messages,
        "password_mismatch": _("Kedua kata sandi baru tidak sama."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Kata sandi baru")
        self.fields["new_password2"].label = _("Ulangi kata sandi baru")


class PasswordResetForm(forms.Form):
    """Ask for a reset link by username (any case), NIP (spaces allowed) or e-mail."""

    identity = forms.CharField(
        label=_("Nama pengguna, NIP, atau e-mail"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    def get_users(self):
        """Active users the typed identity names (none, one, or for an e-mail address shared
        by several accounts, each of them)."""
        from .lockout import users_named

        return users_named(self.cleaned_data["identity"])
