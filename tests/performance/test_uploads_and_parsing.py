"""Upload checks (type by content, size) and reading Indonesian numbers."""

from __future__ import annotations

import hashlib
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kinerja.core.errors import ApplicationError
from kinerja.core.models import AuditEvent
from kinerja.core.periods import Period
from kinerja.demo.performance import _png
from kinerja.performance import services
from kinerja.performance.parsing import NumberFormatError, parse_number
from kinerja.performance.uploads import check_upload
from tests.conftest import wita

from .conftest import pdf_bytes

D = Decimal
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes() -> bytes:
    out = io.BytesIO()
    openpyxl.Workbook().save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    "data, name, content_type",
    [
        (pdf_bytes, "laporan.pdf", "application/pdf"),
        (_png, "foto.png", "image/png"),
        (_png, "foto.pdf", "image/png"),  # the content decides, stored as .png
        (xlsx_bytes, "rekap.xlsx", XLSX),
        (lambda: b"kode;nilai\nA;1,5\n", "data.csv", "text/csv"),
        (lambda: b"catatan", "catatan.txt", "text/plain"),
    ],
)  # fmt: skip
def test_accepted_types_by_content(data, name, content_type):
    raw = data()  # once: an XLSX made twice differs when a second passes between (timestamp)
    checked = check_upload(SimpleUploadedFile(name, raw))
    assert checked.content_type == content_type
    assert checked.sha256 == hashlib.sha256(raw).hexdigest()
    # stored under the extension of what the content is, not of the name given
    assert checked.content.name.endswith(".pdf") == (content_type == "application/pdf")


@pytest.mark.parametrize(
    "data, name",
    [
        (b"This is just text pretending to be a PDF", "laporan.pdf"),
        (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100, "program.exe"),
        (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100, "data.csv"),
        (b"\xff\xfe\x00\x00binary", "data.txt"),
        (b"", "kosong.pdf"),
    ],
)
def test_refused_types(data, name):
    with pytest.raises(ApplicationError) as err:
        check_upload(SimpleUploadedFile(name, data))
    assert err.value.code in {"file_type", "empty_file"}


def test_size_limit(settings):
    settings.KINERJA_MAX_UPLOAD_MB = 1
    big = pdf_bytes() + b"0" * (1024 * 1024)
    with pytest.raises(ApplicationError) as err:
        check_upload(SimpleUploadedFile("besar.pdf", big))
    assert err.value.code == "file_too_large" and "1 MB" in err.value.message
    with pytest.raises(ApplicationError):
        check_upload(big, name="besar.pdf")


@pytest.mark.django_db
def test_evidence_add_stores_file_and_refuses_fake_pdf(world, settings):
    u = world.users
    period = Period(2026, 3)
    real = services.realisation_save(
        actor=u["kasi_pemerintahan"], indicator=world.pem1, period=period, value=D(1)
    )
    with pytest.raises(ApplicationError):
        services.evidence_add(
            actor=u["kasi_pemerintahan"], realisation=real, upload=b"teks biasa", name="x.pdf"
        )
    ev = services.evidence_add(
        actor=u["kasi_pemerintahan"],
        realisation=real,
        upload=SimpleUploadedFile("Rekap Absensi.pdf", pdf_bytes()),
        now=wita(2026, 10, 12, 9),
    )
    assert ev.file.name.startswith(f"evidence/{world.agency.code}/2026/")
    assert ev.file.name.endswith(".pdf") and ev.original_name == "Rekap Absensi.pdf"
    assert (settings.MEDIA_ROOT / ev.file.name).read_bytes() == pdf_bytes()
    with pytest.raises(ApplicationError):  # another unit's head
        services.evidence_add(actor=u["kasi_trantib"], realisation=real, upload=pdf_bytes(),
                              name="a.pdf")  # fmt: skip
    services.evidence_remove(actor=u["kasi_pemerintahan"], evidence=ev, reason="salah berkas")
    assert AuditEvent.objects.filter(action__in=["evidence.added", "evidence.removed"]).count() == 2
    ev.refresh_from_db()
    assert ev.removed_at is not None and ev.file.storage.exists(ev.file.name)


@pytest.mark.parametrize(
    "text, value",
    [
        ("1.234,5", "1234.5"),
        ("12,5%", "12.5"),
        ("  7 ", "7"),
        ("1234.5", "1234.5"),
        ("1.5", "1.5"),
        ("1.234", "1234"),
        ("1.234.567,89", "1234567.89"),
        ("-3,25", "-3.25"),
        ("\u22123", "-3"),
        ("1\u00a0234,5", "1234.5"),
        ("1,234.5", "1234.5"),
        (12, "12"),
        (12.5, "12.5"),
        (Decimal("4.25"), "4.25"),
    ],
)
def test_parse_number_indonesian(text, value):
    assert parse_number(text) == Decimal(value)


@pytest.mark.parametrize(
    "text, value", [("1,234.5", "1234.5"), ("12.5%", "12.5"), ("12,5", "12.5"), ("1,234", "1234")]
)
def test_parse_number_english(text, value):
    assert parse_number(text, "en") == Decimal(value)


@pytest.mark.parametrize("text", ["", "  ", None, "abc", "1..2", "1.23,4", "12,5,6", "5 %%", True])
def test_parse_number_errors(text):
    with pytest.raises(NumberFormatError) as err:
        parse_number(text)
    assert str(err.value)


def test_parse_number_percent_can_be_refused():
    with pytest.raises(NumberFormatError):
        parse_number("12%", allow_percent=False)


def test_number_error_shows_the_format_being_parsed():
    from kinerja.performance.parsing import NumberFormatError, parse_number

    with pytest.raises(NumberFormatError) as indonesian:
        parse_number("12,3,4", "id")
    assert "1.234,5" in str(indonesian.value)
    with pytest.raises(NumberFormatError) as english:
        parse_number("12.3.4", "en")
    assert "1,234.5" in str(english.value)
