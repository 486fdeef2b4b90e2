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

from .models import CalendarOverride, OfficeHours


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


# --------------------------------------------------------------------------------------------
# The master-data pages: office hours and changes to a calendar exception, checked here (an
# administrator of the row's agency; a row of every agency: a superuser)

OFFICE_HOURS_FIELDS = ("agency", "weekday", "start", "end", "break_start", "break_end")
OVERRIDE_FIELDS = ("agency", "date", "kind", "name")


def _administers(actor):
    from kinerja.core.errors import PermissionDenied
    from kinerja.organization.permissions import positions_scope

    scope = positions_scope(actor)

    def check(row) -> None:
        if scope.superuser or (row.agency_id is not None and scope.manages_agency(row.agency_id)):
            return
        raise PermissionDenied(
            _("Hanya pengelola data instansi ini yang dapat mengubah data induknya.")
        )

    return check


def office_hours_create(*, actor: Any, values: dict[str, Any]) -> OfficeHours:
    """Add one weekday's office hours of an agency. Who: an administrator of the agency, a
    superuser. One transaction, the model's checks (start before end, breaks inside), audit
    ``workcalendar.office_hours_created``."""
    return _office_hours_write(actor, None, values)


def office_hours_update(*, actor: Any, hours_id: int, values: dict[str, Any]) -> OfficeHours:
    """Change one weekday's office hours (the row locked; audit
    ``workcalendar.office_hours_changed`` with before and after)."""
    return _office_hours_write(actor, hours_id, values)


def _office_hours_write(actor, pk: int | None, values: dict[str, Any]) -> OfficeHours:
    from kinerja.core.records import record_write

    return record_write(
        actor=actor,
        model=OfficeHours,
        pk=pk,
        values=values,
        fields=OFFICE_HOURS_FIELDS,
        action="workcalendar.office_hours",
        agency_of=lambda row: row.agency,
        check=_administers(actor),
    )


def override_update(*, actor: Any, override_id: int, values: dict[str, Any]) -> CalendarOverride:
    """Change a calendar exception (its date, kind or name; a new one is
    :func:`override_set`). Who: an administrator of its agency (an exception of every agency:
    a superuser). Audit ``workcalendar.override_changed`` with before and after."""
    from kinerja.core.records import record_write

    return record_write(
        actor=actor,
        model=CalendarOverride,
        pk=override_id,
        values=values,
        fields=OVERRIDE_FIELDS,
        action="workcalendar.override",
        agency_of=lambda row: row.agency,
        check=_administers(actor),
    )
