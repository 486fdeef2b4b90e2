"""``kinerja import targets|realisations FILE --agency CODE (--year YYYY | --period 2026-Q3)
--user USERNAME [--dry-run]``: import a spreadsheet from the command line.

The import acts as ``--user`` (an agency administrator, a planner or a unit head): the same
permission and lock checks as on the web apply, and the audit log records that user. There
is no anonymous "system" import, so every change in the audit trail names a person.
Exit status 0: imported (or, with ``--dry-run``, would import); 1: refused, every error
printed as ``row, column, value: reason``.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kinerja.core.periods import Period
from kinerja.organization.models import Agency
from kinerja.performance import spreadsheets


class Command(BaseCommand):
    help = "Impor target (rencana aksi) atau realisasi triwulan dari XLSX/CSV."

    # Started often (by people, cron): the system checks (and the URLconf they import) are
    # left to `serve`, `worker` and `migrate`.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["targets", "realisations"])
        parser.add_argument("file", type=Path)
        parser.add_argument("--agency", required=True, help="kode instansi")
        parser.add_argument("--year", type=int, help="tahun (targets)")
        parser.add_argument("--period", help="triwulan, misalnya 2026-Q3 (realisations)")
        parser.add_argument(
            "--user", required=True, help="nama pengguna yang melakukan impor (tercatat di log)"
        )
        parser.add_argument("--dry-run", action="store_true", help="periksa saja, tidak simpan")

    def handle(self, *args, **options) -> None:
        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(_("Instansi %(code)s tidak ada.") % {"code": options["agency"]})
        user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(_("Pengguna %(name)s tidak ada.") % {"name": options["user"]})
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as err:
            raise CommandError(str(err)) from None
        common = {
            "actor": user,
            "agency": agency,
            "data": data,
            "name": path.name,
            "dry_run": options["dry_run"],
        }
        if options["kind"] == "targets":
            if not options["year"]:
                raise CommandError(_("--year wajib untuk impor target."))
            result = spreadsheets.import_targets(year=options["year"], **common)
        else:
            if not options["period"]:
                raise CommandError(_("--period wajib untuk impor realisasi (misalnya 2026-Q3)."))
            try:
                period = Period.parse(options["period"])
            except ValueError as err:
                raise CommandError(str(err)) from None
            result = spreadsheets.import_realisations(period=period, **common)
        for warning in result.warnings:
            self.stderr.write(_("Peringatan: %(text)s") % {"text": warning})
        if not result.ok:
            for issue in result.errors:
                value = f" [{issue.value}]" if issue.value else ""
                self.stderr.write(f"{issue}{value}")
            raise CommandError(
                _("Impor ditolak: %(n)s kesalahan, tidak ada data yang diubah.")
                % {"n": len(result.errors)}
            )
        prefix = _("Uji coba (tidak disimpan): ") if result.dry_run else _("Tersimpan: ")
        self.stdout.write(prefix + result.summary_text())
