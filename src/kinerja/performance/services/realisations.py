"""Realisations of a quarter: the single and the several-at-once save."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.errors import ApplicationError, ConcurrentUpdate, PermissionDenied
from kinerja.core.periods import Period
from kinerja.core.services import audit
from kinerja.organization.models import Unit

from .. import permissions
from ..models import Indicator, Realisation
from .common import (
    _check_unit_editable,
    _clean_value,
    _dec,
    _require_quarter,
    _scope,
    locked_units,
)


@dataclass
class RealisationInput:
    """One realisation to save (already parsed). ``ref`` names it in error lines (a row)."""

    indicator: Indicator
    value: Decimal | None = None
    not_available: bool = False
    not_available_reason: str = ""
    problems: str = ""
    actions: str = ""
    expected_version: int | None = None
    ref: str = ""


def realisation_snapshot(real: Realisation | None) -> dict[str, Any] | None:
    """The stored values of ``real`` as written in its audit events (None: no row yet)."""
    if real is None:
        return None
    return {
        "value": _dec(real.value),
        "not_available": real.not_available,
        "not_available_reason": real.not_available_reason,
        "problems": real.problems,
        "actions": real.actions,
        "lock_version": real.lock_version,
    }


def realisation_audit_event(
    real: Realisation, indicator: Indicator, period: Period, before: dict[str, Any] | None
) -> dict[str, Any]:
    """The ``realisation.saved`` audit event of a change of ``real`` (without the actor):
    keyword arguments of :func:`kinerja.core.services.audit`, one item of
    :func:`~kinerja.core.services.audit_bulk`."""
    return {
        "action": "realisation.saved",
        "obj": real,
        "agency": indicator.agency,
        "before": before,
        "after": {**realisation_snapshot(real), "indicator": indicator.code, "period": str(period)},
    }


def realisation_values(item: RealisationInput, *, label: str) -> dict[str, Any]:
    """The values to store for ``item``: the value within range and rounded, "not
    available" only without a value and with a reason, texts stripped. Raises
    :class:`ApplicationError` naming ``label`` otherwise. The one check of a realisation
    row, for the service and the bulk writer of large imports."""
    value = _clean_value(item.value, label=label)
    if item.not_available:
        if value is not None:
            raise ApplicationError(
                _("%(label)s: data ditandai tidak tersedia, kosongkan nilainya.")
                % {"label": label},
                code="invalid",
            )
        if not (item.not_available_reason or "").strip():
            raise ApplicationError(
                _("%(label)s: tulis alasan data tidak tersedia.") % {"label": label},
                code="invalid",
            )
    return {
        "value": value,
        "not_available": bool(item.not_available),
        "not_available_reason": (item.not_available_reason or "").strip()
        if item.not_available
        else "",
        "problems": (item.problems or "").strip(),
        "actions": (item.actions or "").strip(),
    }


def realisations_lock(
    period: Period, items: Sequence[RealisationInput]
) -> tuple[dict[int, Indicator], dict[int, Realisation]]:
    """Inside the caller's transaction: lock the items' indicator rows, then their
    realisation rows of ``period`` (``select_for_update``, id order). Returns the indicators
    (with agency and owner unit) and the stored realisations, both by indicator id. Raises
    when the indicators are of more than one agency."""
    ids = sorted({item.indicator.pk for item in items})
    indicators = {
        i.pk: i
        for i in Indicator.objects.select_for_update(of=("self",))
        .select_related("agency", "owner_unit")
        .filter(pk__in=ids)
        .order_by("pk")
    }
    if len({i.agency_id for i in indicators.values()}) > 1:
        raise ApplicationError(_("Semua indikator harus dari instansi yang sama."))
    existing = {
        r.indicator_id: r
        for r in Realisation.objects.select_for_update()
        .filter(indicator_id__in=ids, year=period.year, quarter=period.quarter)
        .order_by("indicator_id")
    }
    return indicators, existing


def realisations_check(
    *,
    actor,
    period: Period,
    items: Sequence[RealisationInput],
    indicators: dict[int, Indicator],
    existing: dict[int, Realisation],
    now: dt.datetime,
) -> list[tuple[RealisationInput, Indicator, dict[str, Any]]]:
    """Check every item (indicators and rows locked by :func:`realisations_lock`): named
    once, the actor may edit its owner unit, the unit's quarter is not locked,
    ``expected_version`` is the stored one, the values pass :func:`realisation_values`.
    Returns (item, indicator, values to store) per item; raises listing EVERY problem in
    ``details`` (``PermissionDenied`` when all are permission, ``ConcurrentUpdate`` for a
    lone stale version, ``ApplicationError`` with code ``locked`` or ``invalid``). Shared by
    :func:`realisations_save` and the bulk writer of large imports."""
    agency_id = next(iter(indicators.values())).agency_id
    units = {i.owner_unit_id: i.owner_unit for i in indicators.values()}
    scope = _scope(actor, now)
    allowed = permissions.editable_units(
        scope, actor, agency_id=agency_id, period=period, units=units.values()
    )
    locks = locked_units(units, period)

    problems: list[str] = []
    denied_units: set[int] = set()
    locked_count = 0
    stale = False
    cleaned: list[tuple[RealisationInput, Indicator, dict[str, Any]]] = []
    seen: set[int] = set()
    for item in items:
        ind = indicators[item.indicator.pk]
        where = f"{item.ref}: " if item.ref else ""
        label = f"{where}{ind.code}"
        if ind.pk in seen:
            problems.append(_("%(label)s: indikator ini muncul dua kali.") % {"label": label})
            continue
        seen.add(ind.pk)
        if ind.owner_unit_id not in allowed:
            if ind.owner_unit_id not in denied_units:
                denied_units.add(ind.owner_unit_id)
                problems.append(
                    _("%(label)s: Anda tidak berwenang mengubah data %(unit)s.")
                    % {"label": label, "unit": ind.owner_unit}
                )
            continue
        if ind.owner_unit_id in locks:
            locked_count += 1
            problems.append(f"{label}: {_locked_message(period)}")
            continue
        current = existing.get(ind.pk)
        version = current.lock_version if current else 0
        if item.expected_version is not None and item.expected_version != version:
            stale = True
            problems.append(
                _(
                    "%(label)s: realisasi ini sudah diubah orang lain sejak Anda "
                    "membukanya. Muat ulang dan periksa sebelum menyimpan lagi."
                )
                % {"label": label}
            )
            continue
        try:
            values = realisation_values(item, label=label)
        except ApplicationError as err:
            problems.append(err.message)
            continue
        cleaned.append((item, ind, values))

    if problems:
        message = (
            _("Realisasi tidak disimpan karena data sudah berubah.")
            if stale and len(problems) == 1
            else _("Realisasi tidak disimpan. Perbaiki hal berikut:")
        )
        if denied_units and len(problems) == len(denied_units):
            raise PermissionDenied(message, details=problems)
        if stale and len(problems) == 1:
            raise ConcurrentUpdate(message, details=problems)
        code = "locked" if locked_count == len(problems) else "invalid"
        raise ApplicationError(message, code=code, details=problems)
    return cleaned


def realisations_save(
    *,
    actor,
    period: Period,
    items: Sequence[RealisationInput],
    now: dt.datetime | None = None,
) -> list[Realisation]:
    """Save several realisations of one quarter at once (the importer and the unit form).

    Who: per indicator, the head of its owner unit, the analyst assigned that unit's open
    step-3 task of this quarter, or an agency administrator. Refused (nothing saved, every
    problem listed in ``details``): a locked unit, no permission, a stale
    ``expected_version`` (:class:`ConcurrentUpdate`), "not available" without a reason or
    with a value. Locks the indicator rows, then the realisation rows. An item equal to
    what is stored changes nothing (a retry is harmless). Each change: ``lock_version``
    + 1, entered_by/at set, one ``realisation.saved`` audit event with old and new values.
    A value of None without "not available" is a draft (problems/actions only).

    Large imports write through ``spreadsheets.bulk`` instead, which shares
    :func:`realisations_lock`, :func:`realisations_check` and
    :func:`realisation_audit_event` with this service (tests compare both).
    """
    _require_quarter(period)
    now = now or timezone.now()
    if not items:
        return []
    with transaction.atomic():
        indicators, existing = realisations_lock(period, items)
        cleaned = realisations_check(
            actor=actor,
            period=period,
            items=items,
            indicators=indicators,
            existing=existing,
            now=now,
        )
        saved = []
        for _item, ind, new in cleaned:
            current = existing.get(ind.pk)
            if current is not None and all(getattr(current, k) == v for k, v in new.items()):
                saved.append(current)
                continue
            before = realisation_snapshot(current)
            if current is None:
                current = Realisation(
                    agency_id=ind.agency_id,
                    indicator=ind,
                    year=period.year,
                    quarter=period.quarter,
                    entered_at=now,
                )
                for key, val in new.items():
                    setattr(current, key, val)
                current.entered_by = actor if getattr(actor, "pk", None) else None
                current.lock_version = 1
                try:
                    with transaction.atomic():
                        current.save(force_insert=True)
                except IntegrityError:
                    raise ConcurrentUpdate(
                        _(
                            "%(code)s: realisasi ini baru saja disimpan orang lain. Muat ulang "
                            "dan periksa sebelum menyimpan lagi."
                        )
                        % {"code": ind.code}
                    ) from None
            else:
                for key, val in new.items():
                    setattr(current, key, val)
                current.entered_by = actor if getattr(actor, "pk", None) else None
                current.entered_at = now
                current.lock_version += 1
                current.save(update_fields=[*new, "entered_by", "entered_at", "lock_version"])
            audit(actor=actor, **realisation_audit_event(current, ind, period, before))
            saved.append(current)
    return saved


def _locked_message(period: Period) -> str:
    return _(
        "data unit ini untuk %(period)s sudah dikunci (laporan disetujui); minta pengelola "
        "data membuka kunci bila perlu diubah."
    ) % {"period": period.label}


def realisation_save(
    *,
    actor,
    indicator: Indicator,
    period: Period,
    value: Decimal | None = None,
    not_available: bool = False,
    not_available_reason: str = "",
    problems: str = "",
    actions: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Realisation:
    """Save the realisation of one indicator for one quarter (see :func:`realisations_save`).

    Raises ``PermissionDenied`` for an actor who may not edit the unit, ``ApplicationError``
    (code ``locked``) when the unit's quarter is locked, ``ConcurrentUpdate`` when
    ``expected_version`` is not the stored ``lock_version`` (0 before the first save).
    """
    _require_quarter(period)
    now = now or timezone.now()
    with transaction.atomic():
        unit = Unit.objects.get(pk=indicator.owner_unit_id)
        _check_unit_editable(actor, unit, period, now)
        item = RealisationInput(
            indicator=indicator,
            value=value,
            not_available=not_available,
            not_available_reason=not_available_reason,
            problems=problems,
            actions=actions,
            expected_version=expected_version,
        )
        try:
            return realisations_save(actor=actor, period=period, items=[item], now=now)[0]
        except ConcurrentUpdate:
            raise
        except ApplicationError as err:
            if len(err.details) == 1 and not isinstance(err, PermissionDenied):
                raise type(err)(err.details[0], code=err.code) from None
            raise
