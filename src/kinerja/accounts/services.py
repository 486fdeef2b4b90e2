"""Accounts: changes to a user's own account, users managed by administrators, reset links."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.errors import ApplicationError, PermissionDenied
from kinerja.core.services import audit

logger = logging.getLogger(__name__)


def user_set_language(*, user, language: str) -> None:
    """Remember the language ``user`` chose (pages and e-mails use it). Who: the user."""
    if language not in dict(settings.LANGUAGES):
        raise ApplicationError("Unknown language", code="bad_language")
    if user.language == language:
        return
    with transaction.atomic():
        before = user.language
        user.language = language
        user.save(update_fields=["language"])
        audit(
            actor=user,
            action="accounts.language_set",
            obj=user,
            before={"language": before},
            after={"language": language},
        )


def password_reset_link(user) -> str:
    """The one-time link (at ``KINERJA_SITE_URL``) with which ``user`` sets a new password.
    It stops working once the password changed or after PASSWORD_RESET_TIMEOUT."""
    from django.contrib.auth.tokens import default_token_generator
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse("password_reset_confirm", args=[uid, token])


def password_reset_mail(user, *, by_admin: bool = False) -> bool:
    """Send ``user`` (in their language) the e-mail with a link to set a new password.
    Returns False (nothing sent) when the user has no e-mail address or is inactive, or the
    mail server refused it (logged)."""
    from django.core.mail import EmailMultiAlternatives
    from django.template.loader import render_to_string
    from django.utils import translation

    if not user.email or not user.is_active:
        return False
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "link": password_reset_link(user),
            "by_admin": by_admin,
            "site_url": settings.SITE_URL,
            "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        }
        subject = render_to_string("accounts/password_reset_subject.txt", context)
        body = render_to_string("accounts/password_reset_email.txt", context)
    message = EmailMultiAlternatives(
        " ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [user.email]
    )
    try:
        message.send()
    except (OSError, smtplib.SMTPException):
        logger.exception("Password reset e-mail to user %s could not be sent", user.pk)
        return False
    return True


def password_reset_by_admin(*, actor, user, agency=None) -> bool:
    """An administrator sends ``user`` a password-reset link (the administrator never learns
    or sets the password). Who: an administrator who may manage ``user`` (the view checks
    it with ``access_managed_user``). Audited. Returns whether an e-mail went out."""
    if not user.email:
        raise ApplicationError(
            _("Pengguna ini belum punya alamat e-mail. Isi alamat e-mailnya dulu."),
            code="no_email",
        )
    sent = password_reset_mail(user, by_admin=True)
    audit(
        actor=actor,
        action="accounts.password_reset_sent",
        obj=user,
        agency=agency,
        after={"email": user.email, "sent": sent},
    )
    return sent


USER_AUDIT_FIELDS = ["username", "full_name", "nip", "email", "phone", "language", "is_active"]
# What the master-data pages may change of a user (never staff/superuser flags, never the
# password hash: passwords go through user_set_password).
USER_FIELDS = tuple(USER_AUDIT_FIELDS)
PASSWORD_ACTIONS = {
    "set": "accounts.password_set",  # by a superuser, on the user form
    "changed": "accounts.password_changed",  # by the user, knowing the old one
    "reset": "accounts.password_reset_done",  # by the user, through the e-mailed link
}


def _user_snapshot(user) -> dict:
    return {name: getattr(user, name) for name in USER_AUDIT_FIELDS}


def _scope(actor):
    from kinerja.organization.permissions import positions_scope

    return positions_scope(actor)


def _refused() -> PermissionDenied:
    return PermissionDenied(_("Anda tidak berwenang mengelola akun pengguna ini."))


def _check_manages_user(actor, user_id: int) -> None:
    """A superuser manages every account; an agency administrator the people holding one of
    the agency's positions now or later (never staff or superusers)."""
    from kinerja.organization.permissions import manageable_users

    scope = _scope(actor)
    if scope.superuser:
        return
    if not scope.admin_agencies or not (
        manageable_users(set(scope.admin_agencies)).filter(pk=user_id).exists()
    ):
        raise _refused()


def _conflict(exc: Exception) -> ApplicationError:
    return ApplicationError(
        _("Nama pengguna atau NIP ini sudah dipakai pengguna lain."), code="conflict"
    )


def _validated(user) -> None:
    from django.core.exceptions import ValidationError

    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        codes = {e.code for errors in getattr(exc, "error_dict", {}).values() for e in errors}
        if "unique" in codes:
            raise _conflict(exc) from exc
        raise ApplicationError(
            _("Data tidak dapat disimpan: periksa isiannya."),
            code="invalid",
            details=[" ".join(m) for m in exc.message_dict.values()],
        ) from exc


def user_create(
    *,
    actor,
    values: Mapping[str, Any],
    position=None,
    start_date: dt.date | None = None,
    password: str | None = None,
):
    """Create a user from ``values`` (``USER_FIELDS``), in ONE transaction, audited
    (``accounts.user_created``; ``accounts.password_set`` when a password is given, never
    its value).

    Who: a superuser, or an administrator of ``position``'s agency (a new user of an
    administrator always gets a position of the agency, so the administrator keeps managing
    them; only a superuser creates a user without one or types a password). The user holds
    ``position`` from ``start_date`` (today by default). Without a password the account gets
    an unusable one and, after the write, an e-mail with a link to set their own."""
    from kinerja.organization.models import PositionHolder

    scope = _scope(actor)
    if not scope.superuser and (
        position is None or password or not scope.manages_agency(position.agency_id)
    ):
        raise _refused()
    User = get_user_model()
    agency = position.agency if position is not None else None
    try:
        with transaction.atomic():
            user = User(**{k: v for k, v in values.items() if k in USER_FIELDS})
            _validated(user)
            if password:
                user.set_password(password)
            else:
                user.set_unusable_password()
            user.save()
            after = _user_snapshot(user)
            if position is not None:
                # The holding comes with the new account (an administrator cannot give a
                # position through organization.holder_create to someone they do not manage
                # yet): audited in this event.
                PositionHolder.objects.create(
                    position=position, user=user, start_date=start_date or timezone.localdate()
                )
                after["position"] = position.pk
            audit(
                actor=actor,
                action="accounts.user_created",
                obj=user,
                agency=agency,
                after=after,
            )
            if password:
                audit(actor=actor, action=PASSWORD_ACTIONS["set"], obj=user, agency=agency)
    except IntegrityError as exc:
        raise _conflict(exc) from exc
    if not password:
        password_reset_by_admin(actor=actor, user=user, agency=agency)
    return user


def user_update(
    *, actor, user_id: int, values: Mapping[str, Any], password: str | None = None, agency=None
):
    """Change a user's account (``USER_FIELDS`` of ``values``; ``is_active`` False turns the
    account off), in ONE transaction with the row locked, audited with before and after
    (``accounts.user_changed``, in ``agency``'s log). A ``password`` (superusers only) is
    set and audited as ``accounts.password_set`` without its value. When the e-mail address
    changes, the old address is told after the write.

    Who: a superuser, or an administrator of an agency where the user holds a position now
    or later (never staff or superusers)."""
    _check_manages_user(actor, user_id)
    if password and not _scope(actor).superuser:
        raise _refused()
    User = get_user_model()
    try:
        with transaction.atomic():
            user = User.objects.select_for_update().filter(pk=user_id).first()
            if user is None:
                raise ApplicationError(_("Data ini tidak ada lagi."), code="not_found")
            before = _user_snapshot(user)
            for name in USER_FIELDS:
                if name in values:
                    setattr(user, name, values[name])
            _validated(user)
            if password:
                user.set_password(password)
            user.save()
            audit(
                actor=actor,
                action="accounts.user_changed",
                obj=user,
                agency=agency,
                before=before,
                after=_user_snapshot(user),
            )
            if password:
                audit(actor=actor, action=PASSWORD_ACTIONS["set"], obj=user, agency=agency)
    except IntegrityError as exc:
        raise _conflict(exc) from exc
    if before["email"] and before["email"] != user.email:
        _tell_old_address(user, before["email"])
    return user


def user_set_active(*, actor, user_id: int, is_active: bool, agency=None):
    """Turn an account on or off (an inactive user cannot sign in, gets no mail and acts on
    no task). Who: as :func:`user_update`. Audited as ``accounts.user_changed`` with before
    and after."""
    return user_update(actor=actor, user_id=user_id, values={"is_active": is_active}, agency=agency)


def user_set_password(*, actor, user, password: str, reason: str):
    """Set ``user``'s password (``user`` is changed in place too, so a signed-in user's
    session can be kept), in ONE transaction with the row locked, audited by ``reason``:
    ``changed`` (the user, knowing the old one: ``accounts.password_changed``), ``reset``
    (the user through the e-mailed link: ``accounts.password_reset_done``) or ``set`` (a
    superuser: ``accounts.password_set``). The password itself is never logged.

    Who: the user themself (``changed``, ``reset``: the forms checked the old password or
    the link) or a superuser."""
    action = PASSWORD_ACTIONS[reason]
    if reason == "set":
        if not _scope(actor).superuser:
            raise _refused()
    elif getattr(actor, "pk", None) != user.pk:
        raise _refused()
    User = get_user_model()
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        user.set_password(password)
        user.save(update_fields=["password"])
        audit(actor=actor, action=action, obj=user)
    return user


def _tell_old_address(user, old_email: str) -> None:
    from django.core.mail import send_mail
    from django.utils import translation

    with translation.override(user.language or settings.LANGUAGE_CODE):
        send_mail(
            _("Alamat e-mail akun Kinerja Anda diganti"),
            _(
                "Alamat e-mail akun Kinerja %(username)s diganti oleh pengelola data menjadi "
                "%(email)s. Bila Anda tidak memintanya, segera hubungi pengelola data kinerja "
                "kantor Anda."
            )
            % {"username": user.username, "email": user.email},
            settings.DEFAULT_FROM_EMAIL,
            [old_email],
        )
