"""One formatter per kind of value, Indonesian conventions, used by every page, document,
spreadsheet and chart of Kinerja:

- numbers ``1.234,56`` (thousands ``.``, decimals ``,``), half up like a person rounds;
- indicator values with the indicator's own decimals, and never fewer than the stored value
  needs (``1,50`` stays ``1,50``; ``1.400`` orang, not ``1.400,00``; ``1,5`` with 0 decimals);
- money (rupiah) ``30.076.800`` or, with cents, ``30.076.800,50``: never rounded away;
- percentages always with two decimals and a space: ``96,00 %``;
- NIPs in the standard grouping ``19691120 202101 1 001`` (birth date, appointment month,
  sex, serial);
- dates ``24 November 2026`` and times ``08.15 WITA``.

Pure functions, no Django settings involved, so every renderer (PDF, DOCX, XLSX, SVG, HTML)
prints the same text whatever the server's locale is. Web pages in English pass ``lang="en"``
and get ``1,234.56``; documents are always Indonesian.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
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


Number = float | int | Decimal | str | None


def _decimal(value: float | int | Decimal | str) -> Decimal:
    if isinstance(value, Decimal | int | str):
        return Decimal(value)
    return Decimal(str(value))  # floats (numpy's too) as written: 1.5, not 1.50000000000001


def _places_needed(d: Decimal) -> int:
    """How many decimals show ``d`` exactly (``1.50`` -> 1, ``1400.0000`` -> 0)."""
    if not d.is_finite() or d == d.to_integral_value():
        return 0
    return max(0, -d.normalize().as_tuple().exponent)


def _english(text: str) -> str:
    return text.translate(str.maketrans({".": ",", ",": "."}))


def number(value: Number, decimals: int = 2, *, empty: str = DASH, lang: str = "id") -> str:
    """``1234.5`` -> ``1.234,50``; ``None`` -> ``-``. Rounds half up like a person would."""
    if value is None or value == "":
        return empty
    try:
        d = _decimal(value)
    except (InvalidOperation, ValueError, TypeError):
        return str(value)
    if not d.is_finite():
        return str(value)
    quant = Decimal(1).scaleb(-decimals) if decimals else Decimal(1)
    d = d.quantize(quant, rounding=ROUND_HALF_UP)
    sign = "-" if d < 0 else ""
    whole, _, frac = f"{abs(d):f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = ".".join(groups) or "0"
    if decimals:
        text += "," + frac.ljust(decimals, "0")[:decimals]
    text = sign + text
    return _english(text) if lang.startswith("en") else text


def measure(value: Number, decimals: int | None = 2, *, empty: str = DASH, lang: str = "id") -> str:
    """An indicator value with the indicator's ``decimals``, and at least as many as the
    stored value needs: ``measure(1.5, 2)`` -> ``1,50``, ``measure(1400, 0)`` -> ``1.400``,
    ``measure(Decimal("1.50"), 0)`` -> ``1,5`` (never rounded to ``2``)."""
    if value is None or value == "":
        return empty
    try:
        d = _decimal(value)
    except (InvalidOperation, ValueError, TypeError):
        return str(value)
    return number(d, max(int(decimals or 0), _places_needed(d)), empty=empty, lang=lang)


def indicator_value(
    amount: Number, indicator, *, unit: bool = False, empty: str = DASH, lang: str = "id"
) -> str:
    """:func:`measure` with ``indicator.decimals``; ``unit=True`` appends the unit of measure
    (``1.400 orang``, ``96,00 %``)."""
    text = measure(amount, getattr(indicator, "decimals", 2), empty=empty, lang=lang)
    if unit and amount is not None and amount != "" and indicator.unit_of_measure:
        text += " " + indicator.unit_of_measure
    return text


def smart_number(value: Number, *, empty: str = DASH, lang: str = "id") -> str:
    """A number without an indicator (chart axes): whole numbers without decimals (``12``),
    others with two (``12,50``)."""
    if value is None or value == "":
        return empty
    d = _decimal(value)
    if d == d.to_integral_value():
        return number(d, 0, lang=lang)
    return number(d, 2, lang=lang)


def percent(value: Number, *, empty: str = DASH, lang: str = "id") -> str:
    """``98.456`` -> ``98,46 %``: always two decimals and a space, everywhere."""
    if value is None or value == "":
        return empty
    return number(value, 2, lang=lang) + " %"


def money(value: Number, *, empty: str = DASH, lang: str = "id") -> str:
    """Rupiah without the symbol: ``30076800`` -> ``30.076.800``, ``30076800.5`` ->
    ``30.076.800,50``. Cents appear only when present and are never rounded away."""
    if value is None or value == "":
        return empty
    d = _decimal(value)
    places = _places_needed(d)
    return number(d, max(2, places) if places else 0, lang=lang)


def rupiah(value: Number, *, empty: str = DASH, lang: str = "id") -> str:
    """``1234567`` -> ``Rp 1.234.567``; ``1234567.5`` -> ``Rp 1.234.567,50``."""
    if value is None or value == "":
        return empty
    return "Rp " + money(value, lang=lang)


def excel_format(value: Number, decimals: int | None = 0) -> str:
    """The spreadsheet number format that shows ``value`` as :func:`measure` prints it
    (``#,##0`` or ``#,##0.00``); Excel applies the reader's separators."""
    places = int(decimals or 0)
    if value is not None and value != "":
        places = max(places, _places_needed(_decimal(value)))
    return "#,##0." + "0" * places if places else "#,##0"


def excel_money_format(value: Number) -> str:
    """``#,##0`` for whole rupiah, ``#,##0.00`` when there are cents (never rounded away)."""
    if value is None or value == "":
        return "#,##0"
    places = _places_needed(_decimal(value))
    return "#,##0." + "0" * max(2, places) if places else "#,##0"


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


NIP_DIGITS = 18


def nip_digits(value: str | None) -> str:
    """The digits of a NIP as typed (``"19691120 202101 1 001"`` -> ``"1969…001"``)."""
    return "".join(ch for ch in (value or "") if ch.isdigit())


def is_nip(value: str | None) -> bool:
    """18 digits, spaces and dots between groups allowed."""
    text = (value or "").replace(" ", "").replace(".", "")
    return text.isdigit() and len(text) == NIP_DIGITS


def nip(value: str | None, *, empty: str = "") -> str:
    """``196911202021011001`` -> ``19691120 202101 1 001`` (birth date, appointment month,
    sex, serial), the grouping of the office's documents, the same everywhere. Anything not
    18 digits is printed as given (loaders and forms refuse it before it gets here)."""
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
