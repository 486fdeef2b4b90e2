"""Shared pieces of the performance services: value cleaning, the unit-lock and
permission checks every write makes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.errors import ApplicationError, PermissionDenied
from kinerja.core.periods import Period
from kinerja.organization.models import Agency, Unit
from kinerja.organization.permissions import Scope
from kinerja.workflow.permissions import scope_for

from .. import permissions
from ..models import UnitPeriodLock

VALUE_PLACES = Decimal("0.0001")
MAX_VALUE = Decimal(10) ** 16
MONEY_PLACES = Decimal("0.01")


def _scope(actor, now: dt.datetime) -> Scope:
    return scope_for(actor, on=timezone.localdate(now))


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _fmt(value: Decimal | None) -> str:
    from django.utils import translation

    from kinerja.core import formatting

    return formatting.measure(value, 0, empty="–", lang=translation.get_language() or "id")


def _clean_value(value: Any, *, label: str, places: Decimal = VALUE_PLACES) -> Decimal | None:
    """A Decimal within the columns' range, rounded to the stored places; None stays None."""
    if value is None or value == "":
        return None
    try:
        number = Decimal(value) if not isinstance(value, float) else Decimal(repr(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ApplicationError(
            _("%(label)s: '%(value)s' bukan angka.") % {"label": label, "value": value},
            code="invalid_number",
        ) from None
    if not number.is_finite() or abs(number) >= MAX_VALUE:
        raise ApplicationError(
            _("%(label)s: angka %(value)s di luar batas.") % {"label": label, "value": value},
            code="invalid_number",
        )
    return number.quantize(places)


def _require_quarter(period: Period) -> None:
    if not period.is_quarter:
        raise ApplicationError(
            _("Periode %(period)s bukan triwulan.") % {"period": period}, code="invalid_period"
        )


def locked_units(unit_ids, period: Period) -> dict[int, UnitPeriodLock]:
    """The locks in force on ``unit_ids``' data of quarter ``period``, by unit id."""
    return {
        lock.unit_id: lock
        for lock in UnitPeriodLock.objects.filter(
            unit_id__in=list(unit_ids),
            year=period.year,
            quarter=period.quarter,
            unlocked_at__isnull=True,
        ).select_related("locked_by", "unit")
    }


def _locked_error(lock: UnitPeriodLock, period: Period) -> ApplicationError:
    return ApplicationError(
        _(
            "Data %(unit)s %(period)s sudah dikunci karena laporannya disetujui pada %(when)s. "
            "Perubahan hanya dapat dilakukan setelah pengelola data membuka kunci (dengan "
            "alasan)."
        )
        % {
            "unit": lock.unit,
            "period": period.label,
            "when": timezone.localtime(lock.locked_at).strftime("%d-%m-%Y %H:%M"),
        },
        code="locked",
    )


def _check_unit_editable(actor, unit: Unit, period: Period, now: dt.datetime) -> None:
    """Permission for ``unit``'s data of ``period``, then its lock. Raises."""
    scope = _scope(actor, now)
    allowed = permissions.editable_units(
        scope, actor, agency_id=unit.agency_id, period=period, units=[unit]
    )
    if unit.pk not in allowed:
        raise PermissionDenied(
            _(
                "Anda tidak berwenang mengubah data kinerja %(unit)s %(period)s: hanya kepala "
                "unit, analis yang ditugaskan pada langkah pengumpulan bahan, atau pengelola "
                "data instansi."
            )
            % {"unit": unit, "period": period.label}
        )
    lock = locked_units([unit.pk], period).get(unit.pk)
    if lock is not None:
        raise _locked_error(lock, period)


def _check_planner(actor, agency: Agency, now: dt.datetime) -> None:
    if not permissions.may_plan(_scope(actor, now), agency.pk):
        raise PermissionDenied(
            _(
                "Hanya pengelola data dan Kasubag Perencanaan yang dapat mengubah perjanjian "
                "kinerja."
            )
        )
