"""``kinerja calendar``: check working-time arithmetic and holidays from the shell.

``kinerja calendar due 2026-12-23T15:30+08:00 "1 day" [--agency CODE]`` prints the due
instant; ``kinerja calendar holidays 2026 [--agency CODE]`` lists the non-working office days
of a year. Admins use it to verify a new cuti bersama decree before the engine relies on it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kinerja.core.errors import ApplicationError
from kinerja.organization.models import Agency
from kinerja.sop.durations import parse_duration
from kinerja.workcalendar.calendar import WorkCalendar
from kinerja.workcalendar.selectors import calendar_for, default_calendar


class Command(BaseCommand):
    help = _("Kalender kerja: hitung batas waktu dan tampilkan hari libur.")
    # Started often (by people, cron): the system checks (and the URLconf they import) are
    # left to `serve`, `worker` and `migrate`.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{due,holidays}")
        due = sub.add_parser("due", help=_("Batas waktu: START ditambah DURASI waktu kerja."))
        due.add_argument(
            "start",
            help=_(
                "Waktu mulai ISO-8601, misalnya 2026-12-23T15:30+08:00 (tanpa zona: zona "
                "waktu instansi)."
            ),
        )
        due.add_argument("duration", help=_('Durasi, misalnya "15 menit", "2 jam", "1 hari".'))
        due.add_argument("--agency", help=_("Kode instansi (bawaan: kalender umum)."))
        hol = sub.add_parser("holidays", help=_("Hari libur dan cuti bersama pada hari kerja."))
        hol.add_argument("year", help=_("Tahun, misalnya 2026."))
        hol.add_argument("--agency", help=_("Kode instansi (bawaan: kalender umum)."))

    def handle(self, *args: Any, **options: Any) -> None:
        calendar = self._calendar(options.get("agency"))
        if options["action"] == "due":
            self._due(calendar, options["start"], options["duration"])
        else:
            self._holidays(calendar, options["year"])

    def _calendar(self, code: str | None) -> WorkCalendar:
        try:
            if not code:
                return default_calendar()
            agency = Agency.objects.filter(code=code).first()
            if agency is None:
                raise CommandError(_("Instansi dengan kode %(code)s tidak ada.") % {"code": code})
            return calendar_for(agency)
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc

    def _due(self, calendar: WorkCalendar, start_text: str, duration_text: str) -> None:
        try:
            start = dt.datetime.fromisoformat(start_text.strip())
        except ValueError as exc:
            raise CommandError(
                _("Waktu mulai tidak sah: %(value)s (contoh: 2026-12-23T15:30+08:00)")
                % {"value": start_text}
            ) from exc
        if start.tzinfo is None:
            # A person typing a local time means the agency's clock.
            start = start.replace(tzinfo=calendar.tz)
        try:
            amount, unit = parse_duration(duration_text)
        except ValueError as exc:
            raise CommandError(
                _('Durasi tidak sah: %(value)s (contoh: "15 menit", "2 jam", "1 hari")')
                % {"value": duration_text}
            ) from exc
        self.stdout.write(calendar.add_amount(start, amount, unit).isoformat())

    def _holidays(self, calendar: WorkCalendar, year_text: str) -> None:
        try:
            year = int(year_text)
        except ValueError:
            year = 0
        if not 1950 <= year <= 2100:
            raise CommandError(
                _("Tahun tidak sah: %(value)s (antara 1950 dan 2100).") % {"value": year_text}
            )
        for day, name in calendar.holidays_in(year):
            self.stdout.write(f"{day.isoformat()}  {name}")
