"""Reading what arrives in a URL, a query string or a form, in one place.

Every view reads ids, period codes and ``next`` targets through these helpers, so bad input
(``?case=abc``, ``?unit=99999999999999999999999999``, a NUL byte, a redirect to another site)
is a 400 with a message or a 404, never a server error or a trip off-site:

* :func:`parse_id` / :func:`query_id`: an object id, within the database's range;
* :func:`parse_int`: any bounded whole number (a year, a version);
* :func:`parse_period`: a period code (``2026-Q3``, ``2026``);
* :func:`safe_next`: a same-site ``next`` URL, or the default.

:class:`BadInput` is Django's ``BadRequest`` with the message to show;
:class:`kinerja.core.middleware.BadInputMiddleware` turns it into the 400 page.
"""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

# Ids are BigAutoField/AutoField: 1 .. 2**63-1 fits both SQLite and PostgreSQL's bigint.
MAX_ID = 2**63 - 1
MAX_NUMBER_LENGTH = 19  # digits; longer text is refused before int() sees it


class BadInput(BadRequest):
    """Input that cannot mean anything (400). ``message`` is shown to the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _clean(value) -> str:
    text = "" if value is None else str(value)
    if "\x00" in text:
        raise BadInput(_("Masukan berisi karakter yang tidak diizinkan."))
    return text.strip()


def parse_int(
    value, *, name: str = "", minimum: int | None = None, maximum: int | None = None
) -> int | None:
    """``value`` as a whole number (``None`` when empty); :class:`BadInput` when it is not
    one (only ASCII digits, optionally signed) or lies outside ``minimum``..``maximum``."""
    text = _clean(value)
    if not text:
        return None
    digits = text[1:] if text[:1] in "+-" else text
    if (
        not digits
        or not digits.isascii()
        or not digits.isdigit()
        or len(digits) > MAX_NUMBER_LENGTH
    ):
        raise BadInput(_("Nilai %(name)s harus berupa bilangan bulat.") % {"name": name or "?"})
    number = int(text)
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise BadInput(_("Nilai %(name)s di luar rentang yang diizinkan.") % {"name": name or "?"})
    return number


def parse_id(value, *, name: str = "id") -> int | None:
    """An object id (1 .. 2**63-1), ``None`` when empty; :class:`BadInput` otherwise."""
    return parse_int(value, name=name, minimum=1, maximum=MAX_ID)


def query_id(request: HttpRequest, key: str, *, method: str = "GET") -> int | None:
    """The id in ``request.GET[key]`` (or ``POST``), ``None`` when absent or empty."""
    source = request.POST if method == "POST" else request.GET
    return parse_id(source.get(key), name=key)


def parse_year(value, *, name: str = "tahun") -> int | None:
    """A calendar year the office can mean (2000..2100), ``None`` when empty."""
    return parse_int(value, name=name, minimum=2000, maximum=2100)


def parse_period(value, *, default=None):
    """A :class:`~kinerja.core.periods.Period` from its code, ``default`` when empty;
    :class:`BadInput` (with the period's own message) when the code means nothing."""
    from .periods import Period

    text = _clean(value)
    if not text:
        return default
    try:
        period = Period.parse(text)
    except ValueError as exc:
        raise BadInput(str(exc)) from exc
    if not 2000 <= period.year <= 2100:
        raise BadInput(
            _("Periode '%(text)s' tidak dikenal; gunakan misalnya 2026-Q3 atau 2026.")
            % {"text": text}
        )
    return period


def safe_next(request: HttpRequest, default: str, *, key: str = "next") -> str:
    """The same-site URL in ``next`` (POST first, then the query string), else ``default``.

    Absolute URLs to another host, scheme-relative ``//host`` and ``/\\host`` tricks,
    ``javascript:`` and friends are refused (Django's ``url_has_allowed_host_and_scheme``)."""
    target = request.POST.get(key) or request.GET.get(key) or ""
    if (
        target
        and "\x00" not in target
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return default
