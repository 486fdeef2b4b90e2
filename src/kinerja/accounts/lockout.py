"""Who a typed sign-in name is, and (see below) the lockout after repeated failures.

A person signs in with a username in any case or an 18-digit NIP with any separators, so the
typed string is normalised to one identity before anything is counted: ``KASI_KESOS``,
``kasi_kesos`` and that person's NIP written ``1982 0611 2009 03 2008`` are the same account.
"""

from __future__ import annotations

import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from kinerja.core.services import audit

from .models import normalize_nip


def user_for_login(typed: str | None):
    """The user a sign-in name names (username case-insensitively, else an 18-digit NIP
    typed with any separators), or None."""
    if not typed:
        return None
    User = get_user_model()
    text = typed.strip()
    user = User.objects.filter(username__iexact=text).first()
    if user is None:
        nip = normalize_nip(text)
        if nip and len(nip) == 18:
            user = User.objects.filter(nip=nip).first()
    return user


def users_named(typed: str) -> list:
    """Active users named by a sign-in name or an e-mail address (for reset links)."""
    User = get_user_model()
    user = user_for_login(typed)
    if user is not None:
        return [user] if user.is_active else []
    text = (typed or "").strip()
    if "@" in text:
        return list(User.objects.filter(email__iexact=text, is_active=True))
    return []


# --------------------------------------------------------------------------------------------
# Lockout: failures are counted per account (the normalised identity above) and per client
# address (REMOTE_ADDR; behind a reverse proxy `kinerja serve` sets it from X-Forwarded-For
# of the trusted proxy, see kinerja.core.proxy). Either one reaching its limit within the
# cool-off time locks: the account (whatever spelling is typed), or the address (every
# account tried from it). A successful sign-in clears the account's count, not the address's.


PURGE_SHARE = 0.02  # share of failures that also delete counters older than twice the cool-off


def account_key(typed: str | None) -> str:
    user = user_for_login(typed)
    text = (typed or "").strip()
    if user is None and "@" in text:
        users = list(get_user_model().objects.filter(email__iexact=text)[:2])
        user = users[0] if len(users) == 1 else None
    if user is not None:
        return f"account:user:{user.pk}"
    nip = normalize_nip(text)
    if nip and len(nip) == 18 and not any(ch.isalpha() for ch in text):
        return f"account:nip:{nip}"
    return "account:name:" + text.casefold()[:150]


def address_key(request) -> str:
    return "address:" + (request.META.get("REMOTE_ADDR") or "unknown")[:100]


def _limits(request, typed: str | None) -> list[tuple[str, int]]:
    return [
        (account_key(typed), settings.LOGIN_FAILURE_LIMIT),
        (address_key(request), settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS),
    ]


def locked_until(request, typed: str | None):
    """When the lock on this account or this address ends; None when neither is locked."""
    from .models import LoginThrottle

    keys = [account_key(typed), address_key(request)]
    ends = LoginThrottle.objects.filter(key__in=keys, locked_until__gt=timezone.now())
    return max((t.locked_until for t in ends), default=None)


def record_failure(request, typed: str | None) -> None:
    """Count one failure (a wrong password, or a reset request) for the account and the
    address. A failure while locked is not counted (the lock does not grow)."""
    from .models import LoginThrottle

    now = timezone.now()
    cooloff = settings.LOGIN_COOLOFF
    if random.random() < PURGE_SHARE:  # now and then, forget counters long past
        LoginThrottle.objects.filter(window_start__lt=now - 2 * cooloff).exclude(
            locked_until__gt=now
        ).delete()
    for key, limit in _limits(request, typed):
        for attempt in range(2):
            try:
                with transaction.atomic():
                    row, _created = LoginThrottle.objects.select_for_update().get_or_create(
                        key=key, defaults={"window_start": now}
                    )
                    if row.locked_until and row.locked_until > now:
                        break
                    if row.window_start < now - cooloff or row.locked_until:
                        row.failures, row.window_start, row.locked_until = 0, now, None
                    row.failures += 1
                    if row.failures >= limit:
                        row.locked_until = now + cooloff
                        audit(
                            actor=None,
                            action="accounts.login_locked",
                            object_type="accounts.loginthrottle",
                            object_id=key,
                            after={"failures": row.failures, "until": row.locked_until.isoformat()},
                        )
                    row.save()
                break
            except IntegrityError:  # created meanwhile by another request: count again
                if attempt:
                    raise


def clear_account(user) -> None:
    """Forget the failures of ``user``'s account (after a successful sign-in or reset)."""
    from .models import LoginThrottle

    LoginThrottle.objects.filter(key=f"account:user:{user.pk}").delete()
