"""The error pages are part of the site: its layout, the user's language, a way back (issue 9,
item 10: the wrong unit's task showed Django's bare English "Not Found")."""

from __future__ import annotations

import pytest
from django.http import HttpRequest
from django.test import Client
from django.urls import path

from kinerja.config.urls import urlpatterns as site_urlpatterns
from kinerja.workflow.models import Task

pytestmark = pytest.mark.django_db


def boom(request: HttpRequest):
    raise RuntimeError("a bug")


urlpatterns = [path("rusak/", boom), *site_urlpatterns]


def test_wrong_units_task_is_a_site_page_in_indonesian(case, login, two_unit_office):
    from kinerja.workflow.services import task_complete

    step1 = Task.objects.get(case=case, step=1, status="active")
    task_complete(actor=two_unit_office.users["sekcam"], task_id=step1.pk)
    task = Task.objects.get(case=case, step=2, unit__code="pemerintahan")
    response = login("kasi_trantib").get(f"/tugas/{task.pk}/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Not Found" not in page
    assert "Halaman tidak ditemukan" in page
    assert 'href="/tugas/"' in page and "Ke Tugas saya" in page  # the way back
    assert 'class="navbar' in page  # the site's menu
    assert "<script>" not in page and ' style="' not in page


def test_not_found_in_the_users_language(case, login):
    client = login("kasi_trantib")
    from kinerja.accounts.models import User

    User.objects.filter(username="kasi_trantib").update(language="en")
    page = client.get("/tugas/999999/").content.decode()
    assert "Page not found" in page and "Go to My tasks" in page
    assert 'lang="en"' in page


def test_not_found_for_a_visitor_offers_sign_in(client, db):
    response = client.get("/v/TIDAKADA")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Halaman tidak ditemukan" in page and 'href="/akun/masuk/"' in page


def test_forbidden_download_is_a_site_page(case, login, two_unit_office):
    from kinerja.reports.services import document_generate

    document = document_generate(
        actor=None,
        code="laporan-unit",
        fmt="xlsx",
        agency="kec-binamu",
        period="2026-Q2",
        unit="pemerintahan",
    )
    response = login("analis_2").get(f"/dokumen/{document.pk}/unduh/")
    assert response.status_code in (403, 404)
    page = response.content.decode()
    assert "Ke Tugas saya" in page
    assert ("Akses ditolak" in page) or ("Halaman tidak ditemukan" in page)


@pytest.mark.urls(__name__)
def test_server_error_page_stands_alone_in_the_users_language(login, two_unit_office):
    from kinerja.accounts.models import User

    User.objects.filter(username="sekcam").update(language="en")
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username="sekcam"))
    response = client.get("/rusak/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page and 'href="/tugas/"' in page
    assert "a bug" not in page and "Traceback" not in page
