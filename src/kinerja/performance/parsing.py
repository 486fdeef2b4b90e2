"""Reading numbers typed by people: Indonesian formats first.

``parse_number("1.234,5")`` is 1234.5; ``"12,5%"`` is 12.5; ``"  7 "`` is 7. With
``locale="id"`` (default) the dot groups thousands and the comma is the decimal mark. A
plain ``"1234.5"`` is read as a decimal point when that is unambiguous: a single dot not
followed by exactly three digits (``"1.5"``, ``"1234.50"``). ``"1.234"`` stays one thousand
two hundred thirty-four in ``id``. With ``locale="en"`` the roles swap.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_ID = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$|^\d+(,\d+)?$")
_EN = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$|^\d+(\.\d+)?$")


class NumberFormatError(ValueError):
    """The text is not a number; ``str(error)`` is the message for the user."""


def parse_number(text: object, locale: str = "id", *, allow_percent: bool = True) -> Decimal:
    """The ``Decimal`` in ``text`` (a cell or a form field). Raises NumberFormatError.

    Accepts surrounding spaces, a leading minus (also the typographic one), a trailing
    ``%`` (the number is kept as it is: "12,5%" is 12.5), and ``int``/``float``/``Decimal``
    values as they come from a spreadsheet.
    """
    if isinstance(text, bool):
        raise NumberFormatError(_("'%(text)s' bukan angka.") % {"text": text})
    if isinstance(text, int | Decimal):
        return Decimal(text)
    if isinstance(text, float):
        return Decimal(repr(text))
    raw = "" if text is None else str(text)
    cleaned = _SPACES.sub("", raw).replace("\u2212", "-")
    if not cleaned:
        raise NumberFormatError(_("Angka belum diisi."))
    if cleaned.endswith("%"):
        if not allow_percent:
            raise NumberFormatError(
                _("'%(text)s': tulis angka tanpa tanda %%.") % {"text": raw.strip()}
            )
        cleaned = cleaned[:-1]
    negative = cleaned.startswith("-")
    if negative or cleaned.startswith("+"):
        cleaned = cleaned[1:]
    normal = _normalise(cleaned, locale)
    if normal is None:
        # The hint shows the format being parsed: the form's (the user's language) or, for
        # imports, always the Indonesian one of the office's spreadsheets.
        if locale.startswith("en"):
            hint = _(
                "'%(text)s' bukan angka yang dikenal. Tulis misalnya 1,234.5 atau 12.5 "
                "(koma pemisah ribuan, titik desimal)."
            )
        else:
            hint = _(
                "'%(text)s' bukan angka yang dikenal. Tulis misalnya 1.234,5 atau 12,5 "
                "(titik pemisah ribuan, koma desimal)."
            )
        raise NumberFormatError(hint % {"text": raw.strip()})
    try:
        value = Decimal(normal)
    except InvalidOperation:  # pragma: no cover - the patterns only let digits through
        raise NumberFormatError(_("'%(text)s' bukan angka.") % {"text": raw.strip()}) from None
    return -value if negative else value


def _normalise(text: str, locale: str) -> str | None:
    """Digits with a '.' decimal mark, or None when ``text`` is not a number."""
    thousands, decimal = (",", ".") if locale.startswith("en") else (".", ",")
    own = _EN if locale.startswith("en") else _ID
    if own.match(text):
        return text.replace(thousands, "").replace(decimal, ".")
    # The other convention, only where it cannot be misread: "1234.5" in id, "12,5" in en.
    if thousands in text and decimal not in text and text.count(thousands) == 1:
        whole, fraction = text.split(thousands)
        if whole.isdigit() and fraction.isdigit() and len(fraction) != 3:
            return f"{whole}.{fraction}"
    # Both marks, the other way round ("1,234.5" typed in id): the last mark is the decimal.
    if "," in text and "." in text:
        other = _ID if own is _EN else _EN
        if other.match(text):
            sep_thousands = "." if other is _ID else ","
            sep_decimal = "," if other is _ID else "."
            return text.replace(sep_thousands, "").replace(sep_decimal, ".")
    return None
