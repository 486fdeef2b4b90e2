"""Issue 12, the layout test: every document of the demo office in every format (DOCX and
XLSX through LibreOffice headless) is rendered to PDF and read with the positions of its
words, as a records officer would read the paper:

* every page carries its page number ("Halaman N dari M");
* no page holds only a signature block;
* no word of the data is split across two lines of a cell, and no number is;
* the place-and-date line carries the issue date (the rule of docs/documents.md "Dates").

The first pages are kept as PNG under ``test-artifacts/documents/`` for a reviewer. One
small dataset (two units, one quarter run through the SOP, two years of history) covers
every document; the office files are converted in one LibreOffice call.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import uuid
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.utils import timezone
from pypdf import PdfReader

from kinerja.core import formatting as fmt
from kinerja.reports.services import document_generate
from tests.conftest import WITA, wita
from tests.tools import require_tool

pytestmark = [pytest.mark.django_db, pytest.mark.libreoffice]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "documents"
PAGE_NUMBER = re.compile(r"Halaman\s+\d+\s+dari\s+\d+")
PLACE_DATE = re.compile(r"Binamu,\s+(\d{1,2}\s+[A-Z][a-z]+\s+\d{4})")
FURNITURE = [
    re.compile(p)
    for p in (
        r"Kode verifikasi:?\s*\S+",
        r"Periksa keaslian dokumen:?\s*\S+",
        r"Dibuat oleh Kinerja pada [^\n]*",
        r"Halaman\s+\d+\s+dari\s+\d+",
        r"https?://\S+",
        r"DRAF(\s*—\s*BELUM FINAL)?",
        r"\(\.+\)",
        r"NIP\.\s*[\d .]*",
    )
]
CAPTIONS = [
    "Mengetahui,",
    "Disusun oleh,",
    "Dibuat oleh,",
    "Penilai,",
    "PIHAK PERTAMA,",
    "PIHAK KEDUA,",
]
FULL_NUMBER = re.compile(r"^-?\d{1,3}(\.\d{3})*(,\d+)?%?$")
NUMBERISH = re.compile(r"^-?[\d.,]+%?$")


def complete_case(office) -> dt.datetime:
    """Step 6 of the run_case quarter: the case is complete on 20 October 2026."""
    from kinerja.workflow.models import Task
    from kinerja.workflow.services import task_complete

    case = office.case
    step6 = Task.objects.get(case=case, step=6, status=Task.Status.ACTIVE)
    at = wita(2026, 10, 20, 10, 30)
    task_complete(actor=office.users["kasubag_perencanaan"], task_id=step6.pk, now=at)
    case.refresh_from_db()
    assert case.completed_at is not None
    return case.completed_at


def convert(paths: list[Path], outdir: Path) -> dict[Path, Path]:
    """DOCX/XLSX -> PDF with LibreOffice headless, all files in one call."""
    binary = shutil.which("libreoffice") or require_tool(
        "soffice", package="libreoffice-core libreoffice-writer libreoffice-calc"
    )
    profile = f"file:///tmp/lo-{uuid.uuid4().hex}"
    command = [binary, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
    command += ["--outdir", str(outdir), *map(str, paths)]
    out = {p: outdir / (p.stem + ".pdf") for p in paths}
    for _attempt in range(2):  # a fresh profile's first start occasionally exits early
        subprocess.run(
            command, capture_output=True, timeout=300, env={**os.environ, "HOME": "/tmp"}
        )
        if all(pdf.exists() for pdf in out.values()):
            break
    missing = [p.name for p, pdf in out.items() if not pdf.exists()]
    assert not missing, f"LibreOffice did not convert {missing}"
    return out


def words_by_line(pdf: Path) -> list[list[list[tuple[str, float, float]]]]:
    """Per page, per block: the lines as (word, xMin, yMin) lists (poppler's bbox layout)."""
    binary = require_tool("pdftotext", package="poppler-utils")
    xml = subprocess.run(
        [binary, "-bbox-layout", str(pdf), "-"], capture_output=True, check=True, timeout=120
    ).stdout.decode()
    xml = re.sub(r"<!DOCTYPE[^>]*>", "", xml).replace('xmlns="http://www.w3.org/1999/xhtml"', "")
    root = ElementTree.fromstring(xml)
    pages = []
    for page in root.iter("page"):
        blocks = []
        for block in page.iter("block"):
            lines = []
            for line in block.iter("line"):
                words = [
                    (w.text or "", float(w.get("xMin")), float(w.get("yMin")))
                    for w in line.iter("word")
                ]
                if words:
                    lines.append(words)
            blocks.append(lines)
        pages.append(blocks)
    return pages


def clean(word: str) -> str:
    return word.strip(",.;:()\"'“”")


def split_words(pdf: Path, vocabulary: set[str]) -> list[str]:
    """Words and numbers broken across two lines of one cell (block)."""
    found = []
    for number, blocks in enumerate(words_by_line(pdf), 1):
        for lines in blocks:
            for upper, lower in zip(lines, lines[1:], strict=False):
                head, tail = upper[-1][0], lower[0][0]
                joined = clean(head + tail)
                if NUMBERISH.match(head) and NUMBERISH.match(tail):
                    if not FULL_NUMBER.match(head.rstrip(",")) and FULL_NUMBER.match(head + tail):
                        found.append(f"page {number}: number {head}|{tail}")
                    continue
                if clean(head) and clean(head) not in vocabulary and joined in vocabulary:
                    found.append(f"page {number}: word {head}|{tail}")
    return found


def signature_only_pages(pdf: Path, signature_texts: list[str], furniture: list[str]) -> list[int]:
    pages = []
    for number, page in enumerate(PdfReader(str(pdf)).pages, 1):
        text = page.extract_text() or ""
        if "NIP" not in text:
            continue
        rest = " ".join(text.split())
        for pattern in FURNITURE:
            rest = pattern.sub(" ", rest)
        for piece in sorted(signature_texts + furniture, key=len, reverse=True):
            rest = rest.replace(piece, " ")
        rest = PLACE_DATE.sub(" ", rest)
        if not re.sub(r"[\W_]+", "", rest):
            pages.append(number)
    return pages


def test_every_document_in_every_format_reads_like_a_signed_paper(run_case):
    from kinerja.organization.models import Position
    from kinerja.performance.models import AgreementProgram, Indicator, Objective, Realisation
    from kinerja.sop.selectors import sop_latest
    from kinerja.workflow.models import Task
    from tests.reports.data import build_performance

    office = run_case
    build_performance(office.agency)
    completed = complete_case(office)
    sekcam = office.users["sekcam"]
    trantib = office.units["trantib"]
    unit_approved = (
        Task.objects.filter(case=office.case, unit=trantib, status=Task.Status.COMPLETED)
        .order_by("-completed_at")
        .first()
        .completed_at
    )
    today = timezone.now().astimezone(WITA).date()
    q3 = {"agency": "kec-binamu", "period": "2026-Q3"}
    plan = [
        ("laporan-unit", "pdf", {**q3, "unit": "trantib"}, unit_approved),
        ("laporan-unit", "xlsx", {**q3, "unit": "trantib"}, unit_approved),
        ("laporan-triwulan", "pdf", q3, completed),
        ("laporan-triwulan", "docx", q3, completed),
        ("laporan-triwulan", "xlsx", q3, completed),
        ("lkjip", "pdf", {"agency": "kec-binamu", "year": 2026, "issue_date": "2027-01-20"}, None),
        ("lkjip", "docx", {"agency": "kec-binamu", "year": 2026, "issue_date": "2027-01-20"}, None),
        ("monitoring-sop", "pdf", {"agency": "kec-binamu", "half": "2026-H2"}, today),
        ("monitoring-sop", "xlsx", {"agency": "kec-binamu", "half": "2026-H2"}, today),
        ("disposisi", "pdf", {"case": office.case.pk}, False),
        ("sop", "pdf", {"sop": "pengumpulan-data-kinerja"}, False),
    ]
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    files: dict[str, tuple[Path, object, object]] = {}
    for code, fmt_, params, expected in plan:
        doc = document_generate(actor=sekcam, code=code, fmt=fmt_, **params)
        path = ARTIFACTS / f"{code}.{fmt_}"
        with doc.file.open("rb") as f:
            path.write_bytes(f.read())
        if expected is None:
            expected = dt.date.fromisoformat(params["issue_date"])
        elif isinstance(expected, dt.datetime):
            expected = expected.astimezone(WITA).date()
        files[f"{code}.{fmt_}"] = (path, expected, doc)
    office_files = [p for p, _e, _d in files.values() if p.suffix in (".docx", ".xlsx")]
    converted_dir = ARTIFACTS / "pdf"
    converted_dir.mkdir(exist_ok=True)
    # LibreOffice names its output after the stem: one directory per format
    pdfs: dict[str, Path] = {}
    for suffix in (".docx", ".xlsx"):
        outdir = converted_dir / suffix[1:]
        outdir.mkdir(exist_ok=True)
        for source, pdf in convert([p for p in office_files if p.suffix == suffix], outdir).items():
            pdfs[source.name] = pdf
    for name, (path, _e, _d) in files.items():
        if path.suffix == ".pdf":
            pdfs[name] = path

    vocabulary: set[str] = set()
    for text in [
        *Indicator.objects.values_list("name", flat=True),
        *Objective.objects.values_list("name", flat=True),
        *AgreementProgram.objects.values_list("name", flat=True),
        *office.agency.units.values_list("name", flat=True),
        *Position.objects.values_list("title", flat=True),
        *Realisation.objects.values_list("problems", flat=True),
        *Realisation.objects.values_list("actions", flat=True),
        *(u.display_name for u in office.users.values()),
        *(s.activity for s in sop_latest("pengumpulan-data-kinerja").spec.steps),
    ]:
        vocabulary.update(clean(w) for w in (text or "").split())
    vocabulary.discard("")
    signature_texts = [
        *CAPTIONS,
        *Position.objects.values_list("title", flat=True),
        *(u.display_name for u in office.users.values()),
        "Bupati",
        "Kepala Subbagian Perencanaan dan Keuangan",
        office.agency.head_title or "",
        "Demikian laporan ini dibuat untuk dipergunakan sebagaimana mestinya.",
    ]
    signature_texts = [t for t in signature_texts if t]

    problems: list[str] = []
    pdftoppm = require_tool("pdftoppm", package="poppler-utils")
    for name, pdf in sorted(pdfs.items()):
        _path, expected, doc = files[name]
        reader = PdfReader(str(pdf))
        texts = [" ".join((p.extract_text() or "").split()) for p in reader.pages]
        for number, text in enumerate(texts, 1):
            if not PAGE_NUMBER.search(text):
                problems.append(f"{name} page {number}: no page number")
        furniture = [office.agency.name, doc.title, str(reader.metadata.title or "")]
        for number in signature_only_pages(pdf, signature_texts, [f for f in furniture if f]):
            problems.append(f"{name} page {number}: only a signature block")
        problems += [f"{name} {s}" for s in split_words(pdf, vocabulary)]
        if expected is not False:
            dates = set(PLACE_DATE.findall(" ".join(texts)))
            wanted = fmt.date(expected)
            if wanted not in dates:
                problems.append(f"{name}: place-and-date line {dates}, expected {wanted}")
            allowed = {wanted}
            if name.startswith("lkjip"):
                allowed.add("31 Januari 2026")  # the PK appendix: the day its version took effect
            if dates - allowed:
                problems.append(f"{name}: other dates {dates - allowed}")
        stem = ARTIFACTS / "png" / name.replace(".", "-")
        stem.parent.mkdir(exist_ok=True)
        subprocess.run(
            [pdftoppm, "-png", "-r", "50", "-f", "1", "-l", "2", str(pdf), str(stem)],
            check=True,
            timeout=120,
        )
    assert not problems, "\n".join(problems)


def test_the_checks_catch_split_words_numbers_and_a_lonely_signature(tmp_path):
    """The detectors above on a page made badly on purpose: a cell too narrow for its word
    and its amount, and a signature block alone on the second page."""
    from kinerja.reports.pdf import OfficialPdf, Signer, Stamp

    pdf = OfficialPdf(stamp=Stamp("TEST", "http://x/v/TEST"), title="Uji")
    pdf.add_page()
    pdf.paragraph("Tabel di bawah ini sengaja terlalu sempit.")
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(19, 4, "Pemberdayaan", border=1, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.multi_cell(14, 4, "1.850.000.000", border=1, new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    pdf.signatures([Signer(position="Camat Binamu", name="Andi Baso", nip="196911202021011001")])
    path = tmp_path / "bad.pdf"
    path.write_bytes(pdf.output_bytes())

    found = split_words(path, {"Pemberdayaan"})
    assert any(f.startswith("page 1: word Pember") for f in found), found
    assert any(f.startswith("page 1: number ") for f in found), found
    assert signature_only_pages(path, ["Camat Binamu", "Andi Baso"], ["Uji"]) == [2]
