"""``kinerja worker``: the background process of production.

Runs the django-tasks database worker (the e-mails) and calls the scheduler's tick every
minute, in one process, so a server needs just the web server and this. Stops cleanly on
SIGTERM/SIGINT: the task being run is finished first.
"""

from __future__ import annotations

import logging
import signal
import threading
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import (
    DEFAULT_TASK_BACKEND_ALIAS,
    DEFAULT_TASK_QUEUE_NAME,
    task_backends,
)
from django_tasks_db.management.commands.db_worker import Worker

from kinerja.notifications.scheduler import tick

logger = logging.getLogger("kinerja.worker")


class Command(BaseCommand):
    help = _("Menjalankan pekerja latar (e-mail) dan penjadwal (tick tiap menit).")

    def add_arguments(self, parser):
        parser.add_argument("--tick-interval", type=float, default=60.0)
        parser.add_argument("--poll-interval", type=float, default=1.0)
        parser.add_argument("--no-tick", action="store_true", help=_("Tanpa penjadwal."))

    def handle(self, *args, **options):
        stop = threading.Event()
        if options["verbosity"] < 2:
            # The batch worker logs its start and end on every poll: keep that for -v 2.
            logging.getLogger("django_tasks_db").setLevel(logging.WARNING)
        current: dict[str, Worker | None] = {"worker": None}

        def shutdown(signum, frame):
            logger.warning(
                "Received %s: stopping after the current task.", signal.strsignal(signum)
            )
            stop.set()
            worker = current["worker"]
            if worker is not None:
                worker.running = False

        signal.signal(signal.SIGTERM, shutdown)
        signal.signal(signal.SIGINT, shutdown)
        backend_ok = isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend)
        if not backend_ok:
            self.stderr.write(
                "TASKS['default'] is not the database backend: only the scheduler runs here."
            )
        worker_id = get_random_string(32)
        self.stdout.write(_("Pekerja %(id)s berjalan. Hentikan dengan Ctrl+C.") % {"id": worker_id})
        next_tick = 0.0
        while not stop.is_set():
            if not options["no_tick"] and time.monotonic() >= next_tick:
                next_tick = time.monotonic() + options["tick_interval"]
                try:
                    close_old_connections()
                    report = tick()
                    if report.cases_opened or report.alerts or report.errors:
                        self.stdout.write(report.summary())
                except Exception:
                    logger.exception("tick failed; trying again at the next interval")
            if backend_ok:
                # Batch mode: run every ready task, then return here (to tick or to stop).
                worker = Worker(
                    queue_names=[DEFAULT_TASK_QUEUE_NAME],
                    interval=0,
                    batch=True,
                    backend_name=DEFAULT_TASK_BACKEND_ALIAS,
                    startup_delay=False,
                    max_tasks=None,
                    worker_id=worker_id,
                    excluded_queue_names=[],
                )
                current["worker"] = worker
                if stop.is_set():
                    break
                try:
                    worker.run()
                except Exception:
                    logger.exception("background worker failed; going on")
                finally:
                    current["worker"] = None
                    close_old_connections()
            stop.wait(options["poll_interval"])
        self.stdout.write(_("Pekerja berhenti."))
