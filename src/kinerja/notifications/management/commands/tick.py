"""``kinerja tick``: do everything the scheduler has due, once (cron: every minute)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.notifications.scheduler import tick


class Command(BaseCommand):
    help = _(
        "Membuka kasus terjadwal, mengirim pengingat, menandai tugas terlambat dan "
        "melakukan eskalasi yang sudah waktunya (aman dijalankan tiap menit)."
    )
    # Started often (by people, cron): the system checks (and the URLconf they import) are
    # left to `serve`, `worker` and `migrate`.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            help=_("Waktu ISO 8601 dengan zona (untuk uji coba), misalnya 2026-10-10T07:30+08:00."),
        )

    def handle(self, *args, **options):
        now = None
        if options["now"]:
            try:
                now = dt.datetime.fromisoformat(options["now"])
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            if timezone.is_naive(now):
                raise CommandError(_("--now harus memakai zona waktu, misalnya +08:00."))
        report = tick(now)
        self.stdout.write(report.summary())
        for error in report.errors:
            self.stderr.write(error)
