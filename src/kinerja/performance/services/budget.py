"""Budget realisation (spending per programme of the PK and quarter)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.errors import ApplicationError
from kinerja.core.periods import Period
from kinerja.core.services import audit
from kinerja.organization.models import Agency

from ..models import AgreementProgram, BudgetRealisation
from .common import MONEY_PLACES, _check_planner, _clean_value, _dec, _require_quarter


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
