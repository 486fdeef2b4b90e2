"""Hostile spreadsheets, made here: zip bombs, huge and wide sheets, many entries, entity
tricks and mislabelled types are refused with a message naming the limit, change nothing,
and are refused with bounded memory, through the real import page and the CLI import."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from openpyxl import Workbook

from kinerja.core import safefiles
from kinerja.core.errors import ApplicationError
from kinerja.performance import spreadsheets
from tests.performance.test_spreadsheets import REAL_HEADERS, csv_bytes, state, xlsx

#: What reading a refused hostile file may allocate (Python allocations, tracemalloc).
MEMORY_BOUND = 64 * 1024 * 1024


def _base() -> zipfile.ZipFile:
    wb = Workbook()
    ws = wb.active
    ws.append(REAL_HEADERS)
    ws.append(["PEM-1", 1, "", "", ""])
    buf = io.BytesIO()
    wb.save(buf)
    return zipfile.ZipFile(io.BytesIO(buf.getvalue()))


def with_sheet(rows_xml, *, extra: dict[str, bytes] | None = None, level: int = 6) -> bytes:
    method = zipfile.ZIP_DEFLATED if level else zipfile.ZIP_STORED
    """A real workbook whose first sheet's rows are the byte chunks of ``rows_xml``
    (streamed into the zip, so a bomb is never whole in memory here either)."""
    src = _base()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method, compresslevel=level or None) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                head = body.split(b"<sheetData>")[0]
                with dst.open(item.filename, "w", force_zip64=True) as f:
                    f.write(head + b"<sheetData>")
                    for chunk in rows_xml:
                        f.write(chunk)
                    f.write(b"</sheetData></worksheet>")
            else:
                dst.writestr(item.filename, (extra or {}).pop(item.filename, body))
        for name, body in (extra or {}).items():
            dst.writestr(name, body)
    return out.getvalue()


def zip_bomb() -> bytes:
    """~300 KB that unpacks to 125 MB of worksheet XML."""
    chunk = b"<row><c><v>1</v></c></row>" * 40000
    return with_sheet(chunk for _ in range(120))


def header_row() -> bytes:
    cells = "".join(
        f'<c r="{col}1" t="inlineStr"><is><t>{text}</t></is></c>'
        for col, text in zip("AB", REAL_HEADERS[:2], strict=True)
    )
    return f'<row r="1">{cells}</row>'.encode()


def huge_sheet(rows: int = 60_000) -> bytes:
    """Many small distinct rows, packed normally (not a bomb)."""

    def chunks():
        yield header_row()
        for start in range(2, rows + 2, 5000):
            yield "".join(
                f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>PEM-1</t></is></c>'
                f'<c r="B{r}"><v>{r}</v></c></row>'
                for r in range(start, min(start + 5000, rows + 2))
            ).encode()

    return with_sheet(chunks())


def wide_row() -> bytes:
    cells = "".join(f"<c><v>{i}</v></c>" for i in range(5000))
    return with_sheet([header_row(), f'<row r="2">{cells}</row>'.encode()])


def cell_flood() -> bytes:
    """Two million empty <c/> in one row, stored unpacked (no ratio to catch): every
    element would cost memory if kept."""
    chunks = [header_row(), b'<row r="2">', *([b"<c/>" * 100_000] * 20), b"</row>"]
    return with_sheet(chunks, level=0)


def many_entries() -> bytes:
    src = _base()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item.filename, src.read(item.filename))
        for i in range(1200):
            dst.writestr(f"xl/media/x{i}.bin", b"")
    return out.getvalue()


def entity_bomb() -> bytes:
    """A billion-laughs DTD in the workbook part (the sheet's name expands to 1 GB)."""
    dtd = (
        b'<!DOCTYPE workbook [<!ENTITY lol "lol">'
        + b"".join(
            f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
            for i in range(1, 10)
        )
        + b"]>"
    )
    workbook = _base().read("xl/workbook.xml")
    workbook = workbook.replace(b"<workbook", dtd + b"<workbook", 1)
    workbook = workbook.replace(b'name="Sheet"', b'name="&lol9;"', 1)
    assert b"&lol9;" in workbook
    return with_sheet([header_row()], extra={"xl/workbook.xml": workbook})


def big_unpacked() -> bytes:
    """About 3 MB of ordinary distinct rows (a ratio far from a bomb's)."""
    return huge_sheet(rows=40_000)


def docx_named_xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<document/>")
    return out.getvalue()


HOSTILE = {
    # case: (file, name, settings, words the refusal must contain)
    "zip_bomb": (zip_bomb, "bom.xlsx", {}, ["200"]),
    "unpacked_size": (big_unpacked, "besar.xlsx", {"KINERJA_MAX_UNPACKED_MB": 1}, ["1 MB"]),
    "many_rows": (huge_sheet, "panjang.xlsx", {"KINERJA_MAX_IMPORT_ROWS": 500}, ["500"]),
    "many_cells": (huge_sheet, "sel.xlsx", {"KINERJA_MAX_IMPORT_CELLS": 3000}, ["3000"]),
    "wide_row": (wide_row, "lebar.xlsx", {}, ["1000"]),
    "cell_flood": (cell_flood, "banjir.xlsx", {}, ["1000"]),
    "many_entries": (many_entries, "bagian.xlsx", {}, ["1209", "1000"]),
    "entity_bomb": (entity_bomb, "entitas.xlsx", {}, ["rusak"]),
    "docx_as_xlsx": (docx_named_xlsx, "laporan.xlsx", {}, ["bukan lembar kerja"]),
    "bomb_as_csv": (zip_bomb, "data.csv", {}, ["200"]),
    "csv_many_rows": (
        lambda: csv_bytes([["PEM-1", "1", "", "", ""]] * 700),
        "data.csv",
        {"KINERJA_MAX_IMPORT_ROWS": 500},
        ["500"],
    ),
    "csv_huge_field": (
        lambda: b"Kode;Realisasi\nPEM-1;" + b'"' + b"x" * 300_000 + b'"\n',
        "data.csv",
        {},
        ["rusak"],
    ),
}


@pytest.fixture(scope="module")
def files():
    return {case: make() for case, (make, *_rest) in HOSTILE.items()}


def measured(call):
    """(result, peak bytes allocated by Python while ``call`` ran)."""
    tracemalloc.start()
    try:
        result = call()
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


@pytest.mark.parametrize("case", list(HOSTILE))
def test_reading_refuses_with_a_message_naming_the_limit(files, case):
    _make, name, limits, words = HOSTILE[case]
    with override_settings(**limits):

        def read():
            try:
                spreadsheets.read_table(files[case], name, spreadsheets.KIND_REALISATIONS)
            except ApplicationError as err:
                return err
            return None

        err, peak = measured(read)
    assert err is not None, case
    assert all(w in err.message for w in words), err.message
    assert name in err.message
    assert peak < MEMORY_BOUND, f"{case}: {peak / 1e6:.0f} MB"


@override_settings(KINERJA_MAX_IMPORT_ROWS=60_001)
def test_the_same_sheet_within_the_limits_is_read(files):
    table = spreadsheets.read_table(
        files["many_rows"], "panjang.xlsx", spreadsheets.KIND_REALISATIONS
    )
    assert table.headers[:2] == REAL_HEADERS[:2] and len(table.rows) == 60_000
    assert table.rows[-1] == (60_001, ["PEM-1", 60_001])


def test_the_zip_directory_is_checked_before_anything_is_unpacked(files, monkeypatch):
    opened = []
    real_open = zipfile.ZipFile.open
    monkeypatch.setattr(
        zipfile.ZipFile, "open", lambda self, n, *a, **k: opened.append(n) or real_open(self, n)
    )
    with pytest.raises(safefiles.FileLimitError):
        safefiles.open_zip(files["zip_bomb"], "bom.xlsx")
    assert opened == []


@pytest.mark.django_db
def test_import_page_refuses_a_zip_bomb_with_bounded_memory(client, world, files):
    client.force_login(world.users["kasi_pemerintahan"])
    url = reverse("performance:import_realisations", args=[world.agency.code]) + "?periode=2026-Q3"
    before = state()
    # a normal file first: templates and catalogues are loaded before memory is measured
    response = client.post(url, {"file": SimpleUploadedFile("r.xlsx", xlsx([["PEM-1", 1]]))})
    assert response.status_code == 200 and response.context["token"]
    response, peak = measured(
        lambda: client.post(url, {"file": SimpleUploadedFile("bom.xlsx", files["zip_bomb"])})
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "bom.xlsx ditolak" in page and "200" in page and not response.context["token"]
    assert state() == before
    assert peak < MEMORY_BOUND, f"{peak / 1e6:.0f} MB"
    with override_settings(KINERJA_MAX_IMPORT_ROWS=500):
        response = client.post(
            url, {"file": SimpleUploadedFile("panjang.xlsx", files["many_rows"])}
        )
    assert "KINERJA_MAX_IMPORT_ROWS" in response.content.decode() and state() == before


@pytest.mark.django_db
def test_cli_import_refuses_a_zip_bomb_with_bounded_memory(world, files, tmp_path, capsys):
    path = tmp_path / "bom.xlsx"
    path.write_bytes(files["zip_bomb"])
    before = state()

    def run():
        with pytest.raises(CommandError):
            call_command(
                "import",
                "realisations",
                str(path),
                agency=world.agency.code,
                period="2026-Q3",
                user="admin",
            )

    _none, peak = measured(run)
    assert "bom.xlsx ditolak" in capsys.readouterr().err and state() == before
    assert peak < MEMORY_BOUND, f"{peak / 1e6:.0f} MB"
