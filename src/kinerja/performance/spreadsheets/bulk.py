"""The bulk writer of realisations for large files (the bulk twin of
:func:`kinerja.performance.services.realisations_save`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.errors import ApplicationError, PermissionDenied
from kinerja.core.models import AuditEvent
from kinerja.core.periods import Period
from kinerja.workflow.permissions import scope_for

from .. import permissions, services
from ..models import Indicator, Realisation, UnitPeriodLock
from ..services.realisations import _realisation_snapshot


def _bulk_save_realisations(
    *, actor, period: Period, items: Sequence[services.RealisationInput], now: dt.datetime
) -> list[Realisation]:
    """:func:`~.services.realisations_save` for large files, in a constant number of queries.

    Same rules as the service (which stays the single path for forms and small files):
    inside the caller's transaction it locks the indicator rows, then the realisation rows
    (``select_for_update``, id order), checks the actor may edit every owner unit and that
    none is locked (raising, so nothing is written), skips items equal to what is stored,
    bumps ``lock_version`` and sets entered_by/at on each change, and writes one
    ``realisation.saved`` audit event per change with the old and new values (bulk insert
    into the append-only log). Tests pin that both paths store the same rows and events.
    """
    ids = sorted({item.indicator.pk for item in items})
    indicators = {
        i.pk: i
        for i in Indicator.objects.select_for_update(of=("self",))
        .select_related("agency", "owner_unit")
        .filter(pk__in=ids)
        .order_by("pk")
    }
    agency_ids = {i.agency_id for i in indicators.values()}
    if len(agency_ids) != 1:
        raise ApplicationError(_("Semua indikator harus dari instansi yang sama."))
    agency_id = agency_ids.pop()
    units = {i.owner_unit_id: i.owner_unit for i in indicators.values()}
    scope = scope_for(actor, on=timezone.localdate(now))
    allowed = permissions.editable_units(
        scope, actor, agency_id=agency_id, period=period, units=units.values()
    )
    denied = [u for pk, u in units.items() if pk not in allowed]
    if denied:
        raise PermissionDenied(
            _("Realisasi tidak disimpan. Perbaiki hal berikut:"),
            details=[
                _("Anda tidak berwenang mengubah data %(unit)s.") % {"unit": u} for u in denied
            ],
        )
    locked = UnitPeriodLock.objects.filter(
        unit_id__in=list(units),
        year=period.year,
        quarter=period.quarter,
        unlocked_at__isnull=True,
    ).select_related("unit")
    if locked:
        raise ApplicationError(
            _("Realisasi tidak disimpan. Perbaiki hal berikut:"),
            code="locked",
            details=[
                _("Data %(unit)s %(period)s sudah dikunci.")
                % {"unit": lock.unit, "period": period.label}
                for lock in locked
            ],
        )
    existing = {
        r.indicator_id: r
        for r in Realisation.objects.select_for_update()
        .filter(indicator_id__in=ids, year=period.year, quarter=period.quarter)
        .order_by("indicator_id")
    }
    entered_by = actor if getattr(actor, "pk", None) else None
    fields = ["value", "not_available", "not_available_reason", "problems", "actions"]
    created, updated, saved, audits = [], [], [], []
    befores: dict[int, dict[str, Any] | None] = {}
    for item in items:
        ind = indicators[item.indicator.pk]
        new = {
            "value": None
            if item.value is None
            else Decimal(item.value).quantize(services.VALUE_PLACES),
            "not_available": bool(item.not_available),
            "not_available_reason": (item.not_available_reason or "").strip()
            if item.not_available
            else "",
            "problems": (item.problems or "").strip(),
            "actions": (item.actions or "").strip(),
        }
        current = existing.get(ind.pk)
        if current is not None and all(getattr(current, k) == v for k, v in new.items()):
            saved.append(current)
            continue
        befores[ind.pk] = _realisation_snapshot(current)
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
    for real in [*created, *updated]:
        ind = indicators[real.indicator_id]
        audits.append(
            AuditEvent(
                actor=entered_by,
                action="realisation.saved",
                object_type=Realisation._meta.label_lower,
                object_id=str(real.pk),
                agency=ind.agency,
                before=befores[real.indicator_id],
                after={
                    **_realisation_snapshot(real),
                    "indicator": ind.code,
                    "period": str(period),
                },
            )
        )
    AuditEvent.objects.bulk_create(audits, batch_size=1000)
    return saved
