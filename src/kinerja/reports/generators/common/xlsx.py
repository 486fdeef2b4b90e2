"""XLSX building blocks: sheet set-up, headings, tables, signatures."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from kinerja.core import formatting as fmt
from kinerja.core.safefiles import write_cell
from kinerja.organization.models import Agency

from ...pdf import DRAFT_TITLE, Signer, Stamp

# Printing (docs/documents.md "Spreadsheets on paper"): A4 like the PDFs, landscape, the
# table fitted to one page wide (as many pages down as needed, its heading row repeated on
# each), so no page holds a chunk of columns and no merged title is cut between pages.
MARGINS_INCH = {
    "left": 0.5,
    "right": 0.5,
    "top": 0.75,
    "bottom": 0.75,
    "header": 0.3,
    "footer": 0.3,
}
PAPER_POINTS = {"landscape": (842.0, 595.0), "portrait": (595.0, 842.0)}  # A4
PAGE_SAFETY = 0.95  # of a page's height: rounding of row heights and the scale
DEFAULT_ROW_POINTS = 15.0
KEEP_ROWS = 2  # table rows printed on the signature block's page


def xlsx_sheet(wb, title: str, *, landscape: bool = True):
    from openpyxl.worksheet.page import PageMargins

    ws = wb.create_sheet(title[:31])
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(**MARGINS_INCH)
    return ws


def column_points(width: float | None) -> float:
    """Printed points of a column ``width`` characters wide (Calibri 11: 7 px a character
    plus 5 px padding, at 96 px an inch)."""
    return ((width or 8.43) * 7 + 5) * 0.75


def print_scale(ws) -> float:
    """The scale fitting the sheet's used columns to the paper's width (at most 1)."""
    from openpyxl.utils import get_column_letter

    paper_w, _ = PAPER_POINTS[ws.page_setup.orientation or "landscape"]
    usable = paper_w - 72 * (ws.page_margins.left + ws.page_margins.right)
    width = sum(
        column_points(ws.column_dimensions[get_column_letter(c)].width)
        for c in range(1, ws.max_column + 1)
    )
    return min(1.0, usable / width) if width else 1.0


def xlsx_print_setup(ws) -> None:
    """Print area from the letterhead to the last row (the signatures) and, when the page
    breaks would part the signature block from the table's last rows, a manual break
    before those rows, so the block never starts a page alone. The breaks are simulated
    from the row heights at the fitted scale (every row's height is set where text wraps)."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.pagebreak import Break, RowBreak

    last_row, last_col = ws.max_row, ws.max_column
    ws.print_area = f"A1:{get_column_letter(last_col)}{last_row}"
    keep_from = getattr(ws, "kinerja_keep_from", None)
    if keep_from is None or keep_from >= last_row:
        return
    _, paper_h = PAPER_POINTS[ws.page_setup.orientation or "landscape"]
    # the running head and footer sit inside the top and bottom margins
    margins = 72 * (ws.page_margins.top + ws.page_margins.bottom)
    page = PAGE_SAFETY * (paper_h - margins) / print_scale(ws)  # unscaled points a page holds

    def height(row: int) -> float:
        return ws.row_dimensions[row].height or DEFAULT_ROW_POINTS

    title = getattr(ws, "kinerja_title_row", None)
    repeat = height(title) if title else 0.0
    used, page_of = 0.0, {}
    number = 1
    for row in range(1, last_row + 1):
        if used + height(row) > page and used > 0:
            number += 1
            used = repeat if title and row > title else 0.0
        used += height(row)
        page_of[row] = number
    if page_of[keep_from] != page_of[last_row]:
        ws.row_breaks = RowBreak()
        ws.row_breaks.append(Break(id=keep_from - 1))


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
    ws.kinerja_title_row = start_row
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
    # what follows the table (the signatures) prints with its last rows
    ws.kinerja_keep_from = max(start_row + 1, r - KEEP_ROWS)
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
    for ws in wb.worksheets:
        xlsx_print_setup(ws)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


NUM2 = "#,##0.00"
NUM0 = "#,##0"


def money_format(_index: int, value: Any) -> str:
    """Rupiah cells: cents shown when present (``30.076.800,50``), never rounded away."""
    return fmt.excel_money_format(value)


PCT = '#,##0.00"%"'
