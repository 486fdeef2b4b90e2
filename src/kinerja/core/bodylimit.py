"""A cap on request bodies, checked before anything reads the body (see docs/limits.md).

:class:`RequestBodyLimitMiddleware` is the first middleware: when the declared
``Content-Length`` is over the cap of the endpoint it answers ``413`` with a short page at
once, before sessions, CSRF or the upload handlers touch the body. The caps:

* the anonymous verification upload (``reports:verify``, ``reports:verify_upload``,
  ``verify_short``):
  ``KINERJA_MAX_VERIFY_MB`` (default 20) plus room for the form around the file;
* any other ``multipart/form-data`` request (uploads, which may carry several files):
  ``KINERJA_MAX_REQUEST_MB`` (default 100);
* any other body (forms, htmx posts): ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (5 MB) plus room.

``kinerja serve`` also gives waitress a cap (:func:`server_max_body`), so a body beyond every
cap is refused by the server itself without being received. Uploaded files larger than
``FILE_UPLOAD_MAX_MEMORY_SIZE`` are spooled to temporary files, not held in memory.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils import translation

MB = 1024 * 1024
#: Room for the multipart headers and the other fields around a file.
FORM_OVERHEAD = 256 * 1024
VERIFY_VIEWS = frozenset({"reports:verify", "reports:verify_upload", "verify_short"})


def verify_cap() -> int:
    return int(settings.KINERJA_MAX_VERIFY_MB) * MB + FORM_OVERHEAD


def upload_cap() -> int:
    return int(settings.KINERJA_MAX_REQUEST_MB) * MB + FORM_OVERHEAD


def form_cap() -> int:
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE) + FORM_OVERHEAD


def server_max_body() -> int:
    """The largest body the web server accepts at all (waitress ``max_request_body_size``)."""
    return max(verify_cap(), upload_cap(), form_cap())


def cap_for(request: HttpRequest) -> int:
    """The body cap of the endpoint ``request`` is for."""
    try:
        view_name = resolve(request.path_info).view_name
    except Resolver404:
        view_name = ""
    if view_name in VERIFY_VIEWS:
        return verify_cap()
    if request.content_type == "multipart/form-data":
        return upload_cap()
    return form_cap()


def too_large(request: HttpRequest, cap: int) -> HttpResponse:
    language = translation.get_language_from_request(request)
    if request.path.startswith(tuple(getattr(settings, "JSON_ERROR_PATH_PREFIXES", ()))):
        with translation.override(language):
            message = translation.gettext(
                "Permintaan terlalu besar (paling besar %(mb)s MB)."
            ) % {"mb": max(1, cap // MB)}
        error = {"code": "too_large", "message": message, "fields": {}}
        return JsonResponse({"error": error}, status=413)
    with translation.override(language):
        body = render_to_string(
            "core/request_too_large.html",
            {"mb": max(1, cap // MB), "back": request.path, "language": language},
        )
    return HttpResponse(body, status=413)


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw = request.META.get("CONTENT_LENGTH") or ""
        try:
            length = int(raw) if raw else 0
        except ValueError:
            length = 0  # Django reads no body without a valid length
        if length > min(form_cap(), verify_cap()):
            cap = cap_for(request)
            if length > cap:
                return too_large(request, cap)
        return self.get_response(request)
