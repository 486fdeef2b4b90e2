"""Indicators and targets pages: access per role, Indonesian numbers, warnings, conflicts,
revisions."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from kinerja.performance.models import (
    AgreementTarget,
    Indicator,
    PerformanceAgreement,
    QuarterTarget,
)

pytestmark = pytest.mark.django_db

YEAR = 2031  # a year without any data in the demo


def grid_data(html: str) -> dict[str, str]:
    """Every input of the targets form as a browser would post it."""
    form = html[html.find('id="targets-form"') :]
    data = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or name.group(1) == "csrfmiddlewaretoken":
            continue
        kind = re.search(r'type="([^"]+)"', tag)
        if kind and kind.group(1) == "radio" and "checked" not in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data[name.group(1)] = (value.group(1) if value else "").replace("&quot;", '"')
    return data


def first_indicator(office) -> Indicator:
    return Indicator.objects.filter(agency=office.agency, is_active=True).order_by("code").first()


@pytest.mark.parametrize("username", ["admin", "kasubag_perencanaan"])
def test_planners_open_the_pages(perf_office, login, username):
    client = login(username)
    assert client.get("/data-induk/").status_code == 200
    assert "/data-induk/target/" in client.get("/data-induk/").content.decode()
    assert client.get("/data-induk/indikator/").status_code == 200
    assert client.get("/data-induk/indikator/baru/").status_code == 200
    ind = first_indicator(perf_office)
    assert client.get(f"/data-induk/indikator/{ind.pk}/").status_code == 200
    assert client.get(f"/data-induk/target/?year={YEAR}").status_code == 200


def test_kasubag_perencanaan_does_not_get_other_master_data(perf_office, login):
    client = login("kasubag_perencanaan")
    page = client.get("/data-induk/").content.decode()
    assert "/data-induk/unit/" not in page
    assert client.get("/data-induk/unit/").status_code == 404


@pytest.mark.parametrize("username", ["sekcam", "kasi_pemerintahan", "analis_1"])
def test_others_get_404(perf_office, login, username):
    client = login(username)
    ind = first_indicator(perf_office)
    for url in [
        "/data-induk/",
        "/data-induk/indikator/",
        "/data-induk/indikator/baru/",
        f"/data-induk/indikator/{ind.pk}/",
        "/data-induk/target/",
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post("/data-induk/target/", {"year": YEAR}).status_code == 404


def test_admin_of_another_agency_gets_404(perf_office, client, outsider):
    from kinerja.organization.models import Agency, Position, PositionHolder

    other = Agency.objects.create(code="lain", name="Kecamatan Lain", timezone="Asia/Makassar")
    position = Position.objects.create(agency=other, code="adm", title="Admin", is_admin=True)
    PositionHolder.objects.create(position=position, user=outsider, start_date="2020-01-01")
    client.force_login(outsider)
    ind = first_indicator(perf_office)
    assert client.get(f"/data-induk/indikator/{ind.pk}/").status_code == 404
    assert client.get(f"/data-induk/target/?agency={perf_office.agency.pk}").status_code == 404
    page = client.get("/data-induk/indikator/").content.decode()
    assert ind.name not in page


def test_indicator_create_and_edit(perf_office, login):
    client = login("kasubag_perencanaan")
    existing = first_indicator(perf_office)
    data = {
        "agency": perf_office.agency.pk,
        "objective": existing.objective_id,
        "code": "IKU-BARU",
        "name": "Persentase surat selesai tepat waktu",
        "unit_of_measure": "%",
        "owner_unit": existing.owner_unit_id,
        "polarity": "negative",
        "negative_formula": "ratio",
        "rollup": "average",
        "decimals": 1,
        "evidence_required": "on",
        "definition": "Surat selesai / surat masuk × 100",
        "data_source": "Buku agenda",
        "order": 9,
        "is_active": "on",
    }
    response = client.post("/data-induk/indikator/baru/", data)
    assert response.status_code == 302
    ind = Indicator.objects.get(code="IKU-BARU")
    assert ind.polarity == "negative" and ind.rollup == "average" and ind.evidence_required
    data["name"] = "Persentase surat tepat waktu"
    data["code"] = existing.code  # duplicate code: refused, what was typed stays
    response = client.post(f"/data-induk/indikator/{ind.pk}/", data)
    assert response.status_code == 400
    assert "Persentase surat tepat waktu" in response.content.decode()
    data["code"] = "IKU-BARU"
    assert client.post(f"/data-induk/indikator/{ind.pk}/", data).status_code == 302
    ind.refresh_from_db()
    assert ind.name == "Persentase surat tepat waktu"


def test_targets_accept_indonesian_numbers_and_create_the_agreement(perf_office, login):
    client = login("kasubag_perencanaan")
    ind = first_indicator(perf_office)
    data = grid_data(client.get(f"/data-induk/target/?year={YEAR}").content.decode())
    data.update(
        {f"a_{ind.pk}": "1.234,5", f"q1_{ind.pk}": "300", f"q2_{ind.pk}": "300,5"}
        | {f"q3_{ind.pk}": "1.000", f"q4_{ind.pk}": "100"}
    )
    response = client.post("/data-induk/target/", data, follow=True)
    assert response.status_code == 200
    agreement = PerformanceAgreement.objects.get(agency=perf_office.agency, year=YEAR)
    assert agreement.version == 1
    assert AgreementTarget.objects.get(agreement=agreement, indicator=ind).target == Decimal(
        "1234.5"
    )
    quarters = dict(
        QuarterTarget.objects.filter(indicator=ind, year=YEAR).values_list("quarter", "target")
    )
    assert quarters == {1: 300, 2: Decimal("300.5"), 3: 1000, 4: 100}
    page = response.content.decode()
    assert "Target tersimpan" in page
    # 300 + 300,5 + 1.000 + 100 = 1.700,5 is not 1.234,5: warned, not blocked
    assert "tidak sama dengan target tahunan" in page
    assert 'value="1.234,5"' in page


def test_bad_number_keeps_what_was_typed_and_saves_nothing(perf_office, login):
    client = login("admin")
    ind = first_indicator(perf_office)
    data = grid_data(client.get(f"/data-induk/target/?year={YEAR}").content.decode())
    data.update({f"a_{ind.pk}": "12,5", f"q1_{ind.pk}": "dua belas"})
    response = client.post("/data-induk/target/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="dua belas"' in page and 'value="12,5"' in page
    assert "bukan angka" in page
    assert not PerformanceAgreement.objects.filter(year=YEAR).exists()


def test_stale_edit_is_refused(perf_office, login):
    from kinerja.performance.services import quarter_targets_set

    client = login("kasubag_perencanaan")
    ind = first_indicator(perf_office)
    data = grid_data(client.get(f"/data-induk/target/?year={YEAR}").content.decode())
    # someone else saves a quarter target meanwhile
    quarter_targets_set(
        actor=perf_office.users["admin"], indicator=ind, year=YEAR, targets={2: Decimal(7)}
    )
    data.update({f"a_{ind.pk}": "100", f"q1_{ind.pk}": "25"})
    response = client.post("/data-induk/target/", data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "sudah diubah orang lain" in page and ind.code in page
    assert 'value="25"' in page  # what was typed stays
    assert not PerformanceAgreement.objects.filter(year=YEAR).exists()
    assert QuarterTarget.objects.get(indicator=ind, year=YEAR).target == 7
    # saving again (on the figures now loaded) goes through
    again = grid_data(page)
    assert client.post("/data-induk/target/", again).status_code == 302
    assert QuarterTarget.objects.get(indicator=ind, year=YEAR, quarter=1).target == 25
    # the other person's figure, left untouched here, is not undone by the second save
    assert QuarterTarget.objects.get(indicator=ind, year=YEAR, quarter=2).target == 7


def test_stale_agreement_version_is_refused(perf_office, login):
    from kinerja.performance.services import agreement_revise

    year = PerformanceAgreement.objects.filter(is_current=True).order_by("-year").first().year
    client = login("admin")
    ind = first_indicator(perf_office)
    data = grid_data(client.get(f"/data-induk/target/?year={year}").content.decode())
    agreement_revise(
        actor=perf_office.users["admin"],
        agency=perf_office.agency,
        year=year,
        reason="APBD Perubahan",
        effective_date=perf_office_today(),
    )
    data[f"q1_{ind.pk}"] = "1"
    response = client.post("/data-induk/target/", data)
    assert response.status_code == 409


def perf_office_today():
    from django.utils import timezone

    return timezone.localdate()


def test_revision_needs_a_reason_and_makes_a_new_version(perf_office, login):
    year = PerformanceAgreement.objects.filter(is_current=True).order_by("-year").first().year
    before = PerformanceAgreement.objects.get(year=year, is_current=True)
    client = login("kasubag_perencanaan")
    ind = first_indicator(perf_office)
    page = client.get(f"/data-induk/target/?year={year}").content.decode()
    assert "Alasan revisi" in page
    data = grid_data(page)
    data.update({"mode": "revisi", "reason": "", f"a_{ind.pk}": "999"})
    response = client.post("/data-induk/target/", data)
    assert response.status_code == 400
    assert "Alasan revisi wajib diisi" in response.content.decode()
    data["reason"] = "Pergeseran anggaran"
    assert client.post("/data-induk/target/", data).status_code == 302
    current = PerformanceAgreement.objects.get(year=year, is_current=True)
    assert current.version == before.version + 1 and current.reason == "Pergeseran anggaran"
    assert AgreementTarget.objects.get(agreement=current, indicator=ind).target == 999
    assert AgreementTarget.objects.get(agreement=before, indicator=ind).target != 999
