"""Who may see and change a notice: its recipient, nobody else (not even an admin)."""

from __future__ import annotations

from django.http import Http404

from .models import Notification


def access_notification_for_user(user, notification_id: int) -> Notification:
    """The notice ``notification_id`` if ``user`` is its recipient; 404 otherwise (a notice
    that is not yours does not exist for you)."""
    notification = Notification.objects.filter(pk=notification_id, recipient_id=user.pk).first()
    if notification is None:
        raise Http404
    return notification
