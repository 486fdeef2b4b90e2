"""Quarterly performance reports: a unit's report (step 4's output) and the office's
quarterly report (step 6), from the performance selectors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from kinerja.core import formatting as fmt
from kinerja.core.periods import ROMAN, Period
from kinerja.organization.models import Agency, Unit
from kinerja.performance.agreements import agreement_for_period
from kinerja.performance.selectors import (
    STATUS_MISSING,
    STATUS_NOT_AVAILABLE,
    BudgetRow,
    IndicatorRow,
    budget_rows,
    budget_total,
    completeness_of,
    indicator_rows,
)
from kinerja.workflow.permissions import scope_for

from ..pdf import OfficialPdf, Signer, Stamp
from . import common as c
from .base import DocumentGenerator, register

if TYPE_CHECKING:  # data is read through the performance selectors only
    from kinerja.performance.models import PerformanceAgreement


@dataclass
class QuarterData:
    agency: Agency
    period: Period
    rows: list[IndicatorRow]
    unit: Unit | None = None
    budget: list[BudgetRow] = field(default_factory=list)
    signers: list[Signer] = field(default_factory=list)
    title: str = ""
    agreement: PerformanceAgreement | None = None  # the PK version the targets come from
    issue_date: dt.date | None = None  # the place-and-date line's date
    missing: list[str] = field(default_factory=list)  # why it is a draft (issue 12)

    @property
    def agreement_note(self) -> str:
        return agreement_text(self.agreement, self.period.year)

    @property
    def subtitle(self) -> str:
        parts = [self.unit.name if self.unit else "", self.period.label]
        return " — ".join(p for p in parts if p)


def agreement_text(agreement: PerformanceAgreement | None, year: int) -> str:
    """Which Perjanjian Kinerja version the annual targets come from (issue 3: reports say
    which version they used), e.g. "Target: Perjanjian Kinerja 2026 versi 2 (revisi,
    berlaku 1 Juli 2026: …)"."""
    if agreement is None:
        return f"Target: belum ada Perjanjian Kinerja {year}"
    text = f"Target: Perjanjian Kinerja {agreement.year} versi {agreement.version}"
    since = fmt.date(agreement.effective_date)
    if agreement.version > 1:
        reason = " ".join((agreement.reason or "").split())
        return f"{text} (revisi, berlaku {since}{': ' + reason if reason else ''})"
    return f"{text} (berlaku {since})"


def quarter_missing(
    rows: list[IndicatorRow], period: Period, agreement, *, with_budget: bool = False
) -> list[str]:
    """Why a quarterly report is a draft: no PK, units whose data is not approved (step 5
    locks it), then each indicator's gap (the completeness rule)."""
    items = []
    if agreement is None:
        items.append(f"Perjanjian Kinerja {period.year} belum dicatat.")
    if not rows:
        items.append("Belum ada indikator kinerja.")
    pending: dict[int, str] = {}
    for row in rows:
        if row.unit is not None and not row.locked:
            pending.setdefault(row.unit.pk, row.unit.name)
    items += [
        f"{name}: data {period.label} belum disetujui (langkah 5)." for name in pending.values()
    ]
    items += [str(item) for item in completeness_of(rows)]
    return items


def value_text(row: IndicatorRow, value) -> str:
    return fmt.measure(value, row.indicator.decimals)


def realisation_text(row: IndicatorRow) -> str:
    if row.status == STATUS_NOT_AVAILABLE:
        reason = f": {row.not_available_reason}" if row.not_available_reason else ""
        return f"Data tidak tersedia{reason}"
    if row.status == STATUS_MISSING:
        return "Belum diisi"
    return value_text(row, row.realisation)


def rating_text(row: IndicatorRow) -> str:
    """The rating and the figure it rates: "Sangat Baik (s.d. TW III)"."""
    return f"{row.rating.label} ({row.rating_basis_text})" if row.rating else "-"


def indicator_table(data: QuarterData, *, with_unit: bool) -> tuple[list[str], list[list[str]]]:
    q = ROMAN[data.period.quarter]
    headings = ["No", "Sasaran Strategis", "Indikator Kinerja", "Satuan"]
    if with_unit:
        headings.append("Unit")
    headings += [
        "Target Tahunan",
        f"Target TW {q}",
        f"Realisasi TW {q}",
        f"Capaian TW {q} (%)",
        f"Capaian s.d. TW {q} (%)",
        "Predikat",
        "Kendala",
        "Upaya / Solusi",
        "Data Dukung",
    ]
    rows = []
    for i, row in enumerate(data.rows, 1):
        values = [
            str(i),
            row.objective.name,
            f"{row.indicator.code} {row.indicator.name}",
            row.indicator.unit_of_measure,
        ]
        if with_unit:
            values.append(row.unit.name if row.unit else "")
        values += [
            value_text(row, row.annual_target),
            value_text(row, row.quarter_target),
            realisation_text(row),
            fmt.number(row.achievement),
            fmt.number(row.achievement_ytd),
            rating_text(row),
            row.problems or "-",
            row.actions or "-",
            f"{row.evidence_count} berkas",
        ]
        rows.append(values)
    return headings, rows


def indicator_xlsx_rows(data: QuarterData, *, with_unit: bool) -> list[list[Any]]:
    rows = []
    for i, row in enumerate(data.rows, 1):
        values: list[Any] = [i, row.objective.name, f"{row.indicator.code} {row.indicator.name}"]
        values.append(row.indicator.unit_of_measure)
        if with_unit:
            values.append(row.unit.name if row.unit else "")
        real: Any = (
            c.dec(row.realisation)
            if row.status
            not in (
                STATUS_MISSING,
                STATUS_NOT_AVAILABLE,
            )
            else realisation_text(row)
        )
        values += [
            c.dec(row.annual_target),
            c.dec(row.quarter_target),
            real,
            c.dec(row.achievement),
            c.dec(row.achievement_ytd),
            rating_text(row),
            row.problems,
            row.actions,
            row.evidence_count,
        ]
        rows.append(values)
    return rows


BUDGET_HEAD = [
    "No",
    "Kode",
    "Program",
    "Anggaran (Rp)",
    "Realisasi Triwulan (Rp)",
    "Realisasi s.d. Triwulan (Rp)",
    "Serapan (%)",
    "Rata-rata Capaian Kinerja (%)",
    "Efisien",
]


def efficient_text(value: bool | None) -> str:
    return {True: "Efisien", False: "Belum efisien", None: "-"}[value]


def budget_table(rows: list[BudgetRow]) -> list[list[str]]:
    out = [
        [
            str(i),
            b.code,
            b.name,
            fmt.money(b.budget),
            fmt.money(b.realised_quarter),
            fmt.money(b.realised_ytd),
            fmt.number(b.absorption_ytd),
            fmt.number(b.achievement_avg),
            efficient_text(b.efficient),
        ]
        for i, b in enumerate(rows, 1)
    ]
    total = budget_total(rows)
    if total is not None:
        out.append(
            [
                "",
                "",
                "Jumlah",
                fmt.money(total.budget),
                fmt.money(total.realised_quarter),
                fmt.money(total.realised_ytd),
                fmt.number(total.absorption_ytd),
                "",
                "",
            ]
        )
    return out


def achievement_chart(data: QuarterData) -> bytes:
    q = ROMAN[data.period.quarter]
    return c.bar_chart(
        [r.indicator.code for r in data.rows],
        [
            c.Series(f"Capaian TW {q}", [c.dec(r.achievement) for r in data.rows]),
            c.Series(f"Capaian s.d. TW {q}", [c.dec(r.achievement_ytd) for r in data.rows]),
        ],
        title=f"Capaian Kinerja per Indikator — {data.period.label}",
        ylabel="Capaian (%)",
        reference=100,
        percent=True,
    )


def budget_chart(data: QuarterData) -> bytes:
    return c.bar_chart(
        [b.code for b in data.budget],
        [
            c.Series("Serapan anggaran (%)", [c.dec(b.absorption_ytd) for b in data.budget]),
            c.Series("Rata-rata capaian (%)", [c.dec(b.achievement_avg) for b in data.budget]),
        ],
        title=f"Serapan Anggaran dan Capaian Kinerja per Program s.d. {data.period.label}",
        ylabel="%",
        percent=True,
    )


INDICATOR_WIDTHS_UNIT = [7, 36, 44, 11, 12, 11, 12, 11, 11, 15, 42, 42, 12]
INDICATOR_WIDTHS_OFFICE = [7, 26, 36, 12, 20, 15, 15, 17, 14, 14, 15, 25, 25, 14]
ALIGN_UNIT = ["C", "L", "L", "C", "R", "R", "R", "R", "R", "C", "L", "L", "C"]
ALIGN_OFFICE = ["C", "L", "L", "C", "L", "R", "R", "R", "R", "R", "C", "L", "L", "C"]
BUDGET_WIDTHS = [7, 22, 60, 28, 28, 28, 18, 22, 20]
BUDGET_ALIGN = ["C", "L", "L", "R", "R", "R", "R", "R", "C"]


CLOSING = "Demikian laporan ini dibuat untuk dipergunakan sebagaimana mestinya."


def render_quarter_pdf(data: QuarterData, stamp: Stamp, *, office: bool) -> bytes:
    pdf = OfficialPdf(stamp=stamp, title=data.title, orientation="L", running_head=data.agency.name)
    pdf.add_page()
    pdf.letterhead(c.letterhead(data.agency))
    pdf.title_block(data.title, data.subtitle)
    pdf.paragraph(data.agreement_note, size=8.5, italic=True)
    pdf.heading("A. Capaian Indikator Kinerja")
    headings, rows = indicator_table(data, with_unit=office)

    def close() -> None:
        pdf.paragraph(CLOSING)
        pdf.signatures(data.signers)

    if rows:
        pdf.grid(
            [headings],
            rows,
            widths=INDICATOR_WIDTHS_OFFICE if office else INDICATOR_WIDTHS_UNIT,
            align=ALIGN_OFFICE if office else ALIGN_UNIT,
            font_size=7,
            keep_with_next=None if office else close,
        )
    else:
        pdf.paragraph("Belum ada indikator kinerja.")
        if not office:
            pdf.keep_together(close)
    if office:
        if data.rows:
            pdf.image(achievement_chart(data), w=min(pdf.content_width, 200))
        if data.budget and pdf.get_y() > pdf.h - 150:
            pdf.add_page()  # the heading stays with its chart
        pdf.heading("B. Realisasi Anggaran per Program")
        if data.budget:
            # the chart first, so the table's last rows keep the closing and signatures
            pdf.image(budget_chart(data), w=min(pdf.content_width, 200))
            pdf.grid(
                [BUDGET_HEAD],
                budget_table(data.budget),
                widths=BUDGET_WIDTHS,
                align=BUDGET_ALIGN,
                font_size=7.5,
                bold_rows=[len(data.budget)],
                keep_with_next=close,
            )
        else:
            pdf.paragraph("Belum ada Perjanjian Kinerja dengan tabel program untuk tahun ini.")
            pdf.keep_together(close)
    return pdf.output_bytes()


def render_quarter_xlsx(data: QuarterData, stamp: Stamp, *, office: bool) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    ws = c.xlsx_sheet(wb, "Capaian Indikator")
    headings, _rows = indicator_table(data, with_unit=office)
    # narrow enough that the sheet fitted to one A4 landscape page wide prints at about the
    # PDF table's 7 pt (Calibri 11 at ~62 %); long texts wrap onto taller rows instead
    widths = [5, 22, 32, 9] + ([18] if office else []) + [12, 12, 12, 11, 11, 13, 26, 26, 8]
    r = c.xlsx_heading(
        ws, data.agency, data.title, data.subtitle, stamp, len(headings), note=data.agreement_note
    )
    nf = c.NUM2
    offset = 1 if office else 0

    def value_format(index: int, value) -> str:
        return fmt.excel_format(value, data.rows[index].indicator.decimals)

    formats = {
        4 + offset: value_format,
        5 + offset: value_format,
        6 + offset: value_format,
        7 + offset: nf,
        8 + offset: nf,
    }
    r = c.xlsx_table(
        ws,
        r,
        headings,
        indicator_xlsx_rows(data, with_unit=office),
        widths=widths,
        number_formats=formats,
    )
    # side by side at the same height, as in the PDF: the first signer under the table's
    # left-hand columns, the last under its wide right-hand text columns (the sheet prints
    # one page wide, so both are on paper; each has empty cells to its right for its name)
    tallest = max(
        len([t for t in (s.place_date, s.caption, s.position) if t]) for s in data.signers
    )
    columns = [2, len(headings) - 2][: len(data.signers)]
    if len(data.signers) == 1:
        columns = [len(headings) - 2]
    for column, signer in zip(columns, data.signers, strict=False):
        lines = len([t for t in (signer.place_date, signer.caption, signer.position) if t])
        c.xlsx_signature(ws, r + 1 + tallest - lines, column, signer)
    if office:
        ws2 = c.xlsx_sheet(wb, "Realisasi Anggaran")
        r2 = c.xlsx_heading(
            ws2,
            data.agency,
            "Realisasi Anggaran per Program",
            data.subtitle,
            stamp,
            len(BUDGET_HEAD),
            note=data.agreement_note.replace("Target:", "Program dan anggaran:", 1),
        )
        budget = [
            [
                i,
                b.code,
                b.name,
                c.dec(b.budget),
                c.dec(b.realised_quarter),
                c.dec(b.realised_ytd),
                c.dec(b.absorption_ytd),
                c.dec(b.achievement_avg),
                efficient_text(b.efficient),
            ]
            for i, b in enumerate(data.budget, 1)
        ]
        total = budget_total(data.budget)
        if total is not None:  # the totals row, as on paper
            budget.append(
                [
                    None,
                    None,
                    "Jumlah",
                    c.dec(total.budget),
                    c.dec(total.realised_quarter),
                    c.dec(total.realised_ytd),
                    c.dec(total.absorption_ytd),
                    None,
                    None,
                ]
            )
        c.xlsx_table(
            ws2,
            r2,
            BUDGET_HEAD,
            budget,
            widths=[5, 16, 45, 18, 18, 18, 12, 14, 14],
            number_formats={3: c.money_format, 4: c.money_format, 5: c.money_format, 6: nf, 7: nf},
            bold_rows=[len(data.budget)] if data.budget else [],
        )
    return c.xlsx_bytes(wb)


def render_quarter_docx(data: QuarterData, stamp: Stamp) -> bytes:
    doc = c.docx_document(data.agency, stamp, landscape=True)
    c.docx_letterhead(doc, data.agency)
    c.docx_title(doc, data.title, data.subtitle)
    c.docx_note(doc, data.agreement_note)
    doc.add_heading("A. Capaian Indikator Kinerja", level=2)
    headings, rows = indicator_table(data, with_unit=True)
    c.docx_table(doc, headings, rows, size=7)
    if data.rows:
        c.docx_image(doc, achievement_chart(data), width_mm=220)
    doc.add_heading("B. Realisasi Anggaran per Program", level=2)
    if data.budget:
        # the chart first, so the table's last rows keep the closing and signatures
        c.docx_image(doc, budget_chart(data), width_mm=220)
        c.docx_table(doc, BUDGET_HEAD, budget_table(data.budget), keep_last=True)
    else:
        doc.add_paragraph("Belum ada Perjanjian Kinerja dengan tabel program untuk tahun ini.")
    c.docx_signatures(doc, data.signers, closing=CLOSING)
    return c.docx_bytes(doc)


@register
class UnitReport(DocumentGenerator):
    code = "laporan-unit"
    title = _("Laporan Data Kinerja Unit")
    description = _("Laporan data kinerja satu unit untuk satu triwulan (keluaran langkah 4)")
    formats = ("xlsx", "pdf")
    required = ("agency", "period", "unit")
    optional = ("case",)
    context = "case"

    def is_available_to(self, user, **params: Any) -> bool:
        """The agency's office officials and administrators; a section head only for their
        own unit."""
        scope = scope_for(user)
        unit = params.get("unit")
        if unit is None:
            return scope.sees_agency(params["agency"].pk) if params.get("agency") else False
        return scope.sees_agency(unit.agency_id) or unit.pk in scope.head_units

    def document_title(self, **params: Any) -> str:
        return "Laporan Data Kinerja"

    def issued_at(self, issue_case, **params: Any):
        """A unit's report is final when the unit's last task of the case was completed
        (its submission), else when the case was."""
        from kinerja.workflow.models import Task

        unit = params.get("unit")
        if issue_case is not None and unit is not None:
            last = (
                Task.objects.filter(case=issue_case, unit=unit, status=Task.Status.COMPLETED)
                .order_by("-completed_at")
                .values_list("completed_at", flat=True)
                .first()
            )
            if last is not None:
                return last
        return super().issued_at(issue_case, **params)

    def collect(self, *, agency, period, unit, case=None, issue_date=None) -> QuarterData:
        issue_date = issue_date or c.today_in(agency)
        rows = indicator_rows(agency=agency, period=period, unit=unit)
        agreement = agreement_for_period(agency, period)
        return QuarterData(
            agency=agency,
            period=period,
            unit=unit,
            rows=rows,
            agreement=agreement,
            issue_date=issue_date,
            missing=quarter_missing(rows, period, agreement),
            signers=[
                c.signer_for(agency, "sekcam", caption="Mengetahui,"),
                c.signer_for(agency, "kasi", unit=unit, caption="Dibuat oleh,", dated=issue_date),
            ],
            title=self.document_title(),
        )

    def render_pdf(self, data: QuarterData, *, stamp: Stamp) -> bytes:
        return render_quarter_pdf(data, stamp, office=False)

    def render_xlsx(self, data: QuarterData, *, stamp: Stamp) -> bytes:
        return render_quarter_xlsx(data, stamp, office=False)


@register
class QuarterlyReport(DocumentGenerator):
    code = "laporan-triwulan"
    title = _("Laporan Kinerja Triwulan")
    description = _("Laporan triwulan kantor: capaian indikator dan realisasi anggaran (langkah 6)")
    formats = ("xlsx", "docx", "pdf")
    required = ("agency", "period")
    optional = ("case",)
    context = "case"

    def document_title(self, **params: Any) -> str:
        return "Laporan Kinerja Triwulan"

    def collect(self, *, agency, period, case=None, issue_date=None) -> QuarterData:
        issue_date = issue_date or c.today_in(agency)
        rows = indicator_rows(agency=agency, period=period)
        agreement = agreement_for_period(agency, period)
        return QuarterData(
            agency=agency,
            period=period,
            rows=rows,
            budget=budget_rows(agency=agency, period=period),
            agreement=agreement,
            issue_date=issue_date,
            missing=quarter_missing(rows, period, agreement),
            signers=[
                c.head_signer(agency, caption="Mengetahui,"),
                c.signer_for(
                    agency,
                    "kasubag_perencanaan",
                    caption="Disusun oleh,",
                    dated=issue_date,
                    title="Kepala Subbagian Perencanaan dan Keuangan",
                ),
            ],
            title=self.document_title(),
        )

    def render_pdf(self, data: QuarterData, *, stamp: Stamp) -> bytes:
        return render_quarter_pdf(data, stamp, office=True)

    def render_xlsx(self, data: QuarterData, *, stamp: Stamp) -> bytes:
        return render_quarter_xlsx(data, stamp, office=True)

    def render_docx(self, data: QuarterData, *, stamp: Stamp) -> bytes:
        return render_quarter_docx(data, stamp)
