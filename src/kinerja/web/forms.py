"""Forms of the web app. Labels and messages in Indonesian msgids; numbers in Indonesian
format are parsed by the performance services (``parse_number``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kinerja.workflow.models import Task


class ReleaseUnitForm(forms.Form):
    unit = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Alasan melanjutkan tanpa unit ini"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        error_messages={"required": _("Alasan wajib diisi.")},
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
