"""The API's one error shape, in the caller's language:

    {"error": {"code": "...", "message": "...", "fields": {"path.to.field": "..."}}}

Every exception a call can end in is turned into it here, in one place: validation 400,
no or bad token 401, a move the caller may not make on something they may see 403,
anything outside the caller's scope 404 (existence is not told), a stale
``expected_version`` 409, a move the engine refuses 422 (with its reason), the lockout
429. Bad input is never a 500.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import BadRequest, RequestDataTooBig
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from kinerja.core.errors import ApplicationError, ConcurrentUpdate, PermissionDenied
from kinerja.core.http import BadInput

logger = logging.getLogger(__name__)


class Problem(Schema):
    """One problem of an uploaded file (an SOP): where (line, path) and what."""

    line: int
    path: str
    message: str


class ErrorBody(Schema):
    code: str
    message: str
    fields: dict[str, str] = {}
    details: list[str] = []
    problems: list[Problem] = []


class Error(Schema):
    """Every answer that is not a success."""

    error: ErrorBody


class ApiError(Exception):
    """Raised by endpoints for an answer other than success: ``status`` with ``code``."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        fields: dict | None = None,
        problems: list[dict] | None = None,
    ):
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields or {}
        self.problems = problems


def error_response(
    status: int,
    code: str,
    message: str,
    fields: dict[str, str] | None = None,
    details: list[str] | None = None,
    headers: dict[str, str] | None = None,
    problems: list[dict] | None = None,
) -> JsonResponse:
    body: dict[str, Any] = {"code": code, "message": str(message), "fields": fields or {}}
    if details:
        body["details"] = [str(d) for d in details]
    if problems:
        body["problems"] = problems
    response = JsonResponse({"error": body}, status=status)
    for key, value in (headers or {}).items():
        response[key] = value
    return response


def too_big() -> JsonResponse:
    return error_response(413, "too_large", _("Permintaan terlalu besar."))


def not_found() -> JsonResponse:
    return error_response(404, "not_found", _("Tidak ditemukan."))


def unauthorized() -> JsonResponse:
    return error_response(
        401,
        "unauthorized",
        _("Kirim token yang berlaku: Authorization: Bearer <token>."),
        headers={"WWW-Authenticate": "Bearer"},
    )


# pydantic's error types -> a message in the caller's language
def _field_message(error: dict) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("Wajib diisi.")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("Harus bilangan bulat.")
    if kind in ("float_parsing", "float_type", "decimal_parsing", "decimal_type"):
        return _("Harus angka.")
    if kind in ("bool_parsing", "bool_type"):
        return _("Harus true atau false.")
    if kind in ("greater_than_equal", "greater_than"):
        return _("Paling kecil %(limit)s.") % {"limit": ctx.get("ge", ctx.get("gt", ""))}
    if kind in ("less_than_equal", "less_than"):
        return _("Paling besar %(limit)s.") % {"limit": ctx.get("le", ctx.get("lt", ""))}
    if kind == "string_too_long":
        return _("Paling panjang %(max)s karakter.") % {"max": ctx.get("max_length", "")}
    if kind == "string_too_short":
        return _("Tidak boleh kosong.")
    if kind in ("string_type", "string_unicode"):
        return _("Harus berupa teks.")
    if kind in ("literal_error", "enum"):
        return _("Harus salah satu dari: %(choices)s.") % {"choices": ctx.get("expected", "")}
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return _("Harus berupa objek JSON.")
    if kind in ("list_type",):
        return _("Harus berupa daftar (array JSON).")
    if kind == "json_invalid":
        return _("Isi permintaan bukan JSON yang sah.")
    if kind.startswith(("datetime", "date", "time")):
        return _("Tanggal atau waktu tidak sah (ISO 8601, misalnya 2026-10-12T08:00+08:00).")
    if kind == "value_error" and ctx.get("error"):
        return str(ctx["error"])
    return _("Nilai tidak sah.")


LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file"}
BODY_PARAMS = {"body", "payload", "data"}


def _field_name(loc) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in LOCATIONS:
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in BODY_PARAMS:
        parts = parts[1:]
    return ".".join(parts) or "body"


def validation_fields(errors: list[dict]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for error in errors:
        fields.setdefault(_field_name(error.get("loc", ())), _field_message(error))
    return fields


def install(api) -> None:
    """Register the handlers on the NinjaAPI ``api``."""

    @api.exception_handler(NinjaValidationError)
    def on_validation(request: HttpRequest, exc: NinjaValidationError):
        return error_response(
            400,
            "validation",
            _("Masukan tidak sah; lihat rinciannya per kolom."),
            validation_fields(list(exc.errors)),
        )

    @api.exception_handler(AuthenticationError)
    def on_authentication(request: HttpRequest, exc):
        return unauthorized()

    @api.exception_handler(ApiError)
    def on_api_error(request: HttpRequest, exc: ApiError):
        return error_response(exc.status, exc.code, exc.message, exc.fields, problems=exc.problems)

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc):
        return not_found()

    @api.exception_handler(ConcurrentUpdate)
    def on_stale(request: HttpRequest, exc: ConcurrentUpdate):
        return error_response(409, exc.code, exc.message, details=exc.details)

    @api.exception_handler(PermissionDenied)
    def on_denied(request: HttpRequest, exc: PermissionDenied):
        return error_response(403, exc.code, exc.message, details=exc.details)

    @api.exception_handler(DjangoPermissionDenied)
    def on_django_denied(request: HttpRequest, exc):
        return error_response(403, "permission_denied", _("Anda tidak berwenang."))

    @api.exception_handler(ApplicationError)
    def on_refused(request: HttpRequest, exc: ApplicationError):
        return error_response(422, exc.code, exc.message, details=exc.details)

    @api.exception_handler(BadInput)
    def on_bad_input(request: HttpRequest, exc: BadInput):
        return error_response(400, "bad_input", exc.message)

    @api.exception_handler(BadRequest)
    def on_bad_request(request: HttpRequest, exc):
        return error_response(400, "bad_input", _("Permintaan tidak sah."))

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError):
        status = exc.status_code
        if status == 404:
            return not_found()
        if status == 401:
            return unauthorized()
        if status == 400:  # django-ninja: the body could not be parsed
            return error_response(400, "invalid_json", _("Isi permintaan bukan JSON yang sah."))
        return error_response(status, "bad_request", _("Permintaan tidak sah."))

    @api.exception_handler(RequestDataTooBig)
    def on_too_big(request: HttpRequest, exc):
        return too_big()

    @api.exception_handler(Exception)
    def on_crash(request: HttpRequest, exc: Exception):
        logger.exception("API call %s %s failed", request.method, request.path)
        return error_response(500, "server_error", _("Terjadi kesalahan di server."))
