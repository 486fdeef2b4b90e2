"""Indicators and targets for the people who maintain an agency's plan (agency
administrators and the Kasubag Perencanaan): the indicator form and the targets grid.

The grid shows one row per active indicator with its annual PK target and the four
Rencana Aksi quarter targets. What was loaded travels with the form (``loaded``) so a save
is refused when someone else changed the targets meanwhile (see
:func:`kinerja.web.services.targets_grid_save`).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinerja.organization.models import Agency
from kinerja.performance import achievement as calc
from kinerja.performance.models import (
    AgreementProgram,
    AgreementTarget,
    BudgetRealisation,
    Indicator,
    Objective,
    PerformanceAgreement,
    QuarterTarget,
)

from .forms import _format_number
from .masterdata import MasterKind

QUARTERS = (1, 2, 3, 4)

INDICATOR_FIELDS = [
    "agency",
    "objective",
    "code",
    "name",
    "unit_of_measure",
    "owner_unit",
    "polarity",
    "negative_formula",
    "rollup",
    "decimals",
    "evidence_required",
    "definition",
    "data_source",
    "order",
    "is_active",
]

INDICATOR_KIND = MasterKind(
    "indikator",
    _("Indikator kinerja"),
    Indicator,
    INDICATOR_FIELDS,
    ["code", "name", "owner_unit", "unit_of_measure", "polarity", "rollup", "is_active"],
    "agency_id",
    select_related=["agency", "owner_unit", "objective"],
    help=_("Indikator kinerja instansi: satuan, unit penanggung jawab, polaritas dan cara rekap."),
)


class IndicatorForm(forms.ModelForm):
    """An indicator of one of the user's agencies; its objective and owner unit must belong
    to the same agency."""

    class Meta:
        model = Indicator
        fields = INDICATOR_FIELDS
        widgets = {"definition": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, agencies: set[int] | None, **kwargs):
        super().__init__(*args, **kwargs)
        objectives = Objective.objects.select_related("plan")
        units = self.fields["owner_unit"].queryset
        agency_qs = Agency.objects.all()
        if agencies is not None:
            objectives = objectives.filter(plan__agency_id__in=agencies)
            units = units.filter(agency_id__in=agencies)
            agency_qs = agency_qs.filter(pk__in=agencies)
            if len(agencies) == 1 and not self.instance.pk:
                self.fields["agency"].initial = next(iter(agencies))
        self.fields["objective"].queryset = objectives
        self.fields["owner_unit"].queryset = units
        self.fields["agency"].queryset = agency_qs

    def clean(self):
        data = super().clean()
        agency = data.get("agency")
        if agency is not None:
            objective, unit = data.get("objective"), data.get("owner_unit")
            if objective is not None and objective.plan.agency_id != agency.pk:
                self.add_error("objective", _("Sasaran ini bukan milik instansi yang dipilih."))
            if unit is not None and unit.agency_id != agency.pk:
                self.add_error("owner_unit", _("Unit ini bukan milik instansi yang dipilih."))
        return data


# --------------------------------------------------------------------------------------------
# The targets grid


def cell_name(indicator_id: int, column: str) -> str:
    """``a_12`` (annual target of indicator 12) or ``q3_12`` (its third quarter)."""
    return f"{column}_{indicator_id}"


def columns() -> list[str]:
    return ["a", *(f"q{n}" for n in QUARTERS)]


@dataclass
class GridState:
    """What the grid holds: the current PK version (None: no PK yet) and every cell."""

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
        except (ValueError, KeyError, TypeError, InvalidOperation):
            return None

    def differs(self, other: GridState) -> list[str]:
        """Cell names whose value differs (the PK version is compared by the caller)."""
        names = set(self.cells) | set(other.cells)
        return sorted(n for n in names if self.cells.get(n) != other.cells.get(n))


@dataclass
class GridRow:
    indicator: Indicator
    annual: Decimal | None
    quarters: dict[int, Decimal | None]
    disagrees: bool  # quarter targets do not roll up to the annual one (a warning)


@dataclass
class TargetsGrid:
    agency: Agency
    year: int
    agreement: PerformanceAgreement | None
    rows: list[GridRow]

    @property
    def state(self) -> GridState:
        cells: dict[str, Decimal | None] = {}
        for row in self.rows:
            cells[cell_name(row.indicator.pk, "a")] = row.annual
            for n in QUARTERS:
                cells[cell_name(row.indicator.pk, f"q{n}")] = row.quarters[n]
        return GridState(self.agreement.version if self.agreement else None, cells)


def targets_grid(agency: Agency, year: int, *, for_update: bool = False) -> TargetsGrid:
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
            GridRow(
                indicator=ind,
                annual=target,
                quarters=by_quarter,
                disagrees=calc.targets_disagree(target, list(by_quarter.values()), ind.rollup),
            )
        )
    return TargetsGrid(agency=agency, year=year, agreement=agreement, rows=rows)


MODE_CORRECT = "koreksi"
MODE_REVISE = "revisi"


class TargetsGridForm(forms.Form):
    """The grid: a text field per cell (Indonesian numbers, blank removes the target), what
    was loaded, and, when a PK exists, whether this is a correction or a revision."""

    loaded = forms.CharField(widget=forms.HiddenInput)
    mode = forms.ChoiceField(
        label=_("Jenis perubahan target tahunan"),
        choices=[
            (MODE_CORRECT, _("Koreksi pada versi PK yang berlaku (salah ketik)")),
            (MODE_REVISE, _("Revisi PK: versi baru dengan alasan")),
        ],
        initial=MODE_CORRECT,
        widget=forms.RadioSelect,
        required=False,
    )
    reason = forms.CharField(
        label=_("Alasan revisi"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    effective_date = forms.DateField(
        label=_("Tanggal berlaku revisi"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, grid: TargetsGrid, locale: str = "id", **kwargs):
        self.grid = grid
        self.locale = locale
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("loaded", grid.state.dumps())
        kwargs["initial"].setdefault("effective_date", timezone.localdate())
        super().__init__(*args, **kwargs)
        for row in grid.rows:
            values = {"a": row.annual} | {f"q{n}": row.quarters[n] for n in QUARTERS}
            for column, value in values.items():
                name = cell_name(row.indicator.pk, column)
                label = _("Target tahunan") if column == "a" else f"TW {column[1:]}"
                self.fields[name] = forms.CharField(
                    label=f"{row.indicator.code} {label}",
                    required=False,
                    max_length=40,
                    initial="" if value is None else _format_number(value, locale),
                    widget=forms.TextInput(
                        attrs={"inputmode": "decimal", "class": "form-control-sm text-end"}
                    ),
                )

    def clean(self):
        from kinerja.performance.parsing import NumberFormatError, parse_number

        data = super().clean()
        self.typed: dict[str, Decimal | None] = {}
        for name in self.grid.state.cells:
            text = (data.get(name) or "").strip()
            if not text:
                self.typed[name] = None
                continue
            try:
                value = parse_number(text, self.locale, allow_percent=False)
            except NumberFormatError as exc:
                self.add_error(name, str(exc))
                continue
            if value < 0:
                self.add_error(name, _("Target tidak boleh negatif."))
                continue
            self.typed[name] = value
        loaded = GridState.loads(data.get("loaded") or "")
        if loaded is None:
            raise forms.ValidationError(_("Formulir rusak; muat ulang halaman."))
        self.loaded_state = loaded
        revise = data.get("mode") == MODE_REVISE and self.grid.agreement is not None
        if revise and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Alasan revisi wajib diisi."))
        if revise and not data.get("effective_date"):
            self.add_error("effective_date", _("Tanggal berlaku wajib diisi."))
        self.revise = revise
        return data

    def effective(self) -> dt.date:
        return self.cleaned_data.get("effective_date") or timezone.localdate()


# --------------------------------------------------------------------------------------------
# The budget realisation grid


MONEY_LIMIT = Decimal(10) ** 16  # the amount column holds 18 digits, 2 of them decimals


def format_money(value: Decimal, locale: str) -> str:
    """Rupiah as people type it: 1.234.567 or, with cents, 1.234.567,50 (1,234,567.50 in
    English)."""
    from kinerja.core import formatting

    return formatting.money(value, lang=locale)


def budget_cell(program_id: int, quarter: int) -> str:
    """``r3_7``: the realised amount of programme 7 in the third quarter."""
    return f"r{quarter}_{program_id}"


@dataclass
class BudgetGridRow:
    program: AgreementProgram
    quarters: dict[int, Decimal | None]

    @property
    def total(self) -> Decimal:
        return sum((v for v in self.quarters.values() if v is not None), Decimal(0))

    @property
    def absorption(self) -> Decimal | None:
        return calc.absorption(self.total, self.program.budget).value


@dataclass
class BudgetGrid:
    agency: Agency
    year: int
    agreement: PerformanceAgreement | None
    rows: list[BudgetGridRow]

    @property
    def state(self) -> GridState:
        cells: dict[str, Decimal | None] = {}
        for row in self.rows:
            for n in QUARTERS:
                cells[budget_cell(row.program.pk, n)] = row.quarters[n]
        return GridState(self.agreement.version if self.agreement else None, cells)

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
        return BudgetGrid(agency=agency, year=year, agreement=None, rows=[])
    amounts = {(c, q): a for c, q, a in spent.values_list("program_code", "quarter", "amount")}
    rows = [
        BudgetGridRow(program=p, quarters={n: amounts.get((p.code, n)) for n in QUARTERS})
        for p in AgreementProgram.objects.filter(agreement=agreement).order_by("order", "code")
    ]
    return BudgetGrid(agency=agency, year=year, agreement=agreement, rows=rows)


class BudgetGridForm(forms.Form):
    """The budget grid: a text field per programme and quarter (Indonesian numbers; blank
    means not reported yet) and what was loaded."""

    loaded = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, grid: BudgetGrid, locale: str = "id", **kwargs):
        self.grid = grid
        self.locale = locale
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("loaded", grid.state.dumps())
        super().__init__(*args, **kwargs)
        for row in grid.rows:
            for n in QUARTERS:
                value = row.quarters[n]
                self.fields[budget_cell(row.program.pk, n)] = forms.CharField(
                    label=f"{row.program.code} TW {n}",
                    required=False,
                    max_length=40,
                    initial="" if value is None else format_money(value, locale),
                    widget=forms.TextInput(
                        attrs={"inputmode": "decimal", "class": "form-control-sm text-end"}
                    ),
                )

    def clean(self):
        from kinerja.performance.parsing import NumberFormatError, parse_number

        data = super().clean()
        loaded = GridState.loads(data.get("loaded") or "")
        if loaded is None:
            raise forms.ValidationError(_("Formulir rusak; muat ulang halaman."))
        self.loaded_state = loaded
        self.typed: dict[str, Decimal | None] = {}
        for name in self.grid.state.cells:
            text = (data.get(name) or "").strip()
            if not text:
                if loaded.cells.get(name) is not None:
                    self.add_error(
                        name,
                        _(
                            "Realisasi yang sudah tersimpan tidak dapat dikosongkan; tulis 0 "
                            "bila tidak ada belanja."
                        ),
                    )
                    continue
                self.typed[name] = None
                continue
            try:
                value = parse_number(text, self.locale, allow_percent=False)
            except NumberFormatError as exc:
                self.add_error(name, str(exc))
                continue
            if value < 0:
                self.add_error(name, _("Realisasi anggaran tidak boleh negatif."))
                continue
            if value >= MONEY_LIMIT:
                self.add_error(name, _("Angka terlalu besar."))
                continue
            if value != value.quantize(Decimal("0.01")):
                self.add_error(name, _("Rupiah paling banyak dua angka di belakang koma."))
                continue
            self.typed[name] = value
        return data
