"""Parameters of document generators: parsed once from text (CLI options, form fields,
the archive's JSON) into objects, and written back as text for the archive."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from kinerja.core.errors import ApplicationError
from kinerja.core.periods import Period
from kinerja.organization.models import Agency, Unit

_HALF = re.compile(r"^\s*(\d{4})\s*-\s*[HhSs]([12])\s*$")


@dataclass(frozen=True, order=True)
class HalfYear:
    """A half-year (``2026-H2``): SOP monitoring runs every six months."""

    year: int
    half: int

    @classmethod
    def parse(cls, text: str) -> HalfYear:
        match = _HALF.match(str(text))
        if not match:
            raise ApplicationError(
                _("Semester '%(text)s' tidak dikenal; gunakan misalnya 2026-H2.") % {"text": text},
                code="bad_half",
            )
        return cls(int(match.group(1)), int(match.group(2)))

    def __str__(self) -> str:
        return f"{self.year}-H{self.half}"

    @property
    def label(self) -> str:
        return _("Semester %(h)s Tahun %(year)s") % {
            "h": "I" if self.half == 1 else "II",
            "year": self.year,
        }

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year, 6, 30) if self.half == 1 else dt.date(self.year, 12, 31)

    @classmethod
    def of(cls, day: dt.date) -> HalfYear:
        return cls(day.year, 1 if day.month <= 6 else 2)


PAPERS = ("A4", "F4")


def _object_id(value) -> int:
    """A case or task id as typed (0 matches nothing); refused when it is no whole number."""
    from kinerja.core.http import BadInput, parse_id

    try:
        return parse_id(value) or 0
    except BadInput as exc:
        raise ApplicationError(exc.message, code="bad_id") from exc


def parse_params(raw: dict[str, Any]) -> dict[str, Any]:
    """Text (or already parsed objects) -> objects. Unknown keys are refused so a typo in a
    CLI option or form cannot silently produce the wrong document."""
    from kinerja.workflow.models import Case, Task

    out: dict[str, Any] = {}
    for key, value in raw.items():
        if value in (None, ""):
            continue
        if key == "agency":
            if isinstance(value, Agency):
                out[key] = value
                continue
            try:
                out[key] = Agency.objects.get(code=value)
            except Agency.DoesNotExist as exc:
                raise ApplicationError(
                    _("Instansi '%(code)s' tidak ada.") % {"code": value}, code="not_found"
                ) from exc
        elif key == "unit":
            out[key] = value  # needs the agency; resolved below
        elif key == "period":
            try:
                out[key] = value if isinstance(value, Period) else Period.parse(str(value))
            except ValueError as exc:
                raise ApplicationError(str(exc), code="bad_period") from exc
        elif key == "year":
            try:
                out[key] = int(value)
            except (TypeError, ValueError) as exc:
                raise ApplicationError(_("Tahun tidak sah."), code="bad_year") from exc
        elif key == "half":
            out[key] = value if isinstance(value, HalfYear) else HalfYear.parse(str(value))
        elif key == "case":
            if isinstance(value, Case):
                out[key] = value
                continue
            case = (
                Case.objects.select_related("agency", "sop_version")
                .filter(pk=_object_id(value))
                .first()
            )
            if case is None:
                raise ApplicationError(_("Kasus tidak ditemukan."), code="not_found")
            out[key] = case
        elif key == "task":
            if isinstance(value, Task):
                out[key] = value
                continue
            task = Task.objects.select_related("case", "unit").filter(pk=_object_id(value)).first()
            if task is None:
                raise ApplicationError(_("Tugas tidak ditemukan."), code="not_found")
            out[key] = task
        elif key == "sop":
            out[key] = str(value)
        elif key == "issue_date":
            out[key] = parse_issue_date(value)
        elif key == "paper":
            paper = str(value).upper()
            if paper not in PAPERS:
                raise ApplicationError(_("Ukuran kertas harus A4 atau F4."), code="bad_paper")
            out[key] = paper
        else:
            raise ApplicationError(
                _("Parameter '%(key)s' tidak dikenal.") % {"key": key}, code="bad_param"
            )
    if "task" in out and "case" not in out:
        out["case"] = out["task"].case
    if "case" in out and "agency" not in out:
        out["agency"] = out["case"].agency
    if "unit" in out and not isinstance(out["unit"], Unit):
        agency = out.get("agency")
        unit = Unit.objects.filter(agency=agency, code=out["unit"]).first() if agency else None
        if unit is None:
            raise ApplicationError(
                _("Unit '%(code)s' tidak ada pada instansi ini.") % {"code": out["unit"]},
                code="not_found",
            )
        out["unit"] = unit
    return out


def parse_issue_date(value: Any) -> dt.date:
    """The date a document is issued for (``--date``, ``issue_date``): a date or ISO text
    ``2026-10-05``."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ApplicationError(
            _("Tanggal dokumen '%(text)s' tidak sah; gunakan misalnya 2026-10-05.")
            % {"text": value},
            code="bad_date",
        ) from exc


def params_json(params: dict[str, Any]) -> dict[str, Any]:
    """Objects -> the text form stored with the archived document (and re-parseable)."""
    out: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, Agency | Unit):
            out[key] = value.code
        elif hasattr(value, "pk"):
            out[key] = value.pk
        elif isinstance(value, Period | HalfYear):
            out[key] = str(value)
        elif isinstance(value, dt.date):
            out[key] = value.isoformat()
        else:
            out[key] = value
    return out
