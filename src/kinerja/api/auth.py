"""``Authorization: Bearer <token>``: the caller acts as the token's owner.

Once the token is known, the request is marked as the owner's (``request.user``), the
audit rows it writes say they came through the API and name the token
(:func:`kinerja.core.services.set_audit_source`), and messages use the caller's language:
``Accept-Language`` when sent, else the owner's setting."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header
from ninja.security import HttpBearer

from kinerja.core.services import set_audit_source

from .models import ApiToken
from .services import token_for_secret


def activate_language(request: HttpRequest, user=None) -> str:
    """The language of this call's messages: the first supported one of
    ``Accept-Language``, else the user's own setting, else Indonesian."""
    supported = dict(settings.LANGUAGES)
    chosen = None
    for code, _q in parse_accept_lang_header(request.headers.get("Accept-Language", "")[:200]):
        code = code.split("-")[0].lower()
        if code in supported:
            chosen = code
            break
    if chosen is None:
        chosen = getattr(user, "language", None) or settings.LANGUAGE_CODE
        if chosen not in supported:
            chosen = settings.LANGUAGE_CODE
    translation.activate(chosen)
    request.LANGUAGE_CODE = chosen
    return chosen


def bearer_token(request: HttpRequest) -> ApiToken | None:
    """The usable token the request carries, or None."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return token_for_secret(secret.strip())


def enter_as(request: HttpRequest, token: ApiToken) -> None:
    request.user = token.owner
    request.api_token = token
    set_audit_source("api", token.label[:200])
    activate_language(request, token.owner)


class TokenAuth(HttpBearer):
    """The personal token (docs/api.md, "Authentication")."""

    def authenticate(self, request: HttpRequest, token: str):
        found = getattr(request, "api_token", None) or token_for_secret(token.strip())
        if found is None:
            activate_language(request)
            return None
        enter_as(request, found)
        return found.owner
