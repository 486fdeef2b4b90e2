"""Achievement (capaian) arithmetic: pure functions on ``Decimal``, no database.

Every function returns either a number or ``None`` with a reason code (:class:`Reason`),
never a wrong number. The screen shows ``None`` as "–" and the reason as a hint.

Formulas (percent, rounded half-up to 2 decimals, never capped):

* positive polarity: ``realisation / target × 100``;
* negative polarity, ``two_minus`` (default): ``(2 × target − realisation) / target × 100``
  (may fall below 0 when the realisation is more than twice the target: shown as it is);
* negative polarity, ``ratio``: ``target / realisation × 100``.

Edge cases, each with one answer:

===============================================  ==========================================
case                                             answer
===============================================  ==========================================
no target (realisation for a quarter without     None, ``no_target``
one)
no realisation entered                           None, ``missing``
realisation marked "not available"               None, ``not_available``
target 0 and realisation 0                       100 (exactly met, both polarities)
target 0, realisation not 0                      None, ``target_zero``
target or realisation negative                   None, ``negative_value``
``ratio`` form with realisation 0 (target > 0)   None, ``realisation_zero``
===============================================  ==========================================

Year to date (quarters 1..q) under the indicator's roll-up rule:

* ``sum``: cumulative realisation of quarters 1..q against the cumulative targets; every
  quarter 1..q needs a target and a realisation (else the first gap's reason);
* ``last``: the last quarter ≤ q that has a value, against that quarter's target; no
  value at all gives ``missing`` (or ``not_available`` when the last entry is one);
* ``average``, ``max``, ``min``: that statistic of the realisations of quarters 1..q
  against the same statistic of their targets; every quarter needs both, like ``sum``.

The year's realisation is the roll-up of its four quarters with the same rules, against
the annual (PK) target.

Rounding happens once, at the end of each figure: roll-ups (an average of thirds included)
and achievements are computed on exact values; only the figure a person reads is rounded
(achievements half up to 2 decimals, rolled-up targets and realisations to the stored 4).
``Result.exact`` keeps the unrounded achievement for figures built on it (an average of
achievements), so those are rounded once too. 0,5 / 0,5 / 0,4 against 0,5 each is 93,33 %
year to date under ``average`` and under ``sum`` alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")
STORED_PLACES = Decimal("0.0001")


class Reason(StrEnum):
    NO_TARGET = "no_target"
    MISSING = "missing"
    NOT_AVAILABLE = "not_available"
    TARGET_ZERO = "target_zero"
    NEGATIVE_VALUE = "negative_value"
    REALISATION_ZERO = "realisation_zero"
    NO_BUDGET = "no_budget"


REASON_LABELS = {
    Reason.NO_TARGET: _("Target belum ditetapkan"),
    Reason.MISSING: _("Realisasi belum diisi"),
    Reason.NOT_AVAILABLE: _("Data tidak tersedia"),
    Reason.TARGET_ZERO: _("Target 0: capaian tidak dapat dihitung"),
    Reason.NEGATIVE_VALUE: _("Nilai negatif: capaian tidak dapat dihitung"),
    Reason.REALISATION_ZERO: _("Realisasi 0: rumus target/realisasi tidak dapat dihitung"),
    Reason.NO_BUDGET: _("Anggaran belum ditetapkan atau 0"),
}


@dataclass(frozen=True)
class Result:
    """A percentage or, when it cannot be computed, ``None`` with the reason."""

    value: Decimal | None
    reason: Reason | None = None
    exact: Decimal | None = None  # the unrounded percentage (``value`` before rounding)

    @property
    def reason_label(self) -> str:
        return str(REASON_LABELS[self.reason]) if self.reason else ""


@dataclass(frozen=True)
class Entry:
    """One quarter's input: its target and realisation (``None`` when absent)."""

    target: Decimal | None
    value: Decimal | None
    not_available: bool = False


@dataclass(frozen=True)
class Rating:
    code: str
    label: str
    color: str  # a CSS class, e.g. "text-bg-success"

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class Band:
    """Achievement strictly above ``above`` (``None``: anything) gets ``rating``."""

    above: Decimal | None
    rating: Rating


#: 91-100 Sangat Baik, 76-90 Baik, 66-75 Cukup, 51-65 Kurang, <=50 Sangat Kurang; above 100
#: is Sangat Baik. Fractions between bands go up (90.5 is Sangat Baik: "more than 90").
DEFAULT_BANDS: tuple[Band, ...] = (
    Band(Decimal(90), Rating("sangat_baik", "Sangat Baik", "text-bg-success")),
    Band(Decimal(75), Rating("baik", "Baik", "text-bg-primary")),
    Band(Decimal(65), Rating("cukup", "Cukup", "text-bg-info")),
    Band(Decimal(50), Rating("kurang", "Kurang", "text-bg-warning")),
    Band(None, Rating("sangat_kurang", "Sangat Kurang", "text-bg-danger")),
)


def _pct(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _percent(exact: Decimal) -> Result:
    """The one rounding of an achievement: shown to 2 decimals, the exact value kept."""
    return Result(_pct(exact), exact=exact)


def _stored(value: Decimal | None) -> Decimal | None:
    """A rolled-up figure as shown: the stored precision (4 places), rounded once."""
    if value is None:
        return None
    return value.quantize(STORED_PLACES, rounding=ROUND_HALF_UP)


def achievement(
    target: Decimal | None,
    realisation: Decimal | None,
    *,
    polarity: str = "positive",
    negative_formula: str = "two_minus",
    not_available: bool = False,
) -> Result:
    """Achievement in percent of one realisation against one target (see module doc)."""
    if not_available:
        return Result(None, Reason.NOT_AVAILABLE)
    if realisation is None:
        return Result(None, Reason.MISSING)
    if target is None:
        return Result(None, Reason.NO_TARGET)
    target, realisation = Decimal(target), Decimal(realisation)
    if target < 0 or realisation < 0:
        return Result(None, Reason.NEGATIVE_VALUE)
    if target == 0:
        if realisation == 0:
            return _percent(HUNDRED)
        return Result(None, Reason.TARGET_ZERO)
    if polarity != "negative":
        return _percent(realisation / target * HUNDRED)
    if negative_formula == "ratio":
        if realisation == 0:
            return Result(None, Reason.REALISATION_ZERO)
        return _percent(target / realisation * HUNDRED)
    return _percent((2 * target - realisation) / target * HUNDRED)


def rollup(values: Sequence[Decimal], rule: str) -> Decimal | None:
    """Combine quarter figures by ``rule`` (sum, last, average, max, min). Empty: None.
    Exact (no rounding): round the figure where it is shown, once."""
    if not values:
        return None
    if rule == "sum":
        return sum(values, Decimal(0))
    if rule == "last":
        return values[-1]
    if rule == "average":
        return sum(values, Decimal(0)) / len(values)
    if rule == "max":
        return max(values)
    if rule == "min":
        return min(values)
    raise ValueError(f"unknown roll-up rule {rule!r}")


@dataclass(frozen=True)
class Cumulative:
    """Year-to-date figures under a roll-up rule and their achievement. ``target`` and
    ``realisation`` are shown to the stored 4 places; the achievement is computed on their
    exact values."""

    target: Decimal | None
    realisation: Decimal | None
    result: Result
    realisation_exact: Decimal | None = None  # before rounding, for figures built on it


def cumulative(
    entries: Sequence[Entry],
    *,
    rule: str,
    polarity: str = "positive",
    negative_formula: str = "two_minus",
    target_override: Decimal | None = None,
) -> Cumulative:
    """Year-to-date (or whole-year) achievement of ``entries`` (quarters 1..q, in order).

    ``target_override`` replaces the rolled-up quarter targets (the annual PK target for the
    whole year). Rules as in the module doc.
    """

    def calc(target: Decimal | None, value: Decimal | None) -> Result:
        return achievement(target, value, polarity=polarity, negative_formula=negative_formula)

    if not entries:
        return Cumulative(target_override, None, Result(None, Reason.MISSING))
    if rule == "last":
        for entry in reversed(entries):
            if entry.value is not None and not entry.not_available:
                target = target_override if target_override is not None else entry.target
                return Cumulative(
                    _stored(target), entry.value, calc(target, entry.value), entry.value
                )
        last = entries[-1]
        target = target_override if target_override is not None else last.target
        reason = Reason.NOT_AVAILABLE if any(e.not_available for e in entries) else Reason.MISSING
        return Cumulative(_stored(target), None, Result(None, reason))

    if target_override is not None:
        target = target_override
    elif any(e.target is None for e in entries):
        target = None
    else:
        target = rollup([e.target for e in entries], rule)
    for entry in entries:
        if entry.not_available:
            return Cumulative(_stored(target), None, Result(None, Reason.NOT_AVAILABLE))
        if entry.value is None:
            return Cumulative(_stored(target), None, Result(None, Reason.MISSING))
    real = rollup([e.value for e in entries], rule)
    if target is None:
        return Cumulative(None, _stored(real), Result(None, Reason.NO_TARGET), real)
    return Cumulative(_stored(target), _stored(real), calc(target, real), real)


def targets_disagree(annual: Decimal | None, quarters: Sequence[Decimal | None], rule: str) -> bool:
    """True when the four quarter targets do not roll up to the annual target.

    Missing quarters or a missing annual target are not a disagreement (nothing to compare).
    """
    if annual is None or len(quarters) != 4 or any(q is None for q in quarters):
        return False
    rolled = rollup(list(quarters), rule)
    return rolled is None or _pct(rolled) != _pct(Decimal(annual))


def rating(value: Decimal | None, bands: Sequence[Band] = DEFAULT_BANDS) -> Rating | None:
    """The rating of an achievement; ``None`` for no achievement. Above 100 is the top band."""
    if value is None:
        return None
    ordered = sorted(bands, key=lambda b: (b.above is None, -(b.above or 0)))
    for band in ordered:
        if band.above is None or value > band.above:
            return band.rating
    return None


def absorption(realised: Decimal | None, budget: Decimal | None) -> Result:
    """Budget absorption in percent (realised / budget × 100); no budget or 0: None."""
    if budget is None or Decimal(budget) <= 0:
        return Result(None, Reason.NO_BUDGET)
    return _percent(Decimal(realised or 0) / Decimal(budget) * HUNDRED)


def efficient(achievement_pct: Decimal | None, absorption_pct: Decimal | None) -> bool | None:
    """Efficiency flag: achievement above absorption. Unknown when either is None."""
    if achievement_pct is None or absorption_pct is None:
        return None
    return achievement_pct > absorption_pct


def average(values: Sequence[Decimal | Result | None]) -> Decimal | None:
    """Mean of the known values (None when none is known), rounded like achievements.
    Pass :class:`Result` objects to average their exact values (rounded once, here)."""
    known = [
        (v.exact if v.exact is not None else v.value) if isinstance(v, Result) else v
        for v in values
    ]
    known = [v for v in known if v is not None]
    if not known:
        return None
    return _pct(sum(known, Decimal(0)) / len(known))
