"""Document generators, one class per document (after django-oscar's report generators).

A generator declares its ``code``, a translatable ``title``, the ``formats`` it renders, the
parameters it needs, who may use it (:meth:`is_available_to`), how it reads its data
(:meth:`collect`, through selectors only) and one ``render_<format>(data, stamp)`` method per
format returning bytes. :func:`kinerja.reports.services.document_generate` runs them and
archives the result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kinerja.core.errors import ApplicationError
from kinerja.core.periods import Period
from kinerja.workcalendar.calendar import DEFAULT_TIMEZONE
from kinerja.workcalendar.selectors import agency_timezone
from kinerja.workflow.permissions import scope_for

from ..pdf import Stamp

# The SOP whose cases date the performance documents (the quarterly data collection).
ISSUE_SOP = "pengumpulan-data-kinerja"


class DocumentGenerator:
    code: ClassVar[str]
    title: ClassVar[Any]  # a lazy translation
    description: ClassVar[Any] = ""
    formats: ClassVar[tuple[str, ...]]
    required: ClassVar[tuple[str, ...]] = ("agency",)
    optional: ClassVar[tuple[str, ...]] = ("paper",)
    # Where the document belongs: "case" (a run of the SOP), "agency" or "sop".
    context: ClassVar[str] = "agency"

    # Override points --------------------------------------------------------------------
    def is_available_to(self, user, **params: Any) -> bool:
        """Default: whoever sees the whole agency (Camat, Sekcam, Kasubag Perencanaan,
        administrators)."""
        agency = params.get("agency")
        return agency is not None and scope_for(user).sees_agency(agency.pk)

    def collect(self, **params: Any) -> Any:
        raise NotImplementedError

    def document_title(self, **params: Any) -> str:
        return str(self.title)

    def period_label(self, **params: Any) -> str:
        for key in ("period", "half"):
            if params.get(key) is not None:
                return params[key].label
        if params.get("year"):
            return _("Tahun %(year)s") % {"year": params["year"]}
        return ""

    # The date the document is issued for -------------------------------------------------
    def issue_period(self, **params: Any) -> Period | None:
        """The quarter whose case dates the document: the ``period``; for a year its fourth
        quarter, for a half-year its last quarter."""
        if params.get("period") is not None:
            period = params["period"]
            return period if period.is_quarter else Period(period.year, 4)
        if params.get("year"):
            return Period(int(params["year"]), 4)
        if params.get("half") is not None:
            half = params["half"]
            return Period(half.year, 2 * half.half)
        return None

    def issue_case(self, **params: Any):
        """The case whose completion dates the document: the ``case`` parameter, else the
        agency's run of the performance-data SOP for :meth:`issue_period`."""
        from kinerja.workflow.models import Case

        if params.get("case") is not None:
            return params["case"]
        agency, period = params.get("agency"), self.issue_period(**params)
        if agency is None or period is None:
            return None
        return Case.objects.filter(agency=agency, sop_code=ISSUE_SOP, period=str(period)).first()

    def issued_at(self, issue_case, **params: Any) -> dt.datetime | None:
        """When the document's content was final: the case's completion."""
        return issue_case.completed_at if issue_case is not None else None

    def issue_date(self, **params: Any) -> dt.date:
        """The date printed in the place-and-date line (docs/documents.md, "Dates"): the
        explicit ``issue_date`` (``kinerja report --date``), else the day the case of the
        period was completed (in the agency's zone), else today for a period still open.
        The generation time itself is kept in the archive record."""
        if params.get("issue_date"):
            return params["issue_date"]
        agency = params.get("agency")
        tz = agency_timezone(agency) if agency is not None else ZoneInfo(DEFAULT_TIMEZONE)
        when = self.issued_at(self.issue_case(**params), **params)
        return (when or timezone.now()).astimezone(tz).date()

    def draft_items(self, data: Any) -> list[str]:
        """Why the document is a draft (data missing or not approved), one Indonesian line
        each; empty for a final document. Default: ``data.missing`` when the data has it."""
        return list(getattr(data, "missing", None) or [])

    # Machinery --------------------------------------------------------------------------
    def check_params(self, params: dict[str, Any]) -> None:
        missing = [key for key in self.required if params.get(key) in (None, "")]
        if missing:
            raise ApplicationError(
                _("Dokumen %(title)s memerlukan: %(keys)s.")
                % {"title": self.title, "keys": ", ".join(missing)},
                code="missing_param",
            )
        allowed = set(self.required) | set(self.optional) | {"agency", "issue_date"}
        extra = sorted(set(params) - allowed)
        if extra:
            raise ApplicationError(
                _("Dokumen %(title)s tidak memakai: %(keys)s.")
                % {"title": self.title, "keys": ", ".join(extra)},
                code="bad_param",
            )

    def render(self, fmt: str, data: Any, *, stamp: Stamp) -> bytes:
        if fmt not in self.formats:
            raise ApplicationError(
                _("Dokumen %(title)s tidak tersedia dalam format %(fmt)s.")
                % {"title": self.title, "fmt": fmt.upper()},
                code="bad_format",
            )
        return getattr(self, f"render_{fmt}")(data, stamp=stamp)

    def filename(self, fmt: str, **params: Any) -> str:
        parts = [self.code]
        for key in ("agency", "unit"):
            if params.get(key) is not None:
                parts.append(params[key].code)
        for key in ("period", "half", "year", "sop", "paper"):
            if params.get(key):
                parts.append(str(params[key]))
        if params.get("case") is not None and params.get("period") is None:
            parts.append(params["case"].period)
        return slugify("-".join(parts)) + f".{fmt}"


class Registry:
    def __init__(self) -> None:
        self._generators: dict[str, DocumentGenerator] = {}

    def register(self, cls: type[DocumentGenerator]) -> type[DocumentGenerator]:
        self._generators[cls.code] = cls()
        return cls

    def get(self, code: str) -> DocumentGenerator:
        try:
            return self._generators[code]
        except KeyError as exc:
            raise ApplicationError(
                _("Jenis dokumen '%(code)s' tidak dikenal; yang ada: %(known)s.")
                % {"code": code, "known": ", ".join(self._generators)},
                code="not_found",
            ) from exc

    def __iter__(self) -> Iterator[DocumentGenerator]:
        return iter(self._generators.values())

    def codes(self) -> list[str]:
        return list(self._generators)


registry = Registry()
register = registry.register
