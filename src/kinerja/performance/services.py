"""Writes of performance data. Every change goes through one of these services.

Each service is keyword-only with the actor first, runs in ONE ``transaction.atomic()``
(not durable: an import wraps many calls in its own transaction and gets all or nothing),
locks what it changes with ``select_for_update()`` (indicator rows before realisation
rows, always in id order), checks the actor's permission (:mod:`.permissions`) and the
unit's lock, and writes an audit event with the old and new values
(:func:`kinerja.core.services.audit`). A refused call raises :class:`ApplicationError`
(or ``PermissionDenied``/``ConcurrentUpdate``) and changes nothing.

Values arrive already parsed (``Decimal``/``None``): the web forms and the importer parse
text with :func:`kinerja.performance.parsing.parse_number`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.errors import ApplicationError, ConcurrentUpdate, PermissionDenied
from kinerja.core.periods import ROMAN, Period
from kinerja.core.services import audit
from kinerja.organization.models import Agency, Unit
from kinerja.organization.permissions import Scope
from kinerja.workflow.permissions import scope_for

from . import achievement as calc
from . import permissions
from .models import (
    AgreementProgram,
    AgreementTarget,
    BudgetRealisation,
    Evidence,
    Indicator,
    PerformanceAgreement,
    QuarterTarget,
    Realisation,
    ReportMaterial,
    Rollup,
    UnitPeriodLock,
)
from .uploads import check_upload

VALUE_PLACES = Decimal("0.0001")
MAX_VALUE = Decimal(10) ** 16
MONEY_PLACES = Decimal("0.01")


# --------------------------------------------------------------------------------------------
# Helpers


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


def _locked_units(unit_ids, period: Period) -> dict[int, UnitPeriodLock]:
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
    lock = _locked_units([unit.pk], period).get(unit.pk)
    if lock is not None:
        raise _locked_error(lock, period)


# --------------------------------------------------------------------------------------------
# Realisations


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


def _realisation_snapshot(real: Realisation | None) -> dict[str, Any] | None:
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


# NOTE: ``spreadsheets._bulk_save_realisations`` is the bulk twin of this service for large
# imports (hundreds of rows): a rule added here must be added there too (tests compare them).
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
    """
    _require_quarter(period)
    now = now or timezone.now()
    if not items:
        return []
    with transaction.atomic():
        ids = sorted({item.indicator.pk for item in items})
        indicators = {
            i.pk: i
            for i in Indicator.objects.select_for_update(of=("self",))
            .select_related("agency", "owner_unit")
            .filter(pk__in=ids)
            .order_by("pk")
        }
        agency_ids = {i.agency_id for i in indicators.values()}
        if len(agency_ids) > 1:
            raise ApplicationError(_("Semua indikator harus dari instansi yang sama."))
        agency_id = agency_ids.pop()
        units = {i.owner_unit_id: i.owner_unit for i in indicators.values()}
        scope = _scope(actor, now)
        allowed = permissions.editable_units(
            scope, actor, agency_id=agency_id, period=period, units=units.values()
        )
        locks = _locked_units(units, period)
        existing = {
            r.indicator_id: r
            for r in Realisation.objects.select_for_update()
            .filter(indicator_id__in=ids, year=period.year, quarter=period.quarter)
            .order_by("indicator_id")
        }

        problems: list[str] = []
        denied_units: set[int] = set()
        locked_count = 0
        stale = False
        cleaned: list[tuple[RealisationInput, Indicator, Decimal | None]] = []
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
                value = _clean_value(item.value, label=label)
            except ApplicationError as err:
                problems.append(err.message)
                continue
            if item.not_available:
                if value is not None:
                    problems.append(
                        _("%(label)s: data ditandai tidak tersedia, kosongkan nilainya.")
                        % {"label": label}
                    )
                    continue
                if not (item.not_available_reason or "").strip():
                    problems.append(
                        _("%(label)s: tulis alasan data tidak tersedia.") % {"label": label}
                    )
                    continue
            cleaned.append((item, ind, value))

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

        saved = []
        for item, ind, value in cleaned:
            current = existing.get(ind.pk)
            new = {
                "value": value,
                "not_available": bool(item.not_available),
                "not_available_reason": (item.not_available_reason or "").strip()
                if item.not_available
                else "",
                "problems": (item.problems or "").strip(),
                "actions": (item.actions or "").strip(),
            }
            if current is not None and all(getattr(current, k) == v for k, v in new.items()):
                saved.append(current)
                continue
            before = _realisation_snapshot(current)
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
            audit(
                actor=actor,
                action="realisation.saved",
                obj=current,
                agency=ind.agency,
                before=before,
                after={
                    **_realisation_snapshot(current),
                    "indicator": ind.code,
                    "period": str(period),
                },
            )
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


# --------------------------------------------------------------------------------------------
# Files


def _store_file(record, checked, *, actor, now: dt.datetime, description: str):
    """Fill a StoredFile (evidence or material) from a checked upload, write the file and
    save the row; the file is removed again if the row cannot be saved."""
    record.original_name = checked.original_name
    record.content_type = checked.content_type
    record.size = checked.size
    record.sha256 = checked.sha256
    record.uploaded_by = actor if getattr(actor, "pk", None) else None
    record.uploaded_at = now
    record.description = (description or "").strip()[:250]
    record.file.save(checked.content.name, checked.content, save=False)
    try:
        record.save()
    except Exception:
        record.file.delete(save=False)
        raise
    return record


def evidence_add(
    *,
    actor,
    realisation: Realisation,
    upload: UploadedFile | bytes,
    name: str = "",
    description: str = "",
    now: dt.datetime | None = None,
) -> Evidence:
    """Attach a data-dukung file to a realisation.

    Who: as :func:`realisation_save`; refused when the unit's quarter is locked. The file is
    checked by content and size (:func:`.uploads.check_upload`), stored under
    ``MEDIA_ROOT/evidence/<agency>/<year>/``, and its SHA-256 kept. Audited.
    """
    now = now or timezone.now()
    checked = check_upload(upload, name=name)
    with transaction.atomic():
        real = (
            Realisation.objects.select_for_update(of=("self",))
            .select_related("agency", "indicator__owner_unit")
            .get(pk=realisation.pk)
        )
        _check_unit_editable(actor, real.indicator.owner_unit, real.period, now)
        evidence = _store_file(
            Evidence(realisation=real), checked, actor=actor, now=now, description=description
        )
        audit(
            actor=actor,
            action="evidence.added",
            obj=evidence,
            agency=real.agency,
            after={
                "realisation": real.pk,
                "indicator": real.indicator.code,
                "period": str(real.period),
                "name": evidence.original_name,
                "sha256": evidence.sha256,
                "size": evidence.size,
            },
        )
    return evidence


def evidence_remove(
    *, actor, evidence: Evidence, reason: str = "", now: dt.datetime | None = None
) -> Evidence:
    """Hide a data-dukung file (the file and row stay for the audit trail).

    Who: as :func:`realisation_save`; refused when locked. Audited.
    """
    now = now or timezone.now()
    with transaction.atomic():
        ev = (
            Evidence.objects.select_for_update(of=("self",))
            .select_related("realisation__agency", "realisation__indicator__owner_unit")
            .get(pk=evidence.pk)
        )
        real = ev.realisation
        _check_unit_editable(actor, real.indicator.owner_unit, real.period, now)
        if ev.removed_at is not None:
            return ev
        ev.removed_at = now
        ev.removed_by = actor if getattr(actor, "pk", None) else None
        ev.save(update_fields=["removed_at", "removed_by"])
        audit(
            actor=actor,
            action="evidence.removed",
            obj=ev,
            agency=real.agency,
            before={"name": ev.original_name, "sha256": ev.sha256},
            after=None,
            reason=reason,
        )
    return ev


def material_add(
    *,
    actor,
    case,
    unit: Unit,
    upload: UploadedFile | bytes,
    name: str = "",
    description: str = "",
    now: dt.datetime | None = None,
) -> ReportMaterial:
    """Store a report-material file (bahan laporan, step 3) for ``unit`` in ``case``.

    Who: as :func:`realisation_save` for the case's quarter; refused when locked. Same file
    checks as evidence; stored under ``MEDIA_ROOT/materials/<agency>/<period>/``. Audited.
    """
    now = now or timezone.now()
    checked = check_upload(upload, name=name)
    period = case.period_obj
    with transaction.atomic():
        if period.is_quarter:
            _check_unit_editable(actor, unit, period, now)
        material = _store_file(
            ReportMaterial(case=case, unit=unit),
            checked,
            actor=actor,
            now=now,
            description=description,
        )
        audit(
            actor=actor,
            action="material.added",
            obj=material,
            agency=case.agency,
            after={
                "case": case.pk,
                "unit": unit.pk,
                "name": material.original_name,
                "sha256": material.sha256,
            },
        )
    return material


def material_remove(
    *, actor, material: ReportMaterial, reason: str = "", now: dt.datetime | None = None
) -> ReportMaterial:
    """Hide a report-material file. Who: as :func:`material_add`. Audited."""
    now = now or timezone.now()
    with transaction.atomic():
        mat = (
            ReportMaterial.objects.select_for_update(of=("self",))
            .select_related("case__agency", "unit")
            .get(pk=material.pk)
        )
        if mat.case.period_obj.is_quarter:
            _check_unit_editable(actor, mat.unit, mat.case.period_obj, now)
        if mat.removed_at is not None:
            return mat
        mat.removed_at = now
        mat.removed_by = actor if getattr(actor, "pk", None) else None
        mat.save(update_fields=["removed_at", "removed_by"])
        audit(
            actor=actor,
            action="material.removed",
            obj=mat,
            agency=mat.case.agency,
            before={"name": mat.original_name, "sha256": mat.sha256},
            reason=reason,
        )
    return mat


# --------------------------------------------------------------------------------------------
# Locks


def unit_period_lock(
    *, actor, unit: Unit, period: Period, case=None, now: dt.datetime | None = None
) -> UnitPeriodLock:
    """Lock ``unit``'s realisations (and evidence, materials) of quarter ``period``.

    Who: office-level officials and administrators. Idempotent: a lock in force is returned
    as it is. Audited.
    """
    _require_quarter(period)
    now = now or timezone.now()
    with transaction.atomic():
        if not permissions.may_lock(_scope(actor, now), unit.agency_id):
            raise PermissionDenied(_("Anda tidak berwenang mengunci data unit."))
        return lock_for_approval(actor=actor, unit=unit, period=period, case=case, now=now)


def lock_for_approval(
    *, actor, unit: Unit, period: Period, case=None, now: dt.datetime | None = None
) -> UnitPeriodLock:
    """The lock written by the review step's approval. The engine has already checked that
    ``actor`` may act on the review task, so no further permission check. Locks the unit
    row; idempotent; audited (``unit_period.locked``)."""
    _require_quarter(period)
    now = now or timezone.now()
    with transaction.atomic():
        unit = Unit.objects.select_for_update().select_related("agency").get(pk=unit.pk)
        existing = _locked_units([unit.pk], period).get(unit.pk)
        if existing is not None:
            return existing
        lock = UnitPeriodLock.objects.create(
            agency=unit.agency,
            unit=unit,
            year=period.year,
            quarter=period.quarter,
            case=case,
            locked_at=now,
            locked_by=actor if getattr(actor, "pk", None) else None,
        )
        audit(
            actor=actor,
            action="unit_period.locked",
            obj=lock,
            agency=unit.agency,
            after={"unit": unit.pk, "period": str(period), "case": getattr(case, "pk", None)},
        )
    return lock


def unit_period_unlock(
    *, actor, unit: Unit, period: Period, reason: str, now: dt.datetime | None = None
) -> UnitPeriodLock:
    """Open a locked quarter of ``unit`` again. Who: agency administrators only
    (``Scope.manages_agency``). The reason is required; the lock row is kept with who,
    when and why, and the unlock is audited.

    The flow stays consistent: when the lock came from a case's review step, the unit goes
    back to that case's report-entry step (``performance.report_entry``, step 4 of the
    seed) as a new round for its head (:func:`kinerja.workflow.services.case_unit_reopen`),
    so the correction is made on the same screens and the review step approves and locks
    it again. The new task is ``lock.reopened_task`` (None when nothing was reopened)."""
    from kinerja.workflow.models import Case
    from kinerja.workflow.services import case_unit_reopen

    _require_quarter(period)
    now = now or timezone.now()
    reason = (reason or "").strip()
    with transaction.atomic():
        # The case row first, then the unit: the order the review step locks them in.
        case_id = (
            UnitPeriodLock.objects.filter(
                unit_id=unit.pk,
                year=period.year,
                quarter=period.quarter,
                unlocked_at__isnull=True,
            )
            .values_list("case_id", flat=True)
            .first()
        )
        if case_id is not None:
            Case.objects.select_for_update(of=("self",)).filter(pk=case_id).first()
        unit = Unit.objects.select_for_update().select_related("agency").get(pk=unit.pk)
        if not permissions.may_unlock(_scope(actor, now), unit.agency_id):
            raise PermissionDenied(
                _("Hanya pengelola data instansi yang dapat membuka kunci data unit.")
            )
        if not reason:
            raise ApplicationError(_("Alasan membuka kunci wajib diisi."), code="reason_required")
        lock = (
            UnitPeriodLock.objects.select_for_update()
            .filter(unit=unit, year=period.year, quarter=period.quarter, unlocked_at__isnull=True)
            .first()
        )
        if lock is None:
            raise ApplicationError(
                _("Data %(unit)s %(period)s tidak sedang dikunci.")
                % {"unit": unit, "period": period.label},
                code="not_locked",
            )
        lock.unlocked_at = now
        lock.unlocked_by = actor if getattr(actor, "pk", None) else None
        lock.unlock_reason = reason
        lock.save(update_fields=["unlocked_at", "unlocked_by", "unlock_reason"])
        audit(
            actor=actor,
            action="unit_period.unlocked",
            obj=lock,
            agency=unit.agency,
            before={"locked": True, "locked_at": lock.locked_at.isoformat()},
            after={"locked": False, "unit": unit.pk, "period": str(period)},
            reason=reason,
        )
        lock.reopened_task = None
        if lock.case_id is not None:
            case = Case.objects.select_related("sop_version").get(pk=lock.case_id)
            entry = [
                s.number for s in case.sop_version.spec.steps if s.handler == REPORT_ENTRY_HANDLER
            ]
            if entry:
                lock.reopened_task = case_unit_reopen(
                    actor=actor,
                    case_id=case.pk,
                    unit_id=unit.pk,
                    step=entry[0],
                    reason=reason,
                    now=now,
                )
    return lock


REPORT_ENTRY_HANDLER = "performance.report_entry"


# --------------------------------------------------------------------------------------------
# Targets and the performance agreement


@dataclass
class ProgramInput:
    code: str
    name: str
    budget: Decimal
    indicator_codes: list[str] = field(default_factory=list)


def _check_planner(actor, agency: Agency, now: dt.datetime) -> None:
    if not permissions.may_plan(_scope(actor, now), agency.pk):
        raise PermissionDenied(
            _(
                "Hanya pengelola data dan Kasubag Perencanaan yang dapat mengubah perjanjian "
                "kinerja."
            )
        )


def _agreement_snapshot(agreement: PerformanceAgreement) -> dict[str, Any]:
    return {
        "year": agreement.year,
        "version": agreement.version,
        "effective_date": agreement.effective_date.isoformat(),
        "reason": agreement.reason,
        "targets": {
            t.indicator.code: str(t.target)
            for t in agreement.targets.select_related("indicator").order_by("indicator__code")
        },
        "programs": [
            {"code": p.code, "name": p.name, "budget": str(p.budget)}
            for p in agreement.programs.order_by("order", "code")
        ],
    }


def _indicator_map(agency: Agency, keys) -> dict[Any, Indicator]:
    """Indicators of ``agency`` by id, code or instance as given in ``keys``. Raises on
    unknown ones."""
    ids = [k.pk if isinstance(k, Indicator) else k for k in keys if not isinstance(k, str)]
    codes = [k for k in keys if isinstance(k, str)]
    found = list(Indicator.objects.filter(agency=agency).filter(Q(pk__in=ids) | Q(code__in=codes)))
    by_id = {i.pk: i for i in found}
    by_code = {i.code: i for i in found}
    result, unknown = {}, []
    for key in keys:
        ind = (
            by_code.get(key)
            if isinstance(key, str)
            else by_id.get(key.pk if isinstance(key, Indicator) else key)
        )
        if ind is None:
            unknown.append(str(key))
        else:
            result[key] = ind
    if unknown:
        raise ApplicationError(
            _("Indikator tidak dikenal di %(agency)s.") % {"agency": agency},
            code="unknown_indicator",
            details=unknown,
        )
    return result


def _write_targets(
    actor, agreement: PerformanceAgreement, targets: Mapping[Any, Decimal | None]
) -> set[int]:
    """Apply ``targets`` (None removes) to ``agreement``; audit each change. Changed ids."""
    indicators = _indicator_map(agreement.agency, list(targets))
    current = {t.indicator_id: t for t in AgreementTarget.objects.filter(agreement=agreement)}
    changed = set()
    for key, raw in targets.items():
        ind = indicators[key]
        value = _clean_value(raw, label=ind.code)
        row = current.get(ind.pk)
        old = row.target if row else None
        if old == value:
            continue
        if value is None:
            row.delete()
        elif row is None:
            AgreementTarget.objects.create(agreement=agreement, indicator=ind, target=value)
        else:
            row.target = value
            row.save(update_fields=["target"])
        changed.add(ind.pk)
        audit(
            actor=actor,
            action="agreement_target.set",
            obj=agreement,
            agency=agreement.agency,
            before={"indicator": ind.code, "target": _dec(old)},
            after={"indicator": ind.code, "target": _dec(value), "version": agreement.version},
        )
    return changed


def _write_programs(
    actor, agreement: PerformanceAgreement, programs: Sequence[ProgramInput]
) -> None:
    codes = [p.code.strip() for p in programs]
    if len(set(codes)) != len(codes):
        raise ApplicationError(_("Kode program ganda dalam daftar program."), code="duplicate")
    before = [
        {"code": p.code, "name": p.name, "budget": str(p.budget)}
        for p in agreement.programs.order_by("order", "code")
    ]
    wanted_codes = sorted({c for p in programs for c in p.indicator_codes})
    indicators = _indicator_map(agreement.agency, wanted_codes) if wanted_codes else {}
    agreement.programs.all().delete()
    for order, program in enumerate(programs, 1):
        budget = _clean_value(program.budget, label=program.code, places=MONEY_PLACES)
        if budget is None or budget < 0:
            raise ApplicationError(
                _("Anggaran program %(code)s harus diisi dan tidak negatif.")
                % {"code": program.code},
                code="invalid_number",
            )
        row = AgreementProgram.objects.create(
            agreement=agreement,
            code=program.code.strip(),
            name=program.name.strip(),
            budget=budget,
            order=order,
        )
        row.indicators.set([indicators[c] for c in program.indicator_codes])
    after = [
        {"code": p.code.strip(), "name": p.name.strip(), "budget": str(p.budget)} for p in programs
    ]
    if before != after:
        audit(
            actor=actor,
            action="agreement_programs.set",
            obj=agreement,
            agency=agreement.agency,
            before=before,
            after=after,
        )


def _current_agreement_for_update(agency: Agency, year: int) -> PerformanceAgreement | None:
    return (
        PerformanceAgreement.objects.select_for_update()
        .filter(agency=agency, year=year, is_current=True)
        .first()
    )


def agreement_create(
    *,
    actor,
    agency: Agency,
    year: int,
    effective_date: dt.date,
    targets: Mapping[Any, Decimal | None] | None = None,
    programs: Sequence[ProgramInput] = (),
    now: dt.datetime | None = None,
) -> PerformanceAgreement:
    """Create version 1 of the PK of ``year``. Who: planners. Refused when one exists."""
    now = now or timezone.now()
    with transaction.atomic():
        _check_planner(actor, agency, now)
        if PerformanceAgreement.objects.filter(agency=agency, year=year).exists():
            raise ApplicationError(
                _("Perjanjian kinerja %(year)s sudah ada; gunakan revisi.") % {"year": year},
                code="exists",
            )
        agreement = PerformanceAgreement.objects.create(
            agency=agency,
            year=year,
            version=1,
            is_current=True,
            effective_date=effective_date,
            created_by=actor if getattr(actor, "pk", None) else None,
            created_at=now,
        )
        audit(
            actor=actor,
            action="agreement.created",
            obj=agreement,
            agency=agency,
            after={"year": year, "version": 1, "effective_date": effective_date.isoformat()},
        )
        if targets:
            _write_targets(actor, agreement, targets)
        if programs:
            _write_programs(actor, agreement, programs)
    return agreement


def targets_set(
    *,
    actor,
    agency: Agency,
    year: int,
    targets: Mapping[Any, Decimal | None],
    now: dt.datetime | None = None,
) -> tuple[PerformanceAgreement, list[str]]:
    """Set annual targets in the CURRENT version of the PK of ``year`` (a correction; a
    formal change is :func:`agreement_revise`). Keys are indicator ids, codes or instances;
    None removes a target. Creates version 1 (effective 1 January) when there is no PK yet.

    Who: planners. Locks the current agreement row. Each changed target is audited. Returns
    the agreement and warnings (quarter targets that no longer roll up to the annual
    target): warnings never block.
    """
    now = now or timezone.now()
    with transaction.atomic():
        _check_planner(actor, agency, now)
        agreement = _current_agreement_for_update(agency, year)
        if agreement is None:
            agreement = agreement_create(
                actor=actor, agency=agency, year=year, effective_date=dt.date(year, 1, 1), now=now
            )
        changed = _write_targets(actor, agreement, targets)
        warnings = _target_warnings(agency, year, changed)
    return agreement, warnings


def agreement_revise(
    *,
    actor,
    agency: Agency,
    year: int,
    reason: str,
    effective_date: dt.date,
    targets: Mapping[Any, Decimal | None] | None = None,
    programs: Sequence[ProgramInput] | None = None,
    now: dt.datetime | None = None,
) -> tuple[PerformanceAgreement, list[str]]:
    """Revise the PK of ``year``: a new version copying the current one, with ``targets``
    changed (None removes) and ``programs`` replaced when given. The old version is kept
    (``is_current`` False). Who: planners. The reason is required. Audited with both
    versions' contents. Returns the new version and target warnings.
    """
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Alasan revisi wajib diisi."), code="reason_required")
    with transaction.atomic():
        _check_planner(actor, agency, now)
        old = _current_agreement_for_update(agency, year)
        if old is None:
            raise ApplicationError(
                _("Belum ada perjanjian kinerja %(year)s untuk direvisi.") % {"year": year},
                code="not_found",
            )
        before = _agreement_snapshot(old)
        old.is_current = False
        old.save(update_fields=["is_current"])
        new = PerformanceAgreement.objects.create(
            agency=agency,
            year=year,
            version=old.version + 1,
            is_current=True,
            reason=reason,
            effective_date=effective_date,
            created_by=actor if getattr(actor, "pk", None) else None,
            created_at=now,
        )
        AgreementTarget.objects.bulk_create(
            AgreementTarget(agreement=new, indicator_id=t.indicator_id, target=t.target)
            for t in old.targets.all()
        )
        if programs is None:
            for program in old.programs.prefetch_related("indicators"):
                linked = list(program.indicators.all())
                copy = AgreementProgram.objects.create(
                    agreement=new,
                    code=program.code,
                    name=program.name,
                    budget=program.budget,
                    order=program.order,
                )
                copy.indicators.set(linked)
        changed = _write_targets(actor, new, targets) if targets else set()
        if programs is not None:
            _write_programs(actor, new, programs)
        audit(
            actor=actor,
            action="agreement.revised",
            obj=new,
            agency=agency,
            before=before,
            after=_agreement_snapshot(new),
            reason=reason,
        )
        warnings = _target_warnings(agency, year, changed)
    return new, warnings


def agreement_programs_set(
    *,
    actor,
    agency: Agency,
    year: int,
    programs: Sequence[ProgramInput],
    now: dt.datetime | None = None,
) -> PerformanceAgreement:
    """Replace the programme table of the current PK of ``year`` (a correction). Who:
    planners. Audited with the old and new table."""
    now = now or timezone.now()
    with transaction.atomic():
        _check_planner(actor, agency, now)
        agreement = _current_agreement_for_update(agency, year)
        if agreement is None:
            raise ApplicationError(
                _("Belum ada perjanjian kinerja %(year)s.") % {"year": year}, code="not_found"
            )
        _write_programs(actor, agreement, programs)
    return agreement


ROLLUP_WORDS = {
    Rollup.SUM: _("jumlah"),
    Rollup.LAST: _("nilai triwulan IV"),
    Rollup.AVERAGE: _("rata-rata"),
    Rollup.MAX: _("nilai tertinggi"),
    Rollup.MIN: _("nilai terendah"),
}


def _target_warnings(agency: Agency, year: int, indicator_ids=None) -> list[str]:
    """Warnings for indicators whose quarter targets do not roll up to the annual target."""
    annual = {
        t.indicator_id: t.target
        for t in AgreementTarget.objects.filter(
            agreement__agency=agency, agreement__year=year, agreement__is_current=True
        )
    }
    qs = QuarterTarget.objects.filter(agency=agency, year=year).select_related("indicator")
    if indicator_ids is not None:
        qs = qs.filter(indicator_id__in=list(indicator_ids))
    quarters: dict[int, dict[int, Decimal]] = {}
    indicators: dict[int, Indicator] = {}
    for qt in qs:
        quarters.setdefault(qt.indicator_id, {})[qt.quarter] = qt.target
        indicators[qt.indicator_id] = qt.indicator
    warnings = []
    for ind_id, by_quarter in sorted(quarters.items(), key=lambda kv: indicators[kv[0]].code):
        ind = indicators[ind_id]
        values = [by_quarter.get(n) for n in range(1, 5)]
        if calc.targets_disagree(annual.get(ind_id), values, ind.rollup):
            rolled = calc.rollup(values, ind.rollup)
            warnings.append(
                _(
                    "%(code)s: target triwulan (%(word)s: %(rolled)s) tidak sama dengan target "
                    "tahunan %(annual)s. Periksa kembali rencana aksi."
                )
                % {
                    "code": ind.code,
                    "word": ROLLUP_WORDS.get(ind.rollup, ind.rollup),
                    "rolled": _fmt(rolled.quantize(MONEY_PLACES)),
                    "annual": _fmt(annual[ind_id]),
                }
            )
    return warnings


def quarter_targets_set(
    *,
    actor,
    indicator: Indicator,
    year: int,
    targets: Mapping[int, Decimal | None],
    now: dt.datetime | None = None,
) -> list[str]:
    """Set the Rencana Aksi targets of ``indicator`` for quarters of ``year`` ({1: x, ...};
    None removes). Who: planners and the head of the indicator's owner unit. Locks the
    indicator row. Each change audited. Returns warnings (never blocks) when the four
    quarter targets do not roll up to the annual PK target under the indicator's rule.
    """
    now = now or timezone.now()
    with transaction.atomic():
        ind = (
            Indicator.objects.select_for_update(of=("self",))
            .select_related("agency", "owner_unit")
            .get(pk=indicator.pk)
        )
        if not permissions.may_set_quarter_targets(_scope(actor, now), ind.owner_unit):
            raise PermissionDenied(
                _("Anda tidak berwenang mengubah rencana aksi indikator %(code)s.")
                % {"code": ind.code}
            )
        bad = [q for q in targets if q not in (1, 2, 3, 4)]
        if bad:
            raise ApplicationError(
                _("Triwulan harus 1 sampai 4."), code="invalid_quarter", details=map(str, bad)
            )
        current = {
            qt.quarter: qt
            for qt in QuarterTarget.objects.select_for_update().filter(indicator=ind, year=year)
        }
        for quarter, raw in sorted(targets.items()):
            value = _clean_value(raw, label=f"{ind.code} TW {ROMAN[quarter]}")
            row = current.get(quarter)
            old = row.target if row else None
            if old == value:
                continue
            if value is None:
                row.delete()
            elif row is None:
                QuarterTarget.objects.create(
                    agency=ind.agency, indicator=ind, year=year, quarter=quarter, target=value
                )
            else:
                row.target = value
                row.save(update_fields=["target"])
            audit(
                actor=actor,
                action="quarter_target.set",
                obj=ind,
                agency=ind.agency,
                before={"period": f"{year}-Q{quarter}", "target": _dec(old)},
                after={"period": f"{year}-Q{quarter}", "target": _dec(value)},
            )
        return _target_warnings(ind.agency, year, [ind.pk])


# --------------------------------------------------------------------------------------------
# Budget


def budget_realisation_save(
    *,
    actor,
    agency: Agency,
    period: Period,
    program_code: str,
    amount: Decimal,
    now: dt.datetime | None = None,
) -> BudgetRealisation:
    """Record the spending of a programme of the current PK in quarter ``period``.

    Who: planners. The programme must be in the current PK of the year; the amount must
    not be negative. Upsert, audited with the old and new amount.
    """
    _require_quarter(period)
    now = now or timezone.now()
    code = (program_code or "").strip()
    with transaction.atomic():
        _check_planner(actor, agency, now)
        if not AgreementProgram.objects.filter(
            agreement__agency=agency,
            agreement__year=period.year,
            agreement__is_current=True,
            code=code,
        ).exists():
            raise ApplicationError(
                _("Program %(code)s tidak ada dalam perjanjian kinerja %(year)s.")
                % {"code": code, "year": period.year},
                code="unknown_program",
            )
        value = _clean_value(amount, label=code, places=MONEY_PLACES)
        if value is None or value < 0:
            raise ApplicationError(
                _("Realisasi anggaran harus diisi dan tidak negatif."), code="invalid_number"
            )
        row = (
            BudgetRealisation.objects.select_for_update()
            .filter(agency=agency, program_code=code, year=period.year, quarter=period.quarter)
            .first()
        )
        old = row.amount if row else None
        if row is None:
            row = BudgetRealisation.objects.create(
                agency=agency,
                program_code=code,
                year=period.year,
                quarter=period.quarter,
                amount=value,
                entered_by=actor if getattr(actor, "pk", None) else None,
                entered_at=now,
            )
        elif old != value:
            row.amount = value
            row.entered_by = actor if getattr(actor, "pk", None) else None
            row.entered_at = now
            row.save(update_fields=["amount", "entered_by", "entered_at"])
        else:
            return row
        audit(
            actor=actor,
            action="budget_realisation.saved",
            obj=row,
            agency=agency,
            before={"amount": _dec(old)},
            after={"program": code, "period": str(period), "amount": _dec(value)},
        )
    return row
