"""What every page's frame needs: the agency in the header, the user's positions (acting
ones marked), whether to show master data, and the unread notifications count."""

from __future__ import annotations

import functools


def nav(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from kinerja.organization.permissions import PLANNING_ROLES

    from .selectors import request_nav_positions

    positions = request_nav_positions(request)
    try:
        from kinerja.notifications.selectors import unread_count
    except ImportError:
        unread = 0
    else:
        # A callable: templates evaluate it only where they show it (the frame loads the
        # bell as a fragment, so most pages spend no query on it).
        unread = functools.partial(unread_count, user)
    first = positions[0] if positions else {}
    return {
        "unread_notifications": unread,
        "nav_positions": positions,
        "nav_agency": first.get("position__agency__name", ""),
        "nav_government": first.get("position__agency__parent_name", ""),
        "nav_is_admin": user.is_superuser
        or any(p["position__is_admin"] or p["position__role"] in PLANNING_ROLES for p in positions),
    }
