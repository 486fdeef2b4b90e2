"""Writing to the audit log. Called by every service inside its transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from .models import AuditEvent


def audit(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    agency=None,
    before: Any = None,
    after: Any = None,
    reason: str = "",
) -> AuditEvent:
    """Append one audit event. ``before``/``after`` must be JSON-serialisable."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        agency=agency,
        before=before,
        after=after,
        reason=reason,
    )
