"""Backup and restore: the database and the uploaded files together, in one archive.

``kinerja backup [-o FILE]`` writes a ``.tar.gz`` with

* ``database.sqlite3`` (SQLite: the online backup API, a consistent copy while the server and
  the worker keep writing) or ``database.pgdump`` (PostgreSQL: ``pg_dump --format=custom``,
  one consistent snapshot; ``pg_dump`` must be on PATH),
* ``files/…``: every file under ``MEDIA_ROOT`` (evidence, materials, generated documents),
* ``manifest.json``: when, which database, the migrations applied, and the size and SHA-256
  of the database copy and of every file.

The database is copied first and the files after it: a file uploaded meanwhile is in the
archive without a row (harmless), a row's file is always there (files are written before
their row commits and are not changed afterwards).

``kinerja restore FILE [--force]`` checks the archive against its manifest, then writes the
database and the files of the configured data folder. It refuses to overwrite a database
that has tables, or a files folder that has files, unless ``--force`` is given; with
``--force`` the old files folder is kept aside (``files.before-restore-<time>``).
The secret key is not in the archive: keep ``KINERJA_SECRET_KEY`` with the server's settings.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import ApplicationError

FORMAT = 1
SQLITE_NAME = "database.sqlite3"
PG_NAME = "database.pgdump"
CHUNK = 1024 * 1024


class BackupError(ApplicationError):
    pass


@dataclass
class BackupResult:
    path: Path
    database: str
    files: int
    bytes: int


@dataclass
class RestoreResult:
    database: str
    files: int
    created_at: str
    moved_aside: Path | None = None
    unapplied: list[str] = field(default_factory=list)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("kinerja")
    except PackageNotFoundError:
        return "unknown"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _vendor() -> str:
    return connection.vendor  # "sqlite" or "postgresql"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            _(
                "Program %(tool)s tidak ditemukan di PATH. Pasang klien PostgreSQL (paket "
                "postgresql-client) dengan versi yang sama atau lebih baru dari server."
            )
            % {"tool": name},
            code="tool_missing",
        )
    return path


def _pg_args_env() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(
            _("%(tool)s gagal: %(error)s")
            % {
                "tool": Path(command[0]).name,
                "error": (done.stderr or done.stdout).strip()[-2000:],
            },
            code="tool_failed",
        )


def _dump_database(target_dir: Path) -> Path:
    if _vendor() == "sqlite":
        target = target_dir / SQLITE_NAME
        source = sqlite3.connect(str(connection.settings_dict["NAME"]), timeout=30)
        try:
            copy = sqlite3.connect(str(target))
            try:
                source.backup(copy)  # one step: a consistent snapshot, WAL included
            finally:
                copy.close()
        finally:
            source.close()
        return target
    if _vendor() == "postgresql":
        target = target_dir / PG_NAME
        args, env = _pg_args_env()
        _run(
            [
                _tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(target),
                *args,
                str(connection.settings_dict["NAME"]),
            ],
            env,
        )
        return target
    raise BackupError(
        _("Basis data %(vendor)s tidak didukung.") % {"vendor": _vendor()}, code="unsupported"
    )


def _media_files() -> list[tuple[Path, str]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    found = []
    for directory, _dirs, names in os.walk(root):
        for name in sorted(names):
            path = Path(directory) / name
            if path.is_symlink() or not path.is_file():
                continue
            found.append((path, path.relative_to(root).as_posix()))
    return sorted(found, key=lambda item: item[1])


def _migrations() -> list[str]:
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return []
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


class _HashingReader:
    """Hands a file to tarfile and hashes exactly the bytes that went into the archive."""

    def __init__(self, handle) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self.handle.read(size)
        self.digest.update(chunk)
        return chunk

    def hexdigest(self) -> str:
        return self.digest.hexdigest()


def default_backup_name(now: dt.datetime | None = None) -> str:
    now = timezone.localtime(now or timezone.now())
    return f"kinerja-backup-{now:%Y%m%d-%H%M%S}.tar.gz"


def backup_create(output: Path | None = None) -> BackupResult:
    """Write one archive of the database and the files; returns where and what.

    Who: ``kinerja backup`` (an operator, cron). Safe while the server runs. The archive is
    written to ``<output>.part`` and renamed when complete, so a half-written backup never
    carries the final name.
    """
    output = Path(output or default_backup_name()).resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    manifest: dict = {
        "format": FORMAT,
        "app": "kinerja",
        "version": _version(),
        "created_at": timezone.now().isoformat(),
        "database": _vendor(),
        "migrations": _migrations(),
        "files": {},
    }
    partial = output.with_name(output.name + ".part")
    try:
        total = _write_archive(partial, manifest)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, output)
    return BackupResult(
        path=output, database=manifest["database"], files=len(manifest["files"]), bytes=total
    )


def _write_archive(partial: Path, manifest: dict) -> int:
    total = 0
    with tempfile.TemporaryDirectory(prefix="kinerja-backup-") as work:
        dump = _dump_database(Path(work))
        manifest["database_file"] = dump.name
        manifest["database_sha256"] = _sha256(dump)
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(dump, arcname=dump.name)
            total += dump.stat().st_size
            for path, name in _media_files():
                try:
                    handle = open(path, "rb")  # noqa: SIM115 (closed below)
                except FileNotFoundError:  # deleted since the walk
                    continue
                with handle:
                    reader = _HashingReader(handle)
                    info = archive.gettarinfo(fileobj=handle, arcname=f"files/{name}")
                    info.uid = info.gid = 0
                    info.uname = info.gname = ""
                    archive.addfile(info, reader)
                    manifest["files"][name] = {"size": info.size, "sha256": reader.hexdigest()}
                    total += info.size
            blob = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(blob)
            info.mtime = int(timezone.now().timestamp())
            archive.addfile(info, io.BytesIO(blob))
    return total


# --------------------------------------------------------------------------------------------
# Restore


def _read_archive(archive_path: Path, into: Path) -> dict:
    if not archive_path.is_file():
        raise BackupError(
            _("Berkas cadangan %(path)s tidak ada.") % {"path": archive_path}, code="missing"
        )
    try:
        with tarfile.open(archive_path, "r:*") as archive:
            archive.extractall(into, filter="data")  # no absolute paths, no '..', no links out
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(
            _("%(path)s bukan berkas cadangan Kinerja yang utuh: %(error)s")
            % {"path": archive_path, "error": exc},
            code="invalid",
        ) from exc
    try:
        manifest = json.loads((into / "manifest.json").read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(
            _("%(path)s bukan berkas cadangan Kinerja (manifest.json tidak ada atau rusak).")
            % {"path": archive_path},
            code="invalid",
        ) from exc
    if manifest.get("app") != "kinerja" or manifest.get("format") != FORMAT:
        raise BackupError(
            _("%(path)s bukan berkas cadangan Kinerja yang dikenal.") % {"path": archive_path},
            code="invalid",
        )
    dump = into / str(manifest.get("database_file", ""))
    if not dump.is_file() or _sha256(dump) != manifest.get("database_sha256"):
        raise BackupError(
            _("Salinan basis data dalam cadangan rusak (SHA-256 tidak cocok)."), code="corrupt"
        )
    for name, meta in manifest.get("files", {}).items():
        path = into / "files" / name
        if not path.is_file() or _sha256(path) != meta["sha256"]:
            raise BackupError(
                _("Berkas %(name)s dalam cadangan rusak atau hilang.") % {"name": name},
                code="corrupt",
            )
    return manifest


def _database_has_tables() -> bool:
    return bool(connection.introspection.table_names())


def _media_has_files() -> bool:
    root = Path(settings.MEDIA_ROOT)
    return root.is_dir() and any(p.is_file() for p in root.rglob("*"))


def _restore_sqlite(dump: Path) -> None:
    target = Path(connection.settings_dict["NAME"])
    target.parent.mkdir(parents=True, exist_ok=True)
    connections.close_all()
    source = sqlite3.connect(str(dump))
    try:
        destination = sqlite3.connect(str(target), timeout=30)
        try:
            source.backup(destination)  # replaces every page of the target, WAL-safe
            ok = destination.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            destination.close()
    finally:
        source.close()
    if ok != "ok":
        raise BackupError(_("Basis data hasil pemulihan rusak: %(error)s") % {"error": ok})


def _restore_postgresql(dump: Path, *, wipe: bool) -> None:
    pg_restore = _tool("pg_restore")
    if wipe:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    connections.close_all()
    args, env = _pg_args_env()
    _run(
        [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            str(connection.settings_dict["NAME"]),
            *args,
            str(dump),
        ],
        env,
    )


def backup_restore(archive_path: Path, *, force: bool = False) -> RestoreResult:
    """Restore an archive of :func:`backup_create` into the configured database and files.

    Who: ``kinerja restore`` (an operator, with the server stopped). Refuses, changing
    nothing, when the archive is damaged, is of another database engine, or when the
    database has tables or the files folder has files and ``force`` is not given.
    """
    archive_path = Path(archive_path).resolve()
    media = Path(settings.MEDIA_ROOT)
    work_parent = media.parent
    work_parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".kinerja-restore-", dir=work_parent) as work:
        work_dir = Path(work)
        manifest = _read_archive(archive_path, work_dir)
        if manifest["database"] != _vendor():
            raise BackupError(
                _(
                    "Cadangan ini dari basis data %(source)s, sedangkan basis data yang diatur "
                    "adalah %(target)s; pulihkan ke basis data yang sejenis."
                )
                % {"source": manifest["database"], "target": _vendor()},
                code="wrong_engine",
            )
        has_tables, has_files = _database_has_tables(), _media_has_files()
        if (has_tables or has_files) and not force:
            raise BackupError(
                _(
                    "Basis data atau folder berkas tujuan tidak kosong (%(what)s). Pemulihan "
                    "akan menimpanya: ulangi dengan --force bila memang itu yang dimaksud."
                )
                % {
                    "what": ", ".join(
                        w
                        for w, present in (
                            (_("basis data berisi tabel"), has_tables),
                            (_("folder berkas berisi berkas"), has_files),
                        )
                        if present
                    )
                },
                code="not_empty",
            )
        dump = work_dir / manifest["database_file"]
        if manifest["database"] == "sqlite":
            _restore_sqlite(dump)
        else:
            _restore_postgresql(dump, wipe=has_tables)
        moved = None
        if media.exists():
            if has_files:
                stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
                moved = media.with_name(f"{media.name}.before-restore-{stamp}")
                media.rename(moved)
            else:
                shutil.rmtree(media)
        extracted = work_dir / "files"
        if extracted.is_dir():
            extracted.rename(media)
        else:
            media.mkdir(parents=True)
    connections.close_all()
    applied = set(_migrations())
    from django.db.migrations.loader import MigrationLoader

    known = {f"{app}.{name}" for app, name in MigrationLoader(connection).disk_migrations}
    return RestoreResult(
        database=manifest["database"],
        files=len(manifest.get("files", {})),
        created_at=manifest["created_at"],
        moved_aside=moved,
        unapplied=sorted(known - applied),
    )
