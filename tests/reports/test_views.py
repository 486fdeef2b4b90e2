"""Pages: generate (POST), download with access checks, public verification, SOP drawing."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from kinerja.reports.models import GeneratedDocument
from kinerja.reports.services import document_generate

pytestmark = pytest.mark.django_db


def read(doc):
    with doc.file.open("rb") as f:
        return f.read()


def test_verification_page_authentic_and_changed(perf_office, client):
    doc = document_generate(
        actor=perf_office.users["sekcam"],
        code="laporan-triwulan",
        fmt="pdf",
        agency="kec-binamu",
        period="2026-Q3",
    )
    data = read(doc)
    # The QR code's link is printed in the PDF itself.
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert f"/v/{doc.short_code}" in text.replace("\n", "")
    url = reverse("reports:verify", args=[doc.short_code])
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert doc.sha256 in body and "Triwulan III 2026" in body and "Kantor Kecamatan Binamu" in body
    assert reverse("reports:download", args=[doc.pk]) not in body  # anonymous: no download
    ok = client.post(url, {"file": SimpleUploadedFile("x.pdf", data)})
    assert "COCOK" in ok.content.decode()
    changed = bytearray(data)
    changed[len(changed) // 2] ^= 0x01
    bad = client.post(url, {"file": SimpleUploadedFile("x.pdf", bytes(changed))})
    assert "BERUBAH / TIDAK DIKENAL" in bad.content.decode()
    # Without a code: look the file up by its hash.
    anywhere = client.post(
        reverse("reports:verify_upload"), {"file": SimpleUploadedFile("x.pdf", data)}
    )
    assert "COCOK" in anywhere.content.decode() and doc.short_code in anywhere.content.decode()
    assert client.get(reverse("reports:verify", args=["TIDAKADA00"])).status_code == 404
    # The exact short link printed under the QR code answers too.
    printed = client.get(f"/v/{doc.short_code}")
    assert printed.status_code == 200 and doc.sha256 in printed.content.decode()


def test_download_access(perf_office, client):
    u = perf_office.users
    own = document_generate(
        actor=u["kasi_trantib"],
        code="laporan-unit",
        fmt="pdf",
        agency="kec-binamu",
        period="2026-Q3",
        unit="trantib",
    )
    client.force_login(u["kasi_pemerintahan"])
    assert client.get(reverse("reports:download", args=[own.pk])).status_code == 403
    client.force_login(u["sekcam"])
    response = client.get(reverse("reports:download", args=[own.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == read(own)
    client.force_login(u["kasi_trantib"])
    assert client.get(reverse("reports:download", args=[own.pk])).status_code == 200
    client.logout()
    assert client.get(reverse("reports:download", args=[own.pk])).status_code == 302


def test_generate_from_page(perf_office, client):
    u = perf_office.users
    client.force_login(u["kasi_pemerintahan"])
    page = client.get(reverse("reports:documents") + "?agency=kec-binamu")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'value="laporan-unit"' in body
    assert 'value="laporan-triwulan"' not in body  # not for a section head
    response = client.post(
        reverse("reports:generate"),
        {
            "code": "laporan-unit",
            "fmt": "xlsx",
            "agency": "kec-binamu",
            "period": "2026-Q3",
            "unit": "pemerintahan",
        },
    )
    assert response.status_code == 302
    doc = GeneratedDocument.objects.get()
    assert doc.generated_by == u["kasi_pemerintahan"] and doc.unit.code == "pemerintahan"
    denied = client.post(
        reverse("reports:generate"),
        {
            "code": "laporan-unit",
            "fmt": "pdf",
            "agency": "kec-binamu",
            "period": "2026-Q3",
            "unit": "trantib",
        },
    )
    assert denied.status_code == 403
    assert GeneratedDocument.objects.count() == 1


def test_generate_requires_csrf(perf_office):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(perf_office.users["sekcam"])
    response = client.post(
        reverse("reports:generate"),
        {"code": "sop", "fmt": "svg", "sop": "pengumpulan-data-kinerja"},
    )
    assert response.status_code == 403


def test_sop_svg_and_page(office, client):
    client.force_login(office.users["analis_1"])
    svg = client.get(reverse("reports:sop_svg", args=["pengumpulan-data-kinerja"]))
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    assert b"Perencanaan" in svg.content and b"Analisis Data" in svg.content
    page = client.get(reverse("reports:sop_page", args=["pengumpulan-data-kinerja"]))
    assert page.status_code == 200 and "<svg" in page.content.decode()


def test_archive_is_immutable(office):
    doc = document_generate(actor=None, code="sop", fmt="svg", sop="pengumpulan-data-kinerja")
    doc.title = "x"
    with pytest.raises(RuntimeError):
        doc.save()
