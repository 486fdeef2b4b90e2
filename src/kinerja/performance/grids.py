"""The two planning grids of an agency and a year, read and saved as one whole.

* the **targets grid**: one row per active indicator, its annual PK target (column ``a``)
  and the four Rencana Aksi quarter targets (``q1``..``q4``);
* the **budget grid**: one row per programme of the current PK, the realised spending of
  each quarter (``r1``..``r4``).

Both are one implementation: a grid has rows, each with a key (the indicator's or
programme's id), a code and a value per column; a cell is named ``<column>_<row id>``
(``q3_12``: the third-quarter target of indicator 12). What a page loaded travels with its
form as a :class:`GridState` (the PK version and every cell), and a save compares it with
what is stored under row locks (:func:`locked_unchanged`): someone else's save meanwhile is
refused with :class:`ConcurrentUpdate`, naming the rows that changed, and nothing is
written. Only the cells that differ from what is stored are written, through the
performance services (which check the actor and write the audit events), all in one
transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.core.errors import ApplicationError, ConcurrentUpdate
from kinerja.core.periods import Period
from kinerja.organization.models import Agency

from . import achievement as calc
from .models import (
    AgreementProgram,
    AgreementTarget,
    BudgetRealisation,
    Indicator,
    PerformanceAgreement,
    QuarterTarget,
)

QUARTERS = (1, 2, 3, 4)


def cell_name(row_id: int, column: str) -> str:
    """``a_12`` (annual target of indicator 12), ``q3_12`` (its third quarter) or ``r3_7``
    (the realised amount of programme 7 in the third quarter)."""
    return f"{column}_{row_id}"


def budget_cell(program_id: int, quarter: int) -> str:
    """``r3_7``: the realised amount of programme 7 in the third quarter."""
    return cell_name(program_id, f"r{quarter}")


def row_id_of(name: str) -> int | None:
    """The row id of a cell name (None for a name that is not a cell)."""
    _column, _sep, tail = name.rpartition("_")
    return int(tail) if tail.isdigit() else None


@dataclass
class GridState:
    """What a grid holds: the current PK version (None: no PK yet) and every cell."""

    version: int | None
    cells: dict[str, Decimal | None] = field(default_factory=dict)

    def dumps(self) -> str:
        return json.dumps(
            {
                "version": self.version,
                "cells": {k: (None if v is None else str(v)) for k, v in self.cells.items()},
            },
            sort_keys=True,
        )

    @classmethod
    def loads(cls, text: str) -> GridState | None:
        try:
            raw = json.loads(text)
            return cls(
                version=raw["version"],
                cells={k: (None if v is None else Decimal(v)) for k, v in raw["cells"].items()},
            )
        except (ValueError, KeyError, TypeError, InvalidOperation, AttributeError):
            return None

    def differs(self, other: GridState) -> list[str]:
        """Cell names whose value differs (the PK version is compared by the caller)."""
        names = set(self.cells) | set(other.cells)
        return sorted(n for n in names if self.cells.get(n) != other.cells.get(n))


@dataclass
class Grid:
    """Rows of one agency and year under its current PK (None: no PK yet)."""

    agency: Agency
    year: int
    agreement: PerformanceAgreement | None
    rows: list
    columns: tuple[str, ...] = ()

    @property
    def state(self) -> GridState:
        cells: dict[str, Decimal | None] = {}
        for row in self.rows:
            for column, value in row.values().items():
                cells[cell_name(row.pk, column)] = value
        return GridState(self.agreement.version if self.agreement else None, cells)

    def codes_of(self, names) -> list[str]:
        """The codes of the rows (in grid order) that hold one of the cells ``names``."""
        ids = {row_id_of(n) for n in names}
        return [row.code for row in self.rows if row.pk in ids]


# --------------------------------------------------------------------------------------------
# The targets grid


@dataclass(eq=False)  # rows are told apart by identity (dict keys of a save)
class TargetRow:
    indicator: Indicator
    annual: Decimal | None
    quarters: dict[int, Decimal | None]
    disagrees: bool  # quarter targets do not roll up to the annual one (a warning)

    @property
    def pk(self) -> int:
        return self.indicator.pk

    @property
    def code(self) -> str:
        return self.indicator.code

    def values(self) -> dict[str, Decimal | None]:
        return {"a": self.annual} | {f"q{n}": self.quarters[n] for n in QUARTERS}


TARGET_COLUMNS = ("a", *(f"q{n}" for n in QUARTERS))


def targets_grid(agency: Agency, year: int, *, for_update: bool = False) -> Grid:
    """The active indicators of ``agency`` with their targets of ``year``. Four queries.
    ``for_update`` locks the current PK and the year's quarter targets (inside a
    transaction: the save compares what it reads with what the user loaded)."""
    agreements = PerformanceAgreement.objects.filter(agency=agency, year=year, is_current=True)
    quarter_rows = QuarterTarget.objects.filter(agency=agency, year=year)
    if for_update:
        agreements = agreements.select_for_update()
        quarter_rows = quarter_rows.select_for_update()
    agreement = agreements.first()
    indicators = list(
        Indicator.objects.filter(agency=agency, is_active=True)
        .select_related("objective", "owner_unit")
        .order_by("objective__order", "objective__code", "order", "code")
    )
    annual = {}
    if agreement is not None:
        annual = dict(
            AgreementTarget.objects.filter(agreement=agreement).values_list(
                "indicator_id", "target"
            )
        )
    quarters = {
        (i, q): t for i, q, t in quarter_rows.values_list("indicator_id", "quarter", "target")
    }
    rows = []
    for ind in indicators:
        by_quarter = {n: quarters.get((ind.pk, n)) for n in QUARTERS}
        target = annual.get(ind.pk)
        rows.append(
            TargetRow(
                indicator=ind,
                annual=target,
                quarters=by_quarter,
                disagrees=calc.targets_disagree(target, list(by_quarter.values()), ind.rollup),
            )
        )
    return Grid(agency, year, agreement, rows, TARGET_COLUMNS)


# --------------------------------------------------------------------------------------------
# The budget realisation grid


@dataclass(eq=False)
class BudgetRow:
    program: AgreementProgram
    quarters: dict[int, Decimal | None]

    @property
    def pk(self) -> int:
        return self.program.pk

    @property
    def code(self) -> str:
        return self.program.code

    def values(self) -> dict[str, Decimal | None]:
        return {f"r{n}": self.quarters[n] for n in QUARTERS}

    @property
    def total(self) -> Decimal:
        return sum((v for v in self.quarters.values() if v is not None), Decimal(0))

    @property
    def absorption(self) -> Decimal | None:
        return calc.absorption(self.total, self.program.budget).value


BUDGET_COLUMNS = tuple(f"r{n}" for n in QUARTERS)


@dataclass
class BudgetGrid(Grid):
    columns: tuple[str, ...] = BUDGET_COLUMNS

    @property
    def budget(self) -> Decimal:
        return sum((r.program.budget for r in self.rows), Decimal(0))

    @property
    def quarter_totals(self) -> list[Decimal]:
        return [sum((r.quarters[n] or Decimal(0) for r in self.rows), Decimal(0)) for n in QUARTERS]

    @property
    def total(self) -> Decimal:
        return sum((r.total for r in self.rows), Decimal(0))

    @property
    def absorption(self) -> Decimal | None:
        return calc.absorption(self.total, self.budget).value


def budget_grid(agency: Agency, year: int, *, for_update: bool = False) -> BudgetGrid:
    """The programmes of the current PK of ``year`` with their realised spending per quarter.
    Three queries. ``for_update`` locks the current PK and the year's realisations (inside a
    transaction: the save compares what it reads with what the user loaded)."""
    agreements = PerformanceAgreement.objects.filter(agency=agency, year=year, is_current=True)
    spent = BudgetRealisation.objects.filter(agency=agency, year=year)
    if for_update:
        agreements = agreements.select_for_update()
        spent = spent.select_for_update()
    agreement = agreements.first()
    if agreement is None:
        return BudgetGrid(agency, year, None, [])
    amounts = {(c, q): a for c, q, a in spent.values_list("program_code", "quarter", "amount")}
    rows = [
        BudgetRow(program=p, quarters={n: amounts.get((p.code, n)) for n in QUARTERS})
        for p in AgreementProgram.objects.filter(agreement=agreement).order_by("order", "code")
    ]
    return BudgetGrid(agency, year, agreement, rows)


# --------------------------------------------------------------------------------------------
# Saving a grid


def locked_unchanged(
    read: Callable[..., Grid], agency: Agency, year: int, loaded: GridState, message: str
) -> Grid:
    """The grid, read with ``for_update`` (call inside a transaction), when it still holds
    what the user ``loaded``; otherwise :class:`ConcurrentUpdate` with ``message`` and the
    codes of the rows that changed (``details``)."""
    grid = read(agency, year, for_update=True)
    current = grid.state
    changed = current.differs(loaded)
    if current.version != loaded.version or changed:
        raise ConcurrentUpdate(message, code="conflict", details=grid.codes_of(changed))
    return grid


def changed_cells(grid: Grid, typed: dict[str, Decimal | None]) -> dict[Any, dict[str, Any]]:
    """Row -> {column: typed value} for the cells whose typed value differs from what is
    stored (cells not typed are left alone), in grid order."""
    current = grid.state.cells
    result: dict[Any, dict[str, Any]] = {}
    for row in grid.rows:
        for column in grid.columns:
            name = cell_name(row.pk, column)
            if name in typed and typed[name] != current[name]:
                result.setdefault(row, {})[column] = typed[name]
    return result


def targets_grid_save(
    *,
    actor,
    agency: Agency,
    year: int,
    loaded: GridState,
    typed: dict[str, Decimal | None],
    revision_reason: str | None = None,
    effective_date: dt.date | None = None,
) -> list[str]:
    """Save the targets grid of ``agency`` and ``year`` in ONE transaction through the
    performance services: the annual targets with ``targets_set`` (which creates the PK when
    there is none) or, when ``revision_reason`` is given, ``agreement_revise`` (a new PK
    version); then each changed indicator's quarter targets with ``quarter_targets_set``.

    Who: planners (the services check it). Locks the current PK and the year's quarter
    targets, and refuses with :class:`ConcurrentUpdate` (nothing saved) when the PK version
    or any target differs from ``loaded``: someone else saved meanwhile. Only cells that
    differ from what is stored are written. Returns the roll-up warnings (quarter targets
    that do not add up to the annual target); they never block.
    """
    from . import services as performance

    with transaction.atomic():
        grid = locked_unchanged(
            targets_grid,
            agency,
            year,
            loaded,
            _(
                "Target tahun %(year)s sudah diubah orang lain sejak halaman ini dibuka. "
                "Tidak ada yang disimpan. Nilai terbaru sudah dimuat; periksa lalu simpan "
                "lagi."
            )
            % {"year": year},
        )
        annual = {}
        quarters: dict[Indicator, dict[int, Decimal | None]] = {}
        for row, cells in changed_cells(grid, typed).items():
            for column, value in cells.items():
                if column == "a":
                    annual[row.indicator] = value
                else:
                    quarters.setdefault(row.indicator, {})[int(column[1:])] = value

        # The annual save warns against the old quarter targets; where those change too, the
        # quarter save's warning (on the final figures) is the one that counts.
        def final(found: list[str]) -> list[str]:
            return [w for w in found if not any(w.startswith(f"{i.code}:") for i in quarters)]

        warnings: list[str] = []
        if revision_reason is not None and grid.agreement is not None:
            _agreement, found = performance.agreement_revise(
                actor=actor,
                agency=agency,
                year=year,
                reason=revision_reason,
                effective_date=effective_date,
                targets=annual,
            )
            warnings += final(found)
        elif annual:
            _agreement, found = performance.targets_set(
                actor=actor, agency=agency, year=year, targets=annual
            )
            warnings += final(found)
        for ind, values in quarters.items():
            warnings += performance.quarter_targets_set(
                actor=actor, indicator=ind, year=year, targets=values
            )
    return list(dict.fromkeys(warnings))


def budget_grid_save(
    *, actor, agency: Agency, year: int, loaded: GridState, typed: dict[str, Decimal | None]
) -> int:
    """Save the budget realisation grid of ``agency`` and ``year`` in ONE transaction: each
    changed cell through ``budget_realisation_save`` (which checks the actor and the
    programme and writes the audit event). All cells or none.

    Locks the current PK and the year's realisations and refuses with
    :class:`ConcurrentUpdate` (nothing saved) when the PK version or any amount differs from
    ``loaded``. A stored amount cannot be cleared (the performance app keeps it; 0 says
    "nothing spent"). Returns the number of cells written.
    """
    from . import services as performance

    with transaction.atomic():
        grid = locked_unchanged(
            budget_grid,
            agency,
            year,
            loaded,
            _(
                "Realisasi anggaran tahun %(year)s sudah diubah orang lain sejak halaman ini "
                "dibuka. Tidak ada yang disimpan. Nilai terbaru sudah dimuat; periksa lalu "
                "simpan lagi."
            )
            % {"year": year},
        )
        written = 0
        for row, cells in changed_cells(grid, typed).items():
            for column, value in cells.items():
                quarter = int(column[1:])
                if value is None:
                    raise ApplicationError(
                        _(
                            "Realisasi %(code)s TW %(quarter)s yang sudah tersimpan tidak dapat "
                            "dikosongkan; tulis 0 bila tidak ada belanja."
                        )
                        % {"code": row.code, "quarter": quarter},
                        code="invalid_number",
                    )
                performance.budget_realisation_save(
                    actor=actor,
                    agency=agency,
                    period=Period(year, quarter),
                    program_code=row.code,
                    amount=value,
                )
                written += 1
    return written
