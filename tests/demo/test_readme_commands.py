"""The README followed on a fresh copy: `kinerja demo --no-serve` in an empty folder, then every
command of the README's command table in the same folder, as a newcomer types it: no
KINERJA_* variable exported, no traceback, the documented exit status.

One demo run is shared by the module. The table itself is read from the README, so a command
added there without a case here fails `test_every_readme_command_is_covered`.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
SOP_FILE = (
    Path(__file__).resolve().parents[2] / "src/kinerja/sop/library/pengumpulan-data-kinerja.yaml"
)


def clean_env(**extra: str) -> dict[str, str]:
    """The user's environment: nothing of Kinerja's configured, an Indonesian-neutral locale."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KINERJA_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        env.pop(name, None)
    env["LANG"] = "C.UTF-8"
    env.update(extra)
    return env


def kinerja(folder: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 300):
    return subprocess.run(
        [sys.executable, "-m", "kinerja", *args],
        cwd=folder,
        env=env or clean_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """A fresh folder where `kinerja demo --no-serve` ran (on a free port, so the site URL
    it records is that port)."""
    path = tmp_path_factory.mktemp("fresh-copy")
    result = kinerja(path, "demo", "--no-serve", "--port", "8123", timeout=900)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert (path / "var" / "demo.json").is_file()
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _db(folder: Path) -> sqlite3.Connection:
    return sqlite3.connect(folder / "var" / "kinerja.sqlite3")


def _indicator_code(folder: Path) -> str:
    with _db(folder) as conn:
        return conn.execute("select code from performance_indicator order by id").fetchone()[0]


def _open_period(folder: Path) -> str:
    with _db(folder) as conn:
        return conn.execute("select period from workflow_case where status = 'open'").fetchone()[0]


# Each case: README key -> a function (folder) -> (args, expected exit status, text expected).
def _calendar_due(folder):
    return ["calendar", "due", "2026-12-23T15:30+08:00", "1 day"], 0, "2026-12-28T15:30:00+08:00"


def _calendar_holidays(folder):
    return ["calendar", "holidays", "2026"], 0, "2026-12-25"


def _sop_validate(folder):
    return ["sop", "validate", str(SOP_FILE)], 0, "pengumpulan-data-kinerja"


def _sop_load(folder):
    return ["sop", "load", str(SOP_FILE)], 0, "pengumpulan-data-kinerja"


def _sop_list(folder):
    return ["sop", "list"], 0, "pengumpulan-data-kinerja"


def _sop_show(folder):
    return ["sop", "show", "pengumpulan-data-kinerja", "--json"], 0, '"code"'


def _tick(folder):
    return ["tick", "--now", "2026-10-12T08:00+08:00"], 0, ""


def _import_targets(folder):
    csv = folder / "targets.csv"
    csv.write_text(
        "Kode Indikator;Target Tahunan;TW I;TW II;TW III;TW IV\n"
        f"{_indicator_code(folder)};100;25;50;75;100\n",
        encoding="utf-8",
    )
    args = ["import", "targets", str(csv), "--agency", "kec-binamu", "--year", "2027"]
    return args + ["--user", "kasubag_perencanaan", "--dry-run"], 0, ""


def _import_realisations(folder):
    period = _open_period(folder)
    year, quarter = int(period[:4]), int(period[-1])
    with _db(folder) as conn:  # an indicator of a unit that has not sent its data yet
        code = conn.execute(
            "select code from performance_indicator where owner_unit_id not in (select unit_id"
            " from performance_unitperiodlock where year = ? and quarter = ?"
            " and unlocked_at is null) order by id",
            (year, quarter),
        ).fetchone()[0]
    csv = folder / "realisations.csv"
    csv.write_text(f"Kode Indikator;Realisasi\n{code};12,5\n", encoding="utf-8")
    args = ["import", "realisations", str(csv), "--agency", "kec-binamu"]
    return args + ["--period", period, "--user", "admin", "--dry-run"], 0, ""


def _report(folder):
    out = folder / "laporan.xlsx"
    args = ["report", "laporan-triwulan", "--agency", "kec-binamu", "--period", "2026-Q2"]
    return args + ["--format", "xlsx", "-o", str(out)], 0, ""


def _report_list(folder):
    return ["report", "--list"], 0, "lkjip"


def _unlock(folder):
    period = _open_period(folder)
    year, quarter = int(period[:4]), int(period[-1])
    with _db(folder) as conn:  # a unit whose data of the open quarter is approved and locked
        row = conn.execute(
            "select u.code from performance_unitperiodlock l join organization_unit u"
            " on u.id = l.unit_id where l.year = ? and l.quarter = ? and l.unlocked_at is null"
            " order by l.id",
            (year, quarter),
        ).fetchone()
    assert row, "the demo has no approved unit in the open quarter"
    args = ["unlock", "--agency", "kec-binamu", "--period", period, "--unit", row[0]]
    return args + ["--user", "admin", "--reason", "Angka salah ketik (uji README)"], 0, "dibuka"


def _backup(folder):
    return ["backup", "-o", str(folder / "cadangan.tar.gz")], 0, "cadangan.tar.gz"


def _restore(folder):
    archive = folder / "cadangan.tar.gz"
    if not archive.exists():
        made = kinerja(folder, "backup", "-o", str(archive))
        assert made.returncode == 0, made.stdout + made.stderr
    # The demo folder holds data: restoring over it is refused, saying how to insist.
    return ["restore", str(archive)], 1, "--force"


def _migrate(folder):
    return ["migrate"], 0, ""


def _createsuperuser(folder):
    args = ["createsuperuser", "--noinput", "--username", "kepala", "--email", "k@example.id"]
    return args, 0, ""


CASES = {
    "calendar due": _calendar_due,
    "calendar holidays": _calendar_holidays,
    "sop validate": _sop_validate,
    "sop load": _sop_load,
    "sop list": _sop_list,
    "sop show": _sop_show,
    "tick": _tick,
    "import targets": _import_targets,
    "import realisations": _import_realisations,
    "report": _report,
    "report --list": _report_list,
    "unlock": _unlock,
    "backup": _backup,
    "restore": _restore,
    "migrate": _migrate,
    "createsuperuser": _createsuperuser,
}
# Long-running commands, each with its own test below.
SERVICES = {"demo", "serve", "worker"}


def readme_commands() -> set[str]:
    """The commands of the README's table, e.g. {"sop show", "report --list", "migrate"}."""
    keys = set()
    for line in README.read_text(encoding="utf-8").splitlines():
        if not line.startswith("| `kinerja"):
            continue
        for snippet in re.findall(r"`kinerja ([^`]+)`", line) + re.findall(
            r"/ `([a-z]+ [^`]+)`", line
        ):
            words = snippet.split()
            key = words[0]
            if len(words) > 1 and (
                re.fullmatch(r"[a-z]+", words[1]) or (len(words) == 2 and words[1][:2] == "--")
            ):
                key += " " + words[1]
            keys.add(key)
    return keys


def test_every_readme_command_is_covered():
    found = readme_commands()
    assert {"sop show", "calendar due", "report --list", "import targets"} <= found
    assert found <= set(CASES) | SERVICES, found - set(CASES) - SERVICES


@pytest.mark.parametrize("key", sorted(CASES))
def test_readme_command_in_the_demo_folder(folder, key):
    args, status, expected = CASES[key](folder)
    env = clean_env(DJANGO_SUPERUSER_PASSWORD="Kinerja-Uji-2026!")
    result = kinerja(folder, *args, env=env)
    output = result.stdout + result.stderr
    assert result.returncode == status, output
    assert "Traceback" not in output
    assert "AXES" not in output
    assert expected in output


def test_serve_answers_in_the_demo_folder(folder):
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "kinerja", "serve", "--port", str(port)],
        cwd=folder,
        env=clean_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 180
        status = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                url = f"http://127.0.0.1:{port}/akun/masuk/"
                with urllib.request.urlopen(url, timeout=5) as response:
                    status = response.status
                break
            except urllib.error.HTTPError as exc:
                status = exc.code
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.3)
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert status == 200, output
    assert "Traceback" not in output


def test_worker_runs_and_stops_on_sigterm_in_the_demo_folder(folder):
    worker = subprocess.Popen(
        [sys.executable, "-m", "kinerja", "worker", "--tick-interval", "60"],
        cwd=folder,
        env=clean_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        first = worker.stdout.readline()
        assert "berjalan" in first, first
        worker.send_signal(signal.SIGTERM)
        output = first + worker.communicate(timeout=60)[0]
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0, output
    assert "berhenti" in output
    assert "Traceback" not in output


def test_demo_records_its_own_address_for_the_other_commands(folder):
    """The QR codes and links of documents made in the folder point to the demo's port."""
    result = kinerja(
        folder, "shell", "-c", "from django.conf import settings; print(settings.SITE_URL)"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "http://127.0.0.1:8123"


# --- Errors: one line saying what to do ------------------------------------------------------


def test_usage_error_is_one_line(folder):
    result = kinerja(folder, "calendar", "due", "2026-12-23T15:30+08:00", "1 dax")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "1 hari" in result.stderr  # the example of what to type
    unknown = kinerja(folder, "kalender")
    assert unknown.returncode == 2
    assert unknown.stderr.strip() == (
        "kinerja: Perintah 'kalender' tidak dikenal; `kinerja help` menampilkan daftarnya."
    )


def test_unconfigured_folder_says_what_to_do(tmp_path):
    result = kinerja(tmp_path, "sop", "list")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "KINERJA_SECRET_KEY" in lines[0] and "kinerja demo" in lines[0]
    assert "belum diatur" in lines[0]
    english = kinerja(tmp_path, "sop", "list", env=clean_env(KINERJA_LANGUAGE="en"))
    assert english.returncode == 2
    assert "is not set" in english.stderr and "Traceback" not in english.stderr
    by_locale = kinerja(tmp_path, "sop", "list", env=clean_env(LANG="en_US.UTF-8"))
    assert "is not set" in by_locale.stderr


def test_production_database_missing_is_one_line(tmp_path):
    env = clean_env(KINERJA_SECRET_KEY="x" * 50)
    result = kinerja(tmp_path, "sop", "list", env=env)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "kinerja migrate" in result.stderr


# --- Start-up: everyday commands load no document or chart library ----------------------------

HEAVY = ("matplotlib", "openpyxl", "docx", "fpdf", "segno")
PROBE = (
    "import sys\n"
    "from kinerja.cli import main\n"
    "main(['kinerja', *sys.argv[1:]])\n"
    f"print('LOADED', sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
)


@pytest.mark.parametrize(
    "args",
    [
        ["calendar", "due", "2026-12-23T15:30+08:00", "1 day"],
        ["sop", "show", "pengumpulan-data-kinerja"],
    ],
    ids=["calendar due", "sop show"],
)
def test_everyday_commands_load_no_document_library(folder, args):
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=folder,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "LOADED []" in result.stdout, result.stdout
