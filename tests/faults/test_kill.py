"""kill -9 of the server (``kinerja serve``) in the middle of a step completion and of an
Excel import, several times, at exact instants (right after the commit, before the
in-process notices; an import with every row written but not committed; an import just
committed) and at random ones. After a restart and ``kinerja tick``: every committed step has
its next tasks and all its notices, told once; nothing is half-written."""

from __future__ import annotations

import io
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from openpyxl import load_workbook

from kinerja.core.models import OutboxEvent
from kinerja.notifications.models import Notification
from kinerja.performance.models import Realisation
from kinerja.workflow.models import Disposition, Task
from kinerja.workflow.services import case_open
from tests.conftest import wita
from tests.notifications.test_concurrency import database_url

from .web import Browser, form_fields

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
SOP = "pengumpulan-data-kinerja"
PASSWORD = "Kill-9-test-sandi"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A ``kinerja serve`` process on the test database that the test kills with SIGKILL."""

    def __init__(self, tmp: Path) -> None:
        self.arm = tmp / "arm"
        self.hit = tmp / "arm.hit"
        self.env = {
            **os.environ,
            "KINERJA_DATABASE_URL": database_url(),
            "KINERJA_DATA_DIR": str(settings.DATA_DIR),
            "KINERJA_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "DJANGO_SETTINGS_MODULE": "kinerja.config.test_settings",
            "PYTHONPATH": str(ROOT),
            "FAULT_ARM": str(self.arm),
        }
        self.process: subprocess.Popen | None = None
        self.base = ""

    def start(self) -> None:
        port = _free_port()
        self.base = f"http://127.0.0.1:{port}"
        self.log = open(self.arm.with_name("server.log"), "ab")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "faults" / "server.py"), str(port)],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=self.log,
        )
        deadline = time.monotonic() + 90
        status = None
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "the server died while starting: " + self.tail()
            try:
                status = Browser(self.base).get("/akun/masuk/")[0]
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"the server did not start ({status}): {self.tail()}")

    def tail(self) -> str:
        return self.arm.with_name("server.log").read_text(errors="replace")[-3000:]

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        assert self.process.returncode == -signal.SIGKILL

    def post_and_kill(self, browser: Browser, path, fields, files=None, *, mode: str | None):
        """Send the form; kill the server at the armed instant ``mode`` or, with no mode, after
        a random delay. Returns whether the armed instant was reached."""
        self.hit.unlink(missing_ok=True)
        if mode:
            self.arm.write_text(mode)
        thread = threading.Thread(
            target=lambda: _quietly(browser.post, path, fields, files, timeout=120), daemon=True
        )
        thread.start()
        reached = False
        if mode:
            deadline = time.monotonic() + 60
            while not self.hit.exists() and time.monotonic() < deadline:
                time.sleep(0.02)
            reached = self.hit.exists()
        else:
            time.sleep(random.uniform(0.0, 1.0))
        self.kill()
        thread.join(timeout=30)
        self.arm.unlink(missing_ok=True)
        return reached

    def kinerja(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "kinerja", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout


def _quietly(fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
    except OSError:
        pass  # the connection dies with the server


@pytest.fixture
def server(tmp_path):
    s = Server(tmp_path)
    yield s
    if s.process is not None and s.process.poll() is None:
        s.kill()


def _with_passwords(office):
    for user in office.users.values():
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])


def test_kill_during_step_completion_loses_no_committed_step_or_notice(two_unit_office, server):
    _with_passwords(two_unit_office)
    periods = ["2026-Q1", "2026-Q2", "2026-Q3"]
    cases = [
        case_open(sop_code=SOP, agency=two_unit_office.agency, period=p, now=wita(2026, 10, 1))[0]
        for p in periods
    ]
    # Right after the commit (where notices used to be lost), twice; at a random instant.
    modes = ["after_commit", None, "after_commit"]
    reached = []
    for case, mode in zip(cases, modes, strict=True):
        server.start()
        browser = Browser(server.base)
        browser.login("sekcam", PASSWORD)
        task = Task.objects.get(case=case, step=1, status="active")
        status, page = browser.get(f"/tugas/{task.pk}/")
        assert status == 200
        fields = form_fields(page, 'id="task-form"')
        fields["instruction"] = f"Siapkan laporan {case.period}."
        fields["action"] = "complete"
        reached.append(server.post_and_kill(browser, f"/tugas/{task.pk}/", fields, mode=mode))
    assert reached[0] and reached[2], "the server was not killed right after its commit"

    # The processes killed right after their commit told no one: their events wait.
    for case, mode in zip(cases, modes, strict=True):
        if mode == "after_commit":
            assert Task.objects.get(case=case, step=1).status == "completed"
            assert not Notification.objects.filter(task__case=case, task__step=2).exists()
    assert OutboxEvent.objects.filter(delivered_at__isnull=True).count() >= 2

    # Restart: the server serves again, and the tick delivers what the killed ones did not.
    server.start()
    assert Browser(server.base).get("/akun/masuk/")[0] == 200
    server.kill()
    server.kinerja("tick")

    kasi = {
        "pemerintahan": two_unit_office.users["kasi_pemerintahan"],
        "trantib": two_unit_office.users["kasi_trantib"],
    }
    committed = 0
    for case in cases:
        step1 = Task.objects.get(case=case, step=1)
        step2 = Task.objects.filter(case=case, step=2)
        if step1.status == "completed":
            committed += 1
            assert {t.unit.code for t in step2} == set(kasi)
            assert all(t.status == "active" for t in step2)
            assert Disposition.objects.filter(case=case).count() == 2
            for task in step2:
                notices = Notification.objects.filter(
                    kind="assigned", task=task, recipient=kasi[task.unit.code]
                )
                assert notices.count() == 1, f"{case.period}: the new-task notice was lost"
        else:  # killed before its commit: nothing of it
            assert step1.status == "active" and step1.acted_by_id is None
            assert not step2.exists()
            assert not Disposition.objects.filter(case=case).exists()
    assert committed >= 2  # at least the two killed after their commit
    assert not OutboxEvent.objects.filter(delivered_at__isnull=True).exists()
    per_event = Notification.objects.values_list("recipient_id", "kind", "dedupe_key")
    assert len(per_event) == len(set(per_event))  # nobody told twice


def _filled_template(browser: Browser, agency: str, value: Decimal) -> tuple[bytes, list[str]]:
    status, raw = browser.request(f"/kinerja/{agency}/excel/realisasi/templat/?periode=2026-Q3")
    assert status == 200
    book = load_workbook(io.BytesIO(raw))
    sheet = book.worksheets[0]
    codes = []
    code_col = value_col = header_row = None
    for row in sheet.iter_rows():
        if header_row is None:
            names = [str(c.value or "").strip() for c in row]
            if "Kode Indikator" in names and "Realisasi" in names:
                code_col, value_col = names.index("Kode Indikator"), names.index("Realisasi")
                header_row = row[0].row
            continue
        if row[code_col].value:
            row[value_col].value = float(value)
            codes.append(str(row[code_col].value))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), codes


def _realised(agency, codes) -> dict[str, Decimal | None]:
    found = dict(
        Realisation.objects.filter(
            agency=agency, year=2026, quarter=3, indicator__code__in=codes
        ).values_list("indicator__code", "value")
    )
    return {code: found.get(code) for code in codes}


def test_kill_during_import_leaves_all_or_nothing(two_unit_office, server):
    from kinerja.demo.performance import load_performance_data

    load_performance_data(two_unit_office)
    _with_passwords(two_unit_office)
    agency = two_unit_office.agency
    rounds = [
        ("import_before_commit", Decimal("11")),  # every row written, not committed: none
        ("import_after_commit", Decimal("22")),  # committed: all
        (None, Decimal("33")),  # somewhere: all or none
    ]
    previous = None
    for mode, value in rounds:
        server.start()
        browser = Browser(server.base)
        browser.login("admin", PASSWORD)
        path = f"/kinerja/{agency.code}/excel/realisasi/impor/?periode=2026-Q3"
        data, codes = _filled_template(browser, agency.code, value)
        assert len(codes) >= 3
        previous = previous or _realised(agency, codes)
        status, page = browser.post(path, {"periode": "2026-Q3"}, {"file": ("r.xlsx", data)})
        assert status == 200 and 'name="token"' in page, page[-2000:]
        token_form = page[: page.find('name="token"')].rfind("<form")
        confirm = form_fields(page[token_form:], "<form")
        confirm["confirm"] = "1"
        reached = server.post_and_kill(browser, path, confirm, mode=mode)
        assert reached or mode is None
        now = _realised(agency, codes)
        if mode == "import_before_commit":
            assert now == previous, "a killed, uncommitted import left rows behind"
        elif mode == "import_after_commit":
            assert set(now.values()) == {value}, "a committed import lost rows"
        else:
            assert now == previous or set(now.values()) == {value}, "a partial import"
        previous = now
    server.start()  # the server comes back on the same data
    assert Browser(server.base).get("/akun/masuk/")[0] == 200
