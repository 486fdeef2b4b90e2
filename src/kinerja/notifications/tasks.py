"""Background work (django-tasks): run by ``kinerja worker`` (database backend), or at once
in tests (immediate backend). A task loads by id and calls a service."""

from __future__ import annotations

from django_tasks import task

from .services import notification_send_email


@task()
def send_notification_email(notification_id: int) -> str:
    """Send one notice's e-mail; failures are recorded on the notice, never raised."""
    return notification_send_email(notification_id=notification_id)
