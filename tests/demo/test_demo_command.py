"""`kinerja demo`, the README's first command, as a user runs it: a real process, a real
server on a free port delivering the queued e-mail (console), the data kept on a second run
and dropped with --reset."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env():
    env = {k: v for k, v in os.environ.items() if not k.startswith("KINERJA_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["LANG"] = "C.UTF-8"  # Indonesian messages (English when the locale says en)
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        env.pop(name, None)
    return env


def _kinerja(*args, timeout=600):
    return subprocess.run(
        [sys.executable, "-m", "kinerja", *args],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _count(db, table):
    with sqlite3.connect(db) as conn:
        return conn.execute(f"select count(*) from {table}").fetchone()[0]


def test_demo_serves_keeps_data_and_resets(tmp_path):
    data = tmp_path / "var"
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "kinerja", "demo", "--data-dir", str(data), "--port", str(port)],
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 300
        status = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    status = response.status
                    body = response.read().decode()
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.5)
        assert status == 200, server.stdout.read() if server.poll() is not None else "no answer"
        assert "Kinerja" in body
        # The demo's history queued e-mails: its background loop (the worker's) sends them.
        db = data / "kinerja.sqlite3"
        while time.monotonic() < deadline and server.poll() is None:
            if _count(db, "notifications_notification where email_status = 'pending'") == 0:
                break
            time.sleep(0.5)
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert f"http://127.0.0.1:{port}/" in output
    assert "sekcam" in output and "binamu2026" in output  # the demo accounts are printed
    sent = _count(db, "notifications_notification where email_status = 'sent'")
    assert sent > 0
    assert _count(db, "notifications_notification where email_status = 'pending'") == 0
    assert output.count("Subject: [Kinerja]") == sent  # printed by the console backend
    assert "AXES" not in output
    cases = _count(db, "workflow_case")
    assert cases == 6  # five finished quarters and the one in progress

    again = _kinerja("demo", "--data-dir", str(data), "--no-serve")
    assert again.returncode == 0, again.stderr
    assert "sudah ada" in again.stdout
    assert _count(db, "workflow_case") == cases

    with sqlite3.connect(db) as conn:
        conn.execute(
            "delete from workflow_disposition where id = (select max(id) from workflow_disposition)"
        )
    before = _count(db, "workflow_disposition")
    reset = _kinerja("demo", "--data-dir", str(data), "--no-serve", "--reset")
    assert reset.returncode == 0, reset.stderr
    assert _count(db, "workflow_disposition") == before + 1
