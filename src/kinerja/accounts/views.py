"""Sign in (username or NIP, lockout by django-axes), sign out, change password."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from .forms import KinerjaPasswordChangeForm, LoginForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django's default): a link cannot sign someone out."""


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = KinerjaPasswordChangeForm
    success_url = reverse_lazy("web:my_tasks")

    def form_valid(self, form):
        # Django keeps the session valid after the change; tell the user it worked.
        response = super().form_valid(form)
        messages.success(self.request, _("Kata sandi sudah diganti."))
        return response
