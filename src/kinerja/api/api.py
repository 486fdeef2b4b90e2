"""The NinjaAPI at /api/v1/: its routers, its one error shape, its reference page.

The OpenAPI 3.1 description is /api/v1/openapi.json; /api/v1/docs is Swagger UI served from
django-ninja's own static files (no CDN; the page passes the CSP)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI

from . import errors
from .auth import TokenAuth
from .endpoints import account, calendar, notifications, organization, sops, workflow
from .parser import SafeParser

api = NinjaAPI(
    title="Kinerja API",
    version="1",
    description=(
        "Everything a person does in the Kinerja pages, for programs: the same services, "
        "the same access rules, the same audit. Authenticate with POST /api/v1/auth/token, "
        "then send `Authorization: Bearer <token>`. Errors: "
        '`{"error": {"code", "message", "fields"}}`. See docs/api.md.'
    ),
    urls_namespace="api",
    auth=TokenAuth(),
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=SafeParser(),
)
errors.install(api)
api.add_router("/", account.router)
api.add_router("/notifications", notifications.router)
api.add_router("/calendar", calendar.router)
api.add_router("/sops", sops.router)
api.add_router("/organization", organization.router)
api.add_router("/", workflow.router)

__all__ = ["api", "_"]
