"""The caller's notices (only ever their own) and marking them read."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from kinerja.notifications.permissions import access_notification_for_user
from kinerja.notifications.selectors import notifications_for
from kinerja.notifications.services import notification_mark_all_read, notification_mark_read

from ..pagination import Page, PageQuery, paginate
from ..schemas import Id, MarkedRead, NotificationOut
from .common import READ, WRITE

router = Router(tags=["notifications"])


def _out(n) -> dict:
    return {
        "id": n.pk,
        "kind": n.kind,
        "subject": n.subject,
        "body": n.body,
        "link": n.link,
        "created_at": n.created_at,
        "read_at": n.read_at,
        "task_id": n.task_id,
        "case_id": n.case_id,
    }


class NotificationFilter(PageQuery):
    unread: bool = False


@router.get("", response={200: Page[NotificationOut], **READ}, url_name="notifications")
def notification_list(request: HttpRequest, query: Query[NotificationFilter]):
    """The caller's notices, newest first (``unread=true``: the unread ones only)."""
    rows = notifications_for(request.user, unread_only=query.unread)
    return paginate(request, rows, query, lambda page: [_out(n) for n in page])


@router.post("/read-all", response={200: MarkedRead, **WRITE}, url_name="notifications_read_all")
def notification_read_all(request: HttpRequest):
    """Mark every unread notice of the caller read."""
    return {"marked": notification_mark_all_read(user=request.user)}


@router.post(
    "/{notification_id}/read",
    response={200: NotificationOut, **WRITE},
    url_name="notification_read",
)
def notification_read(request: HttpRequest, notification_id: Id):
    """Mark one of the caller's notices read (404 for anybody else's)."""
    notification = access_notification_for_user(request.user, notification_id)
    notification_mark_read(user=request.user, notification=notification)
    notification.refresh_from_db(fields=["read_at"])
    return _out(notification)
