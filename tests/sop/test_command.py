"""``kinerja sop validate|load|list|show``."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kinerja.sop.models import SopVersion

from .conftest import DATA, SEED


def run(*args: str) -> str:
    out = StringIO()
    call_command("sop", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_validate_ok() -> None:
    assert run("validate", str(SEED)).strip() == "OK: pengumpulan-data-kinerja (6 langkah)"
    assert run("validate", str(DATA / "permohonan-cuti.yaml")).strip() == (
        "OK: permohonan-cuti (3 langkah)"
    )


def test_validate_bad_file_prints_every_error(tmp_path, leave_text: str) -> None:
    bad = tmp_path / "cuti.yaml"
    bad.write_text(
        leave_text.replace("executor: atasan", "executor: boss").replace("no: 1", "no: satu"),
        encoding="utf-8",
    )
    err = StringIO()
    with pytest.raises(CommandError, match="Berkas SOP tidak valid"):
        call_command("sop", "validate", str(bad), stdout=StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("cuti.yaml:23: steps[1].executor: unknown executor 'boss'")
    assert lines[1].startswith("cuti.yaml:29: steps[1].decision.no: ")
    assert len(lines) == 2


@pytest.mark.django_db
def test_load_twice_then_changed(tmp_path, leave_text: str) -> None:
    path = tmp_path / "cuti.yaml"
    path.write_text(leave_text, encoding="utf-8")
    assert run("load", str(path)).strip() == "permohonan-cuti: versi 1 dimuat"
    assert run("load", str(path)).strip() == "permohonan-cuti: tidak berubah, tetap versi 1"
    path.write_text(leave_text.replace("1 hari", "2 hari"), encoding="utf-8")
    assert run("load", str(path)).strip() == "permohonan-cuti: versi 2 dimuat"
    assert SopVersion.objects.count() == 2


@pytest.mark.django_db
def test_load_bad_file_changes_nothing(tmp_path, leave_text: str) -> None:
    path = tmp_path / "cuti.yaml"
    path.write_text(leave_text.replace("yes: 3", "yes: 9"), encoding="utf-8")
    with pytest.raises(CommandError):
        run("load", str(path))
    assert SopVersion.objects.count() == 0


@pytest.mark.django_db
def test_list_and_show() -> None:
    assert "Belum ada SOP" in run("list")
    run("load", str(SEED))
    listing = run("list")
    assert "pengumpulan-data-kinerja" in listing
    assert "v1" in listing
    assert "Pengumpulan Data Kinerja" in listing
    shown = run("show", "pengumpulan-data-kinerja")
    assert "Camat Binamu, M. Emil Ilias, S.Sos, NIP 19691120 202101 1 001" in shown
    assert "Undang-undang Nomor 25 Tahun 2009 Tentang Pelayanan Publik" in shown
    assert "Laporan disetujui? Ya→6, Tidak→4" in shown
    assert "1 Hari untuk Penyusunan Laporan Triwulan dan 15 Hari untuk Laporan Kinerja" in shown


@pytest.mark.django_db
def test_show_json_and_version() -> None:
    run("load", str(SEED))
    data = json.loads(run("show", "pengumpulan-data-kinerja", "--json", "--version", "1"))
    assert data["code"] == "pengumpulan-data-kinerja"
    assert list(data)[:2] == ["code", "title"]  # schema order, even from PostgreSQL jsonb
    assert data["steps"][0]["time"][0]["amount"] == 15
    assert data["steps"][0]["time"][0]["unit"] == "minute"
    with pytest.raises(CommandError, match="SOP tidak ditemukan"):
        run("show", "pengumpulan-data-kinerja", "--version", "2")
    with pytest.raises(CommandError):
        run("show", "tidak-ada")
