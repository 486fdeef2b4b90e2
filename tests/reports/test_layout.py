"""Issue 12, the layout test: every document the demo office offers, in every format (DOCX
and XLSX through LibreOffice headless), generated from the real demo data (the builder of
``kinerja demo``: five finished quarters and the one in progress) and read page by page as a
records officer would read the paper:

* every page carries its page number ("Halaman N dari M");
* no page holds only a signature block, and no page starts with one;
* no word of the data is split across two lines of a cell, and no number is;
* the place-and-date line carries the issue date (docs/documents.md "Dates"), never a day
  before the period ends;
* a document built from unapproved or incomplete data is marked DRAF on every page and lists
  what is missing; a final one carries no mark.

The demo office is built once for the module (rolled back at the end) and every document is
generated once; the tests read the renders. PNGs of the first pages are kept under
``test-artifacts/documents/png/`` for a reviewer.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader

from kinerja.core import formatting as fmt
from kinerja.core.periods import Period
from tests.reports.layout import (
    CAPTIONS,
    PAGE_NUMBER,
    PLACE_DATE,
    convert,
    signature_only_pages,
    split_words,
    words_by_line,
)
from tests.tools import require_tool

pytestmark = [pytest.mark.django_db, pytest.mark.libreoffice]

# one folder per database: the SQLite and PostgreSQL runs may go at the same time
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "documents"
AGENCY = "kec-binamu"
SOP = "pengumpulan-data-kinerja"
CLOSING = "Demikian laporan ini dibuat untuk dipergunakan sebagaimana mestinya."
# what may start a page without being a signature block's top: the running head and the
# draft header line
HEADER_LINE = re.compile(r"^(Kantor Kecamatan Binamu|DRAF\b|Halaman\b)")
SIGNATURE_START = re.compile(
    r"^(" + "|".join(re.escape(c) for c in CAPTIONS) + r"|Binamu,\s+\d{1,2}\s+[A-Z][a-z]+\s+\d{4}"
    r"|" + re.escape(CLOSING[:30]) + r")"
)


@dataclass
class Rendered:
    name: str  # e.g. laporan-unit-2026-Q3-umum.xlsx
    pdf: Path  # the PDF as printed (LibreOffice's for DOCX/XLSX)
    title: str
    issue_date: dt.date | None  # None: no place-and-date line to check
    period_end: dt.date | None
    draft: bool  # what the data says: unapproved or incomplete
    archived_draft: bool
    texts: list[str] = field(default_factory=list)  # pypdf text per page
    source: Path | None = None  # the file as generated


@dataclass
class DemoDocuments:
    documents: list[Rendered]
    vocabulary: set[str]
    signature_texts: list[str]
    agency_name: str
    agency_pk: int
    folder: Path  # where the files and renders are kept


def _local_date(when: dt.datetime) -> dt.date:
    from zoneinfo import ZoneInfo

    return when.astimezone(ZoneInfo("Asia/Makassar")).date()


def _unit_ready(unit, period: Period) -> bool:
    """Independently of the generators: the unit's quarter is approved (locked) and every
    active indicator it owns has a figure or a reason for having none."""
    from kinerja.performance.models import Indicator, Realisation, UnitPeriodLock

    if not UnitPeriodLock.objects.filter(
        unit=unit, year=period.year, quarter=period.quarter
    ).exists():
        return False
    indicators = Indicator.objects.filter(owner_unit=unit, is_active=True)
    filled = Realisation.objects.filter(
        indicator__in=indicators, year=period.year, quarter=period.quarter
    ).exclude(value__isnull=True, not_available=False)
    return filled.count() == indicators.count()


def _case_date(agency, period: Period, today: dt.date, unit=None) -> dt.date:
    from kinerja.workflow.models import Case, Task

    case = Case.objects.filter(agency=agency, sop_code=SOP, period=str(period)).first()
    if case is not None and unit is not None:
        last = (
            Task.objects.filter(case=case, unit=unit, status=Task.Status.COMPLETED)
            .order_by("-completed_at")
            .first()
        )
        if last is not None:
            return _local_date(last.completed_at)
    if case is not None and case.completed_at is not None:
        return _local_date(case.completed_at)
    return today


def _plan(agency, today: dt.date) -> list[tuple[str, str, dict, dt.date | None, object, bool]]:
    """(code, format, params, issue date, period end, draft) of every document the demo
    office offers: the last finished quarter and the one in progress (office report in three
    formats; the running quarter's report of every unit), the LKjIP of the last finished
    year and of this year, both half-years' SOP monitoring, the disposition sheets of a
    finished and of the running case, the SOP document."""
    from kinerja.workflow.models import Case

    cases = list(Case.objects.filter(agency=agency, sop_code=SOP).order_by("period"))
    running, finished = cases[-1], cases[-2]
    assert running.completed_at is None and finished.completed_at is not None
    units = list(agency.units.filter(is_active=True).order_by("order", "name"))
    plan = []
    for case in (finished, running):
        period = Period.parse(case.period)
        draft = not all(_unit_ready(u, period) for u in units if u.indicators.exists())
        date = _case_date(agency, period, today)
        for fmt_ in ("pdf", "docx", "xlsx"):
            params = {"agency": AGENCY, "period": case.period}
            plan.append(("laporan-triwulan", fmt_, params, date, period.end, draft))
    period = Period.parse(running.period)
    for unit in units:
        if not unit.indicators.exists():
            continue
        date = _case_date(agency, period, today, unit=unit)
        for fmt_ in ("pdf", "xlsx"):
            params = {"agency": AGENCY, "period": running.period, "unit": unit.code}
            plan.append(
                ("laporan-unit", fmt_, params, date, period.end, not _unit_ready(unit, period))
            )
    for year in (period.year - 1, period.year):
        quarters = [Period(year, q) for q in range(1, 5)]
        draft = not all(_unit_ready(u, q) for u in units if u.indicators.exists() for q in quarters)
        date = _case_date(agency, Period(year, 4), today)
        for fmt_ in ("pdf", "docx"):
            plan.append(
                (
                    "lkjip",
                    fmt_,
                    {"agency": AGENCY, "year": year},
                    date,
                    dt.date(year, 12, 31),
                    draft,
                )
            )
    for half in (f"{period.year}-H1", f"{period.year}-H2"):
        end = dt.date(period.year, 6, 30) if half.endswith("H1") else dt.date(period.year, 12, 31)
        date = _case_date(agency, Period(end.year, (end.month - 1) // 3 + 1), today)
        for fmt_ in ("pdf", "xlsx"):
            plan.append(
                ("monitoring-sop", fmt_, {"agency": AGENCY, "half": half}, date, end, end >= date)
            )
    for case in (finished, running):
        plan.append(("disposisi", "pdf", {"case": case.pk}, None, None, False))
    plan.append(("sop", "pdf", {"sop": SOP, "agency": AGENCY}, None, None, False))
    return plan


def _name(code: str, fmt_: str, params: dict) -> str:
    keys = [str(v) for k, v in params.items() if k != "agency"]
    return "-".join([code, *keys]) + f".{fmt_}"


@pytest.fixture(scope="module")
def demo_documents(django_db_setup, django_db_blocker) -> DemoDocuments:
    from django.db import transaction

    from kinerja.demo.history import ensure_demo
    from kinerja.organization.models import Agency, Position
    from kinerja.performance.models import AgreementProgram, Indicator, Objective, Realisation
    from kinerja.reports.services import document_generate
    from kinerja.sop.selectors import sop_latest

    with django_db_blocker.unblock(), transaction.atomic():
        from django.db import connection

        folder = ARTIFACTS / connection.vendor
        ensure_demo()
        agency = Agency.objects.get(code=AGENCY)
        today = timezone.now().astimezone(dt.timezone(dt.timedelta(hours=8))).date()
        shutil.rmtree(folder, ignore_errors=True)
        (folder / "pdf").mkdir(parents=True)
        made = []
        for code, fmt_, params, date, end, draft in _plan(agency, today):
            doc = document_generate(actor=None, code=code, fmt=fmt_, **params)
            path = folder / _name(code, fmt_, params)
            with doc.file.open("rb") as f:
                path.write_bytes(f.read())
            made.append((path, doc, date, end, draft))
        # LibreOffice names its output after the stem: one directory per format
        printed: dict[Path, Path] = {}
        for suffix in ("docx", "xlsx"):
            outdir = folder / "pdf" / suffix
            outdir.mkdir()
            printed.update(convert([p for p, *_ in made if p.suffix == f".{suffix}"], outdir))
        documents = []
        for path, doc, date, end, draft in made:
            pdf = printed.get(path, path)
            texts = [" ".join((p.extract_text() or "").split()) for p in PdfReader(pdf).pages]
            documents.append(
                Rendered(path.name, pdf, doc.title, date, end, draft, doc.is_draft, texts, path)
            )

        vocabulary: set[str] = set()
        people = [u.display_name for u in _people(agency)]
        for text in [
            *Indicator.objects.filter(agency=agency).values_list("name", flat=True),
            *Objective.objects.values_list("name", flat=True),
            *AgreementProgram.objects.values_list("name", flat=True),
            *agency.units.values_list("name", flat=True),
            *Position.objects.values_list("title", flat=True),
            *Realisation.objects.values_list("problems", flat=True),
            *Realisation.objects.values_list("actions", flat=True),
            *people,
            *(s.activity for s in sop_latest(SOP).spec.steps),
        ]:
            vocabulary.update(_clean(w) for w in (text or "").split())
        vocabulary.discard("")
        signature_texts = [
            *CAPTIONS,
            *Position.objects.values_list("title", flat=True),
            *people,
            "Bupati",
            "Kepala Subbagian Perencanaan dan Keuangan",
            agency.head_title or "",
            CLOSING,
        ]
        yield DemoDocuments(
            documents,
            vocabulary,
            [t for t in signature_texts if t],
            agency.name,
            agency.pk,
            folder,
        )
        transaction.set_rollback(True)


def _people(agency):
    from kinerja.accounts.models import User

    return [u for u in User.objects.all() if u.display_name]


def _clean(word: str) -> str:
    return word.strip(",.;:()\"'“”")


def test_the_demo_office_offers_every_document_in_every_format(demo_documents):
    from kinerja.reports.generators import registry

    names = [d.name for d in demo_documents.documents]
    for generator in registry:
        for fmt_ in generator.formats:
            if fmt_ == "svg":
                continue  # a drawing, not a paper: tests/reports/test_generate.py reads it
            assert any(
                n.startswith(generator.code + "-") and n.endswith("." + fmt_) for n in names
            ), (
                generator.code,
                fmt_,
            )
    units = {n.split("-")[-1].split(".")[0] for n in names if n.startswith("laporan-unit")}
    assert len(units) == 7, units
    # PNG renders of the first two pages of each, for a reviewer
    pdftoppm = require_tool("pdftoppm", package="poppler-utils")
    png = demo_documents.folder / "png"
    png.mkdir(exist_ok=True)
    for doc in demo_documents.documents:
        stem = png / doc.name.replace(".", "-")
        subprocess.run(
            [pdftoppm, "-png", "-r", "50", "-f", "1", "-l", "2", str(doc.pdf), str(stem)],
            check=True,
            timeout=120,
        )


def test_every_page_is_numbered_and_no_signature_block_stands_alone(demo_documents):
    problems = []
    for doc in demo_documents.documents:
        for number, text in enumerate(doc.texts, 1):
            if not PAGE_NUMBER.search(text):
                problems.append(f"{doc.name} page {number}: no page number")
        furniture = [demo_documents.agency_name, doc.title]
        for number in signature_only_pages(doc.pdf, demo_documents.signature_texts, furniture):
            problems.append(f"{doc.name} page {number}: only a signature block")
        for number, blocks in enumerate(words_by_line(doc.pdf), 1):
            if number == 1:
                continue
            lines = sorted(
                (line[0][2], " ".join(w for w, _x, _y in line))
                for block in blocks
                for line in block
            )
            body = [text for _y, text in lines if not HEADER_LINE.match(text)]
            if body and SIGNATURE_START.match(body[0]):
                problems.append(f"{doc.name} page {number} starts with the signatures: {body[0]}")
    assert not problems, "\n".join(problems)


def test_no_word_or_number_is_split_in_a_cell(demo_documents):
    problems = []
    for doc in demo_documents.documents:
        problems += [f"{doc.name} {s}" for s in split_words(doc.pdf, demo_documents.vocabulary)]
    assert not problems, "\n".join(problems)


def test_dates_fit_the_period(demo_documents):
    problems = []
    for doc in demo_documents.documents:
        if doc.issue_date is None:
            continue
        text = " ".join(doc.texts)
        dates = set(PLACE_DATE.findall(text))
        wanted = fmt.date(doc.issue_date)
        if wanted not in dates:
            problems.append(f"{doc.name}: place-and-date line {dates}, expected {wanted}")
        others = dates - {wanted}
        if doc.name.startswith("lkjip"):
            # the PK appendix is dated the day its version took effect, within the year
            others = {d for d in others if not d.endswith(doc.name.split("-")[1].split(".")[0])}
        if others:
            problems.append(f"{doc.name}: other dates {others}")
        if doc.issue_date <= doc.period_end and not doc.draft:
            problems.append(f"{doc.name}: final yet dated {wanted}, before its period ends")
    assert not problems, "\n".join(problems)


def test_incomplete_data_is_marked_draft_on_every_page(demo_documents):
    kinds = {d.draft for d in demo_documents.documents if d.name.startswith("laporan")}
    assert kinds == {True, False}  # the demo has both: the running quarter is not done
    problems = []
    for doc in demo_documents.documents:
        if doc.archived_draft != doc.draft:
            problems.append(
                f"{doc.name}: archived draft={doc.archived_draft}, data says {doc.draft}"
            )
        marked = [("DRAF" in t) for t in doc.texts]
        if doc.draft:
            if not all(marked):
                bare = [i + 1 for i, m in enumerate(marked) if not m]
                problems.append(f"{doc.name}: pages without DRAF {bare}")
            if "Yang belum lengkap" not in " ".join(doc.texts):
                problems.append(f"{doc.name}: a draft without the list of what is missing")
        elif any(marked):
            problems.append(f"{doc.name}: final data marked DRAF")
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


def test_the_lkjip_compares_with_every_earlier_year_as_the_annual_selector_computes(
    demo_documents,
):
    """Issue 12, LKjIP: Bab III's "Perbandingan realisasi dengan tahun-tahun sebelumnya"
    has a column for every earlier year with data (the demo's history starts with the
    oldest PK year) and each figure is that year's own annual realisation, as the LKjIP of
    that year prints it; no "-" where the year has a figure. Read from the Word tables."""
    from docx import Document

    from kinerja.organization.models import Agency
    from kinerja.performance.models import Realisation
    from kinerja.performance.selectors import annual_rows
    from kinerja.reports.generators.lkjip import annual_text

    agency = Agency.objects.get(pk=demo_documents.agency_pk)
    with_data = sorted(
        set(Realisation.objects.filter(agency=agency).values_list("year", flat=True))
    )
    lkjips = [
        d
        for d in demo_documents.documents
        if d.name.startswith("lkjip") and d.name.endswith(".docx")
    ]
    assert len(lkjips) == 2
    latest = max(int(d.name.split("-")[1].split(".")[0]) for d in lkjips)
    assert len([y for y in with_data if y < latest]) >= 2, with_data  # real history to compare
    for doc in lkjips:
        year = int(doc.name.split("-")[1].split(".")[0])
        earlier = [y for y in with_data if y < year][-4:]
        by_year = {
            y: {r.indicator.name: r for r in annual_rows(agency=agency, year=y)}
            for y in [*earlier, year]
        }
        tables = [
            t
            for t in Document(str(doc.source)).tables
            if [c.text for c in t.rows[0].cells][0] == "Indikator"
            and [c.text for c in t.rows[0].cells][-1] == str(year)
        ]
        assert tables, doc.name
        compared = 0
        for table in tables:
            head = [c.text for c in table.rows[0].cells]
            assert head[1:] == [str(y) for y in earlier] + [str(year)], (doc.name, head)
            for row in table.rows[1:]:
                cells = [c.text for c in row.cells]
                for y, text in zip([*earlier, year], cells[1:], strict=True):
                    annual = by_year[y][cells[0]]
                    assert text == annual_text(annual, annual.realisation), (doc.name, cells[0], y)
                    if annual.realisation is not None:
                        assert text != "-"
                        compared += y < year
                    # the year's own row holds the same earlier figure as that year's LKjIP
                    if y < year:
                        own = by_year[year][cells[0]].previous_realisations.get(y)
                        assert own == annual.realisation, (cells[0], y)
        assert compared >= len(earlier), (doc.name, compared)
