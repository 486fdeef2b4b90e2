"""Each DOCX/XLSX opens in LibreOffice (converted to PDF headless); a page of each PDF is
rendered to PNG under test-artifacts/reports/ for people to look at."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from kinerja.reports.services import document_generate
from tests.reports.conftest import png_of, soffice_to_pdf

pytestmark = [pytest.mark.django_db, pytest.mark.libreoffice]


def test_office_files_convert_and_pdfs_render(perf_office, run_case, artifacts):
    office = perf_office
    sekcam = office.users["sekcam"]
    produced = [
        document_generate(
            actor=sekcam, code="laporan-triwulan", fmt=f, agency="kec-binamu", period="2026-Q3"
        )
        for f in ("xlsx", "docx", "pdf")
    ]
    produced += [
        document_generate(
            actor=sekcam,
            code="laporan-unit",
            fmt=f,
            agency="kec-binamu",
            period="2026-Q3",
            unit="pemerintahan",
        )
        for f in ("xlsx", "pdf")
    ]
    produced += [
        document_generate(actor=sekcam, code="lkjip", fmt=f, agency="kec-binamu", year=2026)
        for f in ("docx", "pdf")
    ]
    produced += [
        document_generate(
            actor=sekcam, code="monitoring-sop", fmt=f, agency="kec-binamu", half="2026-H2"
        )
        for f in ("xlsx", "pdf")
    ]
    produced.append(
        document_generate(actor=sekcam, code="disposisi", fmt="pdf", case=run_case.case.pk)
    )
    produced.append(
        document_generate(
            actor=sekcam, code="sop", fmt="pdf", sop="pengumpulan-data-kinerja", paper="F4"
        )
    )
    outdir = artifacts / "converted"
    outdir.mkdir(exist_ok=True)
    for doc in produced:
        path = artifacts / f"{doc.code}.{doc.format}"
        with doc.file.open("rb") as f:
            path.write_bytes(f.read())
        if doc.format in ("docx", "xlsx"):
            pdf = soffice_to_pdf(path, outdir)
            pdf = pdf.rename(outdir / f"{doc.code}-{doc.format}.pdf")
        else:
            pdf = path
        reader = PdfReader(pdf)
        assert len(reader.pages) >= 1
        assert pdf.stat().st_size > 1000
        png = png_of(pdf, artifacts / "png" / f"{doc.code}-{doc.format}")
        assert png.stat().st_size > 1000
