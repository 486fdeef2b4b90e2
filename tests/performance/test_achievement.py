"""The achievement table: both polarities, both negative forms, every roll-up, every edge."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.performance.achievement import (
    Band,
    Entry,
    Rating,
    Reason,
    absorption,
    achievement,
    average,
    cumulative,
    efficient,
    rating,
    targets_disagree,
)

D = Decimal
NONE = None


@pytest.mark.parametrize(
    "target, real, polarity, formula, na, value, reason",
    [
        # positive
        ("100", "80", "positive", "two_minus", False, "80.00", NONE),
        ("100", "125", "positive", "two_minus", False, "125.00", NONE),  # no capping
        ("3", "1", "positive", "two_minus", False, "33.33", NONE),
        ("3", "2", "positive", "two_minus", False, "66.67", NONE),  # half-up
        # negative, (2t - r) / t
        ("10", "8", "negative", "two_minus", False, "120.00", NONE),
        ("10", "12", "negative", "two_minus", False, "80.00", NONE),
        ("10", "0", "negative", "two_minus", False, "200.00", NONE),
        ("10", "25", "negative", "two_minus", False, "-50.00", NONE),  # shown raw
        # negative, t / r
        ("10", "8", "negative", "ratio", False, "125.00", NONE),
        ("10", "20", "negative", "ratio", False, "50.00", NONE),
        ("10", "0", "negative", "ratio", False, NONE, Reason.REALISATION_ZERO),
        # edge cases
        (NONE, "5", "positive", "two_minus", False, NONE, Reason.NO_TARGET),
        ("10", NONE, "positive", "two_minus", False, NONE, Reason.MISSING),
        (NONE, NONE, "positive", "two_minus", False, NONE, Reason.MISSING),
        ("10", NONE, "negative", "two_minus", True, NONE, Reason.NOT_AVAILABLE),
        ("0", "0", "positive", "two_minus", False, "100.00", NONE),
        ("0", "0", "negative", "ratio", False, "100.00", NONE),
        ("0", "3", "positive", "two_minus", False, NONE, Reason.TARGET_ZERO),
        ("0", "3", "negative", "two_minus", False, NONE, Reason.TARGET_ZERO),
        ("-5", "3", "positive", "two_minus", False, NONE, Reason.NEGATIVE_VALUE),
        ("5", "-3", "positive", "two_minus", False, NONE, Reason.NEGATIVE_VALUE),
        ("5", "-3", "negative", "ratio", False, NONE, Reason.NEGATIVE_VALUE),
    ],
)
def test_achievement_table(target, real, polarity, formula, na, value, reason):
    result = achievement(
        D(target) if target is not None else None,
        D(real) if real is not None else None,
        polarity=polarity,
        negative_formula=formula,
        not_available=na,
    )
    assert result.value == (D(value) if value is not None else None)
    assert result.reason == reason
    if reason:
        assert result.reason_label


def E(target, value, na=False):
    return Entry(
        D(target) if target is not None else None,
        D(value) if value is not None else None,
        na,
    )


@pytest.mark.parametrize(
    "rule, entries, target, real, value, reason",
    [
        # sum: cumulative against cumulative targets
        ("sum", [E(25, 20), E(25, 30), E(25, 25)], "75", "75", "100.00", NONE),
        ("sum", [E(25, 20), E(25, None)], "50", NONE, NONE, Reason.MISSING),
        ("sum", [E(25, None, True), E(25, 10)], "50", NONE, NONE, Reason.NOT_AVAILABLE),
        ("sum", [E(25, 20), E(None, 10)], NONE, "30", NONE, Reason.NO_TARGET),
        ("sum", [E(0, 0), E(0, 0)], "0", "0", "100.00", NONE),
        # last: last available value against that quarter's target
        ("last", [E(50, 40), E(60, 66)], "60", "66", "110.00", NONE),
        ("last", [E(50, 40), E(60, None)], "50", "40", "80.00", NONE),
        ("last", [E(50, 40), E(60, None, True)], "50", "40", "80.00", NONE),
        ("last", [E(50, None), E(60, None)], "60", NONE, NONE, Reason.MISSING),
        ("last", [E(50, None, True)], "50", NONE, NONE, Reason.NOT_AVAILABLE),
        ("last", [E(None, 5)], NONE, "5", NONE, Reason.NO_TARGET),
        # average
        ("average", [E(80, 70), E(80, 90), E(80, 83)], "80", "81", "101.25", NONE),
        ("average", [E(80, 70), E(90, None)], "85", NONE, NONE, Reason.MISSING),
        # max / min
        ("max", [E(3, 2), E(3, 4), E(2, 1)], "3", "4", "133.33", NONE),
        ("min", [E(3, 2), E(3, 4), E(2, 1)], "2", "1", "50.00", NONE),
        # nothing at all
        ("sum", [], NONE, NONE, NONE, Reason.MISSING),
    ],
)
def test_cumulative_table(rule, entries, target, real, value, reason):
    result = cumulative(entries, rule=rule)
    assert result.target == (D(target) if target is not None else None)
    assert result.realisation == (D(real) if real is not None else None)
    assert result.result.value == (D(value) if value is not None else None)
    assert result.result.reason == reason


def test_cumulative_negative_and_annual_override():
    # negative, sum: 3 + 5 disturbances against 4 + 4 -> (16 - 8) / 8 = 100
    entries = [E(4, 3), E(4, 5)]
    assert cumulative(entries, rule="sum", polarity="negative").result.value == D("100.00")
    assert cumulative(
        entries, rule="sum", polarity="negative", negative_formula="ratio"
    ).result.value == D("100.00")
    # the whole year against the PK target
    year = [E(25, 30), E(25, 30), E(25, 30), E(25, 30)]
    assert cumulative(year, rule="sum", target_override=D(100)).result.value == D("120.00")
    assert cumulative(year, rule="last", target_override=D(20)).result.value == D("150.00")


@pytest.mark.parametrize(
    "value, code",
    [
        ("150", "sangat_baik"),
        ("100", "sangat_baik"),
        ("91", "sangat_baik"),
        ("90.5", "sangat_baik"),
        ("90", "baik"),
        ("76", "baik"),
        ("75", "cukup"),
        ("66", "cukup"),
        ("65", "kurang"),
        ("51", "kurang"),
        ("50", "sangat_kurang"),
        ("-20", "sangat_kurang"),
    ],
)
def test_default_rating_scale(value, code):
    assert rating(D(value)).code == code


def test_rating_none_and_custom_scale():
    assert rating(None) is None
    bands = [Band(D(80), Rating("ok", "Tercapai", "x")), Band(None, Rating("no", "Belum", "y"))]
    assert rating(D("80.01"), bands).code == "ok"
    assert rating(D(80), bands).code == "no"


def test_budget_absorption_and_efficiency():
    assert absorption(D(250), D(1000)).value == D("25.00")
    assert absorption(D(0), D(1000)).value == D("0.00")
    assert absorption(D(10), D(0)).reason == Reason.NO_BUDGET
    assert absorption(D(10), None).value is None
    assert efficient(D(90), D("25.00")) is True
    assert efficient(D(20), D("25.00")) is False
    assert efficient(None, D(10)) is None


@pytest.mark.parametrize(
    "annual, quarters, rule, disagree",
    [
        ("100", ["25", "25", "25", "25"], "sum", False),
        ("100", ["25", "25", "25", "20"], "sum", True),
        ("100", ["25", "50", "75", "100"], "last", False),
        ("80", ["80", "80", "80", "80"], "average", False),
        ("80", ["70", "80", "90", "80"], "average", False),
        ("3", ["3", "3", "2", "2"], "max", False),
        ("2", ["3", "3", "2", "2"], "min", False),
        ("3", ["3", "3", "2", "2"], "min", True),
        (None, ["1", "1", "1", "1"], "sum", False),
        ("4", ["1", None, "1", "1"], "sum", False),
    ],
)
def test_targets_disagree(annual, quarters, rule, disagree):
    qs = [D(q) if q is not None else None for q in quarters]
    assert targets_disagree(D(annual) if annual else None, qs, rule) is disagree


decimals = st.decimals(min_value=0, max_value=10**9, places=4, allow_nan=False)


@given(target=decimals, real=decimals, polarity=st.sampled_from(["positive", "negative"]),
       formula=st.sampled_from(["two_minus", "ratio"]))  # fmt: skip
def test_achievement_never_crashes(target, real, polarity, formula):
    result = achievement(target, real, polarity=polarity, negative_formula=formula)
    assert (result.value is None) == (result.reason is not None)


# Round once, at the end (issue 9 item 11) ---------------------------------------------------

THIRDS = [E("0.5", "0.5"), E("0.5", "0.5"), E("0.5", "0.4")]


@pytest.mark.parametrize("rule", ["average", "sum"])
def test_thirds_round_once_for_average_and_sum(rule):
    # 1,4 / 1,5 = 93,333…: the average's mean 0,4666… is not rounded to 0,4667 first (93,34)
    result = cumulative(THIRDS, rule=rule)
    assert result.result.value == D("93.33")
    assert abs(result.result.exact - D(1400) / 15) < D("1e-20")  # not rounded on the way


def test_average_and_sum_agree_on_the_same_data():
    for entries in (THIRDS, [E("3", "1"), E("3", "1"), E("3", "2")], [E(7, 1), E(7, 2), E(7, 2)]):
        assert (
            cumulative(entries, rule="average").result.value
            == cumulative(entries, rule="sum").result.value
        )


def test_shown_rollups_are_rounded_once_to_the_stored_places():
    result = cumulative(THIRDS, rule="average")
    assert result.realisation == D("0.4667")  # what a person reads
    assert abs(result.realisation_exact - D("1.4") / 3) < D("1e-20")  # used for the figure
    assert result.target == D("0.5")


@pytest.mark.parametrize("rule", ["average", "sum", "last", "max", "min"])
def test_values_with_more_than_four_decimals(rule):
    # 0,123456 against 0,111111 is 111,1107…%: one rounding gives 111,11 whatever the rule
    entries = [E("0.111111", "0.123456")] * 3
    result = cumulative(entries, rule=rule)
    assert result.result.value == D("111.11")
    assert achievement(D("0.111111"), D("0.123456")).value == D("111.11")
    # negative polarity: (2 × 0,333333 − 0,1666665) / 0,333333 = 150,00005… -> 150,00
    neg = cumulative([E("0.333333", "0.1666665")] * 3, rule=rule, polarity="negative")
    assert neg.result.value == D("150.00")


def test_average_of_achievements_rounds_once():
    # 33,335 + 33,335 + 33,333… averages to 33,3344… -> 33,33 (rounded first: 33,34)
    results = [achievement(D(200), D("66.67"))] * 2 + [achievement(D(3), D(1))]
    assert [r.value for r in results] == [D("33.34"), D("33.34"), D("33.33")]
    assert average([r.value for r in results]) == D("33.34")  # what rounding twice gave
    assert average(results) == D("33.33")
