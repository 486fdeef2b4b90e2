"""What every part of the spreadsheet import/export shares: the kinds, the column
headings and their aliases, the result of an import and one cell's text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.core.periods import ROMAN

KIND_TARGETS = "targets"
KIND_REALISATIONS = "realisations"

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_SEARCH_ROWS = 10
#: What a spreadsheet shows for a formula that failed.
EXCEL_ERRORS = frozenset(
    {
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
    }
)
#: Words in the value column that mean "data not available" (compared lower-case).
NOT_AVAILABLE_WORDS = frozenset(
    {"n/a", "na", "n.a.", "n.a", "t/a", "tidak tersedia", "data tidak tersedia", "not available"}
)


class _FormulaWithoutValue:
    """A formula cell whose result the file does not hold (never calculated)."""

    def __repr__(self) -> str:
        return "<formula without value>"


FORMULA_WITHOUT_VALUE = _FormulaWithoutValue()


# --------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class ImportIssue:
    """One problem: the spreadsheet row (None: the whole file), the column as headed in the
    file (with its letter), the cell's text and the reason in the active language."""

    row: int | None
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(_("baris %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("kolom %(column)s") % {"column": self.column})
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


@dataclass
class ImportResult:
    """What an import did or would do.

    ``errors`` empty and ``applied`` True: the rows are saved. ``summary`` counts rows
    ``created``, ``updated``, ``unchanged`` (and ``skipped`` empty rows); ``warnings`` never
    block (quarter targets that do not roll up to the annual target).
    """

    kind: str
    dry_run: bool = False
    errors: list[ImportIssue] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    summary: dict[str, int] = field(
        default_factory=lambda: {
            "rows": 0,
            "created": 0,
            "updated": 0,
            "unchanged": 0,
            "skipped": 0,
        }
    )
    applied: bool = False
    #: seconds spent reading the file, checking the rows, writing (for benchmarks and logs)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary_text(self) -> str:
        return (
            _(
                "%(rows)s baris dibaca: %(created)s baru, %(updated)s diubah, %(unchanged)s tetap, "
                "%(skipped)s baris kosong dilewati."
            )
            % self.summary
        )


class _Refused(Exception):
    """Carries the issues out of the transaction so that it rolls back."""

    def __init__(self, issues: list[ImportIssue]):
        super().__init__("refused")
        self.issues = issues


class _DryRun(Exception):
    pass


# --------------------------------------------------------------------------------------------
# Columns


def _norm(text: object) -> str:
    """A header as compared: lower case, without parentheses, punctuation or extra spaces."""
    raw = re.sub(r"\(.*?\)", " ", str(text or "")).lower()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", raw).split())


def _quarter_aliases(n: int) -> set[str]:
    roman = ROMAN[n].lower()
    words = {
        f"tw {roman}",
        f"tw {n}",
        f"tw{n}",
        f"tw{roman}",
        f"triwulan {roman}",
        f"triwulan {n}",
        f"q{n}",
        f"quarter {n}",
        f"kuartal {n}",
    }
    return words | {f"target {w}" for w in words}


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # lazy text: the header written in templates
    aliases: frozenset[str]


COLUMNS: dict[str, Column] = {
    c.key: c
    for c in [
        Column(
            "code",
            gettext_lazy("Kode Indikator"),
            frozenset({"kode", "kode indikator", "kode iku", "code", "indicator code"}),
        ),
        Column(
            "annual",
            gettext_lazy("Target Tahunan"),
            frozenset(
                {
                    "target tahunan",
                    "target tahun",
                    "target pk",
                    "annual target",
                    "target annual",
                    "target",
                }
            ),
        ),
        *[
            Column(
                f"q{n}",
                gettext_lazy("Target TW %(q)s") % {"q": ROMAN[n]},
                frozenset(_quarter_aliases(n)),
            )
            for n in range(1, 5)
        ],
        Column(
            "value",
            gettext_lazy("Realisasi"),
            frozenset(
                {
                    "realisasi",
                    "nilai",
                    "nilai realisasi",
                    "realisasi triwulan",
                    "realisation",
                    "realization",
                    "value",
                }
            ),
        ),
        Column(
            "reason",
            gettext_lazy("Alasan Tidak Tersedia"),
            frozenset(
                {
                    "alasan",
                    "alasan tidak tersedia",
                    "alasan data tidak tersedia",
                    "reason",
                    "reason not available",
                    "not available reason",
                }
            ),
        ),
        Column(
            "problems",
            gettext_lazy("Kendala"),
            frozenset({"kendala", "hambatan", "masalah", "problems", "issues"}),
        ),
        Column(
            "actions",
            gettext_lazy("Upaya / Solusi"),
            frozenset({"upaya", "upaya solusi", "solusi", "tindak lanjut", "actions", "solutions"}),
        ),
        Column("period", gettext_lazy("Periode"), frozenset({"periode", "period"})),
    ]
}
REQUIRED = {
    KIND_TARGETS: ("code", "annual", "q1", "q2", "q3", "q4"),
    KIND_REALISATIONS: ("code", "value"),
}
OPTIONAL = {
    KIND_TARGETS: (),
    KIND_REALISATIONS: ("reason", "problems", "actions", "period"),
}


def _cell_text(value: Any) -> str:
    if value is None or value is FORMULA_WITHOUT_VALUE:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
