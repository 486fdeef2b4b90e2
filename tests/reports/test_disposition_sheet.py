"""Issue 12, disposition sheets: from (name, position), to (name, position) without doubled
brackets, the sheet's own date and time, the recipient's deadline (not the sender's) and
when it was read."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from kinerja.reports import formatting as fmt
from kinerja.reports.generators.disposisi import build_sheets
from kinerja.reports.selectors import case_dispositions
from kinerja.reports.services import document_generate
from kinerja.workflow.models import Task
from kinerja.workflow.services import disposition_mark_read
from tests.conftest import WITA, wita

pytestmark = pytest.mark.django_db


def test_sheets_name_both_sides_and_give_the_recipients_deadline(run_case):
    office = run_case
    case = office.case
    dispositions = case_dispositions(case)
    first = dispositions[0]  # step 1: Sekcam to every section head
    disposition_mark_read(
        actor=first.to_user or office.users["kasi_pemerintahan"],
        disposition_id=first.pk,
        now=wita(2026, 10, 12, 9, 10),
    )
    sheets = build_sheets(case, case_dispositions(case))
    assert len({s.given_at for s in sheets}) > 1, "each sheet has its own date"
    for sheet in sheets:
        disp = sheet.disposition
        assert "((" not in sheet.recipient and "))" not in sheet.recipient
        assert sheet.sender.startswith(disp.from_user.display_name)
        assert disp.to_position.title in sheet.recipient
        assert not sheet.recipient.startswith("(")  # the holder's name comes first
        if disp.task.step == 5 and "Disetujui" in disp.instruction:
            assert sheet.deadline is None  # an approval hands the recipient no new step
            continue
        assert sheet.deadline is not None, disp.instruction
        assert sheet.deadline >= sheet.given_at, "the recipient's deadline follows the sheet"

    # the returned report (step 5) hands step 4 back to the section head: its deadline is
    # the re-opened step 4 task's
    returned = next(s for s in sheets if s.disposition.task.step == 5)
    reopened = (
        Task.objects.filter(case=case, step=4, unit=returned.disposition.unit)
        .order_by("-activated_at")
        .first()
    )
    assert returned.deadline == reopened.due_at

    doc = document_generate(actor=office.users["sekcam"], code="disposisi", fmt="pdf", case=case.pk)
    with doc.file.open("rb") as f:
        text = " ".join(
            " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(f.read())).pages
        )
    assert "((" not in text
    assert "Dibaca pada : 12 Oktober 2026 09.10 WITA" in text
    assert "Belum dibaca" in text  # the others were not read
    kasi = office.users["kasi_pemerintahan"]
    assert f"{kasi.display_name} (Kepala Seksi Pemerintahan)" in text
    assert fmt.datetime(returned.deadline, WITA) in text
