"""The performance agreement (PK): versions, annual targets and the programme table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.errors import ApplicationError
from kinerja.core.services import audit
from kinerja.organization.models import Agency

from ..models import AgreementProgram, AgreementTarget, Indicator, PerformanceAgreement
from .common import MONEY_PLACES, _check_planner, _clean_value, _dec
from .quarter_targets import _target_warnings


@dataclass
class ProgramInput:
    code: str
    name: str
    budget: Decimal
    indicator_codes: list[str] = field(default_factory=list)


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
