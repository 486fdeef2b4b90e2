"""Sign in (username or NIP, lockout per account and per address), sign out, change password,
and reset a forgotten password by e-mail."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinerja.core.services import audit

from . import lockout, services
from .forms import KinerjaPasswordChangeForm, KinerjaSetPasswordForm, LoginForm, PasswordResetForm


def locked_out_response(request, until) -> HttpResponse:
    """The page shown while an account or an address is locked (HTTP 429)."""
    return render(
        request,
        "accounts/locked_out.html",
        {
            "failure_limit": settings.LOGIN_FAILURE_LIMIT,
            "cooloff_timedelta": until - timezone.now(),
        },
        status=429,
    )


class LoginView(auth_views.LoginView):
    """Sign in. Refused (429) while the account, however it is spelled, or the client
    address is locked; the failure that reaches the limit already shows the lock."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        typed = request.POST.get("username")
        until = lockout.locked_until(request, typed)
        if until:
            return locked_out_response(request, until)
        response = super().post(request, *args, **kwargs)
        if response.status_code == 200:  # the form was refused
            until = lockout.locked_until(request, typed)
            if until:
                return locked_out_response(request, until)
        return response


class LogoutView(auth_views.LogoutView):
    """POST only (Django's default): a link cannot sign someone out."""


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = KinerjaPasswordChangeForm
    success_url = reverse_lazy("web:my_tasks")

    def form_valid(self, form):
        # Django keeps the session valid after the change (the form saves and audits through
        # services.user_set_password); tell the user it worked.
        response = super().form_valid(form)
        messages.success(self.request, _("Kata sandi sudah diganti."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Anyone may ask for a reset link by username, NIP or e-mail. The answer is the same
    whether or not the account exists (no user enumeration)."""

    template_name = "accounts/password_reset_form.html"
    form_class = PasswordResetForm
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        typed = form.cleaned_data["identity"]
        until = lockout.locked_until(self.request, typed)
        if until:
            return locked_out_response(self.request, until)
        lockout.record_failure(self.request, typed)  # reset requests count like failures
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
        response = super().form_valid(form)  # saved and audited by user_set_password
        lockout.clear_account(form.user)  # the link proved the mailbox: unlock the account
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
