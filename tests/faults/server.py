"""``kinerja serve`` for the fault tests, with a trap the test can arm to hold the process at
an exact instant until it is killed (kill -9).

The test writes one word to the file named by ``FAULT_ARM``; the next matching moment of
the next request consumes it, writes ``FAULT_ARM.hit`` and sleeps:

* ``after_commit``: right after a transaction that has after-commit work committed (a
  completed step: its rows are saved, the in-process delivery of its notices has not run);
* ``import_before_commit``: a real import has written every row, its transaction is still
  open;
* ``import_after_commit``: a real import has committed, the response is not sent.

Everything else is the production server: waitress, the project's settings, the database of
``KINERJA_DATABASE_URL``.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import django

HOLD = 300  # seconds: far longer than the test waits before it kills


def main() -> None:
    django.setup()
    from django.db import transaction
    from django.db.backends.base.base import BaseDatabaseWrapper

    from kinerja.core.management.commands.serve import run_server
    from kinerja.performance import spreadsheets

    arm = Path(os.environ["FAULT_ARM"])

    def take(mode: str) -> bool:
        try:
            if arm.read_text().strip() != mode:
                return False
            arm.unlink()
        except FileNotFoundError:
            return False
        return True

    def hold() -> None:
        arm.with_name(arm.name + ".hit").write_text("hit")
        time.sleep(HOLD)

    run_hooks = BaseDatabaseWrapper.run_and_clear_commit_hooks

    def trapped_hooks(self):
        if self.run_on_commit and take("after_commit"):
            hold()
        return run_hooks(self)

    BaseDatabaseWrapper.run_and_clear_commit_hooks = trapped_hooks

    real_import = spreadsheets.import_realisations

    def trapped_import(**kwargs):
        if not kwargs.get("dry_run") and take("import_before_commit"):
            with transaction.atomic():
                real_import(**kwargs)
                hold()
        result = real_import(**kwargs)
        if not kwargs.get("dry_run") and take("import_after_commit"):
            hold()
        return result

    spreadsheets.import_realisations = trapped_import
    run_server("127.0.0.1", int(sys.argv[1]), 4, sys.stdout)


if __name__ == "__main__":
    main()
