from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from kinerja.core import formatting as fmt
from kinerja.reports.generators.monitoring import percentile
from kinerja.reports.models import GeneratedDocument


def test_indonesian_formats():
    assert fmt.number(1234.56) == "1.234,56"
    assert fmt.number(Decimal("1234567.005"), 2) == "1.234.567,01"
    assert fmt.number(-0.5, 0) == "-1"
    assert fmt.number(None) == "-"
    assert fmt.rupiah(1250000000) == "Rp 1.250.000.000"
    assert fmt.percent(98.456) == "98,46 %"
    assert fmt.date(dt.date(2026, 11, 24)) == "24 November 2026"
    assert fmt.long_date(dt.date(2026, 11, 24)) == "Selasa, 24 November 2026"
    assert fmt.nip_line("196911202021011001") == "NIP. 19691120 202101 1 001"
    assert fmt.nip("1969112 202101 1 001") == "1969112 202101 1 001"  # not 18 digits: as given
    moment = dt.datetime(2026, 10, 12, 0, 15, tzinfo=dt.UTC)
    assert fmt.datetime(moment, "Asia/Makassar") == "12 Oktober 2026 08.15 WITA"
    assert fmt.duration_minutes(125) == "2 jam 5 menit"
    assert percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 90) == pytest.approx(91)


@pytest.mark.django_db
def test_report_command(perf_office, tmp_path, capsys):
    out = tmp_path / "tw3.xlsx"
    call_command(
        "report",
        "laporan-triwulan",
        "--agency",
        "kec-binamu",
        "--period",
        "2026-Q3",
        "--format",
        "xlsx",
        "-o",
        str(out),
    )
    printed = capsys.readouterr().out
    doc = GeneratedDocument.objects.get()
    assert doc.generated_by is None  # a system generation
    assert str(out) in printed and doc.sha256 in printed and f"/v/{doc.short_code}" in printed
    import hashlib

    assert hashlib.sha256(out.read_bytes()).hexdigest() == doc.sha256
    svg = tmp_path / "sop.svg"
    call_command(
        "report", "sop", "--sop", "pengumpulan-data-kinerja", "--format", "svg", "-o", str(svg)
    )
    assert svg.read_text().startswith("<svg")
