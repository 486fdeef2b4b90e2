"""The background loop shared by ``kinerja worker`` and ``kinerja demo``."""

from __future__ import annotations

import threading

from kinerja.notifications import worker


def test_loop_survives_exceptions_and_stops(monkeypatch):
    calls = []
    loop = worker.BackgroundLoop(tick_interval=0, poll_interval=0)

    def flaky(now=None):
        calls.append(now)
        if len(calls) >= 3:
            loop.stop()
        raise RuntimeError("database gone")

    monkeypatch.setattr(worker, "tick", flaky)
    monkeypatch.setattr(worker, "close_old_connections", lambda: None)
    monkeypatch.setattr(loop, "run_ready_tasks", lambda: None)
    thread = threading.Thread(target=loop.run)
    thread.start()
    thread.join(timeout=10)
    assert not thread.is_alive()
    assert len(calls) == 3
