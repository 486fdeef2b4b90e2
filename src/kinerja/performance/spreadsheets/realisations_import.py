"""Import of the realisations of a quarter."""

from __future__ import annotations

import datetime as dt
import re
import time
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.errors import ApplicationError
from kinerja.core.periods import ROMAN, Period
from kinerja.organization.models import Agency
from kinerja.workflow.permissions import scope_for

from .. import permissions, services
from ..models import Realisation
from .bulk import _bulk_save_realisations
from .checks import _Checker, _indicators_by_code, _read, _refusal
from .common import (
    COLUMNS,
    KIND_REALISATIONS,
    NOT_AVAILABLE_WORDS,
    ImportIssue,
    ImportResult,
    _DryRun,
)

#: From this many rows on, realisations are written by :func:`_bulk_save_realisations`
#: (same checks, locks and audit rows as the service, in a few bulk queries).
BULK_MIN_ROWS = 500


def import_realisations(
    *,
    actor,
    agency: Agency,
    period: Period,
    data: bytes,
    name: str = "",
    dry_run: bool = False,
    now: dt.datetime | None = None,
) -> ImportResult:
    """Import the realisations of quarter ``period``.

    A row states the whole realisation: value (or N/A / "tidak tersedia" with a reason),
    kendala and upaya; a row with only a code is skipped. Who: per indicator, whoever may
    edit its owner unit for the quarter (unit head, assigned analyst, agency administrator);
    a locked unit-quarter refuses the whole file. Written by one
    :func:`~.services.realisations_save` call (locks, audit, version bump per change).
    """
    now = now or timezone.now()
    result = ImportResult(kind=KIND_REALISATIONS, dry_run=dry_run)
    if not period.is_quarter:
        result.errors.append(
            ImportIssue(
                None, "", str(period), _("Periode %(period)s bukan triwulan.") % {"period": period}
            )
        )
        return result
    started = time.perf_counter()
    checker = _read(data, name, KIND_REALISATIONS, result)
    result.timings["read"] = time.perf_counter() - started
    if checker is None:
        return result
    started = time.perf_counter()
    items = _realisation_items(checker, agency, period, result)
    if checker.issues:
        result.errors = checker.issues
        return result
    _check_realisation_access(checker, actor, agency, period, items, now)
    if checker.issues:
        result.errors = checker.issues
        return result
    result.timings["check"] = time.perf_counter() - started
    started = time.perf_counter()
    before = dict(
        Realisation.objects.filter(
            indicator_id__in=[i.indicator.pk for i in items],
            year=period.year,
            quarter=period.quarter,
        ).values_list("indicator_id", "lock_version")
    )
    saved = []
    try:
        with transaction.atomic():
            save = (
                _bulk_save_realisations
                if len(items) >= _bulk_min_rows()
                else (services.realisations_save)
            )
            saved = save(actor=actor, period=period, items=items, now=now)
            if dry_run:  # the same writes, rolled back: the summary says what would change
                raise _DryRun
    except _DryRun:
        pass
    except ApplicationError as err:
        result.errors = _refusal(err)
        return result
    result.timings["write"] = time.perf_counter() - started
    for real in saved:
        if real.indicator_id not in before:
            result.summary["created"] += 1
        elif real.lock_version != before[real.indicator_id]:
            result.summary["updated"] += 1
        else:
            result.summary["unchanged"] += 1
    result.applied = not dry_run
    return result


def _realisation_items(
    checker: _Checker, agency: Agency, period: Period, result: ImportResult
) -> list[services.RealisationInput]:
    known = _indicators_by_code(agency)
    seen = checker.rows_by_indicator
    items = []
    content_keys = ("value", "reason", "problems", "actions")
    for r, cells in checker.table.rows:
        result.summary["rows"] += 1
        if checker.is_blank(cells, ["code", *content_keys]):
            result.summary["skipped"] += 1
            continue
        ind = checker.indicator(r, cells, known, seen)
        if "period" in checker.index:
            stated = checker.text(r, cells, "period")
            if stated and not _same_period(stated, period):
                checker.add(
                    r,
                    "period",
                    stated,
                    _("baris ini untuk periode %(stated)s, bukan %(period)s.")
                    % {"stated": stated, "period": period},
                )
        raw = checker.raw(cells, "value")
        reason = checker.text(r, cells, "reason")
        problems = checker.text(r, cells, "problems")
        actions = checker.text(r, cells, "actions")
        not_available = isinstance(raw, str) and raw.strip().lower() in NOT_AVAILABLE_WORDS
        value: Decimal | None | bool = None
        if not not_available:
            value = checker.number(r, cells, "value")
        elif not reason:
            checker.add(
                r,
                "reason" if "reason" in checker.index else "value",
                reason or raw,
                _('data ditandai tidak tersedia: tulis alasannya di kolom "%(column)s".')
                % {"column": COLUMNS["reason"].label},
            )
            continue
        if ind is None or value is False or None in (reason, problems, actions):
            continue
        if checker.is_blank(cells, content_keys):
            result.summary["skipped"] += 1
            continue
        items.append(
            services.RealisationInput(
                indicator=ind,
                value=value if not not_available else None,
                not_available=not_available,
                not_available_reason=reason if not_available else "",
                problems=problems or "",
                actions=actions or "",
                ref=_("baris %(row)s") % {"row": r},
            )
        )
    return items


def _same_period(text: str, period: Period) -> bool:
    try:
        return Period.parse(text) == period
    except ValueError:
        roman = {v: k for k, v in ROMAN.items()}
        match = re.match(r"^\s*(?:tw|triwulan)\s+([IV]+)\s+(\d{4})\s*$", text, re.IGNORECASE)
        return bool(match) and Period(int(match.group(2)), roman.get(match.group(1).upper())) == (
            period
        )


def _check_realisation_access(
    checker: _Checker, actor, agency: Agency, period: Period, items, now
) -> None:
    """Permission and lock per row, before anything is written (the service checks again
    under its locks): every refused row is listed."""
    if not items:
        return
    units = {i.indicator.owner_unit_id: i.indicator.owner_unit for i in items}
    scope = scope_for(actor, on=timezone.localdate(now))
    allowed = permissions.editable_units(
        scope, actor, agency_id=agency.pk, period=period, units=units.values()
    )
    locks = services.locked_units(units, period)
    for item in items:
        row = checker.rows_by_indicator[item.indicator.pk]
        unit = item.indicator.owner_unit
        if unit.pk not in allowed:
            checker.add(
                row,
                "code",
                item.indicator.code,
                _("Anda tidak berwenang mengubah data %(unit)s %(period)s.")
                % {"unit": unit, "period": period.label},
            )
        elif unit.pk in locks:
            checker.add(
                row,
                "code",
                item.indicator.code,
                _(
                    "data %(unit)s %(period)s sudah dikunci (laporan disetujui pada "
                    "%(when)s); minta pengelola data membuka kunci bila perlu diubah."
                )
                % {
                    "unit": unit,
                    "period": period.label,
                    "when": timezone.localtime(locks[unit.pk].locked_at).strftime("%d-%m-%Y %H:%M"),
                },
            )


def _bulk_min_rows() -> int:
    # Read through the package, where a test or a benchmark may lower it.
    from kinerja.performance import spreadsheets

    return spreadsheets.BULK_MIN_ROWS
