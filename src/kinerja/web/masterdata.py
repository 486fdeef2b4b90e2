"""Master data for agency administrators: simple list and edit pages, declared as data.

Each kind names its model, the fields of its form, the columns of its list and the path
from a row to its agency (so an administrator sees and edits only their agencies' rows).
Everything else stays in Django admin.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kinerja.organization.models import Agency, Position, PositionHolder, Unit
from kinerja.workcalendar.models import CalendarOverride, OfficeHours


@dataclass
class MasterKind:
    slug: str
    label: Any
    model: type[Model]
    fields: list[str]
    columns: list[str]
    agency_path: str | None  # lookup from a row to its agency id; None: not agency-bound
    superuser_only_create: bool = False
    select_related: list[str] = field(default_factory=list)
    help: Any = ""

    def queryset(self, agencies: set[int] | None) -> QuerySet:
        qs = self.model.objects.select_related(*self.select_related)
        if agencies is None:
            return qs
        if self.slug == "pengguna":
            in_agency = PositionHolder.objects.filter(position__agency_id__in=agencies).values(
                "user_id"
            )
            return qs.filter(Q(pk__in=in_agency) | Q(position_holdings__isnull=True)).distinct()
        if self.agency_path is None:
            return qs.none()
        return qs.filter(**{f"{self.agency_path}__in": agencies})


class UserForm(forms.ModelForm):
    """Users: the password is set (hashed) only when typed; NIP accepts spaces."""

    password = forms.CharField(
        label=_("Kata sandi baru"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Kosongkan bila tidak diganti. Wajib untuk pengguna baru."),
    )

    class Meta:
        model = get_user_model()
        fields = ["username", "full_name", "nip", "email", "phone", "language", "is_active"]

    def clean_nip(self):
        from kinerja.accounts.models import normalize_nip

        return normalize_nip(self.cleaned_data.get("nip"))

    def clean(self):
        data = super().clean()
        password = data.get("password")
        if not self.instance.pk and not password:
            self.add_error("password", _("Kata sandi wajib diisi untuk pengguna baru."))
        elif password:
            try:
                validate_password(password, self.instance)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data

    def save(self, commit: bool = True):
        user = super().save(commit=False)
        if self.cleaned_data.get("password"):
            user.set_password(self.cleaned_data["password"])
        if commit:
            user.save()
        return user


KINDS: dict[str, MasterKind] = {
    k.slug: k
    for k in [
        MasterKind(
            "instansi",
            _("Instansi"),
            Agency,
            [
                "code",
                "name",
                "short_name",
                "parent_name",
                "address",
                "region_code",
                "timezone",
                "head_title",
                "is_active",
            ],
            ["name", "short_name", "parent_name", "timezone"],
            "pk",
            superuser_only_create=True,
        ),
        MasterKind(
            "unit",
            _("Unit kerja"),
            Unit,
            ["agency", "code", "name", "kind", "reports_performance", "order", "is_active"],
            ["name", "kind", "reports_performance", "order", "is_active"],
            "agency_id",
            select_related=["agency"],
        ),
        MasterKind(
            "jabatan",
            _("Jabatan"),
            Position,
            ["agency", "unit", "code", "title", "role", "reports_to", "is_admin"],
            ["title", "unit", "role", "is_admin"],
            "agency_id",
            select_related=["agency", "unit"],
        ),
        MasterKind(
            "pemangku",
            _("Pemangku jabatan (termasuk Plt/Plh)"),
            PositionHolder,
            ["position", "user", "kind", "start_date", "end_date", "decree"],
            ["position", "user", "kind", "start_date", "end_date", "decree"],
            "position__agency_id",
            select_related=["position", "user"],
            help=_("Plt/Plh: pilih jenis Plt atau Plh dan isi tanggal mulai dan sampai."),
        ),
        MasterKind(
            "pengguna",
            _("Pengguna"),
            get_user_model(),
            UserForm.Meta.fields,
            ["username", "full_name", "nip", "email", "is_active"],
            None,
        ),
        MasterKind(
            "jam-kantor",
            _("Jam kantor"),
            OfficeHours,
            ["agency", "weekday", "start", "end", "break_start", "break_end"],
            ["agency", "weekday", "start", "end", "break_start", "break_end"],
            "agency_id",
            select_related=["agency"],
        ),
        MasterKind(
            "hari-libur",
            _("Hari libur dan hari kerja pengganti"),
            CalendarOverride,
            ["agency", "date", "kind", "name"],
            ["date", "kind", "name", "agency"],
            "agency_id",
            select_related=["agency"],
            help=_(
                "Libur nasional sudah otomatis; di sini tambahkan cuti bersama atau hapus libur."
            ),
        ),
    ]
}


def form_class_for(kind: MasterKind) -> type[forms.ModelForm]:
    if kind.slug == "pengguna":
        return UserForm
    return forms.modelform_factory(kind.model, fields=kind.fields)


def limit_choices(form: forms.ModelForm, agencies: set[int] | None) -> None:
    """Foreign keys offer only rows of the administrator's agencies."""
    if agencies is None:
        return
    for name, bound in form.fields.items():
        if not isinstance(bound, forms.ModelChoiceField):
            continue
        model = bound.queryset.model
        if model is Agency:
            bound.queryset = bound.queryset.filter(pk__in=agencies)
            bound.required = True  # an administrator's row always belongs to an agency
        elif model in (Unit, Position):
            bound.queryset = bound.queryset.filter(agency_id__in=agencies)
        elif model is get_user_model() and name == "user":
            bound.queryset = KINDS["pengguna"].queryset(agencies)
