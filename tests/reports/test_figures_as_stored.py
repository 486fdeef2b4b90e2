"""Figures print as stored, by one formatter, in every format (issue 9 item 6, issue 12
"Names and numbers"): an indicator with 0 decimals stored as 1,50 prints 1,50 (not 2),
1.400 orang prints without decimals, a budget with cents keeps them, percentages have two
decimals, and the PK appendix of the LKjIP repeats Bab II's targets in the same order and
the same text."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook

from kinerja.reports.services import document_generate

from .test_generate import content, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(perf_office):
    from kinerja.performance.models import (
        AgreementProgram,
        AgreementTarget,
        Indicator,
        QuarterTarget,
        Realisation,
    )

    ind = Indicator.objects.get(code="IK01")
    ind.decimals = 0
    ind.unit_of_measure = "orang"
    ind.save()
    AgreementTarget.objects.filter(indicator=ind).update(target=Decimal("1400"))
    QuarterTarget.objects.filter(indicator=ind, year=2026, quarter=3).update(target=Decimal("1.2"))
    Realisation.objects.filter(indicator=ind, year=2026, quarter=3).update(value=Decimal("1.50"))
    AgreementProgram.objects.filter(code="7.01.01").update(budget=Decimal("30076800.50"))
    return perf_office


def docx_rows(data: bytes) -> list[list[str]]:
    d = Document(io.BytesIO(data))
    return [[c.text for c in row.cells] for t in d.tables for row in t.rows]


def test_quarterly_report_prints_values_as_stored(stored):
    sekcam = stored.users["sekcam"]
    args = {"actor": sekcam, "code": "laporan-triwulan", "agency": "kec-binamu"}
    docx = document_generate(fmt="docx", period="2026-Q3", **args)
    rows = docx_rows(content(docx))
    ik01 = next(r for r in rows if any(c.startswith("IK01") for c in r))
    assert "1,5" in ik01 and "2" not in ik01  # realisation stored 1,50, 0 decimals
    assert "1.400" in ik01 and "1.400,00" not in ik01  # annual target in orang
    assert "1,2" in ik01  # quarter target
    assert "125,00" in ik01  # achievement 1,5 / 1,2
    budget = next(r for r in rows if "7.01.01" in r)
    assert "30.076.800,50" in budget

    pdf = document_generate(fmt="pdf", period="2026-Q3", **args)
    flat = pdf_text(pdf).replace("\n", " ")
    assert "30.076.800,50" in flat and "30.076.801" not in flat

    xlsx = document_generate(fmt="xlsx", period="2026-Q3", **args)
    wb = load_workbook(io.BytesIO(content(xlsx)))
    ws = wb["Capaian Indikator"]
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "No")
    line = next(
        r for r in range(header + 1, ws.max_row + 1) if str(ws.cell(r, 3).value).startswith("IK01")
    )
    real = ws.cell(line, 8)
    assert real.value == 1.5 and real.number_format == "#,##0.0"
    assert ws.cell(line, 6).number_format == "#,##0"  # 1.400 orang
    sheet = wb["Realisasi Anggaran"]
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == 30076800.5)
    assert cell.number_format == "#,##0.00"


def test_lkjip_pk_appendix_matches_bab_ii(stored):
    sekcam = stored.users["sekcam"]
    docx = document_generate(actor=sekcam, code="lkjip", fmt="docx", agency="kec-binamu", year=2026)
    tables = [
        [[c.text for c in row.cells] for row in t.rows]
        for t in Document(io.BytesIO(content(docx))).tables
    ]
    pk = [t for t in tables if t[0] == ["No", "Sasaran Strategis", "Indikator Kinerja", "Target"]]
    assert len(pk) == 2, "Bab II B and the appendix"
    bab_ii, appendix = pk
    assert appendix == bab_ii  # same rows, same order, same text
    targets = [row[3] for row in bab_ii[1:]]
    assert "1.400 orang" in targets
    assert "90,00 %" in targets and "90 %" not in targets
