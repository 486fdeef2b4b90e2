"""Bounds for the files people send, in one place (see docs/limits.md).

An XLSX or DOCX file is a zip: a 1 MB file can unpack to gigabytes. Every reader of such a
file from a user goes through :func:`open_zip`, which checks the zip's directory BEFORE
anything is unpacked: the number of entries, the total unpacked size
(``KINERJA_MAX_UNPACKED_MB``) and the compression ratio of each entry. Python's ``zipfile``
never unpacks more than the size an entry declares (a lying entry fails its CRC check), so
the declared sizes bound what is read.

Worksheets are then read as a stream (:func:`xlsx_sheets`): the XML is parsed piece by
piece and every element is dropped once read, so memory holds one row at a time plus the
rows kept. The number of rows with data (``KINERJA_MAX_IMPORT_ROWS``), the cells of a row
(:data:`MAX_ROW_CELLS`) and all cells kept (``KINERJA_MAX_IMPORT_CELLS``) are bounded
while reading, and so are the XML elements of every part. DTDs and entities are refused.

Evidence files (data dukung) are stored as they are and never unpacked; the anonymous
verification page only hashes what it receives.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from defusedxml.common import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.conf import settings
from django.utils.translation import gettext as _

from kinerja.core.errors import ApplicationError

#: Entries in one zip (an XLSX from Excel holds 10-40).
MAX_ZIP_ENTRIES = 1000
#: Largest unpacked/packed ratio of one entry larger than :data:`RATIO_FROM_BYTES`
#: (worksheet XML from Excel packs 5-30 times; a zip bomb about 1000 times).
MAX_COMPRESSION_RATIO = 200
RATIO_FROM_BYTES = 1024 * 1024
#: Cells (``<c>`` elements) in one worksheet row; Excel templates use 5-20 columns.
MAX_ROW_CELLS = 1000
#: XML elements inside one cell (rich text runs).
MAX_CELL_ELEMENTS = 1000
#: Elements of a part that is not a worksheet (workbook, styles, relationships).
MAX_PART_ELEMENTS = 200_000
#: Shared strings (distinct texts) beyond the cell bound, for sheets we do not read.
SHARED_STRINGS_SLACK = 10_000

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
WORKBOOK_TYPES = ("spreadsheetml.sheet.main+xml", "spreadsheetml.template.main+xml")
_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")


class FileLimitError(ApplicationError):
    """A file refused because it exceeds one of the limits (``code="file_limit"``)."""

    def __init__(self, message: str):
        super().__init__(message, code="file_limit")


def max_unpacked_bytes() -> int:
    return int(settings.KINERJA_MAX_UNPACKED_MB) * 1024 * 1024


def max_rows() -> int:
    return int(settings.KINERJA_MAX_IMPORT_ROWS)


def max_cells() -> int:
    return int(settings.KINERJA_MAX_IMPORT_CELLS)


def _damaged(name: str) -> ApplicationError:
    return ApplicationError(
        _("Berkas %(name)s rusak atau bukan buku kerja Excel yang sah.") % {"name": name},
        code="file_type",
    )


# --------------------------------------------------------------------------------------------
# The zip directory


def check_zip(zf: zipfile.ZipFile, name: str) -> None:
    """Refuse a zip whose directory promises too much; nothing is unpacked here."""
    entries = zf.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        raise FileLimitError(
            _(
                "Berkas %(name)s ditolak: berisi %(count)s bagian, lebih dari batas "
                "%(limit)s bagian."
            )
            % {"name": name, "count": len(entries), "limit": MAX_ZIP_ENTRIES}
        )
    total = 0
    for info in entries:
        if info.flag_bits & 0x1:
            raise FileLimitError(
                _("Berkas %(name)s ditolak: berkas terenkripsi tidak dapat dibaca.")
                % {"name": name}
            )
        total += info.file_size
        if info.file_size > RATIO_FROM_BYTES and (
            info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)
        ):
            raise FileLimitError(
                _(
                    "Berkas %(name)s ditolak: bagian %(part)s dimampatkan lebih dari "
                    "%(ratio)s kali (ciri bom zip)."
                )
                % {"name": name, "part": info.filename[:100], "ratio": MAX_COMPRESSION_RATIO}
            )
    if total > max_unpacked_bytes():
        raise FileLimitError(
            _(
                "Berkas %(name)s ditolak: isinya bila dibuka %(size)s MB, lebih dari batas "
                "%(limit)s MB (KINERJA_MAX_UNPACKED_MB)."
            )
            % {
                "name": name,
                "size": f"{total / 1024 / 1024:.0f}",
                "limit": settings.KINERJA_MAX_UNPACKED_MB,
            }
        )


def open_zip(data: bytes | IO[bytes], name: str) -> zipfile.ZipFile:
    """The zip of ``data`` after :func:`check_zip`. Raises ApplicationError (``file_type``
    for a damaged zip, ``file_limit`` for one over a limit)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise _damaged(name) from None
    try:
        check_zip(zf, name)
    except ApplicationError:
        zf.close()
        raise
    return zf


# --------------------------------------------------------------------------------------------
# Streaming XML


def _stream(
    zf: zipfile.ZipFile,
    part: str,
    name: str,
    max_elements: int | None,
    hold: frozenset[str] = frozenset(),
):
    """(event, element, depth) of ``part``. Each element is detached from its parent once
    its end event was handled, so memory holds one path of the tree; the subtree of an
    element whose tag is in ``hold`` (a string, a cell) stays until that element's end."""
    stack: list[Any] = []
    held_at: int | None = None
    count = 0
    try:
        with zf.open(part) as src:
            for event, el in iterparse(src, events=("start", "end"), forbid_dtd=True):
                if event == "start":
                    count += 1
                    if max_elements is not None and count > max_elements:
                        raise FileLimitError(
                            _(
                                "Berkas %(name)s ditolak: bagian %(part)s berisi lebih dari "
                                "%(limit)s unsur."
                            )
                            % {"name": name, "part": part, "limit": max_elements}
                        )
                    stack.append(el)
                    if held_at is None and el.tag in hold:
                        held_at = len(stack)
                    yield event, el, len(stack)
                    continue
                depth = len(stack)
                yield event, el, depth
                stack.pop()
                if held_at is not None:
                    if depth > held_at:
                        continue
                    held_at = None
                if stack:
                    stack[-1].remove(el)
    except ApplicationError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError, DefusedXmlException):
        raise _damaged(name) from None
    except SyntaxError:  # xml.etree.ElementTree.ParseError
        raise _damaged(name) from None


def _text_of(el) -> str:
    """The text of a shared or inline string: its ``t``, or the ``t`` of its runs."""
    parts = []
    for child in el:
        if child.tag == MAIN + "t":
            parts.append(child.text or "")
        elif child.tag == MAIN + "r":
            for t in child:
                if t.tag == MAIN + "t":
                    parts.append(t.text or "")
    return "".join(parts).replace("x005F_", "")


class RowBudget:
    """The row and cell bounds of one import, shared by all sheets read (XLSX and CSV)."""

    def __init__(self, name: str):
        self.name = name
        self.rows = max_rows()
        self.cells = max_cells()

    def row_too_wide(self, row: int) -> FileLimitError:
        return FileLimitError(
            _("Berkas %(name)s ditolak: baris %(row)s berisi lebih dari %(limit)s sel.")
            % {"name": self.name, "row": row, "limit": MAX_ROW_CELLS}
        )

    def take(self, row: int, width: int) -> None:
        """Count one row with data of ``width`` cells; refuse beyond the bounds."""
        if width > MAX_ROW_CELLS:
            raise self.row_too_wide(row)
        self.rows -= 1
        self.cells -= width
        if self.rows < 0:
            raise FileLimitError(
                _(
                    "Berkas %(name)s ditolak: lebih dari %(limit)s baris berisi data "
                    "(KINERJA_MAX_IMPORT_ROWS)."
                )
                % {"name": self.name, "limit": max_rows()}
            )
        if self.cells < 0:
            raise FileLimitError(
                _(
                    "Berkas %(name)s ditolak: lebih dari %(limit)s sel berisi data "
                    "(KINERJA_MAX_IMPORT_CELLS)."
                )
                % {"name": self.name, "limit": max_cells()}
            )


# --------------------------------------------------------------------------------------------
# XLSX


@dataclass(frozen=True)
class XlsxCell:
    """One cell as Excel last calculated it: ``value`` (None for empty), its number format,
    and whether it holds a formula (a formula without value has ``value`` None)."""

    value: Any
    number_format: str = "General"
    formula: bool = False


@dataclass
class _Book:
    zf: zipfile.ZipFile
    name: str
    sheets: list[tuple[str, str]]  # (title, part)
    strings: list[str]
    formats: list[str]  # number format of each cell style
    date_styles: frozenset[int]
    timedelta_styles: frozenset[int]
    epoch: dt.datetime


def _rels(zf: zipfile.ZipFile, part: str, name: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, target part) of ``part``."""
    folder, base = posixpath.split(part)
    rels_part = posixpath.join(folder, "_rels", base + ".rels")
    if rels_part not in zf.NameToInfo:
        return {}
    out = {}
    for event, el, _depth in _stream(zf, rels_part, name, MAX_PART_ELEMENTS):
        if event == "end" and el.tag == PKG_REL + "Relationship":
            target = el.get("Target", "")
            if el.get("TargetMode") == "External":
                continue
            path = target[1:] if target.startswith("/") else posixpath.join(folder, target)
            out[el.get("Id", "")] = (el.get("Type", ""), posixpath.normpath(path))
    return out


def _workbook_part(zf: zipfile.ZipFile, name: str) -> str:
    if "[Content_Types].xml" in zf.NameToInfo:
        for event, el, _depth in _stream(zf, "[Content_Types].xml", name, MAX_PART_ELEMENTS):
            if event == "end" and el.tag == CT + "Override":
                if el.get("ContentType", "").endswith(WORKBOOK_TYPES):
                    return el.get("PartName", "").lstrip("/")
    return "xl/workbook.xml"


def _styles(zf: zipfile.ZipFile, part: str | None, name: str):
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format

    custom: dict[int, str] = {}
    xf_formats: list[int] = []
    if part and part in zf.NameToInfo:
        in_xfs = False
        for event, el, _depth in _stream(zf, part, name, MAX_PART_ELEMENTS):
            if el.tag == MAIN + "cellXfs":
                in_xfs = event == "start"
            elif event == "start" and el.tag == MAIN + "xf" and in_xfs:
                try:
                    xf_formats.append(int(el.get("numFmtId", "0")))
                except ValueError:
                    xf_formats.append(0)
            elif event == "start" and el.tag == MAIN + "numFmt":
                try:
                    custom[int(el.get("numFmtId", ""))] = el.get("formatCode", "General")
                except ValueError:
                    pass
    formats = [custom.get(i) or BUILTIN_FORMATS.get(i, "General") for i in xf_formats]
    dates = frozenset(i for i, f in enumerate(formats) if is_date_format(f))
    spans = frozenset(i for i, f in enumerate(formats) if is_timedelta_format(f))
    return formats, dates, spans


def _shared_strings(zf: zipfile.ZipFile, part: str | None, name: str) -> list[str]:
    strings: list[str] = []
    if not part or part not in zf.NameToInfo:
        return strings
    limit = max_cells() + SHARED_STRINGS_SLACK
    inner = -1  # elements inside the current <si>; -1 outside
    for event, el, _depth in _stream(zf, part, name, None, hold=frozenset({MAIN + "si"})):
        if event == "start":
            if el.tag == MAIN + "si" and inner < 0:
                inner = 0
                if len(strings) >= limit:
                    raise FileLimitError(
                        _(
                            "Berkas %(name)s ditolak: berisi lebih dari %(limit)s teks "
                            "berbeda (KINERJA_MAX_IMPORT_CELLS)."
                        )
                        % {"name": name, "limit": limit}
                    )
            elif inner >= 0:
                inner += 1
                if inner > MAX_CELL_ELEMENTS:
                    raise _damaged(name)
        elif el.tag == MAIN + "si" and inner >= 0:
            strings.append(_text_of(el))
            inner = -1
    return strings


def _open_book(zf: zipfile.ZipFile, name: str) -> _Book:
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

    wb_part = _workbook_part(zf, name)
    if wb_part not in zf.NameToInfo:
        raise _damaged(name)
    rels = _rels(zf, wb_part, name)
    sheets: list[tuple[str, str]] = []
    epoch = CALENDAR_WINDOWS_1900
    for event, el, _depth in _stream(zf, wb_part, name, MAX_PART_ELEMENTS):
        if event != "end":
            continue
        if el.tag == MAIN + "workbookPr" and el.get("date1904") in ("1", "true"):
            epoch = CALENDAR_MAC_1904
        elif el.tag == MAIN + "sheet":
            rel = rels.get(el.get(REL + "id", ""))
            if rel and rel[0].endswith("/worksheet") and rel[1] in zf.NameToInfo:
                sheets.append((el.get("name", ""), rel[1]))
    strings_part = next((t for k, t in rels.values() if k.endswith("/sharedStrings")), None)
    styles_part = next((t for k, t in rels.values() if k.endswith("/styles")), None)
    formats, dates, spans = _styles(zf, styles_part, name)
    return _Book(
        zf=zf,
        name=name,
        sheets=sheets,
        strings=_shared_strings(zf, strings_part, name),
        formats=formats,
        date_styles=dates,
        timedelta_styles=spans,
        epoch=epoch,
    )


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


def _cell_value(book: _Book, el, style: int) -> tuple[Any, bool]:
    """(value, has formula) of a finished ``<c>`` element."""
    from openpyxl.utils.datetime import from_excel, from_ISO8601

    kind = el.get("t", "n")
    formula = el.find(MAIN + "f") is not None
    raw = el.findtext(MAIN + "v")
    if kind == "inlineStr":
        inline = el.find(MAIN + "is")
        return (_text_of(inline) if inline is not None else None), formula
    if raw is None or raw == "":
        return None, formula
    if kind == "n":
        try:
            number: Any = float(raw) if any(c in raw for c in ".eE") else int(raw)
        except ValueError:
            raise _damaged(book.name) from None
        if style in book.date_styles:
            try:
                return from_excel(
                    number, book.epoch, timedelta=style in book.timedelta_styles
                ), formula
            except (OverflowError, ValueError):
                return "#VALUE!", formula
        return number, formula
    if kind == "s":
        try:
            return book.strings[int(raw)], formula
        except (ValueError, IndexError):
            raise _damaged(book.name) from None
    if kind == "b":
        return raw.strip() in ("1", "true"), formula
    if kind == "d":
        try:
            return from_ISO8601(raw), formula
        except ValueError:
            return raw, formula
    return raw, formula  # "str" (a formula's text result) and "e" (an error such as #DIV/0!)


def _sheet_rows(book: _Book, part: str, budget: RowBudget) -> Iterator[tuple[int, list[Any]]]:
    """(row number, cells) of each row holding a value; cells are :class:`XlsxCell` or
    None, as many as the last column with a value."""
    name = book.name
    row_no = col_no = row_cells = 0
    cells: dict[int, XlsxCell] = {}
    inner = -1  # elements inside the current <c>; -1 outside
    # every cell costs an element or two; rows and other parts a few more
    max_elements = 4 * max_cells() + 4 * max_rows() + MAX_PART_ELEMENTS
    for event, el, _depth in _stream(
        book.zf, part, name, max_elements, hold=frozenset({MAIN + "c"})
    ):
        tag = el.tag
        if event == "start":
            if inner >= 0:
                inner += 1
                if inner > MAX_CELL_ELEMENTS:
                    raise _damaged(name)
            elif tag == MAIN + "c":
                inner = 0
                row_cells += 1
                if row_cells > MAX_ROW_CELLS:
                    raise budget.row_too_wide(row_no)
            elif tag == MAIN + "row":
                raw = el.get("r")
                try:
                    row_no = int(raw) if raw else row_no + 1
                except ValueError:
                    raise _damaged(name) from None
                col_no, row_cells, cells = 0, 0, {}
            continue
        if tag == MAIN + "c" and inner >= 0:
            inner = -1
            ref = el.get("r")
            if ref:
                match = _CELL_REF.match(ref)
                if not match:
                    raise _damaged(name)
                col_no = _column_index(match.group(1))
            else:
                col_no += 1
            try:
                style = int(el.get("s", "0") or 0)
            except ValueError:
                style = 0
            value, formula = _cell_value(book, el, style)
            if value is not None or formula:
                if col_no > MAX_ROW_CELLS:
                    raise budget.row_too_wide(row_no)
                fmt = book.formats[style] if 0 <= style < len(book.formats) else "General"
                cells[col_no] = XlsxCell(value, fmt, formula)
        elif tag == MAIN + "row" and inner < 0 and cells:
            width = max(cells)
            budget.take(row_no, width)
            yield row_no, [cells.get(c) for c in range(1, width + 1)]
            cells = {}


def xlsx_sheets(data: bytes, name: str) -> Iterator[tuple[str, Iterator[tuple[int, list[Any]]]]]:
    """(title, rows) of each worksheet of the XLSX ``data``, streamed and bounded (see the
    module). Rows are read lazily; the limits on rows and cells hold over all sheets read."""
    zf = open_zip(data, name)
    try:
        book = _open_book(zf, name)
        budget = RowBudget(name)
        for title, part in book.sheets:
            yield title, _sheet_rows(book, part, budget)
    finally:
        zf.close()


# --------------------------------------------------------------------------------------------
# Writing spreadsheets

#: A cell text starting with one of these could be taken as a formula by a spreadsheet
#: program (OWASP "CSV injection"): ``=HYPERLINK(...)``, ``+cmd|...``, ``-2+3``, ``@SUM(...)``.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def write_cell(ws, row: int, column: int, value: Any):
    """Write ``value`` into an openpyxl cell; text is always text.

    Every spreadsheet Kinerja writes goes through here. Numbers, dates and None are written
    as they are. Text is written as a string cell (never ``data_type`` "f") with Excel's
    quote prefix when it starts with a formula trigger, so ``=HYPERLINK("http://evil","x")``
    shows as typed, stays text when the cell is edited, and reads back unchanged on import.
    Control characters that XML cannot hold are dropped instead of failing the download.
    """
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        text = _ILLEGAL_XML.sub("", value)
        cell.value = text
        if text.startswith(FORMULA_TRIGGERS):
            cell.data_type = "s"
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell
