"""``Idempotency-Key`` on API POSTs: a retried POST gets the first answer again.

The first request with a key stores a row (user, key) before it runs, then its answer; a
retry with the same key and the same request (method, path, query, body) gets the stored
answer (header ``Idempotent-Replayed: true``) and changes nothing; the same key with a
different request is refused (409 ``idempotency_key_reused``), as is a retry while the first
is still running (409 ``idempotency_in_progress``). Answers of 5xx (nothing was changed:
every service runs in one transaction), 401 and 429 are not kept, so a retry runs again.
Keys are kept 24 hours."""

from __future__ import annotations

import datetime as dt
import hashlib
import random

from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .auth import activate_language, bearer_token
from .errors import error_response, too_big
from .models import IdempotentRequest

PREFIX = "/api/v1/"
KEEP = dt.timedelta(hours=24)
MAX_KEY = 200
NOT_KEPT = {401, 429}


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    for part in (request.method, request.path, request.META.get("QUERY_STRING", "")):
        digest.update(part.encode("utf-8", "replace") + b"\0")
    digest.update(request.body)
    return digest.hexdigest()


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get("Idempotency-Key")
        if request.method != "POST" or key is None or not request.path.startswith(PREFIX):
            return self.get_response(request)
        token = bearer_token(request)
        if token is None:
            return self.get_response(request)  # answered 401 (or is the token request)
        request.api_token = token
        activate_language(request, token.owner)
        key = key.strip()
        if not key or len(key) > MAX_KEY or not key.isprintable():
            return error_response(
                400,
                "bad_idempotency_key",
                _("Idempotency-Key: 1 sampai %(max)d karakter yang dapat dicetak.")
                % {"max": MAX_KEY},
            )
        try:
            fingerprint = _fingerprint(request)
        except RequestDataTooBig:
            return too_big()
        if random.random() < 0.02:
            IdempotentRequest.objects.filter(created_at__lt=timezone.now() - KEEP).delete()
        stored = IdempotentRequest.objects.filter(user=token.owner, key=key).first()
        if stored is None:
            try:
                with transaction.atomic():
                    stored = IdempotentRequest.objects.create(
                        user=token.owner, key=key, fingerprint=fingerprint
                    )
            except IntegrityError:  # the same key arrived meanwhile
                return self._in_progress()
            return self._first(request, stored)
        if stored.fingerprint != fingerprint:
            return error_response(
                409,
                "idempotency_key_reused",
                _("Idempotency-Key ini sudah dipakai untuk permintaan lain."),
            )
        if stored.status is None:
            return self._in_progress()
        response = HttpResponse(
            bytes(stored.body), status=stored.status, content_type=stored.content_type
        )
        response["Idempotent-Replayed"] = "true"
        return response

    def _in_progress(self) -> HttpResponse:
        return error_response(
            409,
            "idempotency_in_progress",
            _("Permintaan dengan Idempotency-Key ini masih diproses; coba lagi sebentar."),
        )

    def _first(self, request: HttpRequest, stored: IdempotentRequest) -> HttpResponse:
        try:
            response = self.get_response(request)
        except BaseException:
            IdempotentRequest.objects.filter(pk=stored.pk).delete()
            raise
        if response.status_code >= 500 or response.status_code in NOT_KEPT or response.streaming:
            IdempotentRequest.objects.filter(pk=stored.pk).delete()
            return response
        IdempotentRequest.objects.filter(pk=stored.pk).update(
            status=response.status_code,
            content_type=response.get("Content-Type", "application/json")[:100],
            body=response.content,
        )
        return response
