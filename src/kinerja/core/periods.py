"""Reporting periods: a quarter (``2026-Q3``, "Triwulan III 2026") or a year (``2026``)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_PATTERN = re.compile(r"^\s*(\d{4})(?:\s*-\s*[QqTt][Ww]?\s*([1-4]))?\s*$")


@dataclass(frozen=True, order=True)
class Period:
    year: int
    quarter: int | None = None  # None: the whole year

    @classmethod
    def parse(cls, text: str) -> Period:
        match = _PATTERN.match(str(text))
        if not match:
            raise ValueError(
                _("Periode '%(text)s' tidak dikenal; gunakan misalnya 2026-Q3 atau 2026.")
                % {"text": text}
            )
        year, quarter = int(match.group(1)), match.group(2)
        return cls(year, int(quarter) if quarter else None)

    @classmethod
    def quarter_of(cls, day: dt.date) -> Period:
        return cls(day.year, (day.month - 1) // 3 + 1)

    def __str__(self) -> str:
        return f"{self.year}-Q{self.quarter}" if self.quarter else str(self.year)

    @property
    def code(self) -> str:
        return str(self)

    @property
    def is_quarter(self) -> bool:
        return self.quarter is not None

    @property
    def is_last_quarter(self) -> bool:
        return self.quarter == 4

    @property
    def label(self) -> str:
        if self.quarter:
            return _("Triwulan %(q)s %(year)s") % {"q": ROMAN[self.quarter], "year": self.year}
        return _("Tahun %(year)s") % {"year": self.year}

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * (self.quarter - 1) + 1 if self.quarter else 1, 1)

    @property
    def end(self) -> dt.date:
        if not self.quarter or self.quarter == 4:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, 3 * self.quarter + 1, 1) - dt.timedelta(days=1)

    def previous(self) -> Period:
        if not self.quarter:
            return Period(self.year - 1)
        return (
            Period(self.year - 1, 4) if self.quarter == 1 else Period(self.year, self.quarter - 1)
        )

    def next(self) -> Period:
        if not self.quarter:
            return Period(self.year + 1)
        return (
            Period(self.year + 1, 1) if self.quarter == 4 else Period(self.year, self.quarter + 1)
        )

    def quarters(self) -> list[Period]:
        """The quarters of the year up to and including this one (year-to-date)."""
        last = self.quarter or 4
        return [Period(self.year, q) for q in range(1, last + 1)]
