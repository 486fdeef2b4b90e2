"""``kinerja worker``: the background process of production.

Runs the django-tasks database worker (the e-mails) and calls the scheduler's tick every
minute, in one process, so a server needs just the web server and this. Stops cleanly on
SIGTERM/SIGINT: the task being run is finished first. The loop itself is
:class:`kinerja.notifications.worker.BackgroundLoop`, which ``kinerja demo`` runs too.
"""

from __future__ import annotations

import logging
import signal

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from kinerja.notifications.worker import BackgroundLoop

logger = logging.getLogger("kinerja.worker")


class Command(BaseCommand):
    help = _("Menjalankan pekerja latar (e-mail) dan penjadwal (tick tiap menit).")

    def add_arguments(self, parser):
        parser.add_argument("--tick-interval", type=float, default=60.0)
        parser.add_argument("--poll-interval", type=float, default=1.0)
        parser.add_argument("--no-tick", action="store_true", help=_("Tanpa penjadwal."))

    def handle(self, *args, **options):
        if options["verbosity"] >= 2:
            logging.getLogger("kinerja.worker").setLevel(logging.DEBUG)
        loop = BackgroundLoop(
            tick_interval=None if options["no_tick"] else options["tick_interval"],
            poll_interval=options["poll_interval"],
            report=self.stdout.write,
        )

        def shutdown(signum, frame):
            logger.warning(
                "Received %s: stopping after the current task.", signal.strsignal(signum)
            )
            loop.stop()

        signal.signal(signal.SIGTERM, shutdown)
        signal.signal(signal.SIGINT, shutdown)
        if not loop.runs_tasks:
            self.stderr.write(
                "TASKS['default'] is not the database backend: only the scheduler runs here."
            )
        self.stdout.write(
            _("Pekerja %(id)s berjalan. Hentikan dengan Ctrl+C.") % {"id": loop.worker_id}
        )
        loop.run()
        self.stdout.write(_("Pekerja berhenti."))
