"""Reading an uploaded file: size limit, format from the content, the sheet and its
header row (XLSX read as a stream, CSV with its delimiter guessed)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from kinerja.core import safefiles
from kinerja.core.errors import ApplicationError

from .common import (
    COLUMNS,
    FORMULA_WITHOUT_VALUE,
    HEADER_SEARCH_ROWS,
    _cell_text,
    _norm,
)


@dataclass
class Table:
    """The rows of the sheet that holds the data: ``header_row`` is the spreadsheet row of
    the headers; ``rows`` are (spreadsheet row, cells) after it, empty rows left out."""

    fmt: str  # "xlsx" | "csv"
    headers: list[str]
    header_row: int
    rows: list[tuple[int, list[Any]]]
    sheet: str = ""


def max_bytes() -> int:
    return int(settings.KINERJA_MAX_UPLOAD_MB) * 1024 * 1024


def read_upload(upload) -> bytes:
    """The bytes of an uploaded file, read in chunks; refuses files over the limit."""
    limit = max_bytes()
    name = getattr(upload, "name", "") or ""
    if getattr(upload, "size", None) is not None and upload.size > limit:
        raise _too_big(name)
    chunks, total = [], 0
    for chunk in upload.chunks():
        total += len(chunk)
        if total > limit:
            raise _too_big(name)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_big(name: str) -> ApplicationError:
    return ApplicationError(
        _("Berkas %(name)s lebih besar dari batas %(mb)s MB.")
        % {"name": name, "mb": settings.KINERJA_MAX_UPLOAD_MB},
        code="file_too_large",
    )


def detect_format(data: bytes, name: str = "") -> str:
    """``"xlsx"`` or ``"csv"`` from the content. Raises ApplicationError otherwise."""
    if len(data) > max_bytes():
        raise _too_big(name)
    if not data or not data.strip(b"\xef\xbb\xbf \t\r\n"):
        raise ApplicationError(_("Berkas %(name)s kosong.") % {"name": name}, code="empty_file")
    not_sheet = _(
        "Berkas %(name)s bukan lembar kerja yang dapat dibaca. Simpan dari Excel sebagai "
        '"Buku Kerja Excel (*.xlsx)" atau "CSV UTF-8", lalu unggah lagi.'
    ) % {"name": name}
    if data.startswith(b"PK\x03\x04"):
        try:
            with safefiles.open_zip(data, name) as zf:
                names = set(zf.namelist())
        except ApplicationError as err:
            if err.code == "file_limit":
                raise
            raise ApplicationError(not_sheet, code="file_type") from None
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            return "xlsx"
        raise ApplicationError(not_sheet, code="file_type")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ApplicationError(
            _(
                "Berkas %(name)s berformat Excel lama (.xls). Buka di Excel lalu simpan "
                'sebagai "Buku Kerja Excel (*.xlsx)".'
            )
            % {"name": name},
            code="file_type",
        )
    if _text(data) is None:
        raise ApplicationError(not_sheet, code="file_type")
    return "csv"


def _text(data: bytes) -> str | None:
    """The file as text, or None when it is not text (NUL or control bytes)."""
    if b"\x00" in data[:65536] or data.startswith(b"%PDF"):
        return None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text[:65536]):
            return None
        return text
    return None


def read_table(data: bytes, name: str, kind: str) -> Table:
    """Find the data sheet and its header row. Raises ApplicationError for a file that
    cannot be read at all (format, size, no header row)."""
    fmt = detect_format(data, name)
    if fmt == "xlsx":
        for table in _xlsx_tables(data, name):
            if _has_code_header(table.headers):
                return table
    else:
        table = _csv_table(data, name)
        if _has_code_header(table.headers):
            return table
    raise ApplicationError(
        _(
            "Baris judul kolom tidak ditemukan: salah satu dari %(rows)s baris pertama harus "
            'berisi kolom "%(code)s". Gunakan templat yang dapat diunduh.'
        )
        % {"rows": HEADER_SEARCH_ROWS, "code": COLUMNS["code"].label},
        code="missing_column",
    )


def _has_code_header(headers: Sequence[str]) -> bool:
    return any(_norm(h) in COLUMNS["code"].aliases for h in headers)


def _header_index(rows: list[tuple[int, list[Any]]]) -> int | None:
    for i, (_row, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if _has_code_header([str(c) for c in cells if c is not None]):
            return i
    return None


def _xlsx_tables(data: bytes, name: str) -> Iterator[Table]:
    """Each worksheet of the workbook as a Table (values as calculated by Excel), read as a
    stream within the limits of :mod:`kinerja.core.safefiles`."""
    for title, sheet_rows in safefiles.xlsx_sheets(data, name):
        rows: list[tuple[int, list[Any]]] = []
        header_at: int | None = None
        for r, cells in sheet_rows:
            if header_at is None and r > HEADER_SEARCH_ROWS:
                break
            values = [_xlsx_value(c) for c in cells]
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            rows.append((r, values))
            if header_at is None and _has_code_header(
                [str(v) for v in values if isinstance(v, str)]
            ):
                header_at = len(rows) - 1
        sheet_rows.close()
        if header_at is None:
            continue
        header_row, headers = rows[header_at]
        yield Table(
            fmt="xlsx",
            headers=[_cell_text(h) for h in headers],
            header_row=header_row,
            rows=rows[header_at + 1 :],
            sheet=title,
        )


def _xlsx_value(cell: safefiles.XlsxCell | None) -> Any:
    if cell is None:
        return None
    value = cell.value
    if value is None:
        return FORMULA_WITHOUT_VALUE if cell.formula else None
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A cell formatted as a percentage holds 0.125 and shows "12,5%": read what it shows.
        if "%" in (cell.number_format or ""):
            return Decimal(repr(value)) * 100 if isinstance(value, float) else Decimal(value) * 100
    return value


def _csv_table(data: bytes, name: str = "") -> Table:
    text = _text(data) or ""
    first = next((line for line in io.StringIO(text) if line.strip()), "")
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[Any]]] = []
    budget = safefiles.RowBudget(name)
    try:
        for r, cells in enumerate(reader, start=1):
            if not any(c.strip() for c in cells):
                continue
            budget.take(r, len(cells))
            rows.append((r, cells))
    except csv.Error:  # e.g. a field over csv.field_size_limit()
        raise ApplicationError(
            _("Berkas %(name)s rusak atau bukan CSV yang sah.") % {"name": name},
            code="file_type",
        ) from None
    header_at = _header_index(rows)
    if header_at is None:
        return Table(fmt="csv", headers=[], header_row=0, rows=[])
    header_row, headers = rows[header_at]
    return Table(
        fmt="csv",
        headers=[_cell_text(h) for h in headers],
        header_row=header_row,
        rows=rows[header_at + 1 :],
    )
