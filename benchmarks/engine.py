"""Benchmark: the engine's two busiest services on the demo dataset (issue 14: <= 50 ms each).

Builds the demo office (``kinerja demo``'s data: 7 units, five finished quarters and one in
progress) in a throw-away SQLite database unless KINERJA_DATABASE_URL is set, then times
each move REPEAT times, every run inside a transaction that is rolled back (so each run
starts from the same data):

* ``case_open``: the next quarter's case (step 1 activated);
* ``task_complete`` step 1: the Sekcam's disposition fanning out to every unit;
* ``task_complete`` step 2: a Kasi choosing the analyst (one unit);
* ``task_complete`` step 4: a unit's report entry (completeness check of its indicators);
* ``task_complete`` step 5: the Sekcam's approval (locks the unit's quarter);
* floor: a bare ORM update of one task row, measured the same way in the same run.

Prints the machine, the dataset's size, and per move the median and best milliseconds and
the number of queries.

    uv run python benchmarks/engine.py
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REPEAT = int(os.environ.get("REPEAT", "15"))


class _Undo(Exception):
    pass


def main() -> None:
    data_dir = tempfile.mkdtemp(prefix="kinerja-bench-engine-")
    os.environ["KINERJA_DATA_DIR"] = data_dir
    os.environ.setdefault("KINERJA_SECRET_KEY", "benchmark-only-" + "x" * 40)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinerja.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from kinerja.accounts.models import User
    from kinerja.demo.history import SOP, ensure_demo
    from kinerja.organization.models import Agency
    from kinerja.performance.models import Indicator, Realisation
    from kinerja.workflow.models import Case, Task
    from kinerja.workflow.services import case_open, task_complete

    started = time.perf_counter()
    ensure_demo()
    build_s = time.perf_counter() - started
    agency = Agency.objects.get(code="kec-binamu")
    users = {u.username: u for u in User.objects.all()}
    current = Case.objects.filter(agency=agency).order_by("-period").first()
    print(
        f"machine: {platform.platform()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, database {connection.vendor}"
    )
    print(
        f"dataset: the demo office, {agency.units.count()} units, {Case.objects.count()} cases, "
        f"{Task.objects.count()} tasks, {Indicator.objects.count()} indicators, "
        f"{Realisation.objects.count()} realisations (built in {build_s:.1f} s); "
        f"case in progress {current.period}; {REPEAT} runs each, rolled back"
    )

    def active(step: int, unit_code: str | None = None) -> Task:
        qs = Task.objects.filter(case=current, step=step, status=Task.Status.ACTIVE)
        if unit_code:
            qs = qs.filter(unit__code=unit_code)
        return qs.get()

    def measure(label: str, prepare, call) -> None:
        times, queries = [], 0
        for _ in range(REPEAT):
            try:
                with transaction.atomic():
                    arg = prepare()
                    with CaptureQueriesContext(connection) as ctx:
                        t0 = time.perf_counter()
                        call(arg)
                        times.append((time.perf_counter() - t0) * 1000)
                    queries = len(ctx.captured_queries)
                    raise _Undo
            except _Undo:
                pass
        print(
            f"{label:46} median {statistics.median(times):7.2f} ms  best {min(times):7.2f} ms"
            f"  {queries:3d} queries"
        )

    next_period = current.period_obj.next()
    now = timezone.now()

    def open_next(_arg=None):
        case, created = case_open(sop_code=SOP, agency=agency, period=next_period, now=now)
        assert created
        return case

    step4, step5 = active(4, "perencanaan"), active(5, "trantib")
    measure(
        "floor: bare ORM update of one task row",
        lambda: step4.pk,
        lambda pk: Task.objects.filter(pk=pk).update(comment="x"),
    )
    measure("case_open (next quarter, step 1 activated)", lambda: None, open_next)
    measure(
        "task_complete step 1 (fan-out to every unit)",
        lambda: Task.objects.get(case=open_next(), step=1).pk,
        lambda pk: task_complete(actor=users["sekcam"], task_id=pk, now=now),
    )
    measure(
        "task_complete step 2 (analyst chosen)",
        lambda: active(2, "pelayanan").pk,
        lambda pk: task_complete(
            actor=users["kasi_pelayanan"], task_id=pk, assignee=users["analis_3"], now=now
        ),
    )
    measure(
        "task_complete step 4 (report entry, completeness)",
        lambda: step4.pk,
        lambda pk: task_complete(actor=users["kasubag_perencanaan"], task_id=pk, now=now),
    )
    measure(
        "task_complete step 5 (approval, locks the quarter)",
        lambda: step5.pk,
        lambda pk: task_complete(actor=users["sekcam"], task_id=pk, outcome="approved", now=now),
    )


if __name__ == "__main__":
    main()
