"""The background loop of Kinerja: the queued work (e-mail) and the scheduler tick.

One loop, two callers: ``kinerja worker`` (production, the main thread, stopped by SIGTERM)
and ``kinerja demo`` (a daemon thread beside the web server), so the demo delivers e-mail
exactly as production does.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from django.db import close_old_connections
from django.utils.crypto import get_random_string
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import (
    DEFAULT_TASK_BACKEND_ALIAS,
    DEFAULT_TASK_QUEUE_NAME,
    task_backends,
)
from django_tasks_db.management.commands.db_worker import Worker

from kinerja.notifications.scheduler import tick

logger = logging.getLogger("kinerja.worker")


class BackgroundLoop:
    """Run the ready background tasks every ``poll_interval`` seconds and :func:`tick` every
    ``tick_interval`` seconds (``None``: no tick) until :meth:`stop`.

    Survives every exception (logged; the loop goes on). :meth:`stop` may be called from a
    signal handler or another thread: the task being run is finished first.
    """

    def __init__(
        self,
        *,
        tick_interval: float | None = 60.0,
        poll_interval: float = 1.0,
        report: Callable[[str], None] | None = None,
    ) -> None:
        self.tick_interval = tick_interval
        self.poll_interval = poll_interval
        self.report = report or (lambda line: logger.info("%s", line))
        self.worker_id = get_random_string(32)
        self.stopping = threading.Event()
        self._current: Worker | None = None

    @property
    def runs_tasks(self) -> bool:
        return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend)

    def stop(self) -> None:
        self.stopping.set()
        worker = self._current
        if worker is not None:
            worker.running = False

    def run(self) -> None:
        if not logger.isEnabledFor(logging.DEBUG):
            # The batch worker logs its start and end on every poll: keep that for debugging.
            logging.getLogger("django_tasks_db").setLevel(logging.WARNING)
        runs_tasks = self.runs_tasks
        if not runs_tasks:
            logger.warning("TASKS['default'] is not the database backend: only the tick runs.")
        next_tick = 0.0
        while not self.stopping.is_set():
            if self.tick_interval is not None and time.monotonic() >= next_tick:
                next_tick = time.monotonic() + self.tick_interval
                self.run_tick()
            if runs_tasks:
                self.run_ready_tasks()
            self.stopping.wait(self.poll_interval)

    def run_tick(self) -> None:
        try:
            close_old_connections()
            result = tick()
            if result.cases_opened or result.alerts or result.errors:
                self.report(result.summary())
        except Exception:
            logger.exception("tick failed; trying again at the next interval")
        finally:
            close_old_connections()

    def run_ready_tasks(self) -> None:
        """Batch mode: run every ready task, then return (to tick or to stop)."""
        worker = Worker(
            queue_names=[DEFAULT_TASK_QUEUE_NAME],
            interval=0,
            batch=True,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=None,
            worker_id=self.worker_id,
            excluded_queue_names=[],
        )
        self._current = worker
        if self.stopping.is_set():
            self._current = None
            return
        try:
            worker.run()
        except Exception:
            logger.exception("background worker failed; going on")
        finally:
            self._current = None
            close_old_connections()


def start_in_thread(**kwargs) -> tuple[BackgroundLoop, threading.Thread]:
    """The loop in a daemon thread (``kinerja demo``)."""
    loop = BackgroundLoop(**kwargs)
    thread = threading.Thread(target=loop.run, name="kinerja-worker", daemon=True)
    thread.start()
    return loop, thread
