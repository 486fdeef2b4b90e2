"""The transactional outbox: an event is written with its change, delivered once, even when
the process dies right after the commit, a receiver fails, or three workers deliver at once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import transaction

from kinerja.core import outbox
from kinerja.core.models import OutboxEvent
from kinerja.notifications import scheduler
from kinerja.notifications.models import Notification
from kinerja.workflow.models import Task
from kinerja.workflow.services import case_open, task_complete
from tests.conftest import wita
from tests.notifications.helpers import SOP, active

ROOT = Path(__file__).resolve().parents[2]


def _open(office):
    case, _ = case_open(
        sop_code=SOP, agency=office.agency, period="2026-Q3", now=wita(2026, 10, 12, 8, 0)
    )
    return case


def _assigned_keys():
    return sorted(
        Notification.objects.filter(kind="assigned").values_list(
            "recipient__username", "dedupe_key"
        )
    )


@pytest.mark.django_db
def test_event_commits_with_the_change_and_rolls_back_with_it(two_unit_office):
    with pytest.raises(LookupError), transaction.atomic():
        _open(two_unit_office)
        assert OutboxEvent.objects.filter(kind="workflow.tasks_activated").count() == 1
        raise LookupError("the change fails after the event was written")
    assert OutboxEvent.objects.count() == 0


@pytest.mark.django_db
def test_a_commit_whose_process_died_is_told_by_the_next_tick_once(
    two_unit_office, django_capture_on_commit_callbacks
):
    u = two_unit_office.users
    with django_capture_on_commit_callbacks(execute=True):
        case = _open(two_unit_office)
    # No on-commit callback runs for the step: the process was killed right after its commit.
    task_complete(actor=u["sekcam"], task_id=active(case, 1).pk, now=wita(2026, 10, 12, 8, 5))
    assert Notification.objects.count() == 1  # only the opening's
    assert OutboxEvent.objects.filter(delivered_at__isnull=True).count() == 2

    report = scheduler.tick(wita(2026, 10, 12, 8, 6))
    assert report.outbox_delivered == 2 and not report.errors
    assert _assigned_keys() == sorted(
        [("sekcam", f"task:{Task.objects.get(case=case, step=1).pk}")]
        + [
            (f"kasi_{code}", f"task:{active(case, 2, unit=two_unit_office.units[code]).pk}")
            for code in ("pemerintahan", "trantib")
        ]
    )
    assert OutboxEvent.objects.filter(delivered_at__isnull=True).count() == 0
    # Delivering again tells no one twice.
    assert scheduler.tick(wita(2026, 10, 12, 8, 7)).outbox_delivered == 0
    for event in OutboxEvent.objects.all():
        assert outbox.deliver_event(event.pk) is False
    assert Notification.objects.filter(kind="assigned").count() == 3


@pytest.mark.django_db
def test_in_process_delivery_after_commit(two_unit_office, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _open(two_unit_office)
    assert _assigned_keys() == [("sekcam", f"task:{Task.objects.get().pk}")]
    assert OutboxEvent.objects.get().delivered_at is not None


@pytest.mark.django_db
def test_a_failing_receiver_rolls_back_its_notices_and_is_retried(
    two_unit_office, monkeypatch, django_capture_on_commit_callbacks
):
    from kinerja.notifications import receivers

    real = receivers.on_tasks_activated

    def half_then_fail(payload):
        real(payload)  # the notices are written ...
        raise ConnectionError("database went away")  # ... then the receiver fails

    handlers = outbox._handlers["workflow.tasks_activated"]
    monkeypatch.setitem(outbox._handlers, "workflow.tasks_activated", [half_then_fail])
    with django_capture_on_commit_callbacks(execute=True):
        case = _open(two_unit_office)  # the user's action succeeds regardless
    assert case.pk
    event = OutboxEvent.objects.get()
    assert event.delivered_at is None and event.attempts == 1
    assert event.last_error == "ConnectionError: database went away"
    assert Notification.objects.count() == 0  # nothing half-told
    # Not before the backoff; then the (repaired) receiver delivers it.
    monkeypatch.setitem(outbox._handlers, "workflow.tasks_activated", handlers)
    assert outbox.deliver_pending(now=event.next_attempt_at - outbox.RETRY_BASE / 2) == 0
    assert outbox.deliver_pending(now=event.next_attempt_at) == 1
    assert Notification.objects.filter(kind="assigned").count() == 1


SCRIPT = r"""
import json, sys, time
import django
django.setup()
from kinerja.core.outbox import deliver_pending
start = float(sys.argv[1])
while time.time() < start:
    time.sleep(0.005)
print(json.dumps({"delivered": deliver_pending()}))
"""


@pytest.mark.django_db(transaction=True)
def test_three_workers_deliver_each_event_exactly_once(two_unit_office, monkeypatch):
    from tests.notifications.test_concurrency import database_url

    # This process dies after each commit: its in-process delivery never runs.
    monkeypatch.setattr(outbox, "deliver_event", lambda pk, now=None: False)

    with pytest.raises(RuntimeError):
        outbox.outbox_publish("test.kind", {})  # outside a transaction: refused
    u = two_unit_office.users
    # Leftovers of several committed moves whose processes died: three cases' openings and
    # their first steps.
    periods = ["2026-Q1", "2026-Q2", "2026-Q3"]
    for period in periods:
        case, _ = case_open(
            sop_code=SOP, agency=two_unit_office.agency, period=period, now=wita(2026, 10, 12, 8)
        )
        task_complete(actor=u["sekcam"], task_id=active(case, 1).pk, now=wita(2026, 10, 12, 8, 5))
    events = OutboxEvent.objects.count()
    assert events == 9 and Notification.objects.count() == 0
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
    delivered = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err[-3000:]
        delivered.append(json.loads(out.strip().splitlines()[-1])["delivered"])
    assert sum(delivered) == events  # every event claimed by exactly one worker
    assert OutboxEvent.objects.filter(delivered_at__isnull=True).count() == 0
    # 3 cases x the two Kasi's step 2, each told once (step 1 was done before it was told).
    assert Notification.objects.filter(kind="assigned").count() == 6
