"""Writing workbooks: the filled templates to type into and the export with achievement."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from kinerja.core import formatting, safefiles
from kinerja.core.periods import Period
from kinerja.organization.models import Agency

from .. import selectors
from ..models import AgreementTarget, Indicator, QuarterTarget
from .common import (
    COLUMNS,
)

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
