"""The annual performance report (LKjIP) draft in the structure of PermenPAN-RB 53/2014.

Every table and chart is filled from the data; the narrative parts are prompts for staff,
highlighted ``[Diisi oleh staf: …]``. The content is written once against a small writer
interface and rendered to DOCX (what staff edit) and PDF.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol

from django.utils.translation import gettext_lazy as _

from kinerja.core import formatting as fmt
from kinerja.core.periods import Period
from kinerja.organization.models import Agency, Unit
from kinerja.performance.agreements import pick_version, year_end
from kinerja.performance.models import Rollup
from kinerja.performance.selectors import (
    STATUS_MISSING,
    BudgetRow,
    IndicatorRow,
    agreement_versions,
    annual_rows,
    average_achievement,
    budget_rows,
    budget_total,
)

from ..pdf import OfficialPdf, Signer, Stamp
from . import common as c
from .base import DocumentGenerator, register
from .laporan import budget_table, value_text


class Writer(Protocol):
    def heading(self, text: str, level: int = 1) -> None: ...
    def paragraph(self, text: str) -> None: ...
    def prompt(self, text: str) -> None: ...
    def table(
        self,
        headings: list[str],
        rows: list[list[str]],
        widths: list[float],
        signers: list[Signer] | None = None,
    ) -> None: ...
    def image(self, png: bytes) -> None: ...
    def signatures(self, signers: list[Signer], closing: str = "") -> None: ...
    def page_break(self) -> None: ...


def render_pdf_toc(pdf: OfficialPdf, outline) -> None:
    """The printed Daftar Isi: chapters and sections with their page numbers, dot leaders."""
    from ..pdf import FONT

    pdf.set_font(FONT, "B", 12)
    pdf.cell(0, 8, "DAFTAR ISI", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for section in outline:
        if section.level > 1:
            continue
        indent = 8.0 * section.level
        pdf.set_font(FONT, "B" if section.level == 0 else "", 9.5)
        page = str(section.page_number)
        width = pdf.content_width - indent - 12
        name = section.name
        dots = "." * max(
            3, int((width - pdf.get_string_width(name)) / pdf.get_string_width(".")) - 2
        )
        pdf.set_x(pdf.l_margin + indent)
        pdf.cell(width, 6, f"{name} {dots}")
        pdf.cell(12, 6, page, align="R", new_x="LMARGIN", new_y="NEXT")


class PdfWriter:
    def __init__(self, pdf: OfficialPdf) -> None:
        self.pdf = pdf

    def heading(self, text: str, level: int = 1) -> None:
        if level == 0:
            self.pdf.title_block(text)
        else:
            self.pdf.heading(text, size={1: 11.5, 2: 10.5, 3: 9.5}[level])
            if level <= 2:  # an outline entry for the Daftar Isi and the PDF bookmarks
                self.pdf.start_section(text, level=level - 1)

    def paragraph(self, text: str) -> None:
        self.pdf.paragraph(text)

    def prompt(self, text: str) -> None:
        self.pdf.prompt(text)

    def table(self, headings, rows, widths, signers=None) -> None:
        """A table; ``signers`` sign under it, kept on one page with its last rows."""
        sign = (lambda: self.pdf.signatures(signers)) if signers else None
        if rows:
            self.pdf.grid([headings], rows, widths=widths, font_size=7.5, keep_with_next=sign)
        else:
            self.pdf.paragraph("(belum ada data)")
            if sign:
                self.pdf.keep_together(sign)

    def image(self, png: bytes) -> None:
        if self.pdf.get_y() > self.pdf.h - 110:
            self.pdf.add_page()
        self.pdf.image(png, w=self.pdf.content_width)
        self.pdf.ln(2)

    def signatures(self, signers: list[Signer], closing: str = "") -> None:
        self.pdf.closing(closing, signers)

    def page_break(self) -> None:
        self.pdf.add_page()


class DocxWriter:
    def __init__(self, doc) -> None:
        self.doc = doc

    def heading(self, text: str, level: int = 1) -> None:
        if level == 0:
            c.docx_title(self.doc, text)
        else:
            self.doc.add_heading(text, level=level)

    def paragraph(self, text: str) -> None:
        self.doc.add_paragraph(text)

    def prompt(self, text: str) -> None:
        c.docx_prompt(self.doc, text)

    def table(self, headings, rows, widths, signers=None) -> None:
        if rows:
            c.docx_table(self.doc, headings, rows, keep_last=bool(signers))
        else:
            self.doc.add_paragraph("(belum ada data)")
        if signers:
            c.docx_signatures(self.doc, signers)

    def image(self, png: bytes) -> None:
        c.docx_image(self.doc, png, width_mm=155)

    def signatures(self, signers: list[Signer], closing: str = "") -> None:
        c.docx_signatures(self.doc, signers, closing=closing)

    def page_break(self) -> None:
        self.doc.add_page_break()


@dataclass
class LkjipData:
    agency: Agency
    year: int
    rows: list[IndicatorRow]
    budget: list[BudgetRow]
    units: list[Unit]
    agreement: Any = None  # PerformanceAgreement with targets and programs prefetched
    head: Signer | None = None
    regent: Signer | None = None
    previous_years: list[int] = field(default_factory=list)
    issue_date: Any = None  # the place-and-date line's date
    missing: list[str] = field(default_factory=list)  # why it is a draft (issue 12)

    @property
    def title(self) -> str:
        return f"Laporan Kinerja Instansi Pemerintah (LKjIP) Tahun {self.year}"

    def by_objective(self) -> list[tuple[Any, list[IndicatorRow]]]:
        groups: dict[int, tuple[Any, list[IndicatorRow]]] = {}
        for row in self.rows:
            groups.setdefault(row.objective.pk, (row.objective, []))[1].append(row)
        return list(groups.values())


ANNUAL_BUDGET_HEAD = [
    "No",
    "Kode",
    "Program",
    "Anggaran (Rp)",
    "Realisasi (Rp)",
    "Serapan (%)",
    "Rata-rata Capaian Kinerja (%)",
    "Efisien",
]


def annual_missing(rows: list[IndicatorRow], year: int, agreement) -> list[str]:
    """Why an LKjIP is a draft: no PK, units whose four quarters are not all approved,
    indicators without a full year's realisation."""
    items = []
    if agreement is None:
        items.append(f"Perjanjian Kinerja {year} belum dicatat.")
    pending: dict[int, str] = {}
    for row in rows:
        if row.unit is not None and not row.locked:
            pending.setdefault(row.unit.pk, row.unit.name)
    items += [
        f"{name}: data keempat triwulan {year} belum seluruhnya disetujui."
        for name in pending.values()
    ]
    items += [
        f"{r.indicator.code} {r.indicator.name}: realisasi tahun {year} belum diisi."
        for r in rows
        if r.status == STATUS_MISSING
    ]
    return items


def annual_text(row: IndicatorRow, value) -> str:
    """A year's realisation as printed: the indicator's own decimals. A year rolled up by
    the average rule is computed, not stored (IKM quarters 79,52 + 80,10 + 80,05 + 80,10 give
    79,9425): it is rounded half up to those decimals (79,94) like every computed figure;
    sums and last values print as stored (:func:`value_text`). Achievements are computed
    from the exact figure (:func:`kinerja.performance.selectors.annual_rows`)."""
    if value is None or row.indicator.rollup != Rollup.AVERAGE:
        return value_text(row, value)
    places = max(int(row.indicator.decimals or 0), 0)
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return fmt.measure(rounded, places)


def write_lkjip(w: Writer, data: LkjipData) -> None:
    year = data.year
    # Ikhtisar Eksekutif ----------------------------------------------------------------
    w.heading("IKHTISAR EKSEKUTIF", 1)
    # every rating here rates the whole year's achievement (annual_rows)
    counts = Counter(r.rating.label if r.rating else "Belum dapat dinilai" for r in data.rows)
    average = average_achievement(data.rows)
    w.paragraph(
        f"Pada tahun {year}, {data.agency.name} mengukur {len(data.rows)} indikator kinerja "
        f"dengan rata-rata capaian {fmt.percent(average)}."
    )
    w.table(
        [f"Predikat Capaian Tahun {year}", "Jumlah Indikator"],
        [[label, str(n)] for label, n in counts.most_common()],
        [60, 30],
    )
    total = budget_total(data.budget)
    if total is not None:
        w.paragraph(
            f"Realisasi anggaran {fmt.rupiah(total.realised_ytd)} dari pagu "
            f"{fmt.rupiah(total.budget)} ({fmt.percent(total.absorption_ytd)})."
        )
    w.prompt(
        "ringkasan capaian kinerja utama, keberhasilan, permasalahan dan langkah perbaikan "
        "(1-2 halaman)"
    )
    # Bab I --------------------------------------------------------------------------------
    w.page_break()
    w.heading("BAB I PENDAHULUAN", 1)
    w.heading("A. Latar Belakang", 2)
    w.prompt("latar belakang penyusunan LKjIP dan dasar hukumnya")
    w.heading("B. Tugas Pokok, Fungsi dan Struktur Organisasi", 2)
    w.prompt("tugas pokok dan fungsi instansi sesuai peraturan bupati/wali kota")
    w.table(
        ["No", "Unit Kerja"],
        [[str(i), u.name] for i, u in enumerate(data.units, 1)],
        [12, 120],
    )
    w.heading("C. Isu Strategis", 2)
    w.prompt("isu strategis dan permasalahan utama yang dihadapi instansi")
    # Bab II -------------------------------------------------------------------------------
    w.heading("BAB II PERENCANAAN KINERJA", 1)
    w.heading("A. Rencana Strategis", 2)
    w.table(
        ["No", "Sasaran Strategis", "Indikator Kinerja", "Satuan", "Kondisi Awal", "Target Akhir"],
        [
            [
                str(i),
                r.objective.name,
                r.indicator.name,
                r.indicator.unit_of_measure,
                value_text(r, r.indicator.baseline),
                value_text(r, r.final_target),
            ]
            for i, r in enumerate(data.rows, 1)
        ],
        [8, 45, 55, 16, 20, 20],
    )
    w.heading(f"B. Perjanjian Kinerja Tahun {year}", 2)
    w.table(
        ["No", "Sasaran Strategis", "Indikator Kinerja", "Target"],
        [
            [
                str(i),
                r.objective.name,
                r.indicator.name,
                fmt.indicator_value(r.annual_target, r.indicator, unit=True),
            ]
            for i, r in enumerate(data.rows, 1)
        ],
        [8, 60, 70, 30],
    )
    # Bab III ------------------------------------------------------------------------------
    w.page_break()
    w.heading("BAB III AKUNTABILITAS KINERJA", 1)
    w.heading("A. Capaian Kinerja Organisasi", 2)
    for n, (objective, rows) in enumerate(data.by_objective(), 1):
        w.heading(f"Sasaran {n}: {objective.name}", 3)
        w.paragraph("1) Perbandingan target dan realisasi tahun ini")
        w.table(
            ["No", "Indikator", "Satuan", "Target", "Realisasi", "Capaian (%)", "Predikat Tahunan"],
            [
                [
                    str(i),
                    r.indicator.name,
                    r.indicator.unit_of_measure,
                    value_text(r, r.annual_target),
                    annual_text(r, r.realisation),
                    fmt.number(r.achievement),
                    r.rating.label if r.rating else "-",
                ]
                for i, r in enumerate(rows, 1)
            ],
            [8, 60, 16, 20, 20, 18, 22],
        )
        w.paragraph("2) Perbandingan realisasi dengan tahun-tahun sebelumnya")
        # the earlier years that have data for these indicators (no all-"-" columns)
        years = [y for y in data.previous_years if any(y in r.previous_realisations for r in rows)]
        w.table(
            ["Indikator", *[str(y) for y in years], str(year)],
            [
                [
                    r.indicator.name,
                    *[annual_text(r, r.previous_realisations.get(y)) for y in years],
                    annual_text(r, r.realisation),
                ]
                for r in rows
            ],
            [60, *[18] * len(years), 18],
        )
        w.paragraph("3) Perbandingan realisasi dengan target akhir Renstra")
        w.table(
            [
                "Indikator",
                "Target Akhir Renstra",
                f"Realisasi {year}",
                "Capaian thd Target Akhir (%)",
            ],
            [
                [
                    r.indicator.name,
                    value_text(r, r.final_target),
                    annual_text(r, r.realisation),
                    fmt.number(r.achievement_final),
                ]
                for r in rows
            ],
            [70, 30, 30, 35],
        )
        # one chart per unit of measure (orang and hari never share an axis); series in
        # chronological order, years without data left out, labels as the tables round
        by_unit: dict[str, list[IndicatorRow]] = {}
        for r in rows:
            by_unit.setdefault(r.indicator.unit_of_measure or "-", []).append(r)
        for unit, group in by_unit.items():
            series = [
                c.Series(
                    "Target",
                    [c.dec(r.annual_target) for r in group],
                    [value_text(r, r.annual_target) for r in group],
                ),
                *[
                    c.Series(
                        f"Realisasi {y}",
                        [c.dec(r.previous_realisations.get(y)) for r in group],
                        [annual_text(r, r.previous_realisations.get(y)) for r in group],
                    )
                    for y in years[-2:]
                ],
                c.Series(
                    f"Realisasi {year}",
                    [c.dec(r.realisation) for r in group],
                    [annual_text(r, r.realisation) for r in group],
                ),
            ]
            suffix = f" ({unit})" if len(by_unit) > 1 else ""
            w.image(
                c.bar_chart(
                    [r.indicator.code for r in group],
                    series,
                    title=f"Target dan Realisasi — Sasaran {n}{suffix}",
                    ylabel=unit,
                )
            )
        w.paragraph("4) Perbandingan dengan standar nasional")
        w.prompt("perbandingan capaian dengan standar nasional, bila ada")
        w.paragraph("5) Analisis penyebab keberhasilan/kegagalan dan solusi")
        problems = [f"{r.indicator.code}: {r.problems}" for r in rows if r.problems]
        actions = [f"{r.indicator.code}: {r.actions}" for r in rows if r.actions]
        if problems:
            w.paragraph("Kendala yang dicatat setiap triwulan:\n" + "\n".join(problems))
        if actions:
            w.paragraph("Upaya yang dicatat setiap triwulan:\n" + "\n".join(actions))
        w.prompt("analisis penyebab keberhasilan atau kegagalan dan alternatif solusi")
        w.paragraph("6) Program dan kegiatan yang menunjang pencapaian")
        codes = {r.indicator.code for r in rows}
        supporting = [b for b in data.budget if codes & set(b.indicator_codes)]
        w.table(
            ["Kode", "Program", "Anggaran (Rp)", "Realisasi (Rp)"],
            [[b.code, b.name, fmt.money(b.budget), fmt.money(b.realised_ytd)] for b in supporting],
            [25, 80, 30, 30],
        )
    w.heading("B. Realisasi Anggaran", 2)
    # the year's table: no quarter column (budget_table's column 4 is the last quarter's)
    annual_rows_ = [[*row[:4], *row[5:]] for row in budget_table(data.budget)]
    w.table(ANNUAL_BUDGET_HEAD, annual_rows_, [8, 18, 56, 26, 26, 16, 20, 18])
    if data.budget:
        w.image(
            c.bar_chart(
                [b.code for b in data.budget],
                [
                    c.Series(
                        "Serapan anggaran (%)", [c.dec(b.absorption_ytd) for b in data.budget]
                    ),
                    c.Series(
                        "Rata-rata capaian (%)", [c.dec(b.achievement_avg) for b in data.budget]
                    ),
                ],
                title=f"Efisiensi: Serapan Anggaran dan Capaian Kinerja {year}",
                ylabel="%",
                percent=True,
            )
        )
    w.prompt("analisis efisiensi penggunaan sumber daya")
    # Bab IV --------------------------------------------------------------------------------
    w.heading("BAB IV PENUTUP", 1)
    w.prompt("simpulan umum atas capaian kinerja dan langkah perbaikan ke depan")
    if data.head:
        w.signatures(
            [data.head],
            closing=f"Demikian Laporan Kinerja Instansi Pemerintah {data.agency.name} Tahun "
            f"{year} ini disusun sebagai wujud pertanggungjawaban atas pelaksanaan tugas dan "
            "fungsi serta pencapaian sasaran strategis yang ditetapkan.",
        )
    # Lampiran ------------------------------------------------------------------------------
    w.page_break()
    w.heading("LAMPIRAN: PERJANJIAN KINERJA TAHUN " + str(year), 1)
    agreement = data.agreement
    if agreement is None:
        w.paragraph("Perjanjian Kinerja tahun ini belum dicatat.")
        return
    w.paragraph(f"Versi {agreement.version}, berlaku sejak {fmt.date(agreement.effective_date)}.")
    # The rows in Bab II's order, printed by the same formatter (no "96 %" beside "96,00 %").
    order = {r.indicator.pk: i for i, r in enumerate(data.rows)}
    targets = sorted(
        agreement.targets.all(), key=lambda t: (order.get(t.indicator_id, len(order)), t.pk)
    )
    w.table(
        ["No", "Sasaran Strategis", "Indikator Kinerja", "Target"],
        [
            [
                str(i),
                t.indicator.objective.name,
                t.indicator.name,
                fmt.indicator_value(t.target, t.indicator, unit=True),
            ]
            for i, t in enumerate(targets, 1)
        ],
        [8, 60, 70, 30],
    )
    programs = list(agreement.programs.all())
    # The appendix reproduces the PK as signed: dated the day the version took effect, the
    # signatures kept with the last rows of the programme table.
    signers = [data.regent] if data.regent else []
    if data.head:
        signers.append(
            replace(
                data.head,
                caption="PIHAK PERTAMA,",
                place_date=c.place_date(data.agency, agreement.effective_date),
            )
        )
    w.table(
        ["No", "Program", "Anggaran (Rp)"],
        [[str(i), p.name, fmt.money(p.budget)] for i, p in enumerate(programs, 1)],
        [8, 110, 40],
        signers=signers,
    )


@register
class Lkjip(DocumentGenerator):
    code = "lkjip"
    title = _("Laporan Kinerja Tahunan (LKjIP)")
    description = _("Rancangan LKjIP sesuai PermenPAN-RB 53/2014 untuk dilengkapi staf")
    formats = ("docx", "pdf")
    required = ("agency", "year")
    optional = ("case", "paper")

    def document_title(self, **params: Any) -> str:
        return f"LKjIP Tahun {params.get('year', '')}".strip()

    def collect(self, *, agency, year, case=None, paper: str = "A4", issue_date=None) -> LkjipData:
        issue_date = issue_date or c.today_in(agency)
        # the PK version in force at the year's end (kinerja.performance.agreements)
        agreement = pick_version(agreement_versions(agency=agency, year=year), year_end(year))
        if agreement is not None:
            # the targets' objectives for the appendix, in one query
            from django.db.models import prefetch_related_objects

            prefetch_related_objects([agreement], "targets__indicator__objective")
        rows = annual_rows(agency=agency, year=year)
        return LkjipData(
            agency=agency,
            year=year,
            rows=rows,
            missing=annual_missing(rows, year, agreement),
            budget=budget_rows(agency=agency, period=Period(year)),
            units=list(agency.units.filter(is_active=True).order_by("order", "name")),
            agreement=agreement,
            head=c.head_signer(agency, dated=issue_date),
            regent=Signer(position="Bupati", caption="PIHAK KEDUA,", show_nip=False),
            issue_date=issue_date,
            previous_years=list(range(year - 4, year)),
        )

    def render_pdf(self, data: LkjipData, *, stamp: Stamp) -> bytes:
        pdf = OfficialPdf(stamp=stamp, title=data.title, running_head=data.agency.name)
        pdf.add_page()
        pdf.letterhead(c.letterhead(data.agency))
        pdf.ln(30)
        pdf.title_block(data.title, data.agency.name, "(Rancangan)")
        pdf.add_page()
        pdf.insert_toc_placeholder(render_pdf_toc, pages=1)
        write_lkjip(PdfWriter(pdf), data)
        return pdf.output_bytes()

    def render_docx(self, data: LkjipData, *, stamp: Stamp) -> bytes:
        doc = c.docx_document(data.agency, stamp)
        c.docx_letterhead(doc, data.agency)
        c.docx_title(doc, data.title, data.agency.name, "(Rancangan)")
        doc.add_page_break()
        toc = c.docx_toc(doc)
        doc.add_page_break()
        write_lkjip(DocxWriter(doc), data)
        c.docx_fill_toc(doc, toc)
        return c.docx_bytes(doc)
