"""Signing in for a token, the caller (``/me``), their open tasks and their tokens."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from kinerja.accounts import lockout
from kinerja.notifications.selectors import unread_count
from kinerja.organization.models import PositionHolder
from kinerja.workflow.selectors import open_tasks_for_user

from ..auth import activate_language
from ..errors import ApiError, Error
from ..models import ApiToken
from ..pagination import Page, PageQuery, paginate
from ..schemas import Id, MeOut, NewToken, TaskOut, TokenOut, TokenRequest
from ..services import token_create, token_revoke
from .common import READ, WRITE, task_out

router = Router(tags=["account"])


def _token_out(token: ApiToken) -> dict:
    return {
        "id": token.pk,
        "name": token.name,
        "prefix": token.prefix,
        "created_at": token.created_at,
        "expires_at": token.expires_at,
        "last_used_at": token.last_used_at,
        "revoked_at": token.revoked_at,
    }


def _locked(request: HttpRequest, typed: str):
    until = lockout.locked_until(request, typed)
    if until is None:
        return None
    raise ApiError(
        429,
        "locked_out",
        _(
            "Terlalu banyak percobaan masuk yang gagal. Akun atau alamat ini dikunci sampai "
            "%(until)s UTC."
        )
        % {"until": until.strftime("%Y-%m-%d %H:%M")},
    )


@router.post(
    "/auth/token",
    auth=None,
    response={201: NewToken, 400: Error, 401: Error, 413: Error, 429: Error},
    url_name="auth_token",
    summary="A personal token for a username (or NIP) and password",
)
def auth_token(request: HttpRequest, body: TokenRequest):
    """Sign in with a username or an 18-digit NIP and the password; answers a new personal
    token (shown this once). The login page's lockout applies: after repeated failures for
    the account (however it is spelled) or from the address, 429 until the cool-off ends."""
    activate_language(request)
    _locked(request, body.username)
    user = authenticate(request, username=body.username, password=body.password)
    if user is None:
        _locked(request, body.username)  # this failure may have reached the limit
        raise ApiError(401, "invalid_credentials", _("Nama pengguna/NIP atau kata sandi salah."))
    lockout.clear_account(user)
    activate_language(request, user)
    token, secret = token_create(actor=user, name=body.name, days=body.days)
    return Status(201, {**_token_out(token), "token": secret})


@router.get("/auth/tokens", response={200: list[TokenOut], **READ}, url_name="token_list")
def token_list(request: HttpRequest):
    """The caller's own tokens (revoked and expired ones too), newest first."""
    return [_token_out(t) for t in ApiToken.objects.filter(owner=request.user)]


@router.post(
    "/auth/tokens/{token_id}/revoke",
    response={200: TokenOut, **WRITE},
    url_name="token_revoke",
)
def token_revoke_endpoint(request: HttpRequest, token_id: Id):
    """Revoke a token: one's own; administrators also those of the people they manage
    (404 for any other token)."""
    from ..permissions import may_revoke_token

    token = ApiToken.objects.filter(pk=token_id).first()
    if token is None or not may_revoke_token(request.user, token):
        raise ApiError(404, "not_found", _("Tidak ditemukan."))
    return _token_out(token_revoke(actor=request.user, token_id=token.pk))


@router.get("/me", response={200: MeOut, **READ}, url_name="me")
def me(request: HttpRequest):
    """Who the token acts as: the person, the positions they hold today (definitive or
    Plt/Plh), unread notices, the token."""
    from django.utils import timezone

    user = request.user
    holdings = (
        PositionHolder.objects.current(timezone.localdate())
        .filter(user=user)
        .select_related("position", "position__agency", "position__unit")
        .order_by("position__agency__code", "position__title")
    )
    token = getattr(request, "api_token", None)
    return {
        "id": user.pk,
        "username": user.username,
        "nip": user.nip,
        "name": user.display_name,
        "email": user.email,
        "language": user.language,
        "is_superuser": user.is_superuser,
        "positions": [
            {
                "position_id": h.position_id,
                "title": h.position.title,
                "role": h.position.role,
                "agency": h.position.agency.code,
                "unit": h.position.unit.code if h.position.unit_id else None,
                "kind": h.kind,
                "is_admin": h.position.is_admin,
            }
            for h in holdings
        ],
        "unread_notifications": unread_count(user),
        "token": _token_out(token) if token else None,
    }


class TaskFilter(PageQuery):
    agency: str | None = None
    unit: str | None = None
    period: str | None = None


@router.get("/me/tasks", response={200: Page[TaskOut], **READ}, url_name="my_tasks")
def my_tasks(request: HttpRequest, query: Query[TaskFilter]):
    """The caller's open tasks ("Tugas saya"): of the positions they hold today (also as
    Plt/Plh) and those given to them by name; most urgent first. Filters: ``agency`` (code),
    ``unit`` (code), ``period`` (``2026-Q3``)."""
    tasks = open_tasks_for_user(request.user)
    if query.agency:
        tasks = [t for t in tasks if t.case.agency.code == query.agency]
    if query.unit:
        tasks = [t for t in tasks if t.unit is not None and t.unit.code == query.unit]
    if query.period:
        tasks = [t for t in tasks if t.case.period == query.period]
    return paginate(request, tasks, query, lambda rows: [task_out(t) for t in rows])
