"""Forms of the web app. Labels and messages in Indonesian msgids; numbers in Indonesian
format are parsed by the performance services (``parse_number``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kinerja.core.http import MAX_ID
from kinerja.workflow.models import Task


class ReleaseUnitForm(forms.Form):
    unit = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)
    reason = forms.CharField(
        label=_("Alasan melanjutkan tanpa unit ini"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        error_messages={"required": _("Alasan wajib diisi.")},
    )


class UnlockUnitForm(forms.Form):
    unit = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)
    reason = forms.CharField(
        label=_("Alasan membuka kunci"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        error_messages={"required": _("Alasan membuka kunci wajib diisi.")},
    )


class TaskForm(forms.Form):
    """What every step's form posts: the version loaded (two people cannot overwrite each
    other) and an optional note."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Catatan (boleh kosong)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, task: Task, **kwargs):
        self.task = task
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("expected_version", task.lock_version)
        super().__init__(*args, **kwargs)

    def step_data(self) -> dict:
        """The ``data`` the engine stores on the task and hands to the step's handler."""
        return {}

    def assignee(self):
        return None

    def outcome(self) -> str:
        return Task.Outcome.DONE


class DecisionForm(TaskForm):
    """A decision step: approve, or return with a required note."""

    decision = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[
            (Task.Outcome.APPROVED, _("Setujui")),
            (Task.Outcome.RETURNED, _("Kembalikan untuk diperbaiki")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih setujui atau kembalikan.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].label = _("Catatan (wajib bila dikembalikan)")

    def clean(self):
        data = super().clean()
        if (
            data.get("decision") == Task.Outcome.RETURNED
            and not (data.get("comment") or "").strip()
        ):
            self.add_error(
                "comment",
                _("Tuliskan catatan perbaikan: laporan yang dikembalikan wajib diberi alasan."),
            )
        return data

    def outcome(self) -> str:
        return self.cleaned_data["decision"]


class AssignUnitsForm(TaskForm):
    """Step 1: the Sekcam's instruction, one disposition per unit (a unit's own text wins)."""

    instruction = forms.CharField(
        label=_("Isi disposisi untuk semua unit"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Isi disposisi wajib diisi.")},
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.unit_fields = []
        for unit in units:
            name = f"instruction_{unit.pk}"
            self.fields[name] = forms.CharField(
                label=_("Tambahan khusus untuk %(unit)s (boleh kosong)") % {"unit": unit.name},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.unit_fields.append(name)

    def step_data(self) -> dict:
        per_unit = {
            name.removeprefix("instruction_"): self.cleaned_data[name].strip()
            for name in self.unit_fields
            if self.cleaned_data.get(name, "").strip()
        }
        data = {"instruction": self.cleaned_data["instruction"].strip()}
        if per_unit:
            data["instructions"] = per_unit
        return data


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.display_name}" + (f" (NIP {obj.nip})" if obj.nip else "")


class DisposeToAnalystForm(TaskForm):
    """Step 2: the section head picks the analyst and writes the instruction."""

    analyst = UserChoiceField(
        label=_("Analis yang ditugaskan"),
        queryset=None,
        empty_label=_("— pilih analis —"),
        error_messages={
            "required": _("Pilih analis yang akan mengumpulkan bahan."),
            "invalid_choice": _("Analis itu tidak dapat dipilih; pilih dari daftar."),
        },
    )
    instruction = forms.CharField(
        label=_("Isi disposisi"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Isi disposisi wajib diisi.")},
    )

    def __init__(self, *args, analysts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["analyst"].queryset = analysts

    def step_data(self) -> dict:
        return {"instruction": self.cleaned_data["instruction"].strip()}

    def assignee(self):
        return self.cleaned_data["analyst"]


class RealisationsForm(TaskForm):
    """Steps 3 and 4: the unit's realisations of the quarter, one row per indicator, plus
    files. Values are typed the Indonesian way (1.234,5) and parsed by the performance app.
    Every row carries the ``lock_version`` it was loaded with, so a save made by someone else
    in between is refused instead of overwritten."""

    MAX_FILES = 10

    def __init__(self, *args, rows=(), locale: str = "id", evidence: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        self.locale = locale
        self.row_fields = []
        for row in self.rows:
            if row.locked:
                continue
            pk = row.indicator.pk
            value = ""
            if row.realisation is not None:
                value = _format_number(row.realisation, locale)
            self.fields[f"v_{pk}"] = forms.CharField(
                label=_("Realisasi %(code)s (%(uom)s)")
                % {"code": row.indicator.code, "uom": row.indicator.unit_of_measure},
                required=False,
                initial=value,
                max_length=40,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )
            self.fields[f"na_{pk}"] = forms.BooleanField(
                label=_("Data tidak tersedia"),
                required=False,
                initial=row.status == "not_available",
            )
            self.fields[f"nar_{pk}"] = forms.CharField(
                label=_("Alasan data tidak tersedia"),
                required=False,
                initial=row.not_available_reason,
                max_length=500,
            )
            self.fields[f"p_{pk}"] = forms.CharField(
                label=_("Kendala"),
                required=False,
                initial=row.problems,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"a_{pk}"] = forms.CharField(
                label=_("Upaya / solusi"),
                required=False,
                initial=row.actions,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"ver_{pk}"] = forms.IntegerField(
                widget=forms.HiddenInput, initial=row.lock_version, required=False
            )
            if evidence:
                self.fields[f"ev_{pk}"] = forms.FileField(
                    label=_("Tambah data dukung"), required=False
                )
            self.row_fields.append(row)
        self.groups = []
        for row in self.rows:
            pk = row.indicator.pk
            names = ("v", "na", "nar", "p", "a", "ver", "ev")
            bound = {n: self[f"{n}_{pk}"] for n in names if f"{n}_{pk}" in self.fields}
            self.groups.append((row, bound))
        self.evidence = evidence
        self.fields["files"] = MultipleFileField(
            label=_("Unggah bahan laporan (PDF, gambar, Excel, Word; boleh beberapa)"),
            required=False,
        )
        if not evidence:
            self.fields["no_materials_reason"] = forms.CharField(
                label=_("Alasan tanpa bahan laporan (isi hanya bila tidak ada bahan)"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean(self):
        from kinerja.performance.parsing import NumberFormatError, parse_number

        data = super().clean()
        self.parsed = {}
        for row in self.row_fields:
            pk = row.indicator.pk
            text = (data.get(f"v_{pk}") or "").strip()
            not_available = bool(data.get(f"na_{pk}"))
            reason = (data.get(f"nar_{pk}") or "").strip()
            value = None
            if text:
                try:
                    value = parse_number(text, self.locale)
                except NumberFormatError as exc:
                    self.add_error(f"v_{pk}", str(exc))
                    continue
            if not_available and value is not None:
                self.add_error(f"v_{pk}", _("Kosongkan angka bila data dinyatakan tidak tersedia."))
            if not_available and not reason:
                self.add_error(f"nar_{pk}", _("Tuliskan alasan data tidak tersedia."))
            self.parsed[pk] = value
        if len(data.get("files") or []) > self.MAX_FILES:
            self.add_error("files", _("Paling banyak 10 berkas sekali unggah."))
        return data

    def uploads(self) -> list:
        """The material files chosen on this submit (possibly several)."""
        return list(self.cleaned_data.get("files") or [])

    def step_data(self) -> dict:
        reason = (self.cleaned_data.get("no_materials_reason") or "").strip()
        return {"no_materials_reason": reason} if reason else {}

    def realisation_items(self):
        """The rows that differ from what is stored, as the performance app's inputs."""
        from kinerja.performance.services import RealisationInput

        items = []
        for row in self.row_fields:
            pk = row.indicator.pk
            if f"ver_{pk}" not in self.data:
                continue  # the row was not on the page the user sent: leave it alone
            value = self.parsed.get(pk)
            not_available = bool(self.cleaned_data.get(f"na_{pk}"))
            reason = (self.cleaned_data.get(f"nar_{pk}") or "").strip()
            problems = (self.cleaned_data.get(f"p_{pk}") or "").strip()
            actions = (self.cleaned_data.get(f"a_{pk}") or "").strip()
            unchanged = (
                value == row.realisation
                and not_available == (row.status == "not_available")
                and reason == (row.not_available_reason or "")
                and problems == (row.problems or "")
                and actions == (row.actions or "")
            )
            if unchanged:
                continue
            items.append(
                RealisationInput(
                    indicator=row.indicator,
                    value=value,
                    not_available=not_available,
                    not_available_reason=reason,
                    problems=problems,
                    actions=actions,
                    expected_version=self.cleaned_data.get(f"ver_{pk}"),
                    ref=row.indicator.code,
                )
            )
        return items

    def evidence_files(self):
        """(row, uploaded file) pairs of the evidence chosen per indicator."""
        return [
            (row, self.files[f"ev_{row.indicator.pk}"])
            for row in self.row_fields
            if f"ev_{row.indicator.pk}" in self.files
        ]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file input that takes several files at once. Django's ``FileField`` validates one
    file and answers "No file was submitted. Check the encoding type on the form." when the
    widget hands it a list: every file is validated here, and the value is the list."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            files = [single(item, initial) for item in data if item]
            if not files and self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return files
        result = single(data, initial)
        return [result] if result else []


def _format_number(value, locale: str) -> str:
    """A Decimal as people type it: 1.234,5 in Indonesian, 1,234.5 in English (as stored:
    no decimal is dropped or added)."""
    from kinerja.core import formatting

    return formatting.measure(value, 0, lang=locale)
