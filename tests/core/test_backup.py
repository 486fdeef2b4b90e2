"""``kinerja backup`` / ``kinerja restore``: a populated office (rows and uploaded files) is
backed up while it is in use, restored into an empty data folder, and every row of every
table and every file is equal; a non-empty target is refused without --force; a damaged
archive is refused with a clear message. Run as the operator runs them: the ``kinerja``
command in its own process."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone

from kinerja.performance.models import ReportMaterial
from kinerja.workflow.services import case_open, task_complete
from tests.conftest import wita
from tests.notifications.helpers import SOP, active
from tests.notifications.test_concurrency import database_url

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]

# Prints a digest of every row of every table (sorted) and the number of rows per table.
TABLES = r"""
import hashlib, json
import django
django.setup()
from django.db import connection
out = {}
with connection.cursor() as cursor:
    for table in sorted(connection.introspection.table_names()):
        # (the audit rows of the writer below differ by design: compared on their own)
        where = " WHERE object_type <> 'drill'" if table == "core_auditevent" else ""
        cursor.execute(f'SELECT * FROM "{table}"' + where)
        rows = sorted(repr(row) for row in cursor.fetchall())
        out[table] = [len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest()]
print(json.dumps(out))
"""


# Writes pairs of audit rows, each pair in one transaction, until the stop file exists: the
# server's work going on while the backup runs.
WRITER = r"""
import sys, time
from pathlib import Path
import django
django.setup()
from django.db import transaction
from kinerja.core.models import AuditEvent
stop, n = Path(sys.argv[1]), 0
Path(sys.argv[2]).write_text("started")
while not stop.exists():
    with transaction.atomic():
        AuditEvent.objects.create(action="drill.a", object_type="drill", object_id=str(n))
        time.sleep(0.005)
        AuditEvent.objects.create(action="drill.b", object_type="drill", object_id=str(n))
    n += 1
print(n)
"""

PAIRS = r"""
import json
import django
django.setup()
from kinerja.core.models import AuditEvent
print(json.dumps([AuditEvent.objects.filter(action=a).count() for a in ("drill.a", "drill.b")]))
"""


def _script(env, script: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", script, *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1]


def _env(database: str, data_dir: Path, media: Path) -> dict[str, str]:
    return {
        **os.environ,
        "KINERJA_DATABASE_URL": database,
        "KINERJA_DATA_DIR": str(data_dir),
        "KINERJA_MEDIA_ROOT": str(media),
        "DJANGO_SETTINGS_MODULE": "kinerja.config.test_settings",
        "PYTHONPATH": str(ROOT),
    }


def _kinerja(env, *args, ok=True):
    done = subprocess.run(
        [sys.executable, "-m", "kinerja", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if ok:
        assert done.returncode == 0, done.stderr[-3000:]
    return done


def _tables(env) -> dict:
    return json.loads(_script(env, TABLES))


def _files(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def target(tmp_path):
    """An empty data folder, and an empty database of the same engine."""
    data = tmp_path / "restored"
    data.mkdir()
    if connection.vendor == "sqlite":
        yield f"sqlite:///{data / 'kinerja.sqlite3'}", data
        return
    import psycopg

    name = f"{connection.settings_dict['NAME']}_restore"
    admin = database_url().rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as pg:
        pg.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        pg.execute(f'CREATE DATABASE "{name}"')
    yield database_url().rsplit("/", 1)[0] + f"/{name}", data
    with psycopg.connect(admin, autocommit=True) as pg:
        pg.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_restores_every_row_and_file_into_an_empty_data_folder(
    two_unit_office, target, tmp_path
):
    u = two_unit_office.users
    case, _ = case_open(
        sop_code=SOP, agency=two_unit_office.agency, period="2026-Q3", now=wita(2026, 10, 12, 8)
    )
    task_complete(actor=u["sekcam"], task_id=active(case, 1).pk, now=wita(2026, 10, 12, 8, 5))
    payloads = [b"%PDF-1.4 bahan laporan\n" + bytes(range(256)) * 40, "Catatan ä €".encode()]
    for i, content in enumerate(payloads):
        material = ReportMaterial(
            case=case,
            unit=two_unit_office.units["pemerintahan"],
            original_name=f"bahan-{i}.pdf",
            content_type="application/pdf",
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by=u["analis_1"],
            uploaded_at=timezone.now(),
        )
        material.file.save(f"bahan-{i}.pdf", ContentFile(content), save=True)
    media = Path(settings.MEDIA_ROOT)
    source = _env(database_url(), Path(settings.DATA_DIR), media)
    archive = tmp_path / "out" / "cadangan.tar.gz"

    # The backup is taken while another process keeps writing (pairs of rows per transaction).
    stop, started = tmp_path / "stop", tmp_path / "started"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(stop), str(started)],
        cwd=ROOT,
        env=source,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    while not started.exists():
        assert writer.poll() is None, writer.communicate()[1][-3000:]
        time.sleep(0.05)
    done = _kinerja(source, "backup", "-o", str(archive))
    stop.write_text("stop")
    out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err[-3000:]
    assert f", {len(_files(media))} berkas," in done.stdout
    assert archive.is_file() and not archive.with_name(archive.name + ".part").exists()
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "manifest.json" in names
    for material in ReportMaterial.objects.all():
        assert f"files/{material.file.name}" in names

    database, data = target
    restored = _env(database, data, data / "files")
    done = _kinerja(restored, "restore", str(archive))
    assert "Dipulihkan" in done.stdout

    # The copy is one consistent instant: only whole transactions of the writer, some of them.
    pairs = json.loads(_script(restored, PAIRS))
    assert pairs[0] == pairs[1] and 0 < pairs[0] <= int(out)

    expected = _tables(source)
    assert expected["workflow_task"][0] >= 3 and expected["core_outboxevent"][0] >= 2
    assert expected["performance_reportmaterial"][0] == 2
    assert _tables(restored) == expected
    assert _files(data / "files") == _files(media)
    for material in ReportMaterial.objects.all():
        assert (data / "files" / material.file.name).read_bytes() in payloads

    # Again into the now populated folder: refused, nothing changed, --force replaces.
    again = _kinerja(restored, "restore", str(archive), ok=False)
    assert again.returncode != 0
    assert "--force" in again.stderr and "Traceback" not in again.stderr
    (data / "files" / "extra.txt").write_text("made after the restore")
    forced = _kinerja(restored, "restore", "--force", str(archive))
    assert "Berkas lama disimpan" in forced.stdout
    assert _tables(restored) == expected
    assert _files(data / "files") == _files(media)


def test_damaged_or_foreign_archives_are_refused_clearly(tmp_path, target):
    database, data = target
    env = _env(database, data, data / "files")
    missing = _kinerja(env, "restore", str(tmp_path / "nope.tar.gz"), ok=False)
    assert missing.returncode != 0 and "tidak ada" in missing.stderr
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not an archive at all")
    bad = _kinerja(env, "restore", str(junk), ok=False)
    assert bad.returncode != 0 and "Traceback" not in bad.stderr
    assert "bukan berkas cadangan Kinerja" in bad.stderr
    assert not (data / "files").exists()  # nothing written
