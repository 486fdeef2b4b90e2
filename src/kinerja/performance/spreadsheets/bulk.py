"""The bulk writer of realisations for large files (the bulk twin of
:func:`kinerja.performance.services.realisations_save`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from kinerja.core.periods import Period
from kinerja.core.services import audit_bulk

from .. import services
from ..models import Realisation


def _bulk_save_realisations(
    *, actor, period: Period, items: Sequence[services.RealisationInput], now: dt.datetime
) -> list[Realisation]:
    """:func:`~kinerja.performance.services.realisations_save` for large files, in a
    constant number of queries.

    The rules are the service's own (which stays the single path for forms and small
    files): inside the caller's transaction :func:`~.services.realisations_lock` locks the
    indicator rows, then the realisation rows; :func:`~.services.realisations_check` checks
    every item and raises listing every problem, so nothing is written. Items equal to
    what is stored are skipped; each change bumps ``lock_version``, sets entered_by/at and
    gets the service's ``realisation.saved`` audit event
    (:func:`~.services.realisation_audit_event`), written in item order by one
    :func:`kinerja.core.services.audit_bulk`. Tests pin that both paths store the same rows
    and events.
    """
    if not items:
        return []
    indicators, existing = services.realisations_lock(period, items)
    cleaned = services.realisations_check(
        actor=actor, period=period, items=items, indicators=indicators, existing=existing, now=now
    )
    entered_by = actor if getattr(actor, "pk", None) else None
    fields = ["value", "not_available", "not_available_reason", "problems", "actions"]
    created, updated, saved = [], [], []
    changes = []  # (realisation, indicator, before), in item order
    for _item, ind, new in cleaned:
        current = existing.get(ind.pk)
        if current is not None and all(getattr(current, k) == v for k, v in new.items()):
            saved.append(current)
            continue
        before = services.realisation_snapshot(current)
        if current is None:
            current = Realisation(
                agency_id=ind.agency_id,
                indicator=ind,
                year=period.year,
                quarter=period.quarter,
                lock_version=1,
            )
            created.append(current)
        else:
            current.lock_version += 1
            updated.append(current)
        for key, value in new.items():
            setattr(current, key, value)
        current.entered_by, current.entered_at = entered_by, now
        changes.append((current, ind, before))
        saved.append(current)
    Realisation.objects.bulk_create(created, batch_size=1000)
    if any(r.pk is None for r in created):  # a backend that does not return ids
        by_indicator = dict(
            Realisation.objects.filter(
                indicator_id__in=[r.indicator_id for r in created],
                year=period.year,
                quarter=period.quarter,
            ).values_list("indicator_id", "pk")
        )
        for real in created:
            real.pk = by_indicator[real.indicator_id]
    Realisation.objects.bulk_update(
        updated, [*fields, "entered_by", "entered_at", "lock_version"], batch_size=1000
    )
    audit_bulk(
        actor=actor,
        events=[
            services.realisation_audit_event(real, ind, period, before)
            for real, ind, before in changes
        ],
    )
    return saved
