"""The transactional outbox: what must be told after a change is written with the change.

A service that changes something others must hear about (a task became active, a report was
returned, a case is complete) calls :func:`outbox_publish` *inside its transaction*. The event
row commits or rolls back with the change, so there is never a committed change without its
event, nor an event of a change that did not happen.

Delivery runs the handlers registered for the event's kind (:func:`register`; the
notifications app registers the notices) and marks the row delivered **in one transaction**:

* right after the commit, in the same process (:func:`transaction.on_commit`), so people are
  told at once, as before;
* and by :func:`deliver_pending`, which ``kinerja tick``, ``kinerja worker`` and the demo's
  scheduler thread call every minute: it delivers whatever a process that died after its
  commit (kill -9, power loss, a crash) left behind, and retries failed deliveries with
  backoff (1, 2, 4 ... minutes, at most :data:`MAX_ATTEMPTS` times).

An event is delivered once, even with several workers at the same time: the row is claimed
with ``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL (a worker skips an event another one
is delivering) and, on SQLite, with a conditional ``UPDATE ... WHERE delivered_at IS NULL``
as the first statement of an immediate (write-locked) transaction, so a second writer waits
and then finds the event delivered. A handler that raises rolls back everything it wrote and
the claim with it; the failure is recorded on the row (``attempts``, ``last_error``).
Handlers must still be idempotent (the notices have unique constraints): a retry after a
failure runs them again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from .models import OutboxEvent

logger = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], None]

#: Failed deliveries are retried this many times, then left for an operator (admin, logs).
MAX_ATTEMPTS = 10
#: Delay after the first failure; doubled after every further one (1, 2, 4 ... minutes).
RETRY_BASE = dt.timedelta(minutes=1)
RETRY_CAP = dt.timedelta(hours=6)
#: Delivered events are kept this long (to look into), then deleted by :func:`deliver_pending`.
KEEP_DELIVERED = dt.timedelta(days=30)

_handlers: dict[str, list[Handler]] = {}


def register(kind: str, handler: Handler) -> None:
    """Run ``handler(payload)`` for every event of ``kind`` (called from an app's ``ready``)."""
    handlers = _handlers.setdefault(kind, [])
    if handler not in handlers:
        handlers.append(handler)


def outbox_publish(kind: str, payload: dict[str, Any]) -> OutboxEvent:
    """Record an event in the current transaction; deliver it after the commit.

    Must be called inside ``transaction.atomic()`` (the change's own transaction): an event
    outside a transaction could outlive a change that rolls back, or be lost with one that
    commits.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("outbox_publish() belongs inside the transaction of the change")
    event = OutboxEvent.objects.create(kind=kind, payload=payload)
    pk = event.pk
    transaction.on_commit(lambda: deliver_event(pk))
    return event


def _retry_delay(attempts: int) -> dt.timedelta:
    return min(RETRY_BASE * (2 ** max(attempts - 1, 0)), RETRY_CAP)


def _claim(event_id: int, now: dt.datetime) -> OutboxEvent | None:
    pending = OutboxEvent.objects.filter(pk=event_id, delivered_at__isnull=True)
    if connection.features.has_select_for_update_skip_locked:
        event = pending.select_for_update(skip_locked=True).first()
        if event is None:  # delivered, or another worker is delivering it right now
            return None
        OutboxEvent.objects.filter(pk=event_id).update(delivered_at=now)
        return event
    # SQLite: the transaction is IMMEDIATE (one writer at a time) and this UPDATE is its first
    # statement, so a concurrent deliverer waits here and then matches no row.
    if not pending.update(delivered_at=now):
        return None
    return OutboxEvent.objects.get(pk=event_id)


def deliver_event(event_id: int, now: dt.datetime | None = None) -> bool:
    """Deliver one event unless it is delivered or being delivered; True if this call did.

    Never raises (it runs after a user's commit, whose page must not fail): a handler's error
    is logged and recorded on the row for a later retry.
    """
    now = now or timezone.now()
    try:
        with transaction.atomic():
            event = _claim(event_id, now)
            if event is None:
                return False
            for handler in _handlers.get(event.kind, []):
                handler(event.payload)
    except Exception as exc:
        logger.exception("Delivering outbox event %s failed", event_id)
        try:
            with transaction.atomic():
                row = (
                    OutboxEvent.objects.filter(pk=event_id, delivered_at__isnull=True)
                    .values("attempts")
                    .first()
                )
                if row is not None:
                    attempts = row["attempts"] + 1
                    OutboxEvent.objects.filter(pk=event_id).update(
                        attempts=attempts,
                        last_error=f"{type(exc).__name__}: {exc}"[:2000],
                        next_attempt_at=now + _retry_delay(attempts),
                    )
        except Exception:
            logger.exception("Recording the failure of outbox event %s failed", event_id)
        return False
    return True


def pending_events(now: dt.datetime | None = None):
    """Events not yet delivered whose (re)try is due and that have attempts left."""
    now = now or timezone.now()
    return OutboxEvent.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        delivered_at__isnull=True,
        attempts__lt=MAX_ATTEMPTS,
    ).order_by("id")


def deliver_pending(now: dt.datetime | None = None, limit: int = 500) -> int:
    """Deliver due leftover events, oldest first; returns how many this call delivered.

    Who: ``kinerja tick``, ``kinerja worker`` and the demo's scheduler (through the
    scheduler's tick), tests. Safe beside other deliverers (see the module docstring).
    Also deletes delivered events older than :data:`KEEP_DELIVERED`.
    """
    now = now or timezone.now()
    ids = list(pending_events(now).values_list("pk", flat=True)[:limit])
    delivered = sum(deliver_event(pk, now) for pk in ids)
    OutboxEvent.objects.filter(delivered_at__lt=now - KEEP_DELIVERED).delete()
    return delivered
