"""What every page's frame needs: the user's unread notifications count."""

from __future__ import annotations


def nav(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    try:
        from kinerja.notifications.selectors import unread_count
    except ImportError:
        return {"unread_notifications": 0}
    return {"unread_notifications": unread_count(user)}
