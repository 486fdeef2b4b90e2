"""Excel pages (allowed and denied per role, upload -> preview -> confirm) and the
``import`` command."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from kinerja.organization.models import Agency
from kinerja.performance.models import QuarterTarget, Realisation
from tests.performance.test_spreadsheets import TARGET_HEADERS, state, xlsx

PERIOD = "?periode=2026-Q3"


def url(name, world, query=PERIOD):
    return reverse(f"performance:{name}", args=[world.agency.code]) + query


def login(client, world, who):
    client.force_login(world.users[who])
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who, home, targets, realisations",
    [
        ("admin", 200, 200, 200),
        ("sekcam", 200, 403, 403),  # reviews; the plan is the planners' (one planner rule)
        ("kasubag_perencanaan", 200, 200, 200),  # also head of the Perencanaan unit
        ("kasi_pemerintahan", 200, 403, 200),
        ("analis_1", 404, 404, 404),
    ],
)
def test_pages_per_role(client, world, who, home, targets, realisations):
    login(client, world, who)
    assert client.get(url("excel", world)).status_code == home
    assert client.get(url("import_targets", world)).status_code == targets
    assert client.get(url("import_realisations", world)).status_code == realisations
    assert client.get(url("export", world)).status_code == home
    assert client.get(url("template_targets", world, "?tahun=2026")).status_code == home


@pytest.mark.django_db
def test_outside_agency_is_404_and_anonymous_redirected(client, world):
    other = Agency.objects.create(code="lain", name="Kecamatan Lain")
    login(client, world, "sekcam")
    assert client.get(reverse("performance:excel", args=[other.code])).status_code == 404
    client.logout()
    assert client.get(url("excel", world)).status_code == 302


@pytest.mark.django_db
def test_unit_head_template_holds_only_own_unit(client, world):
    login(client, world, "kasi_pemerintahan")
    response = client.get(url("template_realisations", world))
    assert response["Content-Type"].startswith("application/vnd.openxml")
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert {r[1] for r in ws.iter_rows(min_row=2, values_only=True)} == {"PEM-1", "PEM-2"}


@pytest.mark.django_db
def test_upload_preview_then_confirm(client, world):
    login(client, world, "kasi_pemerintahan")
    page = client.get(url("import_realisations", world))
    assert b'accept=".xlsx,.csv"' in page.content and b"csrfmiddlewaretoken" in page.content
    data = xlsx([["PEM-1", "12,5", "", "", ""]])
    before = state()
    response = client.post(
        url("import_realisations", world),
        {"file": SimpleUploadedFile("r.xlsx", data), "periode": "2026-Q3"},
    )
    assert response.status_code == 200 and b"Simpan data ini" in response.content
    assert state() == before  # the preview is a dry run
    token = response.context["token"]
    response = client.post(url("import_realisations", world), {"token": token, "confirm": "1"})
    assert response.status_code == 302
    assert Realisation.objects.get(indicator=world.pem1).value == 12.5
    # the token is single use
    response = client.post(url("import_realisations", world), {"token": token, "confirm": "1"})
    assert response.status_code == 302 and Realisation.objects.count() == 1


@pytest.mark.django_db
def test_upload_with_errors_lists_them_in_a_table(client, world):
    login(client, world, "admin")
    data = xlsx([["PEM-1", "abc", "", "", ""], ["NOPE", "1", "", "", ""]])
    response = client.post(
        url("import_realisations", world), {"file": SimpleUploadedFile("r.xlsx", data)}
    )
    assert response.status_code == 200
    assert b'id="import-errors"' in response.content and not response.context["token"]
    assert [e.row for e in response.context["result"].errors] == [2, 3]


@pytest.mark.django_db
def test_pdf_upload_is_refused(client, world):
    login(client, world, "admin")
    response = client.post(
        url("import_targets", world, "?tahun=2026"),
        {"file": SimpleUploadedFile("t.xlsx", b"%PDF-1.4 nope")},
    )
    assert b"bukan lembar kerja" in response.content


# ----------------------------------------------------------------------------------------- CLI


@pytest.fixture
def target_file(tmp_path):
    path = tmp_path / "t.xlsx"
    path.write_bytes(xlsx([["PEM-1", "100", "10", "20", "30", "40"]], headers=TARGET_HEADERS))
    return path


@pytest.mark.django_db
def test_cli_dry_run_changes_nothing(world, target_file, capsys):
    before = state()
    call_command(
        "import",
        "targets",
        str(target_file),
        agency=world.agency.code,
        year=2026,
        user="admin",
        dry_run=True,
    )
    assert state() == before
    assert "tidak disimpan" in capsys.readouterr().out


@pytest.mark.django_db
def test_cli_imports_and_prints_summary(world, target_file, capsys):
    call_command(
        "import", "targets", str(target_file), agency=world.agency.code, year=2026, user="admin"
    )
    assert QuarterTarget.objects.get(indicator=world.pem1, quarter=4).target == 40
    assert "1 diubah" in capsys.readouterr().out


@pytest.mark.django_db
def test_cli_prints_every_error_and_fails(world, tmp_path, capsys):
    path = tmp_path / "r.csv"
    path.write_bytes(b"Kode;Realisasi\nPEM-1;x\nNOPE;1\n")
    before = state()
    with pytest.raises(CommandError):
        call_command(
            "import",
            "realisations",
            str(path),
            agency=world.agency.code,
            period="2026-Q3",
            user="admin",
        )
    err = capsys.readouterr().err
    assert "baris 2" in err and "baris 3" in err and state() == before


@pytest.mark.django_db
def test_cli_user_is_checked(world, target_file):
    with pytest.raises(CommandError):
        call_command(
            "import",
            "targets",
            str(target_file),
            agency=world.agency.code,
            year=2026,
            user="kasi_trantib",
        )
