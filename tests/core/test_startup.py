"""Start-up of the commands people and cron start often (issue 9.9, docs/speed.md): they do
not import the document, spreadsheet and chart libraries, pydantic, the YAML loader, the
admin or the task queue, and they print the same with their lighter settings as with the full
ones. Run as real ``kinerja`` processes on a throw-away SQLite data folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOP_FILE = ROOT / "src/kinerja/sop/library/pengumpulan-data-kinerja.yaml"

# Runs `kinerja …` (argv after -c) and prints the imported modules to stderr at exit.
PROBE = (
    "import atexit, sys\n"
    "atexit.register(lambda: sys.stderr.write('\\nMODULES ' + ' '.join(sorted(sys.modules))))\n"
    "from kinerja.cli import main\n"
    "main()\n"
)
# Never imported by a reading command (the prefix covers submodules).
HEAVY = [
    "pydantic",
    "kinerja.sop.schema",
    "ruamel",
    "holidays",
    "openpyxl",
    "matplotlib",
    "fpdf",
    "docx",
    "segno",
    "PIL",
    "django.contrib.admin",
    "django_tasks",
    "kinerja.config.urls",
    "kinerja.web.views",
    "kinerja.reports.generators",
]
COMMANDS = {
    "calendar due": ["calendar", "due", "2026-12-23T15:30+08:00", "1 day"],
    "calendar holidays": ["calendar", "holidays", "2026"],
    "sop list": ["sop", "list"],
    "sop show": ["sop", "show", "pengumpulan-data-kinerja"],
}
# `sop show` reads the stored definition through the schema (pydantic), nothing else heavy.
NEEDED = {"sop show": {"pydantic", "kinerja.sop.schema"}}


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("startup")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KINERJA_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(KINERJA_DATA_DIR=str(data_dir), KINERJA_SECRET_KEY="tests-only-" + "x" * 40)
    for setup in (["migrate", "--verbosity", "0"], ["sop", "load", str(SOP_FILE)]):
        subprocess.run(
            [sys.executable, "-m", "kinerja", *setup],
            env=env,
            cwd=data_dir,
            check=True,
            capture_output=True,
            timeout=300,
        )
    # The national holidays of 2026 are cached in the data folder by the first use.
    run_probe(["calendar", "holidays", "2026"], env, data_dir)
    return env, data_dir


def run_probe(argv, env, cwd):
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *argv],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    stderr, _, listing = result.stderr.rpartition("\nMODULES ")
    return result.stdout, stderr, set(listing.split())


@pytest.mark.parametrize("name", COMMANDS)
def test_reading_command_does_not_import_heavy_modules(folder, name):
    env, data_dir = folder
    stdout, stderr, modules = run_probe(COMMANDS[name], env, data_dir)
    assert stdout.strip() and "Traceback" not in stderr
    assert "kinerja.config.command_settings" in modules
    loaded = sorted(
        m
        for m in modules
        for heavy in HEAVY
        if (m == heavy or m.startswith(heavy + ".")) and heavy not in NEEDED.get(name, ())
    )
    assert loaded == []


@pytest.mark.parametrize("name", ["calendar due", "sop show"])
def test_reading_command_prints_the_same_with_the_full_settings(folder, name):
    env, data_dir = folder
    light = run_probe(COMMANDS[name], env, data_dir)
    full_env = dict(env, DJANGO_SETTINGS_MODULE="kinerja.config.settings")
    full = run_probe(COMMANDS[name], full_env, data_dir)
    assert "django.contrib.admin" in full[2]  # the full settings were used
    assert light[0] == full[0]


def test_other_commands_use_the_full_settings(folder):
    env, data_dir = folder
    _stdout, _stderr, modules = run_probe(["sop", "validate", str(SOP_FILE)], env, data_dir)
    assert "kinerja.config.settings" in modules
    assert "kinerja.config.command_settings" not in modules
    assert "django.contrib.admin" in modules
