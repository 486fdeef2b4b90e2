"""Writes to the working-time calendar: admins adding or removing holidays.

Callers must have checked that ``actor`` may administer the calendar (Django admin
permissions or a superuser at the CLI); these services do not check permissions. Each runs
in one transaction, locks the row it changes and writes an audit event with old and new
values. Nothing else is cached, so the next :func:`~.selectors.calendar_for` sees the change;
due dates already computed are not recomputed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.core.errors import ApplicationError
from kinerja.core.services import audit
from kinerja.organization.models import Agency

from .models import CalendarOverride


def _snapshot(row: CalendarOverride | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "agency": row.agency.code if row.agency else None,
        "date": row.date.isoformat(),
        "kind": row.kind,
        "name": row.name,
    }


def _locked(agency: Agency | None, date: dt.date) -> CalendarOverride | None:
    return (
        CalendarOverride.objects.select_for_update()
        .select_related("agency")
        .filter(agency=agency, date=date)
        .first()
        if agency is not None
        else CalendarOverride.objects.select_for_update()
        .filter(agency__isnull=True, date=date)
        .first()
    )


def override_set(
    *,
    actor: Any,
    agency: Agency | None,
    date: dt.date,
    kind: str,
    name: str,
) -> CalendarOverride:
    """Make ``date`` a holiday or a working day for ``agency`` (None: every agency).

    Replaces an existing override of the same agency and date. Audit action
    ``workcalendar.override_set``.
    """
    if kind not in CalendarOverride.Kind.values:
        raise ApplicationError(
            _("Jenis pengecualian tidak dikenal: %(kind)s (pilih holiday atau workday).")
            % {"kind": kind},
            code="bad_kind",
        )
    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("Keterangan pengecualian wajib diisi."), code="name_required")
    if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
        raise ApplicationError(_("Tanggal tidak sah."), code="bad_date")
    with transaction.atomic():
        row = _locked(agency, date)
        before = _snapshot(row)
        if row is None:
            row = CalendarOverride.objects.create(agency=agency, date=date, kind=kind, name=name)
        else:
            row.kind, row.name = kind, name
            row.save(update_fields=["kind", "name"])
        audit(
            actor=actor,
            action="workcalendar.override_set",
            obj=row,
            agency=agency,
            before=before,
            after=_snapshot(row),
        )
    return row


def override_remove(*, actor: Any, agency: Agency | None, date: dt.date) -> None:
    """Delete the override of ``agency`` (None: every agency) on ``date``, so the national
    calendar applies again. Audit action ``workcalendar.override_remove``."""
    with transaction.atomic():
        row = _locked(agency, date)
        if row is None:
            raise ApplicationError(
                _("Tidak ada pengecualian kalender pada %(date)s.") % {"date": date},
                code="not_found",
            )
        before = _snapshot(row)
        row_id = row.pk
        row.delete()
        audit(
            actor=actor,
            action="workcalendar.override_remove",
            object_type=CalendarOverride._meta.label_lower,
            object_id=row_id,
            agency=agency,
            before=before,
            after=None,
        )
