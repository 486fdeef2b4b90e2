"""Indonesian formats for printed documents: numbers ``1.234,56``, dates ``24 November 2026``,
NIPs ``19691120 202101 1 001`` and rupiah ``Rp 1.234.567``.

Pure functions, no Django settings involved, so every renderer (PDF, DOCX, XLSX, SVG) prints
the same text whatever the server's locale is.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
DASH = "-"


def number(value: float | int | Decimal | None, decimals: int = 2, *, empty: str = DASH) -> str:
    """``1234.5`` -> ``1.234,50``; ``None`` -> ``-``. Rounds half up like a person would."""
    if value is None:
        return empty
    quant = Decimal(1).scaleb(-decimals) if decimals else Decimal(1)
    d = Decimal(str(value)).quantize(quant, rounding=ROUND_HALF_UP)
    sign = "-" if d < 0 else ""
    whole, _, frac = f"{abs(d):f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = ".".join(groups) or "0"
    if decimals:
        text += "," + frac.ljust(decimals, "0")[:decimals]
    return sign + text


def smart_number(value: float | int | Decimal | None, *, empty: str = DASH) -> str:
    """Whole numbers without decimals (``12``), others with two (``12,50``)."""
    if value is None:
        return empty
    if Decimal(str(value)) == Decimal(str(value)).to_integral_value():
        return number(value, 0)
    return number(value, 2)


def percent(value: float | int | Decimal | None, decimals: int = 2, *, empty: str = DASH) -> str:
    """``98.456`` -> ``98,46%``."""
    if value is None:
        return empty
    return number(value, decimals) + "%"


def rupiah(value: float | int | Decimal | None, *, empty: str = DASH) -> str:
    """``1234567`` -> ``Rp 1.234.567``."""
    if value is None:
        return empty
    return "Rp " + number(value, 0)


def date(value: dt.date | dt.datetime | None, *, empty: str = DASH) -> str:
    """``24 November 2026``."""
    if value is None:
        return empty
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def long_date(value: dt.date | dt.datetime | None, *, empty: str = DASH) -> str:
    """``Selasa, 24 November 2026``."""
    if value is None:
        return empty
    return f"{DAYS[value.weekday()]}, {date(value)}"


def local(value: dt.datetime, tz: ZoneInfo | str) -> dt.datetime:
    """An aware datetime in the agency's zone (naive datetimes are refused: they are bugs)."""
    if value.tzinfo is None:
        raise ValueError("naive datetime")
    return value.astimezone(ZoneInfo(tz) if isinstance(tz, str) else tz)


def tz_abbrev(tz: ZoneInfo | str) -> str:
    """WIB, WITA, WIT for Indonesia's zones; the zone name otherwise."""
    name = str(tz)
    return {
        "Asia/Jakarta": "WIB",
        "Asia/Pontianak": "WIB",
        "Asia/Makassar": "WITA",
        "Asia/Jayapura": "WIT",
    }.get(name, name)


def datetime(value: dt.datetime | None, tz: ZoneInfo | str, *, empty: str = DASH) -> str:
    """``24 November 2026 08.15 WITA`` (Indonesian writes the time with a dot)."""
    if value is None:
        return empty
    lv = local(value, tz)
    return f"{date(lv)} {lv:%H.%M} {tz_abbrev(tz)}"


def nip(value: str | None, *, empty: str = "") -> str:
    """``196911202021011001`` -> ``19691120 202101 1 001`` (birth date, appointment month,
    sex, serial). Anything not 18 digits is printed as given."""
    if not value:
        return empty
    digits = "".join(ch for ch in value if ch.isdigit())
    if len(digits) != 18:
        return value
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"


def nip_line(value: str | None) -> str:
    """``NIP. 19691120 202101 1 001`` (or ``NIP. -`` when unknown, so the blank can be
    filled in by hand)."""
    return "NIP. " + (nip(value) or "........................")


def duration_minutes(minutes: float | int | None, *, empty: str = DASH) -> str:
    """Working minutes as people say them: ``15 menit``, ``2 jam 5 menit``, ``1 hari 2 jam``
    with a working day of 7,5 hours not assumed: days are not shown, only hours/minutes."""
    if minutes is None:
        return empty
    total = int(round(minutes))
    hours, mins = divmod(total, 60)
    if hours and mins:
        return f"{hours} jam {mins} menit"
    if hours:
        return f"{hours} jam"
    return f"{mins} menit"


def roman(n: int) -> str:
    values = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for v, s in values:
        while n >= v:
            out += s
            n -= v
    return out
