from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class PreferencesForm(forms.Form):
    email_notifications = forms.BooleanField(
        label=_("Kirim notifikasi juga lewat e-mail"),
        required=False,
        help_text=_("Notifikasi selalu tampil di Kinerja; e-mail dikirim ke alamat akun Anda."),
    )
