"""Issue 12, the XLSX sheets as printed: an official sheet printed from the spreadsheet comes
out like the PDF. Every XLSX document of the demo office is printed through LibreOffice
headless at the sheet's own page setup and read page by page:

* the office quarterly report prints on no more pages than its PDF;
* every page shows the table's full width (no pages holding a chunk of columns): each page
  carries the first heading or the row numbers, and the last column;
* the letterhead is whole on the first page, and every signer's name and NIP are on one
  page;
* the cells stay what they are (numbers as numbers), only the page setup is set.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.reports.layout import convert

pytestmark = [pytest.mark.django_db, pytest.mark.libreoffice]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "xlsx-print"
AGENCY = "kec-binamu"
SOP = "pengumpulan-data-kinerja"


def _texts(pdf: Path) -> list[str]:
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(str(pdf)).pages]


@pytest.fixture(scope="module")
def printed(django_db_setup, django_db_blocker):
    """{name: (xlsx path, page texts of its print)} plus the office report PDF's page count
    and the signers' names; every XLSX the demo office offers (both quarters' office report,
    every unit's report of the running quarter, both half-years' SOP monitoring)."""
    from django.db import connection, transaction

    from kinerja.demo.history import ensure_demo
    from kinerja.organization.models import Agency
    from kinerja.reports.services import document_generate
    from kinerja.workflow.models import Case

    with django_db_blocker.unblock(), transaction.atomic():
        folder = ARTIFACTS / connection.vendor
        shutil.rmtree(folder, ignore_errors=True)
        (folder / "pdf").mkdir(parents=True)
        ensure_demo()
        agency = Agency.objects.get(code=AGENCY)
        cases = list(Case.objects.filter(agency=agency, sop_code=SOP).order_by("period"))
        finished, running = cases[-2], cases[-1]
        plan = [("laporan-triwulan", {"period": c.period}) for c in (finished, running)]
        for unit in agency.units.filter(is_active=True).order_by("order", "name"):
            if unit.indicators.exists():
                plan.append(("laporan-unit", {"period": running.period, "unit": unit.code}))
        year = int(running.period[:4])
        plan += [("monitoring-sop", {"half": f"{year}-H{h}"}) for h in (1, 2)]
        paths = []
        for code, params in plan:
            doc = document_generate(actor=None, code=code, fmt="xlsx", agency=AGENCY, **params)
            path = folder / ("-".join([code, *params.values()]) + ".xlsx")
            with doc.file.open("rb") as f:
                path.write_bytes(f.read())
            paths.append(path)
        office_pdf = folder / "pdf" / "laporan-triwulan-office.pdf"
        doc = document_generate(
            actor=None, code="laporan-triwulan", fmt="pdf", agency=AGENCY, period=finished.period
        )
        with doc.file.open("rb") as f:
            office_pdf.write_bytes(f.read())
        out = convert(paths, folder / "pdf")
        sheets = {p.name: (p, _texts(out[p])) for p in paths}
        yield sheets, len(PdfReader(str(office_pdf)).pages), agency, folder
        transaction.set_rollback(True)


def test_the_office_report_prints_like_its_pdf(printed):
    sheets, pdf_pages, _agency, _folder = printed
    office = [n for n in sheets if n.startswith("laporan-triwulan")]
    assert len(office) == 2
    for name in office:
        pages = sheets[name][1]
        assert len(pages) <= pdf_pages, (name, len(pages), pdf_pages)


def test_every_page_shows_the_full_width_of_the_table(printed):
    sheets, _pdf_pages, agency, _folder = printed
    for name, (path, pages) in sheets.items():
        wb = load_workbook(path)
        # the heading row of each sheet: the first cell reading "No"
        firsts, lasts = [], []
        for ws in wb.worksheets:
            head = next(r for r in ws.iter_rows() if r[0].value == "No")
            values = [c.value for c in head if c.value]
            firsts.append(values[0])
            lasts.append(str(values[-1]).split()[0])
        for number, text in enumerate(pages, 1):
            assert "No" in text.split() or any(  # the heading, repeated on every page
                t.split()[0] in text for t in firsts
            ), (name, number, text[:200])
            # the last column too: no page holds only the left-hand columns
            assert any(last in text for last in lasts), (name, number, lasts, text[:300])
        # the letterhead whole on the first page, never cut between pages
        assert agency.name.upper() in pages[0], (name, pages[0][:200])
        assert agency.parent_name.upper() in pages[0], (name, pages[0][:200])


def test_signers_names_and_nips_are_on_one_page(printed):
    sheets, _pdf_pages, _agency, _folder = printed
    for name, (path, pages) in sheets.items():
        ws = load_workbook(path).worksheets[0]
        nips = [c for row in ws.iter_rows() for c in row if str(c.value or "").startswith("NIP.")]
        nip_rows = [c.row for c in nips]
        signers = [str(ws.cell(row=c.row - 1, column=c.column).value) for c in nips]
        assert signers, name
        # every signer's name and NIP on one page, with the table's last row
        holding = [i for i, t in enumerate(pages) if all(s in t for s in signers)]
        assert holding, (name, signers, [t[-300:] for t in pages])
        page = pages[holding[0]]
        assert page.count("NIP.") >= len(signers), (name, page[-300:])
        head = next(r for r in ws.iter_rows() if r[0].value == "No")[0].row
        last = max(r for r in range(head + 1, nip_rows[0]) if ws.cell(row=r, column=1).value)
        others = {ws.cell(row=r, column=c).value for r in range(head + 1, last) for c in (2, 3)}
        unique = next(
            str(ws.cell(row=last, column=c).value)
            for c in (2, 3)
            if ws.cell(row=last, column=c).value not in others
        )
        assert unique.split()[0] in page, (name, unique, page[:400])


def test_the_cells_stay_numbers_and_the_page_setup_is_for_print(printed):
    sheets, _pdf_pages, _agency, _folder = printed
    for name, (path, _pages) in sheets.items():
        wb = load_workbook(path)
        for ws in wb.worksheets:
            setup = ws.page_setup
            assert int(setup.paperSize) == int(ws.PAPERSIZE_A4), name
            assert ws.sheet_properties.pageSetUpPr.fitToPage, name
            assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, 0), name
            assert ws.print_title_rows, name
            assert ws.print_area, name
            assert ws.page_margins.left <= 0.8 and ws.page_margins.top <= 1.0, name
            head = next(r for r in ws.iter_rows() if r[0].value == "No")
            numbers = [
                ws.cell(row=r, column=1).value
                for r in range(head[0].row + 1, ws.max_row + 1)
                if ws.cell(row=r, column=1).value is not None
            ]
            assert numbers and all(isinstance(n, int) for n in numbers), (name, numbers[:5])
        if name.startswith("laporan-"):
            ws = wb.worksheets[0]
            values = [c.value for row in ws.iter_rows() for c in row]
            assert any(isinstance(v, float | int) and not isinstance(v, bool) for v in values[20:])


@pytest.mark.parametrize(("rows", "broken"), [(10, False), (24, True)])
def test_a_break_keeps_the_signatures_with_the_last_rows(rows, broken):
    """The simulated page breaks: a short table prints whole with its signatures; one whose
    natural break would fall inside the signature block gets a manual break before its last
    two rows (not before, say, the signature block itself)."""
    from openpyxl import Workbook

    from kinerja.reports.generators import common as c
    from kinerja.reports.pdf import Signer

    wb = Workbook()
    wb.remove(wb.active)
    ws = c.xlsx_sheet(wb, "Uji")
    table = [[i, "teks " * 10, 1.5] for i in range(1, rows + 1)]  # one line a row
    end = c.xlsx_table(ws, 3, ["No", "Uraian", "Nilai"], table, widths=[5, 60, 12])
    signer = Signer(
        position="Camat",
        name="Nama",
        nip="196911202021011001",
        place_date="Binamu, 1 Juli 2026",
        caption="Mengetahui,",
    )
    c.xlsx_signature(ws, end, 2, signer)
    c.xlsx_bytes(wb)
    assert ws.print_area == f"'Uji'!$A$1:$C${ws.max_row}"
    breaks = [b.id for b in ws.row_breaks.brk]
    last_row = 3 + rows
    assert breaks == ([last_row - 2] if broken else []), (breaks, last_row)
