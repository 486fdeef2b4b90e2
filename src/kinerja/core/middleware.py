"""Refuse input that cannot mean anything before a view (or the database) sees it.

* A NUL byte anywhere in the path, the query string or a form field is a 400 (PostgreSQL
  refuses NUL in text, and no field of this application holds one).
* An integer URL argument (``<int:pk>``) beyond the database's id range is a 404: no such
  object can exist.
* :class:`kinerja.core.http.BadInput` raised by a view becomes a 400 page with its message.
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .http import MAX_ID, BadInput

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def bad_input_response(request: HttpRequest, message: str) -> HttpResponse:
    """The 400 page with ``message`` (plain text for htmx fragments and when the page frame
    itself cannot be drawn; the API's one JSON error shape under
    ``settings.JSON_ERROR_PATH_PREFIXES``)."""
    if request.path.startswith(tuple(getattr(settings, "JSON_ERROR_PATH_PREFIXES", ()))):
        body = {"error": {"code": "bad_input", "message": str(message), "fields": {}}}
        return JsonResponse(body, status=400)
    if not request.headers.get("HX-Request"):
        try:
            html = render_to_string("core/bad_input.html", {"message": message}, request=request)
        except Exception:  # noqa: BLE001 - the frame must never turn a 400 into a 500
            html = None
        if html is not None:
            return HttpResponse(html, status=400)
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    raw = request.META.get("QUERY_STRING", "")
    if "\x00" in raw or b"\x00" in unquote_to_bytes(raw.replace("+", " ")):
        return True
    if request.method == "POST" and request.content_type in FORM_TYPES:
        for key, values in request.POST.lists():
            if "\x00" in key or any("\x00" in v for v in values):
                return True
        for key, upload in request.FILES.items():
            if "\x00" in key or "\x00" in (upload.name or ""):
                return True
    return False


class BadInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            return bad_input_response(request, _("Masukan berisi karakter yang tidak diizinkan."))
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        for value in (*view_args, *view_kwargs.values()):
            if isinstance(value, int) and not -MAX_ID <= value <= MAX_ID:
                raise Http404
        return None

    def process_exception(self, request, exception):
        if isinstance(exception, BadInput):
            return bad_input_response(request, str(exception.message))
        return None


class AuditSourceMiddleware:
    """Forget, after each request, where its changes came from (the API's token sets it in
    :data:`kinerja.core.services.AUDIT_SOURCE`), so a server thread never carries it into
    the next request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from .services import AUDIT_SOURCE

        token = AUDIT_SOURCE.set(None)
        try:
            return self.get_response(request)
        finally:
            AUDIT_SOURCE.reset(token)
