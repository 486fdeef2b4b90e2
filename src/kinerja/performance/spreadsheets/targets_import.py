"""Import of the Rencana Aksi worksheet: annual (PK) and quarterly targets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.errors import ApplicationError
from kinerja.organization.models import Agency
from kinerja.workflow.permissions import scope_for

from .. import permissions, services
from ..models import AgreementTarget, Indicator, QuarterTarget
from .checks import _indicators_by_code, _read, _refusal
from .common import (
    KIND_TARGETS,
    ImportIssue,
    ImportResult,
    _DryRun,
)


@dataclass
class TargetRow:
    row: int
    indicator: Indicator
    annual: Decimal | None  # None: cell empty, keep what is stored
    quarters: dict[int, Decimal]  # only filled cells


def import_targets(
    *,
    actor,
    agency: Agency,
    year: int,
    data: bytes,
    name: str = "",
    dry_run: bool = False,
    now: dt.datetime | None = None,
) -> ImportResult:
    """Import annual (PK) and quarterly (Rencana Aksi) targets of ``year``.

    Who: planners of the agency (:func:`.permissions.may_plan`); the services check again.
    An empty cell keeps the stored value. Writes in one transaction through
    :func:`~.services.targets_set` and :func:`~.services.quarter_targets_set` (each change
    audited); nothing is written when any row is bad. ``dry_run`` rolls everything back.
    """
    now = now or timezone.now()
    result = ImportResult(kind=KIND_TARGETS, dry_run=dry_run)
    checker = _read(data, name, KIND_TARGETS, result)
    if checker is None:
        return result
    if not permissions.may_plan(scope_for(actor, on=timezone.localdate(now)), agency.pk):
        result.errors.append(
            ImportIssue(
                row=None,
                column="",
                value="",
                message=_(
                    "Anda tidak berwenang mengimpor target %(agency)s: hanya pengelola data "
                    "dan Kasubag Perencanaan."
                )
                % {"agency": agency},
            )
        )
        return result
    known = _indicators_by_code(agency)
    seen: dict[int, int] = {}
    rows: list[TargetRow] = []
    value_keys = ("annual", "q1", "q2", "q3", "q4")
    for r, cells in checker.table.rows:
        result.summary["rows"] += 1
        if checker.is_blank(cells, value_keys) and checker.is_blank(cells, ["code"]):
            result.summary["skipped"] += 1
            continue
        ind = checker.indicator(r, cells, known, seen)
        numbers = {k: checker.number(r, cells, k) for k in value_keys}
        if ind is None or any(v is False for v in numbers.values()):
            continue
        quarters = {n: numbers[f"q{n}"] for n in range(1, 5) if numbers[f"q{n}"] is not None}
        if numbers["annual"] is None and not quarters:
            result.summary["skipped"] += 1
            continue
        rows.append(TargetRow(r, ind, numbers["annual"], quarters))
    if checker.issues:
        result.errors = checker.issues
        return result
    try:
        with transaction.atomic():
            _apply_targets(actor, agency, year, rows, result, now)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except ApplicationError as err:
        result.errors = _refusal(err)
        result.warnings = []
        return result
    result.applied = not dry_run
    return result


def _apply_targets(
    actor, agency: Agency, year: int, rows: list[TargetRow], result: ImportResult, now
) -> None:
    ids = [row.indicator.pk for row in rows]
    annual_before = {
        t.indicator_id: t.target
        for t in AgreementTarget.objects.filter(
            agreement__agency=agency,
            agreement__year=year,
            agreement__is_current=True,
            indicator_id__in=ids,
        )
    }
    quarters_before = {
        (qt.indicator_id, qt.quarter): qt.target
        for qt in QuarterTarget.objects.filter(indicator_id__in=ids, year=year)
    }
    annual = {row.indicator.code: row.annual for row in rows if row.annual is not None}
    if annual:
        services.targets_set(actor=actor, agency=agency, year=year, targets=annual, now=now)
    warnings: list[str] = []
    for row in rows:
        # Called for every row, also with no quarter cells: the warnings it returns are
        # computed after the annual targets above, so they describe the final state.
        warnings += services.quarter_targets_set(
            actor=actor, indicator=row.indicator, year=year, targets=row.quarters, now=now
        )
        pairs = [(annual_before.get(row.indicator.pk), row.annual)] + [
            (quarters_before.get((row.indicator.pk, q)), v) for q, v in row.quarters.items()
        ]
        pairs = [(old, new) for old, new in pairs if new is not None]
        if all(old is None for old, _new in pairs):
            result.summary["created"] += 1
        elif any(old != new.quantize(services.VALUE_PLACES) for old, new in pairs):
            result.summary["updated"] += 1
        else:
            result.summary["unchanged"] += 1
    result.warnings = list(dict.fromkeys(warnings))
