import datetime as dt

import pytest

from kinerja.core.periods import Period


@pytest.mark.parametrize(
    "text,expected",
    [
        ("2026-Q3", Period(2026, 3)),
        ("2026-q1", Period(2026, 1)),
        ("2026-TW4", Period(2026, 4)),
        ("2026", Period(2026)),
        (" 2025-Q2 ", Period(2025, 2)),
    ],
)
def test_parse(text, expected):
    assert Period.parse(text) == expected


@pytest.mark.parametrize("text", ["", "2026-Q5", "Q3-2026", "26-Q1", "2026-Q"])
def test_parse_rejects(text):
    with pytest.raises(ValueError):
        Period.parse(text)


def test_bounds_and_neighbours():
    q1 = Period(2026, 1)
    assert (q1.start, q1.end) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert Period(2026, 4).end == dt.date(2026, 12, 31)
    assert q1.previous() == Period(2025, 4) and Period(2025, 4).next() == q1
    assert Period(2026, 3).quarters() == [Period(2026, 1), Period(2026, 2), Period(2026, 3)]
    assert Period.quarter_of(dt.date(2026, 10, 10)).previous() == Period(2026, 3)
    assert str(Period(2026, 3)) == "2026-Q3" and Period(2026, 4).is_last_quarter


def test_label_is_indonesian_by_default():
    assert Period(2026, 3).label == "Triwulan III 2026"
