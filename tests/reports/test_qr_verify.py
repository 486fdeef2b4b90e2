"""The QR code printed on a PDF really verifies it: render page 1 the way a phone camera
sees paper (150 dpi), decode the QR code, follow the link it holds and compare files."""

from __future__ import annotations

import pytest
import zxingcpp
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from kinerja.reports.services import document_generate
from tests.reports.conftest import png_of

pytestmark = pytest.mark.django_db


def read(doc) -> bytes:
    with doc.file.open("rb") as f:
        return f.read()


def decode_page_one(doc, directory) -> list:
    path = directory / f"qr-{doc.code}-{doc.short_code}.pdf"
    path.write_bytes(read(doc))
    png = png_of(path, directory / "png" / path.stem, dpi=150)
    with Image.open(png) as image:
        return zxingcpp.read_barcodes(image)


def check_qr_verifies(doc, client, tmp_path) -> None:
    from django.conf import settings

    codes = decode_page_one(doc, tmp_path)
    qr = [c for c in codes if c.format == zxingcpp.BarcodeFormat.QRCode]
    assert len(qr) == 1 and len(codes) == 1, [(c.format, c.text) for c in codes]
    expected = f"{settings.SITE_URL}/v/{doc.short_code}"
    assert qr[0].text == expected
    path = qr[0].text.removeprefix(settings.SITE_URL)
    assert path == f"/v/{doc.short_code}"

    page = client.get(path)
    assert page.status_code == 200
    assert doc.sha256 in page.content.decode()

    data = read(doc)
    ok = client.post(path, {"file": SimpleUploadedFile(doc.filename, data)})
    assert ok.status_code == 200
    assert "COCOK" in ok.content.decode()

    changed = bytearray(data)
    changed[len(changed) // 2] ^= 0x01
    bad = client.post(path, {"file": SimpleUploadedFile(doc.filename, bytes(changed))})
    body = bad.content.decode()
    assert "COCOK" not in body and "BERUBAH / TIDAK DIKENAL" in body


# A production address is longer than the test one: a denser QR code (version 5), which
# must still decode at 150 dpi.
LONG_SITE_URL = "https://kinerja.kecamatan-binamu.jenepontokab.go.id"


@pytest.mark.parametrize("site_url", [None, LONG_SITE_URL], ids=["test-site", "long-site"])
def test_quarterly_report_qr_verifies(perf_office, client, tmp_path, settings, site_url):
    if site_url:
        settings.SITE_URL = site_url
    doc = document_generate(
        actor=perf_office.users["sekcam"],
        code="laporan-triwulan",
        fmt="pdf",
        agency="kec-binamu",
        period="2026-Q3",
    )
    check_qr_verifies(doc, client, tmp_path)


def test_disposition_sheet_qr_verifies(run_case, client, tmp_path):
    doc = document_generate(
        actor=run_case.users["sekcam"], code="disposisi", fmt="pdf", case=run_case.case.pk
    )
    check_qr_verifies(doc, client, tmp_path)
