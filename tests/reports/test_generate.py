"""Every generator in every format, archived, opened with its own library and checked."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from kinerja.core.errors import PermissionDenied
from kinerja.core.models import AuditEvent
from kinerja.reports.models import GeneratedDocument
from kinerja.reports.services import document_generate

pytestmark = pytest.mark.django_db


def content(doc: GeneratedDocument) -> bytes:
    with doc.file.open("rb") as f:
        return f.read()


def pdf_text(doc: GeneratedDocument) -> str:
    reader = PdfReader(io.BytesIO(content(doc)))
    return "\n".join(page.extract_text() for page in reader.pages)


def docx_text(doc: GeneratedDocument) -> tuple[list[str], str]:
    d = Document(io.BytesIO(content(doc)))
    headings = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    text = "\n".join(p.text for p in d.paragraphs)
    for table in d.tables:
        for row in table.rows:
            text += "\n" + " | ".join(c.text for c in row.cells)
    return headings, text


def test_quarterly_report_all_formats(perf_office, artifacts):
    office = perf_office
    sekcam = office.users["sekcam"]
    pdf = document_generate(
        actor=sekcam, code="laporan-triwulan", fmt="pdf", agency="kec-binamu", period="2026-Q3"
    )
    text = pdf_text(pdf)
    assert "LAPORAN KINERJA TRIWULAN" in text
    assert "Triwulan III 2026" in text
    assert "KANTOR KECAMATAN BINAMU" in text
    assert f"/v/{pdf.short_code}" in text.replace("\n", "")
    assert "1.250.000.000" in text  # budget in Indonesian format
    assert "NIP. 19691120 202101 1 001" in text  # the Camat signs
    (artifacts / "laporan-triwulan.pdf").write_bytes(content(pdf))

    xlsx = document_generate(
        actor=sekcam, code="laporan-triwulan", fmt="xlsx", agency="kec-binamu", period="2026-Q3"
    )
    wb = load_workbook(io.BytesIO(content(xlsx)))
    ws = wb["Capaian Indikator"]
    assert ws["A2"].value == "KANTOR KECAMATAN BINAMU"
    header_row = next(r for r in range(1, 60) if ws.cell(r, 1).value == "No")
    assert ws.cell(header_row, 8).value == "Realisasi TW III"
    assert ws.cell(header_row + 1, 3).value.startswith("IK01")
    assert isinstance(ws.cell(header_row + 1, 8).value, float)
    assert "Realisasi Anggaran" in wb.sheetnames
    (artifacts / "laporan-triwulan.xlsx").write_bytes(content(xlsx))

    docx = document_generate(
        actor=sekcam, code="laporan-triwulan", fmt="docx", agency="kec-binamu", period="2026-Q3"
    )
    headings, text = docx_text(docx)
    assert "A. Capaian Indikator Kinerja" in headings
    assert "B. Realisasi Anggaran per Program" in headings
    assert "Program Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota" in text
    (artifacts / "laporan-triwulan.docx").write_bytes(content(docx))

    assert GeneratedDocument.objects.count() == 3
    assert len({pdf.short_code, xlsx.short_code, docx.short_code}) == 3
    assert AuditEvent.objects.filter(action="document.generated").count() == 3


def test_unit_report_and_access(perf_office, artifacts):
    office = perf_office
    kasi = office.users["kasi_pemerintahan"]
    doc = document_generate(
        actor=kasi,
        code="laporan-unit",
        fmt="pdf",
        agency="kec-binamu",
        period="2026-Q3",
        unit="pemerintahan",
    )
    text = pdf_text(doc)
    assert "Seksi Pemerintahan" in text
    assert "Syamsul Rijal Daeng Sese" in text
    (artifacts / "laporan-unit.pdf").write_bytes(content(doc))
    xlsx = document_generate(
        actor=kasi,
        code="laporan-unit",
        fmt="xlsx",
        agency="kec-binamu",
        period="2026-Q3",
        unit="pemerintahan",
    )
    ws = load_workbook(io.BytesIO(content(xlsx))).active
    assert ws["A4"].value == "Seksi Pemerintahan — Triwulan III 2026"
    (artifacts / "laporan-unit.xlsx").write_bytes(content(xlsx))
    with pytest.raises(PermissionDenied):
        document_generate(
            actor=kasi,
            code="laporan-unit",
            fmt="pdf",
            agency="kec-binamu",
            period="2026-Q3",
            unit="trantib",
        )
    with pytest.raises(PermissionDenied):
        document_generate(
            actor=kasi, code="laporan-triwulan", fmt="pdf", agency="kec-binamu", period="2026-Q3"
        )


def test_lkjip(perf_office, artifacts):
    office = perf_office
    user = office.users["kasubag_perencanaan"]
    docx = document_generate(actor=user, code="lkjip", fmt="docx", agency="kec-binamu", year=2026)
    headings, text = docx_text(docx)
    for heading in [
        "IKHTISAR EKSEKUTIF",
        "BAB I PENDAHULUAN",
        "BAB II PERENCANAAN KINERJA",
        "BAB III AKUNTABILITAS KINERJA",
        "A. Capaian Kinerja Organisasi",
        "B. Realisasi Anggaran",
        "BAB IV PENUTUP",
    ]:
        assert heading in headings
    assert "[Diisi oleh staf:" in text
    assert "Target Akhir Renstra" in text
    (artifacts / "lkjip.docx").write_bytes(content(docx))
    pdf = document_generate(actor=user, code="lkjip", fmt="pdf", agency="kec-binamu", year=2026)
    text = pdf_text(pdf)
    assert "BAB III AKUNTABILITAS KINERJA" in text
    assert "PERJANJIAN KINERJA TAHUN 2026" in text
    (artifacts / "lkjip.pdf").write_bytes(content(pdf))


def test_sop_document(office, artifacts):
    user = office.users["analis_1"]
    pdf = document_generate(actor=user, code="sop", fmt="pdf", sop="pengumpulan-data-kinerja")
    text = pdf_text(pdf)
    for needle in [
        "NOMOR SOP",
        "DASAR HUKUM",
        "KUALIFIKASI PELAKSANA",
        "PENCATATAN DAN PENDATAAN",
        "Kelengkapan",
        "Mutu Baku",
        "Kasubag",
        "15 Menit",
        "Tidak (4)",
    ]:
        assert needle in text, needle
    (artifacts / "sop-a4.pdf").write_bytes(content(pdf))
    f4 = document_generate(
        actor=user, code="sop", fmt="pdf", sop="pengumpulan-data-kinerja", paper="F4"
    )
    page = PdfReader(io.BytesIO(content(f4))).pages[0]
    width_mm = float(page.mediabox.width) / 72 * 25.4
    assert round(width_mm) == 330  # landscape F4
    svg = document_generate(actor=user, code="sop", fmt="svg", sop="pengumpulan-data-kinerja")
    text = content(svg).decode()
    assert text.startswith("<svg") and "Pelaksana" in text and "<polygon" in text


def test_disposition_sheet(run_case, artifacts):
    office = run_case
    doc = document_generate(
        actor=office.users["sekcam"], code="disposisi", fmt="pdf", case=office.case.pk
    )
    text = pdf_text(doc)
    assert "LEMBAR DISPOSISI" in text
    assert "Segera susun laporan." in text
    assert "Lengkapi data dukung." in text
    assert "Kepala Seksi Pemerintahan" in text
    (artifacts / "disposisi.pdf").write_bytes(content(doc))


def test_monitoring(run_case, artifacts):
    office = run_case
    pdf = document_generate(
        actor=office.users["sekcam"],
        code="monitoring-sop",
        fmt="pdf",
        agency="kec-binamu",
        half="2026-H2",
    )
    text = pdf_text(pdf)
    assert "Semester II Tahun 2026" in text
    assert "Tidak berjalan baik" in text  # step 4 was late once of three runs
    assert "Paraf" in text
    (artifacts / "monitoring-sop.pdf").write_bytes(content(pdf))
    xlsx = document_generate(
        actor=office.users["sekcam"],
        code="monitoring-sop",
        fmt="xlsx",
        agency="kec-binamu",
        half="2026-H2",
    )
    wb = load_workbook(io.BytesIO(content(xlsx)))
    ws = wb["Waktu per Langkah"]
    header = next(r for r in range(1, 60) if ws.cell(r, 1).value == "No")
    step4 = ws.cell(header + 4, 5).value
    assert step4 == 3  # runs of step 4: two units, one of them twice
    mon = wb["Monitoring SOP"]
    mh = next(r for r in range(1, 60) if mon.cell(r, 1).value == "No")
    assert mon.cell(mh, 6).value == "Paraf Penilai"
    assert mon.cell(mh + 4, 3).value == "Tidak berjalan baik"
    (artifacts / "monitoring-sop.xlsx").write_bytes(content(xlsx))
