"""Row checks shared by both kinds of import: the column mapping and each cell's check;
every problem is collected as an :class:`~.common.ImportIssue`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from kinerja.core.errors import ApplicationError
from kinerja.organization.models import Agency

from ..models import Indicator
from ..parsing import NumberFormatError, parse_number
from ..services import MAX_VALUE
from .common import (
    COLUMNS,
    EXCEL_ERRORS,
    FORMULA_WITHOUT_VALUE,
    OPTIONAL,
    REQUIRED,
    ImportIssue,
    ImportResult,
    _cell_text,
    _norm,
)
from .readers import (
    Table,
    read_table,
)


class _Checker:
    """Column mapping and cell checks shared by both kinds of import."""

    def __init__(self, table: Table, kind: str):
        self.table = table
        self.kind = kind
        self.issues: list[ImportIssue] = []
        self.rows_by_indicator: dict[int, int] = {}
        self.index: dict[str, int] = {}
        self.header: dict[str, str] = {}
        for i, text in enumerate(table.headers):
            key = next((c.key for c in COLUMNS.values() if _norm(text) in c.aliases), None)
            if key and key not in self.index and key in (*REQUIRED[kind], *OPTIONAL[kind]):
                self.index[key] = i
                self.header[key] = self._column_name(i, text)
        missing = [k for k in REQUIRED[kind] if k not in self.index]
        for key in missing:
            self.issues.append(
                ImportIssue(
                    row=table.header_row,
                    column=str(COLUMNS[key].label),
                    value="",
                    message=_('Kolom "%(column)s" tidak ada. Judul kolom yang dikenali: %(names)s.')
                    % {
                        "column": COLUMNS[key].label,
                        "names": ", ".join(sorted(f'"{a}"' for a in COLUMNS[key].aliases)[:6]),
                    },
                )
            )

    def _column_name(self, i: int, text: str) -> str:
        return f"{get_column_letter(i + 1)} ({text})" if self.table.fmt == "xlsx" else text

    def raw(self, cells: list[Any], key: str) -> Any:
        i = self.index.get(key)
        if i is None or i >= len(cells):
            return None
        value = cells[i]
        return value.strip() if isinstance(value, str) else value

    def add(self, row: int, key: str, value: Any, message: str) -> None:
        self.issues.append(
            ImportIssue(
                row=row, column=self.header.get(key, ""), value=_cell_text(value), message=message
            )
        )

    def bad_cell(self, row: int, key: str, value: Any) -> bool:
        """Formula without result or a spreadsheet error value: reported, True."""
        if value is FORMULA_WITHOUT_VALUE:
            self.add(
                row,
                key,
                "",
                _(
                    "rumus tidak dapat dihitung: berkas tidak menyimpan hasil rumusnya. Buka "
                    "di Excel, simpan lagi, atau ganti rumus dengan nilainya."
                ),
            )
            return True
        if isinstance(value, str) and value.upper() in EXCEL_ERRORS:
            self.add(
                row,
                key,
                value,
                _("rumus menghasilkan galat %(error)s; perbaiki rumusnya atau isi nilainya.")
                % {"error": value.upper()},
            )
            return True
        return False

    def text(self, row: int, cells: list[Any], key: str) -> str | None:
        value = self.raw(cells, key)
        if self.bad_cell(row, key, value):
            return None
        return _cell_text(value)

    def number(self, row: int, cells: list[Any], key: str) -> Decimal | None | bool:
        """The number in the cell, None when empty, False when bad (reported)."""
        value = self.raw(cells, key)
        if value is None or value == "":
            return None
        if self.bad_cell(row, key, value):
            return False
        if isinstance(value, dt.date | dt.time | dt.timedelta):
            self.add(row, key, value, _("berisi tanggal/waktu, bukan angka."))
            return False
        try:
            number = parse_number(value)
        except NumberFormatError as err:
            self.add(row, key, value, str(err))
            return False
        if not number.is_finite() or abs(number) >= MAX_VALUE:
            self.add(row, key, value, _("angka di luar batas."))
            return False
        return number

    def is_blank(self, cells: list[Any], keys: Iterable[str]) -> bool:
        return all(self.raw(cells, k) in (None, "") for k in keys)

    def indicator(
        self, row: int, cells: list[Any], known: dict[str, Indicator], seen: dict[int, int]
    ) -> Indicator | None:
        raw = self.raw(cells, "code")
        if self.bad_cell(row, "code", raw):
            return None
        code = _cell_text(raw)
        if not code:
            self.add(row, "code", raw, _("kode indikator belum diisi."))
            return None
        ind = known.get(code) or known.get(code.upper())
        if ind is None:
            self.add(row, "code", code, _("kode indikator tidak dikenal di instansi ini."))
            return None
        if not ind.is_active:
            self.add(row, "code", code, _("indikator ini tidak aktif lagi."))
            return None
        if ind.pk in seen:
            self.add(
                row,
                "code",
                code,
                _("baris ganda: indikator ini sudah ada di baris %(row)s.") % {"row": seen[ind.pk]},
            )
            return None
        seen[ind.pk] = row
        return ind


def _indicators_by_code(agency: Agency) -> dict[str, Indicator]:
    known: dict[str, Indicator] = {}
    for ind in Indicator.objects.filter(agency=agency).select_related("owner_unit"):
        known[ind.code] = ind
        known.setdefault(ind.code.upper(), ind)
    return known


def _read(data: bytes, name: str, kind: str, result: ImportResult) -> _Checker | None:
    try:
        table = read_table(data, name, kind)
    except ApplicationError as err:
        result.errors.append(ImportIssue(row=None, column="", value="", message=err.message))
        return None
    checker = _Checker(table, kind)
    if checker.issues:
        result.errors.extend(checker.issues)
        return None
    return checker


def _refusal(err: ApplicationError) -> list[ImportIssue]:
    issues = [ImportIssue(row=None, column="", value="", message=err.message)]
    issues += [ImportIssue(row=None, column="", value="", message=d) for d in err.details]
    return issues
