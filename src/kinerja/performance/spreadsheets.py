"""Excel and CSV in and out: import the Rencana Aksi and quarterly realisations, download
filled templates, export targets and realisations with achievement.

Import is ALL OR NOTHING and runs in two phases:

1. read and check every row (:func:`read_table`, then the row checks of
   :func:`import_targets` / :func:`import_realisations`). Any bad cell, and the whole file
   is refused: the result lists every problem as (row, column, value, reason) in the
   active language;
2. apply the rows through the services (:func:`~.services.targets_set`,
   :func:`~.services.quarter_targets_set`, :func:`~.services.realisations_save`) in ONE
   transaction. The services check permissions and locks again under their row locks and
   audit every change; if one of them refuses, the transaction is rolled back and its
   reasons are returned as errors. A dry run does phase 2 too and rolls it back, so the
   preview shows exactly what a real import would do (including the Rencana Aksi warnings).

Files are recognised by their content, never by their name: XLSX is a zip holding
``[Content_Types].xml`` and ``xl/workbook.xml``; CSV is text (UTF-8, with or without BOM;
Windows-1252 as a fallback) separated by ``;``, ``,`` or tabs. Old ``.xls`` files, PDFs and
other binaries are refused with a reason. See docs/imports.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from kinerja.core import formatting, safefiles
from kinerja.core.errors import ApplicationError, PermissionDenied
from kinerja.core.models import AuditEvent
from kinerja.core.periods import ROMAN, Period
from kinerja.organization.models import Agency
from kinerja.workflow.permissions import scope_for

from . import permissions, selectors, services
from .models import AgreementTarget, Indicator, QuarterTarget, Realisation, UnitPeriodLock
from .parsing import NumberFormatError, parse_number
from .services.realisations import _realisation_snapshot

KIND_TARGETS = "targets"
KIND_REALISATIONS = "realisations"

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_VALUE = Decimal(10) ** 16
HEADER_SEARCH_ROWS = 10
#: From this many rows on, realisations are written by :func:`_bulk_save_realisations`
#: (same checks, locks and audit rows as the service, in a few bulk queries).
BULK_MIN_ROWS = 500
#: What a spreadsheet shows for a formula that failed.
EXCEL_ERRORS = frozenset(
    {
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
    }
)
#: Words in the value column that mean "data not available" (compared lower-case).
NOT_AVAILABLE_WORDS = frozenset(
    {"n/a", "na", "n.a.", "n.a", "t/a", "tidak tersedia", "data tidak tersedia", "not available"}
)


class _FormulaWithoutValue:
    """A formula cell whose result the file does not hold (never calculated)."""

    def __repr__(self) -> str:
        return "<formula without value>"


FORMULA_WITHOUT_VALUE = _FormulaWithoutValue()


# --------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class ImportIssue:
    """One problem: the spreadsheet row (None: the whole file), the column as headed in the
    file (with its letter), the cell's text and the reason in the active language."""

    row: int | None
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(_("baris %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("kolom %(column)s") % {"column": self.column})
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


@dataclass
class ImportResult:
    """What an import did or would do.

    ``errors`` empty and ``applied`` True: the rows are saved. ``summary`` counts rows
    ``created``, ``updated``, ``unchanged`` (and ``skipped`` empty rows); ``warnings`` never
    block (quarter targets that do not roll up to the annual target).
    """

    kind: str
    dry_run: bool = False
    errors: list[ImportIssue] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    summary: dict[str, int] = field(
        default_factory=lambda: {
            "rows": 0,
            "created": 0,
            "updated": 0,
            "unchanged": 0,
            "skipped": 0,
        }
    )
    applied: bool = False
    #: seconds spent reading the file, checking the rows, writing (for benchmarks and logs)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary_text(self) -> str:
        return (
            _(
                "%(rows)s baris dibaca: %(created)s baru, %(updated)s diubah, %(unchanged)s tetap, "
                "%(skipped)s baris kosong dilewati."
            )
            % self.summary
        )


class _Refused(Exception):
    """Carries the issues out of the transaction so that it rolls back."""

    def __init__(self, issues: list[ImportIssue]):
        super().__init__("refused")
        self.issues = issues


class _DryRun(Exception):
    pass


# --------------------------------------------------------------------------------------------
# Columns


def _norm(text: object) -> str:
    """A header as compared: lower case, without parentheses, punctuation or extra spaces."""
    raw = re.sub(r"\(.*?\)", " ", str(text or "")).lower()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", raw).split())


def _quarter_aliases(n: int) -> set[str]:
    roman = ROMAN[n].lower()
    words = {
        f"tw {roman}",
        f"tw {n}",
        f"tw{n}",
        f"tw{roman}",
        f"triwulan {roman}",
        f"triwulan {n}",
        f"q{n}",
        f"quarter {n}",
        f"kuartal {n}",
    }
    return words | {f"target {w}" for w in words}


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # lazy text: the header written in templates
    aliases: frozenset[str]


COLUMNS: dict[str, Column] = {
    c.key: c
    for c in [
        Column(
            "code",
            gettext_lazy("Kode Indikator"),
            frozenset({"kode", "kode indikator", "kode iku", "code", "indicator code"}),
        ),
        Column(
            "annual",
            gettext_lazy("Target Tahunan"),
            frozenset(
                {
                    "target tahunan",
                    "target tahun",
                    "target pk",
                    "annual target",
                    "target annual",
                    "target",
                }
            ),
        ),
        *[
            Column(
                f"q{n}",
                gettext_lazy("Target TW %(q)s") % {"q": ROMAN[n]},
                frozenset(_quarter_aliases(n)),
            )
            for n in range(1, 5)
        ],
        Column(
            "value",
            gettext_lazy("Realisasi"),
            frozenset(
                {
                    "realisasi",
                    "nilai",
                    "nilai realisasi",
                    "realisasi triwulan",
                    "realisation",
                    "realization",
                    "value",
                }
            ),
        ),
        Column(
            "reason",
            gettext_lazy("Alasan Tidak Tersedia"),
            frozenset(
                {
                    "alasan",
                    "alasan tidak tersedia",
                    "alasan data tidak tersedia",
                    "reason",
                    "reason not available",
                    "not available reason",
                }
            ),
        ),
        Column(
            "problems",
            gettext_lazy("Kendala"),
            frozenset({"kendala", "hambatan", "masalah", "problems", "issues"}),
        ),
        Column(
            "actions",
            gettext_lazy("Upaya / Solusi"),
            frozenset({"upaya", "upaya solusi", "solusi", "tindak lanjut", "actions", "solutions"}),
        ),
        Column("period", gettext_lazy("Periode"), frozenset({"periode", "period"})),
    ]
}
REQUIRED = {
    KIND_TARGETS: ("code", "annual", "q1", "q2", "q3", "q4"),
    KIND_REALISATIONS: ("code", "value"),
}
OPTIONAL = {
    KIND_TARGETS: (),
    KIND_REALISATIONS: ("reason", "problems", "actions", "period"),
}


# --------------------------------------------------------------------------------------------
# Reading a file


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


def _cell_text(value: Any) -> str:
    if value is None or value is FORMULA_WITHOUT_VALUE:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --------------------------------------------------------------------------------------------
# Checking rows


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


# --------------------------------------------------------------------------------------------
# Import: targets (Rencana Aksi worksheet)


@dataclass
class TargetRow:
    row: int
    indicator: Indicator
    annual: Decimal | None  # None: cell empty, keep what is stored
    quarters: dict[int, Decimal]  # only filled cells


def import_targets(
    *,
    actor,
    agency: Agency,
    year: int,
    data: bytes,
    name: str = "",
    dry_run: bool = False,
    now: dt.datetime | None = None,
) -> ImportResult:
    """Import annual (PK) and quarterly (Rencana Aksi) targets of ``year``.

    Who: planners of the agency (:func:`.permissions.may_plan`); the services check again.
    An empty cell keeps the stored value. Writes in one transaction through
    :func:`~.services.targets_set` and :func:`~.services.quarter_targets_set` (each change
    audited); nothing is written when any row is bad. ``dry_run`` rolls everything back.
    """
    now = now or timezone.now()
    result = ImportResult(kind=KIND_TARGETS, dry_run=dry_run)
    checker = _read(data, name, KIND_TARGETS, result)
    if checker is None:
        return result
    if not permissions.may_plan(scope_for(actor, on=timezone.localdate(now)), agency.pk):
        result.errors.append(
            ImportIssue(
                row=None,
                column="",
                value="",
                message=_(
                    "Anda tidak berwenang mengimpor target %(agency)s: hanya pengelola data "
                    "dan Kasubag Perencanaan."
                )
                % {"agency": agency},
            )
        )
        return result
    known = _indicators_by_code(agency)
    seen: dict[int, int] = {}
    rows: list[TargetRow] = []
    value_keys = ("annual", "q1", "q2", "q3", "q4")
    for r, cells in checker.table.rows:
        result.summary["rows"] += 1
        if checker.is_blank(cells, value_keys) and checker.is_blank(cells, ["code"]):
            result.summary["skipped"] += 1
            continue
        ind = checker.indicator(r, cells, known, seen)
        numbers = {k: checker.number(r, cells, k) for k in value_keys}
        if ind is None or any(v is False for v in numbers.values()):
            continue
        quarters = {n: numbers[f"q{n}"] for n in range(1, 5) if numbers[f"q{n}"] is not None}
        if numbers["annual"] is None and not quarters:
            result.summary["skipped"] += 1
            continue
        rows.append(TargetRow(r, ind, numbers["annual"], quarters))
    if checker.issues:
        result.errors = checker.issues
        return result
    try:
        with transaction.atomic():
            _apply_targets(actor, agency, year, rows, result, now)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except ApplicationError as err:
        result.errors = _refusal(err)
        result.warnings = []
        return result
    result.applied = not dry_run
    return result


def _apply_targets(
    actor, agency: Agency, year: int, rows: list[TargetRow], result: ImportResult, now
) -> None:
    ids = [row.indicator.pk for row in rows]
    annual_before = {
        t.indicator_id: t.target
        for t in AgreementTarget.objects.filter(
            agreement__agency=agency,
            agreement__year=year,
            agreement__is_current=True,
            indicator_id__in=ids,
        )
    }
    quarters_before = {
        (qt.indicator_id, qt.quarter): qt.target
        for qt in QuarterTarget.objects.filter(indicator_id__in=ids, year=year)
    }
    annual = {row.indicator.code: row.annual for row in rows if row.annual is not None}
    if annual:
        services.targets_set(actor=actor, agency=agency, year=year, targets=annual, now=now)
    warnings: list[str] = []
    for row in rows:
        # Called for every row, also with no quarter cells: the warnings it returns are
        # computed after the annual targets above, so they describe the final state.
        warnings += services.quarter_targets_set(
            actor=actor, indicator=row.indicator, year=year, targets=row.quarters, now=now
        )
        pairs = [(annual_before.get(row.indicator.pk), row.annual)] + [
            (quarters_before.get((row.indicator.pk, q)), v) for q, v in row.quarters.items()
        ]
        pairs = [(old, new) for old, new in pairs if new is not None]
        if all(old is None for old, _new in pairs):
            result.summary["created"] += 1
        elif any(old != new.quantize(services.VALUE_PLACES) for old, new in pairs):
            result.summary["updated"] += 1
        else:
            result.summary["unchanged"] += 1
    result.warnings = list(dict.fromkeys(warnings))


# --------------------------------------------------------------------------------------------
# Import: realisations of a quarter


def import_realisations(
    *,
    actor,
    agency: Agency,
    period: Period,
    data: bytes,
    name: str = "",
    dry_run: bool = False,
    now: dt.datetime | None = None,
) -> ImportResult:
    """Import the realisations of quarter ``period``.

    A row states the whole realisation: value (or N/A / "tidak tersedia" with a reason),
    kendala and upaya; a row with only a code is skipped. Who: per indicator, whoever may
    edit its owner unit for the quarter (unit head, assigned analyst, agency administrator);
    a locked unit-quarter refuses the whole file. Written by one
    :func:`~.services.realisations_save` call (locks, audit, version bump per change).
    """
    now = now or timezone.now()
    result = ImportResult(kind=KIND_REALISATIONS, dry_run=dry_run)
    if not period.is_quarter:
        result.errors.append(
            ImportIssue(
                None, "", str(period), _("Periode %(period)s bukan triwulan.") % {"period": period}
            )
        )
        return result
    started = time.perf_counter()
    checker = _read(data, name, KIND_REALISATIONS, result)
    result.timings["read"] = time.perf_counter() - started
    if checker is None:
        return result
    started = time.perf_counter()
    items = _realisation_items(checker, agency, period, result)
    if checker.issues:
        result.errors = checker.issues
        return result
    _check_realisation_access(checker, actor, agency, period, items, now)
    if checker.issues:
        result.errors = checker.issues
        return result
    result.timings["check"] = time.perf_counter() - started
    started = time.perf_counter()
    before = dict(
        Realisation.objects.filter(
            indicator_id__in=[i.indicator.pk for i in items],
            year=period.year,
            quarter=period.quarter,
        ).values_list("indicator_id", "lock_version")
    )
    saved = []
    try:
        with transaction.atomic():
            save = (
                _bulk_save_realisations
                if len(items) >= BULK_MIN_ROWS
                else (services.realisations_save)
            )
            saved = save(actor=actor, period=period, items=items, now=now)
            if dry_run:  # the same writes, rolled back: the summary says what would change
                raise _DryRun
    except _DryRun:
        pass
    except ApplicationError as err:
        result.errors = _refusal(err)
        return result
    result.timings["write"] = time.perf_counter() - started
    for real in saved:
        if real.indicator_id not in before:
            result.summary["created"] += 1
        elif real.lock_version != before[real.indicator_id]:
            result.summary["updated"] += 1
        else:
            result.summary["unchanged"] += 1
    result.applied = not dry_run
    return result


def _realisation_items(
    checker: _Checker, agency: Agency, period: Period, result: ImportResult
) -> list[services.RealisationInput]:
    known = _indicators_by_code(agency)
    seen = checker.rows_by_indicator
    items = []
    content_keys = ("value", "reason", "problems", "actions")
    for r, cells in checker.table.rows:
        result.summary["rows"] += 1
        if checker.is_blank(cells, ["code", *content_keys]):
            result.summary["skipped"] += 1
            continue
        ind = checker.indicator(r, cells, known, seen)
        if "period" in checker.index:
            stated = checker.text(r, cells, "period")
            if stated and not _same_period(stated, period):
                checker.add(
                    r,
                    "period",
                    stated,
                    _("baris ini untuk periode %(stated)s, bukan %(period)s.")
                    % {"stated": stated, "period": period},
                )
        raw = checker.raw(cells, "value")
        reason = checker.text(r, cells, "reason")
        problems = checker.text(r, cells, "problems")
        actions = checker.text(r, cells, "actions")
        not_available = isinstance(raw, str) and raw.strip().lower() in NOT_AVAILABLE_WORDS
        value: Decimal | None | bool = None
        if not not_available:
            value = checker.number(r, cells, "value")
        elif not reason:
            checker.add(
                r,
                "reason" if "reason" in checker.index else "value",
                reason or raw,
                _('data ditandai tidak tersedia: tulis alasannya di kolom "%(column)s".')
                % {"column": COLUMNS["reason"].label},
            )
            continue
        if ind is None or value is False or None in (reason, problems, actions):
            continue
        if checker.is_blank(cells, content_keys):
            result.summary["skipped"] += 1
            continue
        items.append(
            services.RealisationInput(
                indicator=ind,
                value=value if not not_available else None,
                not_available=not_available,
                not_available_reason=reason if not_available else "",
                problems=problems or "",
                actions=actions or "",
                ref=_("baris %(row)s") % {"row": r},
            )
        )
    return items


def _same_period(text: str, period: Period) -> bool:
    try:
        return Period.parse(text) == period
    except ValueError:
        roman = {v: k for k, v in ROMAN.items()}
        match = re.match(r"^\s*(?:tw|triwulan)\s+([IV]+)\s+(\d{4})\s*$", text, re.IGNORECASE)
        return bool(match) and Period(int(match.group(2)), roman.get(match.group(1).upper())) == (
            period
        )


def _check_realisation_access(
    checker: _Checker, actor, agency: Agency, period: Period, items, now
) -> None:
    """Permission and lock per row, before anything is written (the service checks again
    under its locks): every refused row is listed."""
    if not items:
        return
    units = {i.indicator.owner_unit_id: i.indicator.owner_unit for i in items}
    scope = scope_for(actor, on=timezone.localdate(now))
    allowed = permissions.editable_units(
        scope, actor, agency_id=agency.pk, period=period, units=units.values()
    )
    locks = {
        lock.unit_id: lock
        for lock in UnitPeriodLock.objects.filter(
            unit_id__in=list(units),
            year=period.year,
            quarter=period.quarter,
            unlocked_at__isnull=True,
        )
    }
    for item in items:
        row = checker.rows_by_indicator[item.indicator.pk]
        unit = item.indicator.owner_unit
        if unit.pk not in allowed:
            checker.add(
                row,
                "code",
                item.indicator.code,
                _("Anda tidak berwenang mengubah data %(unit)s %(period)s.")
                % {"unit": unit, "period": period.label},
            )
        elif unit.pk in locks:
            checker.add(
                row,
                "code",
                item.indicator.code,
                _(
                    "data %(unit)s %(period)s sudah dikunci (laporan disetujui pada "
                    "%(when)s); minta pengelola data membuka kunci bila perlu diubah."
                )
                % {
                    "unit": unit,
                    "period": period.label,
                    "when": timezone.localtime(locks[unit.pk].locked_at).strftime("%d-%m-%Y %H:%M"),
                },
            )


def _bulk_save_realisations(
    *, actor, period: Period, items: Sequence[services.RealisationInput], now: dt.datetime
) -> list[Realisation]:
    """:func:`~.services.realisations_save` for large files, in a constant number of queries.

    Same rules as the service (which stays the single path for forms and small files):
    inside the caller's transaction it locks the indicator rows, then the realisation rows
    (``select_for_update``, id order), checks the actor may edit every owner unit and that
    none is locked (raising, so nothing is written), skips items equal to what is stored,
    bumps ``lock_version`` and sets entered_by/at on each change, and writes one
    ``realisation.saved`` audit event per change with the old and new values (bulk insert
    into the append-only log). Tests pin that both paths store the same rows and events.
    """
    ids = sorted({item.indicator.pk for item in items})
    indicators = {
        i.pk: i
        for i in Indicator.objects.select_for_update(of=("self",))
        .select_related("agency", "owner_unit")
        .filter(pk__in=ids)
        .order_by("pk")
    }
    agency_ids = {i.agency_id for i in indicators.values()}
    if len(agency_ids) != 1:
        raise ApplicationError(_("Semua indikator harus dari instansi yang sama."))
    agency_id = agency_ids.pop()
    units = {i.owner_unit_id: i.owner_unit for i in indicators.values()}
    scope = scope_for(actor, on=timezone.localdate(now))
    allowed = permissions.editable_units(
        scope, actor, agency_id=agency_id, period=period, units=units.values()
    )
    denied = [u for pk, u in units.items() if pk not in allowed]
    if denied:
        raise PermissionDenied(
            _("Realisasi tidak disimpan. Perbaiki hal berikut:"),
            details=[
                _("Anda tidak berwenang mengubah data %(unit)s.") % {"unit": u} for u in denied
            ],
        )
    locked = UnitPeriodLock.objects.filter(
        unit_id__in=list(units),
        year=period.year,
        quarter=period.quarter,
        unlocked_at__isnull=True,
    ).select_related("unit")
    if locked:
        raise ApplicationError(
            _("Realisasi tidak disimpan. Perbaiki hal berikut:"),
            code="locked",
            details=[
                _("Data %(unit)s %(period)s sudah dikunci.")
                % {"unit": lock.unit, "period": period.label}
                for lock in locked
            ],
        )
    existing = {
        r.indicator_id: r
        for r in Realisation.objects.select_for_update()
        .filter(indicator_id__in=ids, year=period.year, quarter=period.quarter)
        .order_by("indicator_id")
    }
    entered_by = actor if getattr(actor, "pk", None) else None
    fields = ["value", "not_available", "not_available_reason", "problems", "actions"]
    created, updated, saved, audits = [], [], [], []
    befores: dict[int, dict[str, Any] | None] = {}
    for item in items:
        ind = indicators[item.indicator.pk]
        new = {
            "value": None
            if item.value is None
            else Decimal(item.value).quantize(services.VALUE_PLACES),
            "not_available": bool(item.not_available),
            "not_available_reason": (item.not_available_reason or "").strip()
            if item.not_available
            else "",
            "problems": (item.problems or "").strip(),
            "actions": (item.actions or "").strip(),
        }
        current = existing.get(ind.pk)
        if current is not None and all(getattr(current, k) == v for k, v in new.items()):
            saved.append(current)
            continue
        befores[ind.pk] = _realisation_snapshot(current)
        if current is None:
            current = Realisation(
                agency_id=ind.agency_id,
                indicator=ind,
                year=period.year,
                quarter=period.quarter,
                lock_version=1,
            )
            created.append(current)
        else:
            current.lock_version += 1
            updated.append(current)
        for key, value in new.items():
            setattr(current, key, value)
        current.entered_by, current.entered_at = entered_by, now
        saved.append(current)
    Realisation.objects.bulk_create(created, batch_size=1000)
    if any(r.pk is None for r in created):  # a backend that does not return ids
        by_indicator = dict(
            Realisation.objects.filter(
                indicator_id__in=[r.indicator_id for r in created],
                year=period.year,
                quarter=period.quarter,
            ).values_list("indicator_id", "pk")
        )
        for real in created:
            real.pk = by_indicator[real.indicator_id]
    Realisation.objects.bulk_update(
        updated, [*fields, "entered_by", "entered_at", "lock_version"], batch_size=1000
    )
    for real in [*created, *updated]:
        ind = indicators[real.indicator_id]
        audits.append(
            AuditEvent(
                actor=entered_by,
                action="realisation.saved",
                object_type=Realisation._meta.label_lower,
                object_id=str(real.pk),
                agency=ind.agency,
                before=befores[real.indicator_id],
                after={
                    **_realisation_snapshot(real),
                    "indicator": ind.code,
                    "period": str(period),
                },
            )
        )
    AuditEvent.objects.bulk_create(audits, batch_size=1000)
    return saved


# --------------------------------------------------------------------------------------------
# Writing: templates and export

HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
READONLY_FILL = PatternFill("solid", fgColor="EDEDED")
INPUT_FILL = PatternFill("solid", fgColor="FFF9DB")
HEADER_FONT = Font(bold=True, color="FFFFFF")
THIN = Side(style="thin", color="BFBFBF")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
NUMBER_FORMAT = "#,##0.####"
PERCENT_FORMAT = "#,##0.00"


@dataclass(frozen=True)
class OutColumn:
    header: str
    width: int
    editable: bool = False
    number: bool = False
    note: str = ""


def _write_sheet(ws, title: str, columns: Sequence[OutColumn], rows: Iterable[Sequence[Any]]):
    """Header row 1 (styled, frozen, filtered), data from row 2; input columns shaded
    yellow, read-only ones grey."""
    ws.title = title[:31]
    for c, col in enumerate(columns, start=1):
        cell = safefiles.write_cell(ws, 1, c, col.header)
        cell.fill, cell.font, cell.border = HEADER_FILL, HEADER_FONT, BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        if col.note:
            cell.comment = Comment(col.note, "Kinerja")
        ws.column_dimensions[get_column_letter(c)].width = col.width
    ws.row_dimensions[1].height = 32
    n = 1
    for n, values in enumerate(rows, start=2):
        for c, (col, value) in enumerate(zip(columns, values, strict=True), start=1):
            cell = safefiles.write_cell(ws, n, c, value)
            cell.border = BORDER
            cell.fill = INPUT_FILL if col.editable else READONLY_FILL
            if col.number:
                # a stored value shows as stored (1.400, 1,5), not "1.400," (Excel's quirk
                # of "#,##0.####" on whole numbers); empty input cells take any decimals
                cell.number_format = (
                    formatting.excel_format(value)
                    if isinstance(value, int | float | Decimal) and not isinstance(value, bool)
                    else NUMBER_FORMAT
                )
            else:
                cell.alignment = Alignment(wrap_text=not col.number, vertical="top")
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(n, 1)}"
    return n


def _instructions(wb: Workbook, lines: Sequence[str]) -> None:
    ws = wb.create_sheet(_("Petunjuk"))
    ws.column_dimensions["A"].width = 110
    safefiles.write_cell(ws, 1, 1, lines[0]).font = Font(bold=True, size=14)
    for r, line in enumerate(lines[1:], start=3):
        cell = safefiles.write_cell(ws, r, 1, line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _common_instructions() -> list[str]:
    return [
        _(
            "• Isi hanya kolom berlatar kuning. Kolom abu-abu hanya keterangan dan tidak dibaca "
            "saat impor."
        ),
        _(
            "• Jangan mengubah judul kolom dan kode indikator. Baris boleh diurutkan atau "
            "dihapus; indikator yang tidak ada di berkas tidak berubah."
        ),
        _(
            "• Angka boleh ditulis dengan format Indonesia: 1.234,5 (titik pemisah ribuan, koma "
            "desimal) atau 12,5%. Rumus boleh dipakai asalkan berkas disimpan di Excel agar "
            "hasilnya tersimpan."
        ),
        _(
            "• Impor bersifat semua atau tidak sama sekali: bila ada satu sel yang salah, tidak "
            "ada yang disimpan dan Kinerja menampilkan daftar semua baris dan kolom yang perlu "
            "diperbaiki."
        ),
        _(
            "• Simpan sebagai Buku Kerja Excel (.xlsx) atau CSV (pemisah titik koma atau koma), "
            "lalu unggah di halaman Impor/Ekspor Excel."
        ),
    ]


def _to_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _visible_indicators(agency: Agency, unit_ids: set[int] | None) -> list[Indicator]:
    qs = (
        Indicator.objects.filter(agency=agency, is_active=True)
        .select_related("owner_unit")
        .order_by("order", "code")
    )
    if unit_ids is not None:
        qs = qs.filter(owner_unit_id__in=unit_ids)
    return list(qs)


def _target_columns() -> list[OutColumn]:
    return [
        OutColumn(str(COLUMNS["code"].label), 14),
        OutColumn(_("Nama Indikator"), 50),
        OutColumn(_("Satuan"), 12),
        OutColumn(_("Unit Penanggung Jawab"), 28),
        OutColumn(_("Polaritas"), 14),
        OutColumn(_("Cara Rekap Triwulan"), 18),
        OutColumn(
            str(COLUMNS["annual"].label),
            16,
            editable=True,
            number=True,
            note=_("Target tahunan Perjanjian Kinerja"),
        ),
        *[
            OutColumn(str(COLUMNS[f"q{n}"].label), 14, editable=True, number=True)
            for n in range(1, 5)
        ],
    ]


def _target_rows(agency: Agency, year: int, unit_ids: set[int] | None) -> list[list[Any]]:
    indicators = _visible_indicators(agency, unit_ids)
    annual = {
        t.indicator_id: t.target
        for t in AgreementTarget.objects.filter(
            agreement__agency=agency, agreement__year=year, agreement__is_current=True
        )
    }
    quarters = {
        (qt.indicator_id, qt.quarter): qt.target
        for qt in QuarterTarget.objects.filter(agency=agency, year=year)
    }
    return [
        [
            ind.code,
            ind.name,
            ind.unit_of_measure,
            ind.owner_unit.name,
            ind.get_polarity_display(),
            ind.get_rollup_display(),
            _num(annual.get(ind.pk)),
            *[_num(quarters.get((ind.pk, n))) for n in range(1, 5)],
        ]
        for ind in indicators
    ]


def _num(value: Decimal | None) -> Decimal | None:
    """Stored values carry four places; written without trailing zeros."""
    if value is None:
        return None
    value = value.normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral() else value


def targets_workbook(*, agency: Agency, year: int, unit_ids: set[int] | None = None) -> bytes:
    """The Rencana Aksi template of ``year``: one row per active indicator with its current
    annual and quarterly targets, ready to type into, and an instructions sheet."""
    wb = Workbook()
    _write_sheet(
        wb.active,
        _("Rencana Aksi %(year)s") % {"year": year},
        _target_columns(),
        _target_rows(agency, year, unit_ids),
    )
    _instructions(
        wb,
        [
            _("Petunjuk pengisian Rencana Aksi %(year)s — %(agency)s")
            % {"year": year, "agency": agency},
            _(
                "• Target Tahunan adalah target Perjanjian Kinerja; Target TW I–IV adalah "
                "rencana aksi per triwulan. Sel kosong berarti nilai yang tersimpan tidak "
                "diubah."
            ),
            _(
                "• Bila target triwulan tidak cocok dengan target tahunan menurut cara rekap "
                "indikator (jumlah, nilai terakhir, rata-rata, tertinggi, terendah), Kinerja "
                "memberi peringatan tetapi tetap menyimpan."
            ),
            *_common_instructions(),
        ],
    )
    return _to_bytes(wb)


def _realisation_columns(*, export: bool) -> list[OutColumn]:
    columns = [
        OutColumn(str(COLUMNS["period"].label), 10),
        OutColumn(str(COLUMNS["code"].label), 14),
        OutColumn(_("Nama Indikator"), 46),
        OutColumn(_("Satuan"), 12),
        OutColumn(_("Unit Penanggung Jawab"), 26),
        OutColumn(_("Polaritas"), 14),
        OutColumn(_("Target Triwulan"), 14, number=True),
        OutColumn(
            str(COLUMNS["value"].label),
            14,
            editable=True,
            number=True,
            note=_("Angka, atau N/A bila data tidak tersedia (isi alasannya)"),
        ),
        OutColumn(str(COLUMNS["reason"].label), 30, editable=True),
        OutColumn(str(COLUMNS["problems"].label), 36, editable=True),
        OutColumn(str(COLUMNS["actions"].label), 36, editable=True),
    ]
    if export:
        columns += [
            OutColumn(_("Capaian Triwulan (%)"), 14, number=True),
            OutColumn(_("Capaian s.d. Triwulan (%)"), 14, number=True),
            OutColumn(_("Predikat"), 14),
            OutColumn(_("Keterangan Capaian"), 30),
            OutColumn(_("Terkunci"), 10),
        ]
    return columns


def _realisation_rows(
    agency: Agency, period: Period, unit_ids: set[int] | None, *, export: bool
) -> list[list[Any]]:
    out = []
    for row in selectors.indicator_rows(agency=agency, period=period):
        if unit_ids is not None and row.unit.pk not in unit_ids:
            continue
        ind = row.indicator
        value: Any = _num(row.realisation)
        if row.status == selectors.STATUS_NOT_AVAILABLE:
            value = "N/A"
        values = [
            str(period),
            ind.code,
            ind.name,
            ind.unit_of_measure,
            row.unit.name,
            ind.get_polarity_display(),
            _num(row.quarter_target),
            value,
            row.not_available_reason,
            row.problems,
            row.actions,
        ]
        if export:
            values += [
                row.achievement,
                row.achievement_ytd,
                f"{row.rating} ({row.rating_basis_label})" if row.rating else "",
                row.achievement_ytd_reason_label or row.achievement_reason_label,
                _("ya") if row.locked else _("tidak"),
            ]
        out.append(values)
    return out


def _add_value_validation(ws, column: int, last_row: int) -> None:
    """A warning (not a block) when the value is neither a number nor N/A."""
    letter = get_column_letter(column)
    rule = DataValidation(
        type="custom",
        formula1=f'OR(ISNUMBER({letter}2),UPPER({letter}2)="N/A",'
        f'LOWER({letter}2)="tidak tersedia")',
        allow_blank=True,
        errorStyle="warning",
        showErrorMessage=True,
        showInputMessage=True,
        errorTitle=_("Periksa realisasi"),
        error=_("Isi angka, atau N/A / tidak tersedia bila datanya tidak ada."),
        promptTitle=_("Realisasi"),
        prompt=_("Angka (misalnya 1.234,5 atau 12,5%), atau N/A dengan alasan."),
    )
    ws.add_data_validation(rule)
    rule.add(f"{letter}2:{letter}{max(last_row, 2) + 200}")


def realisations_workbook(
    *, agency: Agency, period: Period, unit_ids: set[int] | None = None, export: bool = False
) -> bytes:
    """The realisations template of quarter ``period`` (current values filled in), or with
    ``export`` the same sheet with achievement, rating and lock, plus the targets sheet."""
    wb = Workbook()
    columns = _realisation_columns(export=export)
    last = _write_sheet(
        wb.active,
        _("Realisasi %(period)s") % {"period": period},
        columns,
        _realisation_rows(agency, period, unit_ids, export=export),
    )
    _add_value_validation(wb.active, 8, last)
    if export:
        _write_sheet(
            wb.create_sheet(),
            _("Target %(year)s") % {"year": period.year},
            _target_columns(),
            _target_rows(agency, period.year, unit_ids),
        )
    _instructions(
        wb,
        [
            _("Petunjuk pengisian realisasi %(period)s — %(agency)s")
            % {"period": period.label, "agency": agency},
            _(
                "• Setiap baris menyatakan realisasi lengkap satu indikator: nilai, kendala dan "
                "upaya. Baris yang kolom kuningnya kosong semua dilewati."
            ),
            _(
                '• Bila data tidak tersedia, tulis N/A atau "tidak tersedia" di kolom '
                "Realisasi dan tulis alasannya di kolom Alasan Tidak Tersedia."
            ),
            _("• Kolom Periode harus sama dengan triwulan yang dipilih saat mengunggah."),
            _(
                "• Data unit yang sudah disetujui (terkunci) tidak dapat diimpor; seluruh berkas "
                "ditolak sampai kuncinya dibuka."
            ),
            *_common_instructions(),
        ],
    )
    return _to_bytes(wb)


def export_workbook(*, agency: Agency, period: Period, unit_ids: set[int] | None = None) -> bytes:
    """Targets and realisations of ``period`` with achievement and rating (XLSX)."""
    return realisations_workbook(agency=agency, period=period, unit_ids=unit_ids, export=True)
