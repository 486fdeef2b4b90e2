"""Writes of the master-data pages: one transaction, an audit event with before and after."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kinerja.core.errors import ApplicationError
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
