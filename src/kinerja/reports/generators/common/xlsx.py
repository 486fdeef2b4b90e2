"""XLSX building blocks: sheet set-up, headings, tables, signatures."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from kinerja.core import formatting as fmt
from kinerja.core.safefiles import write_cell
from kinerja.organization.models import Agency

from ...pdf import DRAFT_TITLE, Signer, Stamp


def xlsx_sheet(wb, title: str, *, landscape: bool = True):
    from openpyxl.worksheet.page import PageMargins

    ws = wb.create_sheet(title[:31])
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    # Printed at full size across as many pages as needed (the title rows repeat on each),
    # never shrunk to fit the width: a 14-column table fitted to A4 prints at ~4 pt.
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_setup.scale = 100
    ws.print_options.horizontalCentered = False
    ws.page_margins = PageMargins(left=0.6, right=0.5, top=0.8, bottom=0.8)
    return ws


def xlsx_heading(
    ws, agency: Agency, title: str, subtitle: str, stamp: Stamp, ncols: int, *, note: str = ""
) -> int:
    """Title rows merged across the table (``note``, e.g. the PK version the targets come
    from, below the subtitle); returns the next free row."""
    from openpyxl.styles import Alignment, Font

    rows = [
        (agency.parent_name.upper(), Font(bold=True, size=11)),
        (agency.name.upper(), Font(bold=True, size=12)),
        (title.upper(), Font(bold=True, size=12)),
        (subtitle, Font(size=11)),
        (note, Font(italic=True, size=10)),
    ]
    r = 1
    for text, font in rows:
        if not text:
            continue
        write_cell(ws, r, 1, text).font = font
        ws.cell(row=r, column=1).alignment = Alignment(horizontal="center")
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
        r += 1
    if stamp.is_draft:
        r = xlsx_draft_note(ws, r, stamp, ncols)
    ws.oddFooter.left.text = f"Kode verifikasi {stamp.short_code}: {stamp.verify_url}"
    ws.oddFooter.left.size = 7
    ws.oddFooter.right.text = "Halaman &P dari &N"
    ws.oddHeader.left.text = agency.name
    ws.oddHeader.left.size = 8
    if stamp.is_draft:
        ws.oddHeader.center.text = "DRAF — BELUM FINAL"
        ws.oddHeader.center.size = 16
        ws.oddHeader.center.font = "Arial,Bold"
        ws.oddHeader.center.color = "C00000"
    return r + 1


def xlsx_draft_note(ws, row: int, stamp: Stamp, ncols: int) -> int:
    """The draft notice under the title: one merged red row, then one row per item."""
    from openpyxl.styles import Alignment, Font, PatternFill

    fill = PatternFill("solid", fgColor="FFEBEB")
    lines = [(DRAFT_TITLE, Font(bold=True, color="C00000"))]
    lines += [(f"•  {item}", Font(color="C00000")) for item in stamp.draft]
    for text, font in lines:
        cell = ws.cell(row=row, column=1, value=text)
        cell.font = font
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
        ws.row_dimensions[row].height = 15.0 * (len(text) // 110 + 1) + 2
        row += 1
    return row


def xlsx_table(
    ws,
    start_row: int,
    headings: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    widths: Sequence[float],
    number_formats: dict[int, Any] | None = None,
    bold_rows: Sequence[int] = (),
) -> int:
    """A bordered table with a bold grey heading row (repeated on printed pages, frozen on
    screen) and row heights for wrapped text; ``bold_rows`` (e.g. a totals row) in bold.
    ``number_formats`` maps a column to a format, or to ``f(row_index, value)`` giving one
    per cell (an indicator's own decimals, cents when present)."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin", color="777777")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    fill = PatternFill("solid", fgColor="DDDDDD")
    for c, (text, width) in enumerate(zip(headings, widths, strict=True), 1):
        cell = write_cell(ws, start_row, c, text)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        letter = get_column_letter(c)
        if (ws.column_dimensions[letter].width or 0) < width:
            ws.column_dimensions[letter].width = width
    ws.print_title_rows = f"{start_row}:{start_row}"
    if ws.freeze_panes is None:  # the first table's heading row stays on screen
        ws.freeze_panes = f"A{start_row + 1}"
    ws.row_dimensions[start_row].height = row_height(headings, widths, bold=True)
    number_formats = number_formats or {}
    bold_rows = set(bold_rows)
    r = start_row + 1
    for index, values in enumerate(rows):
        for c, value in enumerate(values, 1):
            cell = write_cell(ws, r, c, value)
            cell.border = border
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if index in bold_rows:
                cell.font = Font(bold=True)
            if c - 1 in number_formats and isinstance(value, int | float):
                number_format = number_formats[c - 1]
                if callable(number_format):
                    number_format = number_format(index, value)
                cell.number_format = number_format
        # wrapped text gets the height it needs (spreadsheets do not grow rows when printing)
        ws.row_dimensions[r].height = row_height(values, widths)
        r += 1
    return r + 1


def row_height(values: Sequence[Any], widths: Sequence[float], *, bold: bool = False) -> float:
    """Points for a row whose cells wrap in columns ``widths`` (Excel character units)."""
    import math

    lines = 1
    for value, width in zip(values, widths, strict=False):
        if value is None or isinstance(value, int | float):
            continue
        chars = max(width * (0.9 if bold else 1.0) - 1, 1)
        count = sum(max(1, math.ceil(len(part) / chars)) for part in str(value).split("\n"))
        lines = max(lines, count)
    return 15.0 * lines + 2


def xlsx_signature(ws, row: int, column: int, signer: Signer) -> int:
    from openpyxl.styles import Font

    for text in (signer.place_date, signer.caption, signer.position):
        if text:
            write_cell(ws, row, column, text)
            row += 1
    row += 3
    write_cell(ws, row, column, signer.name or "(.............................)").font = Font(
        bold=True, underline="single"
    )
    write_cell(ws, row + 1, column, fmt.nip_line(signer.nip))
    return row + 3


def xlsx_bytes(wb) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


NUM2 = "#,##0.00"
NUM0 = "#,##0"


def money_format(_index: int, value: Any) -> str:
    """Rupiah cells: cents shown when present (``30.076.800,50``), never rounded away."""
    return fmt.excel_money_format(value)


PCT = '#,##0.00"%"'
