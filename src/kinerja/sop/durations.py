"""Working-time durations without pydantic: the time units and the reading of ``"1 day"``.

:class:`kinerja.sop.schema.Duration` (the validated model of an SOP's time standards) is built
on these; code that only needs the units or the parsing (the working-time calendar, the
``kinerja calendar`` command) imports this module and so does not load pydantic and the SOP
schema at start-up (docs/speed.md, "Start-up").
"""

from __future__ import annotations

from enum import StrEnum

#: Bounds of a duration's amount (the same for every unit).
MIN_AMOUNT = 1
MAX_AMOUNT = 10_000


class TimeUnit(StrEnum):
    MINUTE = "minute"
    HOUR = "hour"
    DAY = "day"


_UNITS = {
    "minute": TimeUnit.MINUTE,
    "minutes": TimeUnit.MINUTE,
    "min": TimeUnit.MINUTE,
    "menit": TimeUnit.MINUTE,
    "hour": TimeUnit.HOUR,
    "hours": TimeUnit.HOUR,
    "jam": TimeUnit.HOUR,
    "day": TimeUnit.DAY,
    "days": TimeUnit.DAY,
    "hari": TimeUnit.DAY,
}


def parse_duration(text: str) -> tuple[int, TimeUnit]:
    """``"15 minutes"``, ``"1 day"``, ``"2 jam"``, ``"15 menit"``, ``"3 hari"`` as
    ``(amount, unit)``; ValueError for anything else, or an amount outside 1..10000."""
    parts = str(text).strip().lower().split()
    if len(parts) != 2 or not parts[0].isdigit():
        raise ValueError(f"not a duration: {text!r} (use e.g. '15 minutes', '1 day')")
    if parts[1] not in _UNITS:
        raise ValueError(f"unknown time unit {parts[1]!r} (minute, hour or day)")
    amount = int(parts[0])
    if not MIN_AMOUNT <= amount <= MAX_AMOUNT:
        raise ValueError(f"amount {amount} outside {MIN_AMOUNT}..{MAX_AMOUNT}")
    return amount, _UNITS[parts[1]]
