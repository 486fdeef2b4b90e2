"""Accounts: changes to a user's own account, users managed by administrators, reset links."""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.errors import ApplicationError
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


def _user_snapshot(user) -> dict:
    return {name: getattr(user, name) for name in USER_AUDIT_FIELDS}


def user_save(*, actor, form, agency=None):
    """Save a user from the master-data user form (one transaction, audited).

    Who: a superuser, or an agency administrator for a user they may manage (the view checks
    it with ``access_managed_user``; the form offers only the agency's positions). A new user
    gets the chosen position from the start date and, unless a superuser typed a password, an
    unusable password and an e-mail with a link to set their own. A password typed by a
    superuser is audited (never its value). When the e-mail address changes, the old address
    is told."""
    from django.db import IntegrityError

    from kinerja.organization.models import PositionHolder

    data = form.cleaned_data
    is_new = form.instance.pk is None
    before = None
    if not is_new:
        before = _user_snapshot(type(form.instance).objects.get(pk=form.instance.pk))
    password = data.get("password")
    try:
        with transaction.atomic():
            user = form.save(commit=False)
            if password:
                user.set_password(password)
            elif is_new:
                user.set_unusable_password()
            user.save()
            if is_new and data.get("position"):
                PositionHolder.objects.create(
                    position=data["position"],
                    user=user,
                    start_date=data.get("start_date") or timezone.localdate(),
                )
                agency = agency or data["position"].agency
            after = _user_snapshot(user)
            if is_new and data.get("position"):
                after["position"] = data["position"].pk
            audit(
                actor=actor,
                action="accounts.user_created" if is_new else "accounts.user_changed",
                obj=user,
                agency=agency,
                before=before,
                after=after,
            )
            if password:
                audit(actor=actor, action="accounts.password_set", obj=user, agency=agency)
    except IntegrityError as exc:
        raise ApplicationError(
            _("Nama pengguna atau NIP ini sudah dipakai pengguna lain."), code="conflict"
        ) from exc
    if is_new and not password:
        password_reset_by_admin(actor=actor, user=user, agency=agency)
    old_email = (before or {}).get("email")
    if old_email and old_email != user.email:
        _tell_old_address(user, old_email)
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
