"""The notices page, mark as read, the bell fragment and the e-mail preference.

Every view works on the signed-in user's own notices only
(:func:`.permissions.access_notification_for_user`).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from kinerja.core.http import safe_next

from .forms import PreferencesForm
from .permissions import access_notification_for_user
from .selectors import notifications_for, unread_count
from .services import (
    notification_mark_all_read,
    notification_mark_read,
    notification_preferences_update,
)


def _safe_next(request, default: str) -> str:
    return safe_next(request, default)


class NotificationListView(LoginRequiredMixin, ListView):
    template_name = "notifications/list.html"
    context_object_name = "notifications"
    paginate_by = 25

    def get_queryset(self):
        return notifications_for(
            self.request.user, unread_only=self.request.GET.get("unread") == "1"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["unread_only"] = self.request.GET.get("unread") == "1"
        context["unread_total"] = unread_count(self.request.user)
        return context


class MarkReadView(LoginRequiredMixin, View):
    """POST: mark one notice read, then go to ``next`` (e.g. the task) or back to the list."""

    def post(self, request, pk: int):
        notification = access_notification_for_user(request.user, pk)
        notification_mark_read(user=request.user, notification=notification)
        if request.htmx:
            return BellView.as_view()(request)
        return HttpResponseRedirect(_safe_next(request, reverse("notifications:list")))


class MarkAllReadView(LoginRequiredMixin, View):
    def post(self, request):
        count = notification_mark_all_read(user=request.user)
        if request.htmx:
            return BellView.as_view()(request)
        messages.success(request, _("%(n)s notifikasi ditandai sudah dibaca.") % {"n": count})
        return HttpResponseRedirect(_safe_next(request, reverse("notifications:list")))


class BellView(LoginRequiredMixin, TemplateView):
    """A small HTML fragment (no JSON): the bell with the unread count, for htmx polling."""

    template_name = "notifications/_bell.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["unread_notifications"] = unread_count(self.request.user)
        return context

    def post(self, request, *args, **kwargs) -> HttpResponse:
        return self.get(request, *args, **kwargs)


class PreferencesView(LoginRequiredMixin, FormView):
    template_name = "notifications/preferences.html"
    form_class = PreferencesForm
    success_url = reverse_lazy("notifications:preferences")

    def get_initial(self):
        return {"email_notifications": self.request.user.email_notifications}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["email"] = self.request.user.email
        return context

    def form_valid(self, form):
        notification_preferences_update(
            user=self.request.user, email_notifications=form.cleaned_data["email_notifications"]
        )
        messages.success(self.request, _("Pengaturan notifikasi disimpan."))
        return redirect(self.get_success_url())
