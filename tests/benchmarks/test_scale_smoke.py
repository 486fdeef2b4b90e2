"""Smoke run of ``benchmarks/scale.py --size office``: it builds, serves, loads every page
and ticks to the end, and every page answered 200 (figures are printed, not checked).

On PostgreSQL (``KINERJA_DATABASE_URL``) the run gets its own database next to the test
database (``<name>_scale``, dropped and created by ``--fresh``, dropped afterwards); otherwise
a throw-away SQLite file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
PAGES = [
    "floor",
    "my tasks",
    "case page",
    "agency dashboard",
    "step 4 entry",
    "step 5 review",
    "targets grid",
    "budget page",
    "document download",
    "login page",
]


def _scale_database() -> str | None:
    url = os.environ.get("KINERJA_DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path + "_scale"))


def _drop(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')


def test_scale_office_runs_and_prints_every_page(tmp_path):
    argv = [sys.executable, str(ROOT / "benchmarks/scale.py"), "--size", "office"]
    argv += ["--requests", "2", "--clients", "1,2"]
    database = _scale_database()
    if database:
        argv += ["--database-url", database, "--fresh"]
    try:
        result = subprocess.run(
            argv, cwd=tmp_path, capture_output=True, text=True, timeout=900, check=False
        )
    finally:
        if database:
            _drop(database)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    vendor = "postgresql" if database else "sqlite"
    assert f"dataset: --size office on {vendor}" in out
    lines = {line.split("  ")[0].strip(): line for line in out.splitlines()}
    for page in PAGES:
        line = lines.get(page)
        assert line is not None, f"no line for {page!r} in:\n{out}"
        fields = line[len(page) :].split()
        assert fields[0] == "200", line  # the status of the in-process query count
        assert "ERRORS" not in line, line
        assert line.count("|") == 2, line  # one block per client count (1 and 2)
    assert "kinerja tick, first over the dataset (catch-up):" in out
    assert "kinerja tick, nothing due:" in out
    opening = next(line for line in out.splitlines() if "(opening day):" in line)
    assert "cases_opened=2 " in opening, opening  # the demo office's and the generated one's
    assert "tick again, in-process" in out
    assert "load average" in out


@pytest.mark.django_db
def test_floor_is_a_404_unless_benchmarking(settings):
    assert Client().get("/_bench/floor/").status_code == 404
    settings.KINERJA_BENCHMARK = True
    response = Client().get("/_bench/floor/")
    assert response.status_code == 200
    assert response.content == b"ok 0"
