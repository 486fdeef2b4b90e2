"""Excel/CSV import and export: every bad input changes nothing and names its row and column;
good XLSX and CSV files import; templates round-trip; the export holds the right values."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import translation
from openpyxl import Workbook, load_workbook

from kinerja.core.models import AuditEvent
from kinerja.core.periods import Period
from kinerja.performance import services, spreadsheets
from kinerja.performance.models import AgreementTarget, QuarterTarget, Realisation
from tests.conftest import wita

D = Decimal
Q3 = Period(2026, 3)
NOW = wita(2026, 10, 12, 9, 0)
REAL_HEADERS = ["Kode Indikator", "Realisasi", "Alasan Tidak Tersedia", "Kendala", "Upaya"]
TARGET_HEADERS = ["Kode", "Target Tahunan", "TW I", "TW II", "TW III", "TW IV"]


def xlsx(rows, headers=REAL_HEADERS, formats=None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    for coord, fmt in (formats or {}).items():
        ws[coord].number_format = fmt
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(rows, headers=REAL_HEADERS, sep=";", bom=True) -> bytes:
    text = "\r\n".join(sep.join(f'"{c}"' if sep in c else c for c in r) for r in [headers, *rows])
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def state():
    return (
        sorted(
            Realisation.objects.values_list(
                "indicator__code", "quarter", "value", "not_available", "problems", "lock_version"
            )
        ),
        sorted(QuarterTarget.objects.values_list("indicator__code", "quarter", "target")),
        sorted(AgreementTarget.objects.values_list("agreement_id", "indicator__code", "target")),
        AuditEvent.objects.count(),
    )


def real_import(world, data, actor="admin", name="r.xlsx", **kw):
    return spreadsheets.import_realisations(
        actor=world.users[actor],
        agency=world.agency,
        period=Q3,
        data=data,
        name=name,
        now=NOW,
        **kw,
    )


def target_import(world, data, actor="admin", name="t.xlsx", **kw):
    return spreadsheets.import_targets(
        actor=world.users[actor],
        agency=world.agency,
        year=2026,
        data=data,
        name=name,
        now=NOW,
        **kw,
    )


# ---------------------------------------------------------------------------------- good files


@pytest.mark.django_db
def test_xlsx_realisations_import_with_indonesian_numbers(world):
    data = xlsx(
        [
            [" PEM-1 ", "1.234,5", "", " kendala ", "upaya"],
            ["PEM-2", 7.25, "", "", ""],
            ["TRA-1", "n/a", "Data BPS belum terbit", "", ""],
        ]
    )
    before = AuditEvent.objects.count()
    result = real_import(world, data)
    assert result.ok and result.applied, result.errors
    assert result.summary["created"] == 3
    reals = {r.indicator.code: r for r in Realisation.objects.select_related("indicator")}
    assert reals["PEM-1"].value == D("1234.5") and reals["PEM-1"].problems == "kendala"
    assert reals["PEM-2"].value == D("7.25")
    assert reals["TRA-1"].not_available and reals["TRA-1"].value is None
    assert AuditEvent.objects.count() == before + 3
    again = real_import(world, data)
    assert again.summary["unchanged"] == 3 and AuditEvent.objects.count() == before + 3
    # a dry run of the same file (the template posted back unchanged) says nothing changes
    preview = real_import(world, data, dry_run=True)
    assert preview.ok and not preview.applied
    assert (preview.summary["created"], preview.summary["updated"]) == (0, 0)
    assert preview.summary["unchanged"] == 3


@pytest.mark.django_db
def test_percent_formatted_cell_reads_as_shown(world):
    data = xlsx([["PEM-1", 0.125, "", "", ""]], formats={"B2": "0.0%"})
    result = real_import(world, data)
    assert result.ok, result.errors
    assert Realisation.objects.get(indicator=world.pem1).value == D("12.5")


@pytest.mark.django_db
@pytest.mark.parametrize("sep, bom", [(";", True), (",", True), (";", False), ("\t", False)])
def test_csv_realisations_both_separators(world, sep, bom):
    rows = [["PEM-1", "12,5%", "", "Hujan; banjir", ""], ["PEM-2", "1.234", "", "", ""]]
    if sep == ",":
        rows = [["PEM-1", "12,5%", "", "Hujan, banjir", ""], ["PEM-2", "1.234", "", "", ""]]
    result = real_import(world, csv_bytes(rows, sep=sep, bom=bom), name="r.csv")
    assert result.ok, result.errors
    assert Realisation.objects.get(indicator=world.pem1).value == D("12.5")
    assert Realisation.objects.get(indicator=world.pem2).value == D("1234")
    assert "banjir" in Realisation.objects.get(indicator=world.pem1).problems


@pytest.mark.django_db
def test_targets_import_with_warning(world):
    data = xlsx(
        [["PEM-1", "120", "30", "30", "30", "30"], ["PEM-2", "8", "", "", "", "9"]],
        headers=TARGET_HEADERS,
    )
    result = target_import(world, data)
    assert result.ok and result.applied, result.errors
    assert (
        AgreementTarget.objects.get(indicator=world.pem1, agreement__is_current=True).target == 120
    )
    assert QuarterTarget.objects.get(indicator=world.pem2, quarter=4).target == 9
    assert result.summary["updated"] == 2
    assert any(w.startswith("PEM-2") for w in result.warnings)  # last value 9 != 8
    assert not any(w.startswith("PEM-1") for w in result.warnings)


@pytest.mark.django_db
def test_dry_run_changes_nothing_but_reports(world):
    before = state()
    result = real_import(world, xlsx([["PEM-1", "5", "", "", ""]]), dry_run=True)
    assert result.ok and not result.applied and result.summary["created"] == 1
    assert state() == before
    tresult = target_import(
        world, xlsx([["PEM-1", "1", "1", "1", "1", "1"]], headers=TARGET_HEADERS), dry_run=True
    )
    assert tresult.ok and tresult.warnings and state() == before


# ----------------------------------------------------------------------------------- bad files


def _formula_without_value() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(REAL_HEADERS)
    ws.append(["PEM-1", "=B3*2", "", "", ""])
    ws.append(["PEM-2", 3, "", "", ""])
    buf = io.BytesIO()
    wb.save(buf)  # openpyxl stores no cached result: like a file never opened in Excel
    return buf.getvalue()


def _div0() -> bytes:
    data = xlsx([["PEM-1", 1, "", "", ""], ["PEM-2", 2, "", "", ""]])
    # Rewrite B3 as an error cell with a formula, as Excel saves =1/0.
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(
                    b'<c r="B3" t="n"><v>2</v></c>', b'<c r="B3" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
                )
                assert b"#DIV/0!" in body
            dst.writestr(item, body)
    return out.getvalue()


BAD_ROWS = {
    "bad_number": (lambda: xlsx([["PEM-1", "12,5,3", "", "", ""]]), 2, "B (Realisasi)"),
    "unknown_code": (
        lambda: xlsx([["PEM-1", 1, "", "", ""], ["XXX-9", 1, "", "", ""]]),
        3,
        "A (Kode Indikator)",
    ),
    "duplicate": (
        lambda: xlsx([["PEM-1", 1, "", "", ""], ["PEM-1", 2, "", "", ""]]),
        3,
        "A (Kode Indikator)",
    ),
    "formula_without_value": (_formula_without_value, 2, "B (Realisasi)"),
    "div0": (_div0, 3, "B (Realisasi)"),
    "na_without_reason": (
        lambda: xlsx([["PEM-1", "N/A", "", "", ""]]),
        2,
        "C (Alasan Tidak Tersedia)",
    ),
    "csv_bad_number": (lambda: csv_bytes([["PEM-1", "abc", "", "", ""]]), 2, "Realisasi"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(BAD_ROWS))
def test_bad_cell_changes_nothing_and_names_row_and_column(world, case):
    make, row, column = BAD_ROWS[case]
    services.realisation_save(
        actor=world.users["admin"], indicator=world.pem2, period=Q3, value=D(1), now=NOW
    )
    before = state()
    name = "r.csv" if case.startswith("csv") else "r.xlsx"
    result = real_import(world, make(), name=name)
    assert not result.ok and not result.applied
    assert state() == before
    assert any(e.row == row and e.column == column for e in result.errors), result.errors


@pytest.mark.django_db
def test_every_bad_row_is_listed(world):
    data = xlsx(
        [["PEM-1", "x", "", "", ""], ["NOPE", 1, "", "", ""], ["TRA-1", "#DIV/0!", "", "", ""]]
    )
    result = real_import(world, data)
    assert [e.row for e in result.errors] == [2, 3, 4]
    assert "rumus" in result.errors[2].message


def _pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


BAD_FILES = {
    "pdf_renamed": (_pdf, "file_type"),
    "xls_binary": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "xls"),
    "garbage": (lambda: bytes(range(256)) * 10, "file_type"),
    "zip_not_xlsx": (lambda: _zip({"a.txt": b"hi"}), "file_type"),
    "empty": (lambda: b"", "empty"),
    "missing_column": (lambda: xlsx([["PEM-1", 1]], headers=["Kode", "Catatan"]), "Realisasi"),
    "no_header": (lambda: xlsx([["PEM-1", 1]], headers=["Apa", "Ini"]), "Kode Indikator"),
}


def _zip(files) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, body in files.items():
            zf.writestr(name, body)
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_file_is_refused(world, case):
    make, needle = BAD_FILES[case]
    before = state()
    result = real_import(world, make(), name="data.xlsx")
    assert not result.ok and state() == before
    text = " ".join(str(e) for e in result.errors)
    assert (
        needle in text
        or (needle == "file_type" and "bukan lembar kerja" in text)
        or (needle == "empty" and "kosong" in text)
        or (needle == "xls" and ".xls" in text)
    ), text


@pytest.mark.django_db
def test_oversize_file_is_refused(world):
    data = xlsx([["PEM-1", 1, "", "", ""]])
    before = state()
    with override_settings(KINERJA_MAX_UPLOAD_MB=0):
        result = real_import(world, data)
    assert not result.ok and "MB" in result.errors[0].message and state() == before


@pytest.mark.django_db
def test_targets_missing_column_and_bad_cells(world):
    before = state()
    result = target_import(world, xlsx([["PEM-1", 1, 1, 1]], headers=TARGET_HEADERS[:4]))
    assert {e.column for e in result.errors} == {"Target TW III", "Target TW IV"}
    result = target_import(
        world,
        xlsx(
            [["PEM-1", "1,2,3", "1", "1", "1", "1"], ["PEM-1", "1", "", "", "", ""]],
            headers=TARGET_HEADERS,
        ),
    )
    assert [(e.row, e.column[0]) for e in result.errors] == [(2, "B"), (3, "A")]
    assert state() == before


@pytest.mark.django_db
def test_locked_quarter_fails_whole_import(world):
    services.unit_period_lock(
        actor=world.users["sekcam"], unit=world.units["trantib"], period=Q3, now=NOW
    )
    before = state()
    result = real_import(world, xlsx([["PEM-1", 1, "", "", ""], ["TRA-1", 2, "", "", ""]]))
    assert not result.ok and state() == before
    assert [e.row for e in result.errors] == [3] and "dikunci" in result.errors[0].message


@pytest.mark.django_db
def test_permission_denied_for_other_unit_and_for_targets(world):
    before = state()
    result = real_import(
        world,
        xlsx([["PEM-1", 1, "", "", ""], ["TRA-1", 2, "", "", ""]]),
        actor="kasi_pemerintahan",
    )
    assert not result.ok and [e.row for e in result.errors] == [3] and state() == before
    ok = real_import(world, xlsx([["PEM-1", 1, "", "", ""]]), actor="kasi_pemerintahan")
    assert ok.ok
    result = target_import(
        world, xlsx([["PEM-1", 1, 1, 1, 1, 1]], headers=TARGET_HEADERS), actor="kasi_trantib"
    )
    assert not result.ok and "berwenang" in result.errors[0].message


@pytest.mark.django_db
def test_errors_in_english(world):
    with translation.override("en"):
        result = real_import(world, xlsx([["NOPE", 1, "", "", ""]]))
        text = str(result.errors[0])
    assert "row 2" in text and "unknown" in text.lower(), text


@pytest.mark.django_db
def test_english_headers(world):
    data = xlsx(
        [["PEM-1", "3", "", "rain", "pump"]],
        headers=["Indicator code", "Value", "Reason", "Problems", "Actions"],
    )
    assert real_import(world, data).ok


# ------------------------------------------------------------------------ templates and export


@pytest.mark.django_db
def test_realisation_template_round_trip(world):
    data = spreadsheets.realisations_workbook(agency=world.agency, period=Q3)
    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    assert ws.freeze_panes == "B2" and wb.sheetnames[-1] == "Petunjuk"
    headers = [c.value for c in ws[1]]
    codes = {ws.cell(row=r, column=2).value: r for r in range(2, ws.max_row + 1)}
    assert set(codes) == {"PEM-1", "PEM-2", "TRA-1"}
    value_col = headers.index("Realisasi") + 1
    ws.cell(row=codes["PEM-1"], column=value_col, value="22,5")
    ws.cell(row=codes["TRA-1"], column=value_col, value="tidak tersedia")
    ws.cell(
        row=codes["TRA-1"], column=headers.index("Alasan Tidak Tersedia") + 1, value="Belum dirilis"
    )
    buf = io.BytesIO()
    wb.save(buf)
    result = real_import(world, buf.getvalue())
    assert result.ok, result.errors
    assert result.summary["created"] == 2 and result.summary["skipped"] == 1
    assert Realisation.objects.get(indicator=world.pem1).value == D("22.5")


@pytest.mark.django_db
def test_targets_template_round_trip(world):
    data = spreadsheets.targets_workbook(agency=world.agency, year=2026)
    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["PEM-1"][6:] == (100, 25, 25, 25, 25)
    ws.cell(row=2, column=8, value=40)
    buf = io.BytesIO()
    wb.save(buf)
    result = target_import(world, buf.getvalue())
    assert result.ok and result.summary["updated"] == 1 and result.summary["unchanged"] == 2
    assert result.warnings


@pytest.mark.django_db
def test_export_holds_values_achievement_and_rating(world):
    services.realisation_save(
        actor=world.users["admin"], indicator=world.pem1, period=Q3, value=D(20), now=NOW
    )
    wb = load_workbook(io.BytesIO(spreadsheets.export_workbook(agency=world.agency, period=Q3)))
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[1] == "PEM-1")
    assert row[headers.index("Realisasi")] == 20
    line = next(r for r in ws.iter_rows(min_row=2) if r[1].value == "PEM-1")
    assert line[headers.index("Realisasi")].number_format == "#,##0"  # 20, not "20,"
    assert row[headers.index("Capaian Triwulan (%)")] == 80
    assert row[headers.index("Predikat")] == "Baik (Capaian TW III)"  # the figure it rates
    assert wb.sheetnames[1] == "Target 2026"


# ------------------------------------------------------------------ the bulk path for big files


def _outcome():
    reals = sorted(
        Realisation.objects.values_list(
            "indicator__code",
            "value",
            "not_available",
            "not_available_reason",
            "problems",
            "actions",
            "lock_version",
            "entered_by_id",
            "entered_at",
        )
    )
    events = sorted(
        (e.action, e.object_type, e.actor_id, e.agency_id, str(e.before), str(e.after))
        for e in AuditEvent.objects.filter(action="realisation.saved")
    )
    ids_match = all(
        Realisation.objects.filter(
            pk=int(e.object_id), indicator__code=e.after["indicator"]
        ).exists()
        for e in AuditEvent.objects.filter(action="realisation.saved")
    )
    return reals, events, ids_match


@pytest.mark.django_db(transaction=False)
def test_bulk_path_stores_the_same_rows_and_audit_events_as_the_service(world, monkeypatch):
    from django.db import transaction

    first = xlsx(
        [
            ["PEM-1", "1.234,5", "", "k", "u"],
            ["PEM-2", 3, "", "", ""],
            ["TRA-1", "N/A", "belum ada", "", ""],
        ]
    )
    second = xlsx(
        [["PEM-1", "1.234,5", "", "k", "u"], ["PEM-2", 4, "", "x", ""], ["TRA-1", 5, "", "", ""]]
    )
    outcomes = []
    for threshold in (10_000, 1):
        monkeypatch.setattr(spreadsheets, "BULK_MIN_ROWS", threshold)
        with transaction.atomic():
            assert real_import(world, first).ok
            result = real_import(world, second)
            assert result.summary == {
                "rows": 3,
                "created": 0,
                "updated": 2,
                "unchanged": 1,
                "skipped": 0,
            }
            outcomes.append(_outcome())
            transaction.set_rollback(True)
    assert outcomes[0] == outcomes[1]
    assert outcomes[1][2] and len(outcomes[1][1]) == 5


@pytest.mark.django_db
def test_bulk_path_refuses_locked_unit_and_other_units(world):
    from kinerja.core.errors import ApplicationError

    items = [
        services.RealisationInput(indicator=world.pem1, value=D(1)),
        services.RealisationInput(indicator=world.tra1, value=D(1)),
    ]
    services.unit_period_lock(
        actor=world.users["sekcam"], unit=world.units["trantib"], period=Q3, now=NOW
    )
    before = state()
    for actor in ("admin", "kasi_pemerintahan"):
        with pytest.raises(ApplicationError):
            spreadsheets._bulk_save_realisations(
                actor=world.users[actor], period=Q3, items=items, now=NOW
            )
    assert state() == before
