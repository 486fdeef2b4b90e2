"""The one cell writer of every spreadsheet Kinerja writes: text is text (OWASP's formula
triggers included), numbers stay numbers, characters XML cannot hold do not break a file."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from openpyxl import Workbook, load_workbook

from kinerja.core.safefiles import write_cell

VALUES = [
    '=HYPERLINK("http://evil","x")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "biasa",
    "-",
    7,
    -3.5,
    Decimal("12.5"),
    dt.date(2026, 10, 1),
    None,
]


def test_text_is_written_as_text_and_numbers_as_numbers():
    wb = Workbook()
    for r, value in enumerate([*VALUES, "a\x01b\x1fc"], start=1):
        write_cell(wb.active, r, 1, value)
    buffer = io.BytesIO()
    wb.save(buffer)
    ws = load_workbook(io.BytesIO(buffer.getvalue())).active
    read = [ws.cell(row=r, column=1) for r in range(1, len(VALUES) + 2)]
    for cell, value in zip(read, VALUES, strict=False):
        assert cell.data_type != "f"
        if isinstance(value, str):
            assert cell.value == value and cell.data_type == "s"
            assert cell.quotePrefix == value.startswith(("=", "+", "-", "@", "\t", "\r"))
        elif isinstance(value, dt.date):
            assert cell.value.date() == value and cell.data_type == "d"
        elif value is not None:
            assert cell.value == value and cell.data_type == "n"
    assert read[-1].value == "abc"
