"""Who a typed sign-in name is, and (see below) the lockout after repeated failures.

A person signs in with a username in any case or an 18-digit NIP with any separators, so the
typed string is normalised to one identity before anything is counted: ``KASI_KESOS``,
``kasi_kesos`` and that person's NIP written ``1982 0611 2009 03 2008`` are the same account.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

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
