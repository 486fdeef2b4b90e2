"""Writes of the master-data pages: one transaction, an audit event with before and after."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kinerja.core.errors import ApplicationError, ConcurrentUpdate
from kinerja.core.services import audit
from kinerja.workcalendar.models import CalendarOverride

from .masterdata import MasterKind


def _snapshot(obj, fields: list[str]) -> dict[str, Any]:
    result = {}
    for name in fields:
        value = (
            getattr(obj, f"{name}_id", None)
            if hasattr(obj, f"{name}_id")
            else getattr(obj, name, None)
        )
        result[name] = value if isinstance(value, int | str | bool | type(None)) else str(value)
    return result


def masterdata_save(*, actor, kind: MasterKind, form: forms.ModelForm):
    """Save a master-data row from a valid form. Who: an administrator of the row's agency
    (the view checked it with ``access_master_data``). Holidays go through the working
    calendar's own service. A database constraint failure changes nothing and is reported."""
    if kind.model is CalendarOverride and form.instance.pk is None:
        from kinerja.workcalendar.services import override_set

        data = form.cleaned_data
        return override_set(
            actor=actor,
            agency=data.get("agency"),
            date=data["date"],
            kind=data["kind"],
            name=data["name"],
        )
    fields = [f for f in kind.fields if f != "password"]
    is_new = form.instance.pk is None
    before = None
    if not is_new:
        before = _snapshot(kind.model.objects.get(pk=form.instance.pk), fields)
    try:
        with transaction.atomic():
            obj = form.save()
            agency = getattr(obj, "agency", None) if kind.slug != "instansi" else obj
            audit(
                actor=actor,
                action=f"masterdata.{'created' if is_new else 'changed'}",
                obj=obj,
                agency=agency if getattr(agency, "pk", None) else None,
                before=before,
                after=_snapshot(obj, fields),
            )
    except IntegrityError as exc:
        raise ApplicationError(
            _("Data ini bentrok dengan data yang sudah ada (misalnya kode yang sama)."),
            code="conflict",
        ) from exc
    return obj


def targets_grid_save(
    *,
    actor,
    agency,
    year: int,
    loaded,
    typed: dict[str, Decimal | None],
    revision_reason: str | None = None,
    effective_date: dt.date | None = None,
) -> list[str]:
    """Save the targets grid of ``agency`` and ``year`` in ONE transaction through the
    performance services: the annual targets with ``targets_set`` (which creates the PK when
    there is none) or, when ``revision_reason`` is given, ``agreement_revise`` (a new PK
    version); then each changed indicator's quarter targets with ``quarter_targets_set``.

    Who: planners (the services check it again). Locks the current PK and the year's quarter
    targets, and refuses with :class:`ConcurrentUpdate` (nothing saved) when the PK version
    or any target differs from ``loaded`` (a :class:`~.planning.GridState`): someone else
    saved meanwhile. Only cells that differ from what is stored are written. Returns the
    roll-up warnings (quarter targets that do not add up to the annual target); they never
    block.
    """
    from kinerja.performance import services as performance

    from .planning import QUARTERS, cell_name, targets_grid

    with transaction.atomic():
        grid = targets_grid(agency, year, for_update=True)
        current = grid.state
        changed_meanwhile = current.differs(loaded)
        if current.version != loaded.version or changed_meanwhile:
            codes = {}
            for row in grid.rows:
                for name in changed_meanwhile:
                    if name.endswith(f"_{row.indicator.pk}"):
                        codes[row.indicator.code] = True
            raise ConcurrentUpdate(
                _(
                    "Target tahun %(year)s sudah diubah orang lain sejak halaman ini dibuka. "
                    "Tidak ada yang disimpan. Nilai terbaru sudah dimuat; periksa lalu simpan "
                    "lagi."
                )
                % {"year": year},
                code="conflict",
                details=list(codes),
            )
        annual = {}
        quarters: dict = {}
        for row in grid.rows:
            ind = row.indicator
            name = cell_name(ind.pk, "a")
            if name in typed and typed[name] != current.cells[name]:
                annual[ind] = typed[name]
            for n in QUARTERS:
                name = cell_name(ind.pk, f"q{n}")
                if name in typed and typed[name] != current.cells[name]:
                    quarters.setdefault(ind, {})[n] = typed[name]

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


def budget_grid_save(*, actor, agency, year: int, loaded, typed: dict[str, Decimal | None]) -> int:
    """Save the budget realisation grid of ``agency`` and ``year`` in ONE transaction: each
    changed cell through ``budget_realisation_save`` (which checks the actor and the
    programme and writes the audit event). All cells or none.

    Locks the current PK and the year's realisations and refuses with
    :class:`ConcurrentUpdate` (nothing saved) when the PK version or any amount differs from
    ``loaded`` (a :class:`~.planning.GridState`). A stored amount cannot be cleared (the
    performance app keeps it; 0 says "nothing spent"). Returns the number of cells written.
    """
    from kinerja.core.periods import Period
    from kinerja.performance import services as performance

    from .planning import QUARTERS, budget_cell, budget_grid

    with transaction.atomic():
        grid = budget_grid(agency, year, for_update=True)
        current = grid.state
        changed_meanwhile = current.differs(loaded)
        if current.version != loaded.version or changed_meanwhile:
            codes = {
                row.program.code: True
                for row in grid.rows
                for name in changed_meanwhile
                if name.endswith(f"_{row.program.pk}")
            }
            raise ConcurrentUpdate(
                _(
                    "Realisasi anggaran tahun %(year)s sudah diubah orang lain sejak halaman ini "
                    "dibuka. Tidak ada yang disimpan. Nilai terbaru sudah dimuat; periksa lalu "
                    "simpan lagi."
                )
                % {"year": year},
                code="conflict",
                details=list(codes),
            )
        written = 0
        for row in grid.rows:
            for n in QUARTERS:
                name = budget_cell(row.program.pk, n)
                if name not in typed or typed[name] == current.cells[name]:
                    continue
                if typed[name] is None:
                    raise ApplicationError(
                        _(
                            "Realisasi %(code)s TW %(quarter)s yang sudah tersimpan tidak dapat "
                            "dikosongkan; tulis 0 bila tidak ada belanja."
                        )
                        % {"code": row.program.code, "quarter": n},
                        code="invalid_number",
                    )
                performance.budget_realisation_save(
                    actor=actor,
                    agency=agency,
                    period=Period(year, n),
                    program_code=row.program.code,
                    amount=typed[name],
                )
                written += 1
    return written
