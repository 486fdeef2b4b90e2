"""The language switch: Django's ``set_language`` plus the user's saved choice."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from kinerja.accounts.services import user_set_language
from kinerja.core.errors import ApplicationError


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Save ``User.language`` (UserLanguageMiddleware activates it on every page), then let
    Django set the cookie and redirect back (it checks ``next`` is a safe URL)."""
    if request.user.is_authenticated:
        try:
            user_set_language(user=request.user, language=request.POST.get("language", ""))
        except ApplicationError:
            pass  # Django's view ignores an unknown language the same way
    return django_set_language(request)
