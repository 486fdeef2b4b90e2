"""Writes of the API app: personal tokens (create, revoke, use) and the lookup of a sent
token. Every write is audited; the secret itself is never stored, only its SHA-256."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.errors import ApplicationError, PermissionDenied
from kinerja.core.services import audit

from .models import ApiToken
from .permissions import may_revoke_token

TOKEN_PREFIX = "knj_"
DEFAULT_DAYS = 90
MAX_DAYS = 365
# last_used_at is written at most once a minute per token (not one UPDATE per call)
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_create(
    *, actor, name: str, days: int = DEFAULT_DAYS, now: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    """A new personal token of ``actor`` (a token is always its owner's own), valid for
    ``days`` (1..365). Returns the row and the full secret, which is shown once and never
    again. Audited (``api.token_created``)."""
    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("Beri nama token (misalnya sistem yang memakainya)."))
    if len(name) > 100:
        raise ApplicationError(_("Nama token paling panjang 100 karakter."))
    if not 1 <= days <= MAX_DAYS:
        raise ApplicationError(_("Masa berlaku token 1 sampai %(max)d hari.") % {"max": MAX_DAYS})
    if not getattr(actor, "is_active", False):
        raise PermissionDenied(_("Akun ini tidak aktif."))
    now = now or timezone.now()
    prefix = secrets.token_hex(6)
    secret = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        token = ApiToken.objects.create(
            owner=actor,
            name=name,
            prefix=prefix,
            secret_hash=_hash(secret),
            created_at=now,
            expires_at=now + dt.timedelta(days=days),
        )
        audit(
            actor=actor,
            action="api.token_created",
            obj=token,
            after={"name": name, "prefix": prefix, "expires_at": token.expires_at.isoformat()},
        )
    return token, secret


def token_revoke(*, actor, token_id: int, now: dt.datetime | None = None) -> ApiToken:
    """Revoke a token: its owner, a superuser, or an administrator of an agency where the
    owner holds a position (:func:`.permissions.may_revoke_token`). Locks the token row;
    revoking again changes nothing. Audited (``api.token_revoked``)."""
    now = now or timezone.now()
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().select_related("owner").get(pk=token_id)
        if not may_revoke_token(actor, token):
            raise PermissionDenied(_("Anda tidak boleh mencabut token ini."))
        if token.revoked_at is not None:
            return token
        token.revoked_at, token.revoked_by = now, actor
        token.save(update_fields=["revoked_at", "revoked_by"])
        audit(
            actor=actor,
            action="api.token_revoked",
            obj=token,
            before={"revoked_at": None},
            after={"revoked_at": now.isoformat(), "owner": token.owner_id},
        )
    return token


def token_for_secret(secret: str, *, now: dt.datetime | None = None) -> ApiToken | None:
    """The usable token (not revoked, not expired, owner active) whose secret was sent, or
    None. Records when it was last used (at most once a minute). One query, plus the UPDATE
    now and then."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    prefix = secret[len(TOKEN_PREFIX) :].split("_", 1)[0]
    if len(prefix) != 12:
        return None
    token = ApiToken.objects.select_related("owner").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.secret_hash, _hash(secret)):
        return None
    now = now or timezone.now()
    if not token.is_usable(now) or not token.owner.is_active:
        return None
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
