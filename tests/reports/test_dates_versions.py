"""Issue 12, dates and versions: the targets of a period come from the PK version in force at
the period's end; the place-and-date line is the date the document is issued for (explicit,
else the completion of the period's case), never the clock; the generation time stays in
the archive record."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from kinerja.core.periods import Period
from kinerja.performance.agreements import agreement_for_period, choose_targets, pick_version
from kinerja.performance.selectors import annual_rows, budget_rows, indicator_rows
from kinerja.performance.services import agreement_revise
from kinerja.reports.services import document_generate
from tests.conftest import wita


def v(version: int, effective: dt.date) -> SimpleNamespace:
    return SimpleNamespace(version=version, effective_date=effective)


V1 = v(1, dt.date(2026, 1, 31))
V2 = v(2, dt.date(2026, 8, 15))  # a revision in the middle of the third quarter


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (Period(2026, 1).end, 1),
        (Period(2026, 2).end, 1),
        (dt.date(2026, 8, 14), 1),
        (dt.date(2026, 8, 15), 2),
        (Period(2026, 3).end, 2),
        (Period(2026).end, 2),
    ],
)
def test_version_in_force_at_the_period_end(on, expected):
    assert pick_version([V2, V1], on).version == expected


def test_late_first_version_applies_to_earlier_quarters_and_same_day_takes_the_higher():
    late = v(1, dt.date(2026, 4, 10))
    assert pick_version([late], Period(2026, 1).end) is late
    same_day = [v(1, dt.date(2026, 1, 31)), v(2, dt.date(2026, 1, 31))]
    assert pick_version(same_day, Period(2026, 1).end).version == 2
    assert pick_version([], Period(2026, 1).end) is None


def test_choose_targets_takes_every_target_of_the_chosen_version_only():
    rows = [
        (2026, 1, V1.effective_date, 10, Decimal("90")),
        (2026, 1, V1.effective_date, 11, Decimal("80")),
        (2026, 2, V2.effective_date, 10, Decimal("95")),  # v2 dropped indicator 11
    ]
    assert choose_targets(rows, {2026: Period(2026, 2).end}) == (
        {(2026, 10): Decimal("90"), (2026, 11): Decimal("80")},
        {2026: 1},
    )
    assert choose_targets(rows, {2026: Period(2026, 3).end}) == (
        {(2026, 10): Decimal("95")},
        {2026: 2},
    )


def pdf_text(doc) -> str:
    with doc.file.open("rb") as f:
        reader = PdfReader(io.BytesIO(f.read()))
    return " ".join(" ".join(p.extract_text().split()) for p in reader.pages)


@pytest.mark.django_db
def test_mid_quarter_revision_changes_q3_and_the_year_not_q2(perf_office):
    office = perf_office
    planner = office.users["kasubag_perencanaan"]
    agreement_revise(
        actor=planner,
        agency=office.agency,
        year=2026,
        reason="Perubahan APBD",
        effective_date=dt.date(2026, 8, 15),
        targets={"IK01": Decimal("95")},
        programs=[],
    )
    agency = office.agency

    def target(period):
        rows = indicator_rows(agency=agency, period=period)
        row = next(r for r in rows if r.indicator.code == "IK01")
        return row.annual_target, row.agreement_version

    assert target(Period(2026, 2)) == (Decimal("90"), 1)
    assert target(Period(2026, 3)) == (Decimal("95"), 2)
    ik01 = next(r for r in annual_rows(agency=agency, year=2026) if r.indicator.code == "IK01")
    assert (ik01.annual_target, ik01.agreement_version) == (Decimal("95"), 2)
    # the programme table too: version 1 had three programmes, version 2 none
    assert len(budget_rows(agency=agency, period=Period(2026, 2))) == 3
    assert budget_rows(agency=agency, period=Period(2026, 3)) == []
    assert agreement_for_period(agency, Period(2026, 2)).version == 1

    q2 = pdf_text(
        document_generate(
            actor=planner, code="laporan-triwulan", fmt="pdf", agency="kec-binamu", period="2026-Q2"
        )
    )
    assert "Perjanjian Kinerja 2026 versi 1" in q2 and "versi 2" not in q2


@pytest.mark.django_db
def test_place_and_date_line_is_the_issue_date_not_the_clock(perf_office):
    from kinerja.workflow.models import Case

    office = perf_office
    sekcam = office.users["sekcam"]
    explicit = document_generate(
        actor=sekcam,
        code="laporan-triwulan",
        fmt="pdf",
        agency="kec-binamu",
        period="2026-Q3",
        issue_date="2026-10-05",
    )
    assert "Binamu, 5 Oktober 2026" in pdf_text(explicit)
    assert explicit.params["issue_date"] == "2026-10-05"

    # the year's last case completed on 20 January 2027, 07.15 WITA (still the 19th in
    # UTC): the LKjIP is dated that day, whatever day it is generated
    from kinerja.workflow.services import case_open

    case, _ = case_open(
        sop_code="pengumpulan-data-kinerja",
        agency=office.agency,
        period="2026-Q4",
        now=wita(2027, 1, 5, 8, 0),
    )
    Case.objects.filter(pk=case.pk).update(
        status=Case.Status.COMPLETED, completed_at=wita(2027, 1, 20, 7, 15)
    )
    lkjip = document_generate(actor=sekcam, code="lkjip", fmt="pdf", agency="kec-binamu", year=2026)
    text = pdf_text(lkjip)
    assert "Binamu, 20 Januari 2027" in text
    # the PK appendix is dated the day its version took effect, signed by both parties
    appendix = text[text.index("LAMPIRAN: PERJANJIAN KINERJA") :]
    assert "Binamu, 31 Januari 2026" in appendix
    assert "PIHAK PERTAMA" in appendix and "PIHAK KEDUA" in appendix
    assert lkjip.params["issue_date"] == "2027-01-20"
    assert lkjip.generated_at.date() != dt.date(2027, 1, 20)  # the clock stays in the record


@pytest.mark.django_db
def test_unit_report_is_dated_by_the_units_submission(run_case):
    office = run_case
    doc = document_generate(
        actor=office.users["sekcam"],
        code="laporan-unit",
        fmt="pdf",
        agency="kec-binamu",
        period="2026-Q3",
        unit="trantib",
    )
    # trantib's report was approved (step 5) on 15 October 2026, 15.20 WITA (run_case)
    assert "Binamu, 15 Oktober 2026" in pdf_text(doc)
    assert doc.params["issue_date"] == "2026-10-15"


@pytest.mark.django_db
def test_report_command_date_option(perf_office, tmp_path, capsys):
    out = tmp_path / "tw3.pdf"
    call_command(
        "report",
        "laporan-triwulan",
        agency="kec-binamu",
        period="2026-Q3",
        fmt="pdf",
        issue_date="2026-10-07",
        output=str(out),
    )
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(str(out)).pages)
    assert "Binamu, 7 Oktober 2026" in text


@pytest.mark.django_db
def test_bad_issue_date_is_a_clear_error(perf_office):
    from kinerja.core.errors import ApplicationError

    with pytest.raises(ApplicationError, match="Tanggal dokumen"):
        document_generate(
            actor=None,
            code="laporan-triwulan",
            fmt="pdf",
            agency="kec-binamu",
            period="2026-Q3",
            issue_date="5/10/2026",
        )
