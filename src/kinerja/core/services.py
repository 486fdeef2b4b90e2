"""Writing to the audit log. Called by every service inside its transaction."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import models

from .models import AuditEvent

# Where the changes of the current request come from, when not from the pages: the API sets
# ("api", "token #12 «e-SAKIP»") once it has authenticated the caller's token. Read by
# audit(); reset after every request by kinerja.core.middleware.AuditSourceMiddleware.
AUDIT_SOURCE: ContextVar[tuple[str, str] | None] = ContextVar("kinerja_audit_source", default=None)


def set_audit_source(source: str, detail: str = "") -> None:
    """Mark every audit row written from now on in this request (or context) as coming
    through ``source`` (e.g. ``"api"``), with ``detail`` (which token)."""
    AUDIT_SOURCE.set((source, detail))


@contextmanager
def audit_source(source: str, detail: str = "") -> Iterator[None]:
    """The same for a block of code (tests, commands)."""
    token = AUDIT_SOURCE.set((source, detail))
    try:
        yield
    finally:
        AUDIT_SOURCE.reset(token)


def _event(
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
    """The (unsaved) audit row: the object named by its model label and primary key, an
    actor without a primary key (a system run) written as no actor, and where the change
    came from (:data:`AUDIT_SOURCE`: the API and its token)."""
    source, source_detail = AUDIT_SOURCE.get() or ("", "")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    return AuditEvent(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        agency=agency,
        before=before,
        after=after,
        reason=reason,
        source=source,
        source_detail=source_detail,
    )


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
    event = _event(
        actor=actor,
        action=action,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        agency=agency,
        before=before,
        after=after,
        reason=reason,
    )
    event.save(force_insert=True)
    return event


def audit_bulk(*, actor, events: Iterable[Mapping[str, Any]]) -> list[AuditEvent]:
    """Append many audit events of one actor in a few INSERTs (large imports).

    Each item of ``events`` holds the keyword arguments of :func:`audit` except ``actor``
    (``action``, ``obj`` or ``object_type``/``object_id``, ``agency``, ``before``,
    ``after``, ``reason``); the rows are the ones :func:`audit` would write, in the order
    given. Every ``obj`` must already have its primary key.
    """
    rows = []
    for event in events:
        obj = event.get("obj")
        if obj is not None and obj.pk is None:
            raise ValueError(f"audit_bulk: {obj!r} has no primary key yet")
        rows.append(_event(actor=actor, **event))
    AuditEvent.objects.bulk_create(rows, batch_size=1000)
    return rows
