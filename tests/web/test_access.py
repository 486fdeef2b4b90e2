"""Every page for an allowed and a denied role (404 outside the user's scope)."""

from __future__ import annotations

import pytest

from kinerja.workflow.models import Task
from kinerja.workflow.services import task_complete

pytestmark = pytest.mark.django_db


def active(case, step, unit_code=None):
    qs = Task.objects.filter(case=case, step=step, status="active")
    if unit_code:
        qs = qs.filter(unit__code=unit_code)
    return qs.get()


def to_step3(case, office):
    u = office.users
    task_complete(actor=u["sekcam"], task_id=active(case, 1).pk)
    task_complete(
        actor=u["kasi_pemerintahan"],
        task_id=active(case, 2, "pemerintahan").pk,
        assignee=u["analis_1"],
    )


def test_anonymous_is_sent_to_login(client, case):
    for url in ["/tugas/", f"/kasus/{case.pk}/", "/dasbor/", "/prosedur/", "/data-induk/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/akun/masuk/")


def test_my_tasks_shows_only_own_tasks(case, login, two_unit_office):
    to_step3(case, two_unit_office)
    page = login("kasi_trantib").get("/tugas/").content.decode()
    assert "Seksi Ketenteraman" in page and "Seksi Pemerintahan" not in page
    page = login("analis_1").get("/tugas/").content.decode()
    assert "Menyerahkan bahan laporan" in page
    page = login("analis_2").get("/tugas/").content.decode()
    assert "Tidak ada tugas" in page


def test_case_page_allowed_and_denied(case, login, outsider, client, two_unit_office):
    to_step3(case, two_unit_office)
    assert login("sekcam").get(f"/kasus/{case.pk}/").status_code == 200
    # A section head sees the case, limited to their unit.
    page = login("kasi_trantib").get(f"/kasus/{case.pk}/").content.decode()
    assert "Seksi Ketenteraman" in page and "Seksi Pemerintahan" not in page
    # An analyst sees only the unit given to them; another analyst nothing.
    assert login("analis_1").get(f"/kasus/{case.pk}/").status_code == 200
    assert login("analis_2").get(f"/kasus/{case.pk}/").status_code == 404
    client.force_login(outsider)
    assert client.get(f"/kasus/{case.pk}/").status_code == 404
    assert client.get("/kasus/").status_code == 200


def test_task_page_allowed_and_denied(case, login, two_unit_office):
    to_step3(case, two_unit_office)
    step3 = active(case, 3, "pemerintahan")
    step2_trantib = active(case, 2, "trantib")
    assert login("analis_1").get(f"/tugas/{step3.pk}/").status_code == 200
    # Another analyst and the other unit's head may not see it.
    assert login("analis_2").get(f"/tugas/{step3.pk}/").status_code == 404
    assert login("kasi_trantib").get(f"/tugas/{step3.pk}/").status_code == 404
    # The unit's head sees it read-only; posting does nothing.
    c = login("kasi_pemerintahan")
    page = c.get(f"/tugas/{step3.pk}/").content.decode()
    assert 'id="task-form"' not in page
    c.post(f"/tugas/{step3.pk}/", {"expected_version": 0, "action": "complete"})
    assert Task.objects.get(pk=step3.pk).status == "active"
    assert login("kasi_pemerintahan").get(f"/tugas/{step2_trantib.pk}/").status_code == 404


def test_dashboard_allowed_and_denied(case, login, outsider, client):
    assert login("sekcam").get("/dasbor/").status_code == 200
    page = login("kasi_trantib").get("/dasbor/").content.decode()
    assert "Anda melihat unit kerja Anda saja" in page
    assert "Seksi Pemerintahan" not in page
    client.force_login(outsider)
    assert client.get("/dasbor/").status_code == 404
    assert client.get("/dasbor/grafik/kelengkapan.svg").status_code == 404
    chart = login("sekcam").get("/dasbor/grafik/kelengkapan.svg")
    assert chart.status_code == 200 and chart["Content-Type"] == "image/svg+xml"


def test_other_agency_is_not_found(case, login):
    from kinerja.organization.models import Agency

    other = Agency.objects.create(code="lain", name="Kecamatan Lain")
    assert login("sekcam").get(f"/dasbor/?agency={other.pk}").status_code == 404


def test_sop_page_for_every_signed_in_user(login, outsider, client, case):
    page = login("analis_1").get("/prosedur/pengumpulan-data-kinerja/").content.decode()
    for box in ["Dasar Hukum", "Kualifikasi Pelaksana", "Peringatan", "Pencatatan dan Pendataan"]:
        assert box.upper() in page.upper()
    assert "Camat Binamu" in page
    client.force_login(outsider)
    assert client.get("/prosedur/pengumpulan-data-kinerja/").status_code == 200
    assert client.get("/prosedur/tidak-ada/").status_code == 404


def test_master_data_for_administrators_only(login, outsider, client, two_unit_office):
    c = login("admin")
    assert c.get("/data-induk/").status_code == 200
    assert c.get("/data-induk/pemangku/").status_code == 200
    for denied in ["sekcam", "kasi_trantib", "analis_1"]:
        assert login(denied).get("/data-induk/unit/").status_code == 404
    client.force_login(outsider)
    assert client.get("/data-induk/").status_code == 404


def test_agency_admin_sees_only_own_agency_rows(login, two_unit_office):
    from kinerja.accounts.models import User
    from kinerja.organization.models import Agency, PositionHolder, Unit

    other = Agency.objects.create(code="lain", name="Kecamatan Lain")
    foreign = Unit.objects.create(agency=other, code="x", name="Unit Asing")
    admin = User.objects.create_user(username="admin_binamu", password="x-Secret-123")
    PositionHolder.objects.create(
        position=two_unit_office.positions["admin"], user=admin, start_date="2022-01-01"
    )
    login("admin_binamu")
    from django.test import Client

    c = Client()
    c.force_login(admin)
    page = c.get("/data-induk/unit/").content.decode()
    assert "Seksi Pemerintahan" in page and "Unit Asing" not in page
    assert c.get(f"/data-induk/unit/{foreign.pk}/").status_code == 404
    assert c.get("/data-induk/instansi/baru/").status_code == 404


def test_files_only_for_users_who_see_the_unit(case, login, perf_office, tmp_path, settings):
    from kinerja.performance.services import material_add

    settings.MEDIA_ROOT = tmp_path
    to_step3(case, perf_office)
    material = material_add(
        actor=perf_office.users["analis_1"],
        case=case,
        unit=perf_office.units["pemerintahan"],
        upload=b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
        name="bahan.pdf",
    )
    assert login("kasi_pemerintahan").get(f"/berkas/bahan/{material.pk}/").status_code == 200
    assert login("sekcam").get(f"/berkas/bahan/{material.pk}/").status_code == 200
    assert login("kasi_trantib").get(f"/berkas/bahan/{material.pk}/").status_code == 404
    assert login("analis_2").get(f"/berkas/bahan/{material.pk}/").status_code == 404
