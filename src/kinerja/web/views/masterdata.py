"""Master-data pages: a list and an edit form per kind (see :mod:`..masterdata`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinerja.accounts.services import (
    USER_FIELDS,
    password_reset_by_admin,
    user_create,
    user_update,
)
from kinerja.core.errors import ApplicationError
from kinerja.organization.models import PositionHolder

from ..masterdata import KINDS, MasterKind, form_class_for, limit_choices, save_row
from ..permissions import (
    access_managed_user,
    access_master_data,
    access_planning_or_master,
    managed_agency_ids,
)
from .common import add_application_error


def _kind(slug: str) -> MasterKind:
    kind = KINDS.get(slug)
    if kind is None:
        raise Http404
    return kind


def _cell(obj, name: str) -> str:
    display = getattr(obj, f"get_{name}_display", None)
    if display is not None:
        return display()
    value = getattr(obj, name, None)
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    if value is None or value == "":
        return "–"
    return str(value)


@login_required
def master_index(request: HttpRequest) -> HttpResponse:
    """Administrators see every kind; the Kasubag Perencanaan only indicators and targets."""
    plans = access_planning_or_master(request)
    admin = managed_agency_ids(request)
    return render(
        request,
        "web/master/index.html",
        {
            "kinds": KINDS.values() if admin is None or admin else [],
            "plans": plans is None or bool(plans),
        },
    )


@login_required
def master_list(request: HttpRequest, kind: str) -> HttpResponse:
    agencies = access_master_data(request)
    spec = _kind(kind)
    qs = spec.queryset(agencies).order_by(*(spec.model._meta.ordering or ["pk"]))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    columns = [spec.model._meta.get_field(c).verbose_name for c in spec.columns]
    rows = [
        (
            obj,
            [_cell(obj, c) for c in spec.columns],
            reverse("web:master_edit", args=[kind, obj.pk]),
        )
        for obj in page
    ]
    return render(
        request,
        "web/master/list.html",
        {
            "kind": spec,
            "columns": columns,
            "rows": rows,
            "page": page,
            "may_create": not spec.superuser_only_create or request.user.is_superuser,
            "create_url": reverse("web:master_create", args=[kind]),
        },
    )


@login_required
def master_edit(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    agencies = access_master_data(request)
    spec = _kind(kind)
    instance = None
    if pk is not None:
        instance = spec.queryset(agencies).filter(pk=pk).first()
        if instance is None:
            raise Http404
    elif spec.superuser_only_create and not request.user.is_superuser:
        raise Http404
    form_class = form_class_for(spec, agencies)
    form = form_class(request.POST or None, instance=instance)
    limit_choices(form, agencies)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                if spec.slug == "pengguna":
                    _save_user(request, form, instance, agencies)
                else:
                    save_row(actor=request.user, kind=spec, instance=instance, form=form)
            except ApplicationError as exc:
                add_application_error(form, exc)
                status = 400
            else:
                messages.success(request, _("Data tersimpan."))
                return redirect("web:master_list", spec.slug)
        else:
            status = 400
    return render(
        request,
        "web/master/form.html",
        {
            "kind": spec,
            "form": form,
            "instance": instance,
            "list_url": reverse("web:master_list", args=[spec.slug]),
            "reset_url": (
                reverse("web:master_user_reset", args=[instance.pk])
                if spec.slug == "pengguna" and instance is not None
                else None
            ),
        },
        status=status,
    )


def _save_user(request: HttpRequest, form, instance, agencies: set[int] | None) -> None:
    """A new user (with the chosen position; a link to set their password unless a
    superuser typed one) or a change to an account, through the accounts services."""
    data = form.cleaned_data
    values = {name: data[name] for name in USER_FIELDS if name in data}
    if instance is None:
        user_create(
            actor=request.user,
            values=values,
            position=data.get("position"),
            start_date=data.get("start_date"),
            password=data.get("password") or None,
        )
    else:
        user_update(
            actor=request.user,
            user_id=instance.pk,
            values=values,
            password=data.get("password") or None,
            agency=_user_agency(instance, agencies),
        )


def _user_agency(user, agencies: set[int] | None):
    """The agency (of ``agencies``) in whose name an administrator manages ``user``, for the
    audit log; None for a superuser or a new user (the chosen position tells it)."""
    if user is None or agencies is None:
        return None
    holding = (
        PositionHolder.objects.current()
        .filter(user=user, position__agency_id__in=agencies)
        .select_related("position__agency")
        .first()
    )
    return holding.position.agency if holding else None


@login_required
@require_POST
def master_user_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a user the e-mail with a link to set a new password. Who: a superuser, or an
    administrator of an agency where the user holds a position now or later (404 otherwise:
    never staff, superusers, other agencies' users or former holders)."""
    user = access_managed_user(request, pk)
    agencies = managed_agency_ids(request)
    try:
        sent = password_reset_by_admin(
            actor=request.user, user=user, agency=_user_agency(user, agencies)
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        if not sent:
            messages.error(
                request,
                _("E-mail belum terkirim (akun tidak aktif atau server e-mail tidak menjawab)."),
            )
            return redirect("web:master_edit", "pengguna", user.pk)
        messages.success(
            request,
            _("Tautan untuk mengatur ulang kata sandi sudah dikirim ke %(email)s.")
            % {"email": user.email},
        )
    return redirect("web:master_edit", "pengguna", user.pk)
