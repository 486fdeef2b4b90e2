"""Two real processes ticking at the same instants never open a case twice or tell anyone
anything twice: on PostgreSQL through row locks with SKIP LOCKED and unique constraints, on
SQLite (one office: the demo's in-process tick beside a cron tick) through its serialised
writers, the busy timeout and the same unique constraints."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from kinerja.notifications.models import Notification, TaskAlert
from kinerja.sop.models import AgencySop
from kinerja.workflow.models import Case

from .helpers import SOP

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]

# Each process ticks every instant three times, from the opening of the case (Saturday 10
# October 2026, 07:30 WITA) over every minute to past the first task's escalation (Monday
# 08:00), with all processes released at the same moment.
SCRIPT = r"""
import datetime as dt, json, os, sys, time
import django
django.setup()
from kinerja.notifications.scheduler import tick
start = float(sys.argv[1])
while time.time() < start:
    time.sleep(0.005)
tz = dt.timezone(dt.timedelta(hours=8))
instants = [dt.datetime(2026, 10, 10, 7, 30, tzinfo=tz)]
monday = dt.datetime(2026, 10, 12, 7, 30, tzinfo=tz)
instants += [monday + dt.timedelta(minutes=m) for m in range(35)]
made = {"cases": [], "alerts": {}, "notifications": 0, "errors": []}
for instant in instants:
    for _ in range(3):
        report = tick(instant)
        made["cases"] += report.cases_opened
        for kind, n in report.alerts.items():
            made["alerts"][kind] = made["alerts"].get(kind, 0) + n
        made["notifications"] += report.notifications
        made["errors"] += report.errors
print(json.dumps(made))
"""


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def test_concurrent_ticks_open_one_case_and_notify_once(two_unit_office):
    import time

    AgencySop.objects.create(agency=two_unit_office.agency, sop_code=SOP)
    env = {
        **os.environ,
        "KINERJA_DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "kinerja.config.test_settings",
        "PYTHONPATH": str(ROOT),
    }
    start = time.time() + 3
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", SCRIPT, str(start)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=240)
        assert process.returncode == 0, err[-3000:]
        results.append(json.loads(out.strip().splitlines()[-1]))

    assert all(r["errors"] == [] for r in results), results
    # One case, opened by exactly one of the processes.
    assert Case.objects.count() == 1
    assert sum(len(r["cases"]) for r in results) == 1
    # Each of the four alerts of step 1 recorded once, by one process, with one notice.
    kinds = Counter(TaskAlert.objects.values_list("kind", flat=True))
    assert kinds == Counter({"reminder_50": 1, "reminder_90": 1, "overdue": 1, "escalation": 1})
    reported = Counter()
    for r in results:
        reported.update(r["alerts"])
    assert reported == kinds
    per_event = Counter(Notification.objects.values_list("recipient_id", "kind", "dedupe_key"))
    assert set(per_event.values()) == {1}
    assert Counter(Notification.objects.values_list("kind", flat=True)) == Counter(
        {"assigned": 1, "reminder_50": 1, "reminder_90": 1, "overdue": 1, "escalation": 1}
    )
    assert sum(r["notifications"] for r in results) == 4  # the 'assigned' one came from case_open
    assert Notification.objects.exclude(email_status="sent").count() == 0
