"""Sign in (username or NIP, lockout per account and per address), sign out, change password,
and reset a forgotten password by e-mail."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from kinerja.core.services import audit

from . import services
from .forms import KinerjaPasswordChangeForm, KinerjaSetPasswordForm, LoginForm, PasswordResetForm


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
        audit(actor=self.request.user, action="accounts.password_changed", obj=self.request.user)
        messages.success(self.request, _("Kata sandi sudah diganti."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Anyone may ask for a reset link by username, NIP or e-mail. The answer is the same
    whether or not the account exists (no user enumeration)."""

    template_name = "accounts/password_reset_form.html"
    form_class = PasswordResetForm
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        for user in form.get_users():
            sent = services.password_reset_mail(user)
            audit(
                actor=None,
                action="accounts.password_reset_requested",
                obj=user,
                after={"sent": sent},
            )
        return super(auth_views.PasswordResetView, self).form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = KinerjaSetPasswordForm
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit(actor=form.user, action="accounts.password_reset_done", obj=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
