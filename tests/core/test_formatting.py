"""One formatter per kind of value (issue 9 item 6, issue 12 "Names and numbers")."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from kinerja.core import formatting as fmt
from kinerja.sop.loader import parse_sop


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (Decimal("1.50"), 0, "1,5"),  # stored 1,50 on a 0-decimal indicator: never "2"
        (Decimal("1.5000"), 2, "1,50"),
        (Decimal("1400.0000"), 0, "1.400"),  # 1.400 orang, not 1.400,00 orang
        (Decimal("1400"), 2, "1.400,00"),
        (Decimal("0.1234"), 2, "0,1234"),  # more decimals than the indicator's: all shown
        (Decimal("-2.5"), 0, "-2,5"),
        (96, 2, "96,00"),
        (1.5, 0, "1,5"),  # floats as written, not as binary
        (None, 2, "-"),
    ],
)
def test_indicator_values_as_stored(value, decimals, text):
    assert fmt.measure(value, decimals) == text


def test_indicator_value_with_unit():
    people = SimpleNamespace(decimals=0, unit_of_measure="orang")
    share = SimpleNamespace(decimals=2, unit_of_measure="%")
    assert fmt.indicator_value(Decimal("1400.0000"), people, unit=True) == "1.400 orang"
    assert fmt.indicator_value(Decimal("96"), share, unit=True) == "96,00 %"
    assert fmt.indicator_value(None, people, unit=True) == "-"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("30076800.50"), "30.076.800,50"),  # cents kept, not 30.076.801
        (Decimal("30076800.00"), "30.076.800"),
        (Decimal("30076800.05"), "30.076.800,05"),
        (Decimal("1850000000"), "1.850.000.000"),
        (Decimal("0.125"), "0,125"),  # never rounded away
        (0, "0"),
    ],
)
def test_money(value, text):
    assert fmt.money(value) == text
    assert fmt.rupiah(value) == "Rp " + text


@pytest.mark.parametrize(
    ("value", "text"),
    [(96, "96,00 %"), (Decimal("93.3333333"), "93,33 %"), (100.005, "100,01 %"), (0, "0,00 %")],
)
def test_percent_two_decimals_everywhere(value, text):
    assert fmt.percent(value) == text


def test_english_pages_swap_separators():
    assert fmt.money(Decimal("30076800.5"), lang="en") == "30,076,800.50"
    assert fmt.measure(Decimal("1400"), 0, lang="en") == "1,400"
    assert fmt.percent(96, lang="en") == "96.00 %"


def test_nip_grouping_and_check():
    assert fmt.nip("196911202021011001") == "19691120 202101 1 001"
    assert fmt.nip("19691120 202101 1 001") == "19691120 202101 1 001"
    assert fmt.is_nip("19691120 202101 1 001")
    assert not fmt.is_nip("1969112 202101 1 001")  # 17 digits
    assert not fmt.is_nip("19691120 2021O1 1 001")


def test_excel_formats_follow_the_printed_text():
    assert fmt.excel_format(1400.0, 0) == "#,##0"
    assert fmt.excel_format(1.5, 0) == "#,##0.0"
    assert fmt.excel_format(1.5, 2) == "#,##0.00"
    assert fmt.excel_money_format(30076800.5) == "#,##0.00"
    assert fmt.excel_money_format(30076800.0) == "#,##0"


def test_seed_sop_camat_nip_has_18_digits():
    from pathlib import Path

    import kinerja.sop
    from kinerja.sop.loader import load_sop_file

    seed = Path(kinerja.sop.__file__).parent / "library" / "pengumpulan-data-kinerja.yaml"
    nip = load_sop_file(seed).identity.approved_by.nip
    assert len(fmt.nip_digits(nip)) == 18
    assert fmt.nip(nip) == "19691120 202101 1 001"


def test_loader_accepts_a_grouped_nip():
    text = (
        "code: x\ntitle: X\nidentity:\n  approved_by:\n    nip: 19691120 202101 1 001\n"
        "executors:\n  - code: a\n    name: A\n"
        "steps:\n  - number: 1\n    activity: Satu\n    executor: a\n    time: 15 menit\n"
    )
    assert parse_sop(text).identity.approved_by.nip == "19691120 202101 1 001"
