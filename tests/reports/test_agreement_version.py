"""Issue 3: reports say which Perjanjian Kinerja version their targets come from — the unit
report and the quarterly report, in every format, after a revision of the PK."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from kinerja.performance.services import agreement_revise
from kinerja.reports.services import document_generate

pytestmark = pytest.mark.django_db

V1 = "Target: Perjanjian Kinerja 2026 versi 1 (berlaku 31 Januari 2026)"
V2 = (
    "Target: Perjanjian Kinerja 2026 versi 2 (revisi, berlaku 1 Juli 2026: "
    "Perubahan APBD 2026 menggeser target layanan)"
)


def read(doc) -> bytes:
    with doc.file.open("rb") as f:
        return f.read()


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_text(doc) -> str:
    return flat(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(read(doc))).pages))


def docx_paragraphs(doc) -> list[str]:
    return [p.text for p in Document(io.BytesIO(read(doc))).paragraphs]


def xlsx_cells(doc) -> dict[str, list[str]]:
    wb = load_workbook(io.BytesIO(read(doc)))
    return {
        ws.title: [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
        for ws in wb.worksheets
    }


def generate(actor, code, fmt, **extra):
    return document_generate(
        actor=actor, code=code, fmt=fmt, agency="kec-binamu", period="2026-Q3", **extra
    )


def test_reports_name_the_revised_agreement_version(perf_office):
    office = perf_office
    planner = office.users["kasubag_perencanaan"]
    unit = {"unit": "pemerintahan"}

    before = generate(planner, "laporan-unit", "pdf", **unit)
    assert V1 in pdf_text(before)

    agreement, _warnings = agreement_revise(
        actor=planner,
        agency=office.agency,
        year=2026,
        reason="Perubahan APBD 2026\nmenggeser target layanan",
        effective_date=dt.date(2026, 7, 1),
        targets={"IK01": Decimal("95")},
    )
    assert agreement.version == 2

    # PDF (pypdf text)
    for code, extra in (("laporan-unit", unit), ("laporan-triwulan", {})):
        text = pdf_text(generate(planner, code, "pdf", **extra))
        assert V2 in text, code
        assert "versi 1" not in text

    # XLSX (openpyxl cell text): the indicator sheet names the version of the targets; the
    # budget sheet of the quarterly report the version of the programme table.
    unit_cells = xlsx_cells(generate(planner, "laporan-unit", "xlsx", **unit))
    assert V2 in unit_cells["Capaian Indikator"]
    office_cells = xlsx_cells(generate(planner, "laporan-triwulan", "xlsx"))
    assert V2 in office_cells["Capaian Indikator"]
    assert V2.replace("Target:", "Program dan anggaran:") in office_cells["Realisasi Anggaran"]

    # DOCX (python-docx paragraph text)
    paragraphs = docx_paragraphs(generate(planner, "laporan-triwulan", "docx"))
    assert V2 in paragraphs
    assert not any("versi 1" in p for p in paragraphs)

    # The earlier document keeps saying version 1: it is archived as it was.
    assert V1 in pdf_text(before)


def test_report_without_agreement_says_so(office):
    doc = generate(office.users["sekcam"], "laporan-triwulan", "docx")
    assert "Target: belum ada Perjanjian Kinerja 2026" in docx_paragraphs(doc)
