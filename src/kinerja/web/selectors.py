"""What the pages read once per request. The reads themselves live in the apps that own the
data (``workflow.selectors``: task timing, the case page, the completeness dashboard;
``performance.selectors``: achievement, trends, the indicator page; ``organization.selectors``:
the positions of the page frame); this module only keeps them for the rest of the request.
"""

from __future__ import annotations

from typing import Any

from kinerja.organization.selectors import nav_positions


def request_nav_positions(request) -> list[dict[str, Any]]:
    """:func:`~kinerja.organization.selectors.nav_positions` of the signed-in user, read once
    per request (the frame, the scope and the pages share it)."""
    cached = getattr(request, "_kinerja_nav_positions", None)
    if cached is None:
        cached = nav_positions(request.user)
        request._kinerja_nav_positions = cached
    return cached
