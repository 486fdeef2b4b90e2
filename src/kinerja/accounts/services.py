"""Changes a user makes to their own account."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from kinerja.core.errors import ApplicationError
from kinerja.core.services import audit


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
