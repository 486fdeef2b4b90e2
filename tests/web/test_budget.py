"""Budget realisation page: access per role, Indonesian numbers, errors that keep what was
typed and save nothing, one transaction, stale edits refused, the figures in the reports'
budget rows."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from kinerja.core.models import AuditEvent
from kinerja.core.periods import Period
from kinerja.performance.models import AgreementProgram, BudgetRealisation, PerformanceAgreement

pytestmark = pytest.mark.django_db

URL = "/data-induk/realisasi-anggaran/"


def budget_data(html: str) -> dict[str, str]:
    """Every input of the budget form as a browser would post it."""
    form = html[html.find('id="budget-form"') :]
    data = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or name.group(1) == "csrfmiddlewaretoken":
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data[name.group(1)] = (value.group(1) if value else "").replace("&quot;", '"')
    return data


@pytest.fixture
def year(perf_office) -> int:
    """The current PK year of the demo, with no realised spending yet (a clean slate)."""
    agreement = PerformanceAgreement.objects.filter(
        agency=perf_office.agency, is_current=True
    ).order_by("-year")[0]
    BudgetRealisation.objects.filter(agency=perf_office.agency, year=agreement.year).delete()
    return agreement.year


def programs(office, year) -> list[AgreementProgram]:
    return list(
        AgreementProgram.objects.filter(
            agreement__agency=office.agency, agreement__year=year, agreement__is_current=True
        ).order_by("order", "code")
    )


def amounts(office, year) -> dict[tuple[str, int], Decimal]:
    return {
        (c, q): a
        for c, q, a in BudgetRealisation.objects.filter(
            agency=office.agency, year=year
        ).values_list("program_code", "quarter", "amount")
    }


@pytest.mark.parametrize("username", ["admin", "kasubag_perencanaan"])
def test_planners_open_the_page(perf_office, login, year, username):
    client = login(username)
    assert URL in client.get("/data-induk/").content.decode()
    response = client.get(f"{URL}?year={year}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Realisasi anggaran" in page
    for program in programs(perf_office, year):
        assert f'data-program="{program.code}"' in page and program.name in page
    # a year without a PK: a clear message, no grid
    page = client.get(f"{URL}?year=2031").content.decode()
    assert "Belum ada Perjanjian Kinerja tahun 2031" in page and 'id="budget-form"' not in page


@pytest.mark.parametrize("username", ["sekcam", "camat", "kasi_pemerintahan", "analis_1"])
def test_others_get_404(perf_office, login, year, username):
    from kinerja.accounts.models import User

    assert User.objects.filter(username=username).exists(), f"no {username} in the demo office"
    client = login(username)
    assert client.get(URL).status_code == 404
    assert client.get(f"{URL}?year={year}").status_code == 404
    program = programs(perf_office, year)[0]
    response = client.post(URL, {"year": year, f"r1_{program.pk}": "1000", "loaded": "{}"})
    assert response.status_code == 404
    assert not BudgetRealisation.objects.filter(year=year).exists()


def test_admin_of_another_agency_gets_404(perf_office, client, outsider, year):
    from kinerja.organization.models import Agency, Position, PositionHolder

    other = Agency.objects.create(code="lain", name="Kecamatan Lain", timezone="Asia/Makassar")
    position = Position.objects.create(agency=other, code="adm", title="Admin", is_admin=True)
    PositionHolder.objects.create(position=position, user=outsider, start_date="2020-01-01")
    client.force_login(outsider)
    assert client.get(f"{URL}?agency={perf_office.agency.pk}&year={year}").status_code == 404
    page = client.get(f"{URL}?year={year}").content.decode()  # their own agency: no PK
    assert perf_office.agency.name not in page


def test_indonesian_numbers_are_saved_audited_and_reach_the_budget_rows(perf_office, login, year):
    from kinerja.performance.selectors import budget_rows

    client = login("kasubag_perencanaan")
    first, second = programs(perf_office, year)[:2]
    data = budget_data(client.get(f"{URL}?year={year}").content.decode())
    data.update(
        {
            f"r1_{first.pk}": "1.234.567,50",
            f"r2_{first.pk}": " 250.000 ",
            f"r1_{second.pk}": "0",
            f"r3_{second.pk}": "99.000.000",
        }
    )
    audits = AuditEvent.objects.filter(action="budget_realisation.saved").count()
    response = client.post(URL, data, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Realisasi anggaran tersimpan" in page
    assert amounts(perf_office, year) == {
        (first.code, 1): Decimal("1234567.50"),
        (first.code, 2): Decimal("250000"),
        (second.code, 1): Decimal(0),
        (second.code, 3): Decimal("99000000"),
    }
    assert AuditEvent.objects.filter(action="budget_realisation.saved").count() == audits + 4
    event = AuditEvent.objects.filter(action="budget_realisation.saved").latest("id")
    assert event.actor == perf_office.users["kasubag_perencanaan"]
    # shown back as typed, with the year's total and the absorption
    assert 'value="1.234.567,50"' in page and 'value="250.000"' in page
    row = page[page.find(f'data-program="{first.code}"') :]
    total = Decimal("1484567.50")
    assert "1.484.567,50" in row[: row.find("</tr>")]
    absorbed = (total / first.budget * 100).quantize(Decimal("0.01"))
    assert f"{absorbed}".replace(".", ",") + " %" in row[: row.find("</tr>")]

    # The quarterly report and the LKjIP read the same figures.
    by_code = {r.code: r for r in budget_rows(agency=perf_office.agency, period=Period(year, 2))}
    assert by_code[first.code].realised_quarter == Decimal("250000")
    assert by_code[first.code].realised_ytd == total
    assert by_code[second.code].realised_ytd == 0
    q3 = {r.code: r for r in budget_rows(agency=perf_office.agency, period=Period(year, 3))}
    assert q3[second.code].realised_quarter == Decimal("99000000")

    # Saving again without a change writes nothing.
    data = budget_data(page)
    client.post(URL, data)
    assert AuditEvent.objects.filter(action="budget_realisation.saved").count() == audits + 4


def test_english_numbers_in_english(perf_office, login, year):
    client = login("admin")
    client.cookies["django_language"] = "en"
    first = programs(perf_office, year)[0]
    page = client.get(f"{URL}?year={year}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    data = budget_data(page)
    data[f"r1_{first.pk}"] = "1,234,567.50"
    response = client.post(URL, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert amounts(perf_office, year) == {(first.code, 1): Decimal("1234567.50")}


def test_bad_number_keeps_what_was_typed_and_saves_nothing(perf_office, login, year):
    client = login("admin")
    first, second = programs(perf_office, year)[:2]
    data = budget_data(client.get(f"{URL}?year={year}").content.decode())
    data.update(
        {
            f"r1_{first.pk}": "1.500.000",
            f"r2_{first.pk}": "satu juta",
            f"r1_{second.pk}": "-5",
            f"r2_{second.pk}": "10,555",
        }
    )
    response = client.post(URL, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="1.500.000"' in page and 'value="satu juta"' in page
    assert 'value="-5"' in page and 'value="10,555"' in page
    assert "bukan angka" in page and "tidak boleh negatif" in page
    assert "dua angka di belakang koma" in page
    assert 'id="form-errors"' in page
    assert not BudgetRealisation.objects.filter(year=year).exists()


def test_a_stored_amount_cannot_be_cleared(perf_office, login, year):
    from kinerja.performance.services import budget_realisation_save

    first = programs(perf_office, year)[0]
    budget_realisation_save(
        actor=perf_office.users["admin"],
        agency=perf_office.agency,
        period=Period(year, 1),
        program_code=first.code,
        amount=Decimal(500),
    )
    client = login("kasubag_perencanaan")
    data = budget_data(client.get(f"{URL}?year={year}").content.decode())
    assert data[f"r1_{first.pk}"] == "500"
    data[f"r1_{first.pk}"] = ""
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "tidak dapat dikosongkan" in response.content.decode()
    assert amounts(perf_office, year) == {(first.code, 1): Decimal(500)}


def test_all_rows_or_nothing(perf_office, year):
    """A refusal on a later cell undoes the cells already written in the same save."""
    from kinerja.core.errors import ApplicationError
    from kinerja.performance.grids import budget_cell, budget_grid, budget_grid_save
    from kinerja.performance.services import budget_realisation_save

    first, second = programs(perf_office, year)[:2]
    admin = perf_office.users["admin"]
    budget_realisation_save(
        actor=admin,
        agency=perf_office.agency,
        period=Period(year, 4),
        program_code=second.code,
        amount=Decimal(7),
    )
    loaded = budget_grid(perf_office.agency, year).state
    audits = AuditEvent.objects.count()
    typed = {budget_cell(first.pk, 1): Decimal(1000), budget_cell(second.pk, 4): None}
    with pytest.raises(ApplicationError):
        budget_grid_save(
            actor=admin, agency=perf_office.agency, year=year, loaded=loaded, typed=typed
        )
    assert amounts(perf_office, year) == {(second.code, 4): Decimal(7)}
    assert AuditEvent.objects.count() == audits


def test_stale_edit_is_refused(perf_office, login, year):
    from kinerja.performance.services import budget_realisation_save

    client = login("kasubag_perencanaan")
    first, second = programs(perf_office, year)[:2]
    data = budget_data(client.get(f"{URL}?year={year}").content.decode())
    # someone else saves the second programme's first quarter meanwhile
    budget_realisation_save(
        actor=perf_office.users["admin"],
        agency=perf_office.agency,
        period=Period(year, 1),
        program_code=second.code,
        amount=Decimal(7000),
    )
    data.update({f"r1_{first.pk}": "1.000.000", f"r2_{first.pk}": "2.000"})
    response = client.post(URL, data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "sudah diubah orang lain" in page and "Tidak ada yang disimpan" in page
    assert f"Program yang berubah: {second.code}" in page
    assert 'value="1.000.000"' in page  # what was typed stays
    assert 'value="7.000"' in page  # and the other person's figure is shown, not undone
    assert amounts(perf_office, year) == {(second.code, 1): Decimal(7000)}
    # saving again (on the figures now loaded) goes through and keeps the other's figure
    again = budget_data(page)
    assert client.post(URL, again).status_code == 302
    assert amounts(perf_office, year) == {
        (second.code, 1): Decimal(7000),
        (first.code, 1): Decimal(1000000),
        (first.code, 2): Decimal(2000),
    }


def test_a_revised_agreement_meanwhile_is_refused(perf_office, login, year):
    from django.utils import timezone

    from kinerja.performance.services import agreement_revise

    client = login("admin")
    first = programs(perf_office, year)[0]
    data = budget_data(client.get(f"{URL}?year={year}").content.decode())
    agreement_revise(
        actor=perf_office.users["admin"],
        agency=perf_office.agency,
        year=year,
        reason="APBD Perubahan",
        effective_date=timezone.localdate(),
    )
    data[f"r1_{first.pk}"] = "1"
    assert client.post(URL, data).status_code == 409
    assert not BudgetRealisation.objects.filter(year=year).exists()


def test_broken_form_saves_nothing(perf_office, login, year):
    client = login("admin")
    first = programs(perf_office, year)[0]
    response = client.post(URL, {"year": year, "loaded": "rusak", f"r1_{first.pk}": "1"})
    assert response.status_code == 400
    assert "muat ulang halaman" in response.content.decode()
    assert not BudgetRealisation.objects.filter(year=year).exists()
