"""Issue 12, drafts: a document built from unapproved or incomplete data carries a "DRAF"
watermark (PDF on every page; DOCX header watermark; XLSX header) and the list of what is
missing, and is archived as a draft. Approved, complete data gives a final document."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from kinerja.core.periods import Period
from kinerja.performance.models import Realisation
from kinerja.performance.services import lock_for_approval
from kinerja.reports.services import document_generate

pytestmark = pytest.mark.django_db

MISSING_IK01 = "realisasi Triwulan III 2026 belum diisi."


def content(doc) -> bytes:
    with doc.file.open("rb") as f:
        return f.read()


def pdf_pages(doc) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(content(doc))).pages]


def generate(actor, fmt, **extra):
    return document_generate(
        actor=actor,
        code="laporan-triwulan",
        fmt=fmt,
        agency="kec-binamu",
        period="2026-Q3",
        **extra,
    )


def approve_all(office, period):
    for unit in office.agency.units.filter(reports_performance=True):
        lock_for_approval(actor=office.users["sekcam"], unit=unit, period=period)


def test_incomplete_quarter_is_a_marked_draft_in_every_format(perf_office):
    office = perf_office
    sekcam = office.users["sekcam"]
    approve_all(office, Period(2026, 3))
    final = generate(sekcam, "pdf")
    assert final.is_draft is False and final.draft_items == []
    assert not any("DRAF" in page for page in pdf_pages(final))

    # one indicator loses its Q3 figure, one unit's approval is taken back
    Realisation.objects.filter(indicator__code="IK01", year=2026, quarter=3).delete()
    from kinerja.performance.models import UnitPeriodLock

    trantib = office.units["trantib"]
    UnitPeriodLock.objects.filter(unit=trantib, year=2026, quarter=3).delete()

    pdf = generate(sekcam, "pdf")
    assert pdf.is_draft is True
    assert any(item.startswith("IK01 ") and item.endswith(MISSING_IK01) for item in pdf.draft_items)
    assert f"{trantib.name}: data Triwulan III 2026 belum disetujui (langkah 5)." in pdf.draft_items
    pages = pdf_pages(pdf)
    assert all("DRAF" in page for page in pages), "watermark on every page"
    assert MISSING_IK01 in pages[0] and "belum untuk ditandatangani" in pages[0]

    docx = Document(io.BytesIO(content(generate(sekcam, "docx"))))
    header_xml = docx.sections[0].header._element.xml
    assert 'string="DRAF"' in header_xml and "DRAF — BELUM FINAL" in header_xml
    assert any(MISSING_IK01 in p.text for p in docx.paragraphs)

    xlsx = generate(sekcam, "xlsx")
    assert xlsx.is_draft
    wb = load_workbook(io.BytesIO(content(xlsx)))
    for ws in wb.worksheets:
        assert "DRAF" in ws.oddHeader.center.text
        texts = [c.value for row in ws.iter_rows(max_row=15) for c in row if c.value]
        assert any(MISSING_IK01 in str(t) for t in texts), ws.title


def test_unit_report_of_an_approved_complete_unit_is_final(perf_office):
    office = perf_office
    unit = office.units["pemerintahan"]
    lock_for_approval(actor=office.users["sekcam"], unit=unit, period=Period(2026, 3))
    doc = document_generate(
        actor=office.users["sekcam"],
        code="laporan-unit",
        fmt="xlsx",
        agency="kec-binamu",
        period="2026-Q3",
        unit="pemerintahan",
    )
    assert doc.is_draft is False
    ws = load_workbook(io.BytesIO(content(doc))).worksheets[0]
    assert "DRAF" not in (ws.oddHeader.center.text or "")


def test_english_user_still_gets_an_indonesian_draft_list(perf_office):
    from django.utils import translation

    with translation.override("en"):
        doc = generate(perf_office.users["sekcam"], "pdf")
    assert doc.is_draft
    assert any("Triwulan III 2026" in item for item in doc.draft_items)
