"""Master data for agency administrators: simple list and edit pages, declared as data.

Each kind names its model, the fields of its form, the columns of its list and the path
from a row to its agency (so an administrator sees and edits only their agencies' rows).
Everything else stays in Django admin.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinerja.organization import services as organization
from kinerja.organization.models import Agency, Position, PositionHolder, Unit
from kinerja.organization.permissions import manageable_users
from kinerja.workcalendar import services as workcalendar
from kinerja.workcalendar.models import CalendarOverride, OfficeHours

# A kind's writers: create(actor=, values=) and update(actor=, pk=, values=), each one
# audited service of the app that owns the model.
Create = Callable[..., Model]
Update = Callable[..., Model]


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
    creator: Create | None = None
    updater: Update | None = None

    def queryset(self, agencies: set[int] | None) -> QuerySet:
        qs = self.model.objects.select_related(*self.select_related)
        if agencies is None:
            return qs
        if self.slug == "pengguna":
            return qs.filter(pk__in=manageable_users(agencies).values("pk"))
        if self.agency_path is None:
            return qs.none()
        return qs.filter(**{f"{self.agency_path}__in": agencies})


class UserForm(forms.ModelForm):
    """Users, as an agency administrator edits them: no password field (the person sets it
    through a reset link). A new user is created with a position of the agency (so the
    administrator keeps managing them) and gets an e-mail to set their password."""

    class Meta:
        model = get_user_model()
        fields = ["username", "full_name", "nip", "email", "phone", "language", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["email"].required = True
            self.fields["email"].help_text = _(
                "Tautan untuk membuat kata sandi dikirim ke alamat ini."
            )
            self.fields["position"] = forms.ModelChoiceField(
                label=_("Jabatan"),
                queryset=Position.objects.select_related("agency").order_by("agency", "title"),
                help_text=_("Pengguna baru memangku jabatan ini mulai tanggal di bawah."),
            )
            self.fields["start_date"] = forms.DateField(
                label=_("Mulai memangku"),
                initial=timezone.localdate,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )

    def clean_nip(self):
        from kinerja.accounts.models import normalize_nip

        return normalize_nip(self.cleaned_data.get("nip"))


class SuperuserUserForm(UserForm):
    """Users, as a superuser edits them: the password may be set here (a higher role)."""

    password = forms.CharField(
        label=_("Kata sandi baru"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Kosongkan bila tidak diganti. Pengguna baru tanpa kata sandi menerima tautan "
            "untuk membuatnya lewat e-mail."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["position"].required = False
            self.fields["start_date"].required = False

    def clean(self):
        data = super().clean()
        password = data.get("password")
        if password:
            try:
                validate_password(password, self.instance)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


KINDS: dict[str, MasterKind] = {
    k.slug: k
    for k in [
        MasterKind(
            "instansi",
            _("Instansi"),
            Agency,
            list(organization.AGENCY_FIELDS),
            ["name", "short_name", "parent_name", "timezone"],
            "pk",
            superuser_only_create=True,
            creator=organization.agency_create,
            updater=lambda *, actor, pk, values: organization.agency_update(
                actor=actor, agency_id=pk, values=values
            ),
        ),
        MasterKind(
            "unit",
            _("Unit kerja"),
            Unit,
            list(organization.UNIT_FIELDS),
            ["name", "kind", "reports_performance", "order", "is_active"],
            "agency_id",
            select_related=["agency"],
            creator=organization.unit_create,
            updater=lambda *, actor, pk, values: organization.unit_update(
                actor=actor, unit_id=pk, values=values
            ),
        ),
        MasterKind(
            "jabatan",
            _("Jabatan"),
            Position,
            list(organization.POSITION_FIELDS),
            ["title", "unit", "role", "is_admin"],
            "agency_id",
            select_related=["agency", "unit"],
            creator=organization.position_create,
            updater=lambda *, actor, pk, values: organization.position_update(
                actor=actor, position_id=pk, values=values
            ),
        ),
        MasterKind(
            "pemangku",
            _("Pemangku jabatan (termasuk Plt/Plh)"),
            PositionHolder,
            list(organization.HOLDER_FIELDS),
            list(organization.HOLDER_FIELDS),
            "position__agency_id",
            select_related=["position", "user"],
            help=_("Plt/Plh: pilih jenis Plt atau Plh dan isi tanggal mulai dan sampai."),
            creator=organization.holder_create,
            updater=lambda *, actor, pk, values: organization.holder_update(
                actor=actor, holder_id=pk, values=values
            ),
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
            creator=workcalendar.office_hours_create,
            updater=lambda *, actor, pk, values: workcalendar.office_hours_update(
                actor=actor, hours_id=pk, values=values
            ),
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
            creator=lambda *, actor, values: workcalendar.override_set(
                actor=actor,
                agency=values.get("agency"),
                date=values["date"],
                kind=values["kind"],
                name=values["name"],
            ),
            updater=lambda *, actor, pk, values: workcalendar.override_update(
                actor=actor, override_id=pk, values=values
            ),
        ),
    ]
}


def form_class_for(kind: MasterKind, agencies: set[int] | None) -> type[forms.ModelForm]:
    """The form of ``kind`` for an administrator of ``agencies`` (None: a superuser)."""
    if kind.slug == "pengguna":
        return SuperuserUserForm if agencies is None else UserForm
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
            bound.queryset = manageable_users(agencies)


def save_row(*, actor, kind: MasterKind, instance: Model | None, form: forms.ModelForm) -> Model:
    """Write what a valid master-data form holds through the kind's service (new row:
    ``creator``; else ``updater``). The service checks the actor again, locks, validates and
    audits; its :class:`~kinerja.core.errors.ApplicationError` reaches the view."""
    values = {name: form.cleaned_data[name] for name in kind.fields if name in form.cleaned_data}
    if instance is None:
        return kind.creator(actor=actor, values=values)
    return kind.updater(actor=actor, pk=instance.pk, values=values)
