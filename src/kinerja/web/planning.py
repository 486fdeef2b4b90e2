"""Indicators and targets for the people who maintain an agency's plan (agency
administrators and the Kasubag Perencanaan): the indicator form and the forms of the two
planning grids (targets, budget realisation).

The grids themselves (their rows, what was loaded, the locked save) are
:mod:`kinerja.performance.grids`; here is one form for both: a text field per cell
(Indonesian numbers) and what was loaded (``loaded``), so a save is refused when someone
else changed the grid meanwhile.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinerja.organization.models import Agency
from kinerja.performance import indicators
from kinerja.performance.grids import Grid, GridState, cell_name
from kinerja.performance.models import Indicator, Objective

from .forms import _format_number
from .masterdata import MasterKind

INDICATOR_FIELDS = list(indicators.INDICATOR_FIELDS)

INDICATOR_KIND = MasterKind(
    "indikator",
    _("Indikator kinerja"),
    Indicator,
    INDICATOR_FIELDS,
    ["code", "name", "owner_unit", "unit_of_measure", "polarity", "rollup", "is_active"],
    "agency_id",
    select_related=["agency", "owner_unit", "objective"],
    help=_("Indikator kinerja instansi: satuan, unit penanggung jawab, polaritas dan cara rekap."),
    creator=indicators.indicator_create,
    updater=lambda *, actor, pk, values: indicators.indicator_update(
        actor=actor, indicator_id=pk, values=values
    ),
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
# The grid forms (targets, budget realisation): one implementation


class GridForm(forms.Form):
    """A text field per cell of ``grid`` (numbers as people type them in ``locale``) and what
    was loaded. Subclasses say how a value is shown and labelled and what else a value must
    satisfy; ``typed`` holds the parsed cells (None: blank) and ``loaded_state`` what the
    page loaded."""

    loaded = forms.CharField(widget=forms.HiddenInput)
    negative_message: str  # for a value below zero
    #: A blank cell whose loaded value was stored is refused with this message (None: blank
    #: removes the value).
    clear_message: str | None = None

    def __init__(self, *args, grid: Grid, locale: str = "id", **kwargs):
        self.grid = grid
        self.locale = locale
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("loaded", grid.state.dumps())
        super().__init__(*args, **kwargs)
        for row in grid.rows:
            for column, value in row.values().items():
                self.fields[cell_name(row.pk, column)] = forms.CharField(
                    label=f"{row.code} {self.column_label(column)}",
                    required=False,
                    max_length=40,
                    initial="" if value is None else self.format(value, locale),
                    widget=forms.TextInput(
                        attrs={"inputmode": "decimal", "class": "form-control-sm text-end"}
                    ),
                )

    @staticmethod
    def format(value: Decimal, locale: str) -> str:
        return _format_number(value, locale)

    def column_label(self, column: str) -> str:
        return f"TW {column[1:]}"

    def check_value(self, value: Decimal) -> str | None:
        """A message when ``value`` (parsed, not negative) is refused; None when it is fine."""
        return None

    def cell_rows(self) -> list[tuple]:
        """(row, [(column label, bound field)] in column order) for the template."""
        return [
            (row, [(self.column_label(c), self[cell_name(row.pk, c)]) for c in self.grid.columns])
            for row in self.grid.rows
        ]

    def clean(self):
        from kinerja.performance.parsing import NumberFormatError, parse_number

        data = super().clean()
        loaded = GridState.loads(data.get("loaded") or "")
        self.typed: dict[str, Decimal | None] = {}
        for name in self.grid.state.cells:
            text = (data.get(name) or "").strip()
            if not text:
                if self.clear_message and loaded and loaded.cells.get(name) is not None:
                    self.add_error(name, self.clear_message)
                    continue
                self.typed[name] = None
                continue
            try:
                value = parse_number(text, self.locale, allow_percent=False)
            except NumberFormatError as exc:
                self.add_error(name, str(exc))
                continue
            problem = self.negative_message if value < 0 else self.check_value(value)
            if problem:
                self.add_error(name, problem)
                continue
            self.typed[name] = value
        if loaded is None:
            raise forms.ValidationError(_("Formulir rusak; muat ulang halaman."))
        self.loaded_state = loaded
        return data


MODE_CORRECT = "koreksi"
MODE_REVISE = "revisi"


class TargetsGridForm(GridForm):
    """The targets grid (blank removes a target) and, when a PK exists, whether this is a
    correction or a revision."""

    negative_message = _("Target tidak boleh negatif.")
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

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("effective_date", timezone.localdate())
        super().__init__(*args, **kwargs)

    def column_label(self, column: str) -> str:
        return str(_("Target tahunan")) if column == "a" else super().column_label(column)

    def clean(self):
        data = super().clean()
        revise = data.get("mode") == MODE_REVISE and self.grid.agreement is not None
        if revise and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Alasan revisi wajib diisi."))
        if revise and not data.get("effective_date"):
            self.add_error("effective_date", _("Tanggal berlaku wajib diisi."))
        self.revise = revise
        return data

    def effective(self) -> dt.date:
        return self.cleaned_data.get("effective_date") or timezone.localdate()


MONEY_LIMIT = Decimal(10) ** 16  # the amount column holds 18 digits, 2 of them decimals


def format_money(value: Decimal, locale: str) -> str:
    """Rupiah as people type it: 1.234.567 or, with cents, 1.234.567,50 (1,234,567.50 in
    English)."""
    from kinerja.core import formatting

    return formatting.money(value, lang=locale)


class BudgetGridForm(GridForm):
    """The budget grid: rupiah per programme and quarter (blank: not reported yet; a stored
    amount cannot be cleared)."""

    negative_message = _("Realisasi anggaran tidak boleh negatif.")
    clear_message = _(
        "Realisasi yang sudah tersimpan tidak dapat dikosongkan; tulis 0 bila tidak ada belanja."
    )

    @staticmethod
    def format(value: Decimal, locale: str) -> str:
        return format_money(value, locale)

    def check_value(self, value: Decimal) -> str | None:
        if value >= MONEY_LIMIT:
            return _("Angka terlalu besar.")
        if value != value.quantize(Decimal("0.01")):
            return _("Rupiah paling banyak dua angka di belakang koma.")
        return None
