"""Dispositions: the instructions that travel with the flow (steps 1 and 2 of the seed, and
every decision), and their reading."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.services import audit
from kinerja.organization.models import Position, Unit
from kinerja.organization.selectors import held_position_ids

from ..models import Disposition, Task


def disposition_create(
    *,
    task: Task,
    actor,
    to_position: Position,
    to_user=None,
    unit: Unit | None,
    instruction: str,
) -> Disposition:
    """Record the disposition that the actor of the completed ``task`` gives with it (from
    the task's position, at its completion instant). Called by the engine and the step
    handlers inside the engine's transaction; audited (``disposition.created``)."""
    case = task.case
    disposition = Disposition.objects.create(
        case=case,
        task=task,
        unit=unit,
        from_user=actor,
        from_position=task.position,
        to_position=to_position,
        to_user=to_user,
        instruction=instruction,
        created_at=task.completed_at,
    )
    audit(
        actor=actor,
        action="disposition.created",
        obj=disposition,
        agency=case.agency,
        after={
            "to_position": to_position.pk,
            "to_user": getattr(to_user, "pk", None),
            "instruction": instruction,
            "unit": getattr(unit, "pk", None),
        },
    )
    return disposition


def decision_disposition(*, task: Task, actor, returns_to: int, outcome: str, comment: str):
    """A decision's output is a disposition back to whoever made what was decided on (the
    latest task of step ``returns_to`` for the same unit); nothing when nobody did."""
    maker = (
        Task.objects.filter(case=task.case, step=returns_to, unit=task.unit)
        .exclude(pk=task.pk)
        .select_related("position", "acted_by")
        .order_by("-id")
        .first()
    )
    if maker is None:
        return
    default = (
        _("Disetujui, teruskan ke tahap berikutnya.")
        if outcome == Task.Outcome.APPROVED
        else _("Dikembalikan untuk diperbaiki.")
    )
    disposition_create(
        task=task,
        actor=actor,
        to_position=maker.position,
        to_user=maker.acted_by,
        unit=task.unit,
        instruction=comment or default,
    )


def disposition_mark_read(*, actor, disposition_id: int, now: dt.datetime | None = None) -> None:
    """The addressee (or a holder of the addressed position) has read the disposition."""
    with transaction.atomic():
        disposition = Disposition.objects.select_for_update().get(pk=disposition_id)
        if disposition.read_at is not None:
            return
        allowed = disposition.to_user_id == actor.pk or (
            disposition.to_user_id is None
            and disposition.to_position_id in held_position_ids(actor)
        )
        if not allowed:
            return
        disposition.read_at = now or timezone.now()
        disposition.save(update_fields=["read_at"])


def dispositions_mark_read(
    *, actor, dispositions, held: set[int] | None = None, now: dt.datetime | None = None
) -> int:
    """The first reading of the dispositions of ``dispositions`` (already loaded, as a page
    shows them) that are addressed to ``actor``: to them by name, or to a position they hold
    (definitive or Plt/Plh) when no user is named. Someone else's view records nothing; a
    later view never moves the instant (``read_at`` is set only while empty, in one
    conditional UPDATE, so two tabs at once record one instant). Returns how many were
    marked; the objects passed in get the instant too. ``held``: the position ids ``actor``
    holds today, when the caller has read them already. Two queries at most."""
    if not getattr(actor, "is_authenticated", False):
        return 0
    unread = [d for d in dispositions if d.read_at is None]
    if not unread:
        return 0
    ids = []
    for d in unread:
        if d.to_user_id is not None:
            if d.to_user_id == actor.pk:
                ids.append(d.pk)
            continue
        if held is None:
            held = held_position_ids(actor)
        if d.to_position_id in held:
            ids.append(d.pk)
    if not ids:
        return 0
    now = now or timezone.now()
    marked = Disposition.objects.filter(pk__in=ids, read_at__isnull=True).update(read_at=now)
    for d in unread:
        if d.pk in ids:
            d.read_at = now
    return marked
