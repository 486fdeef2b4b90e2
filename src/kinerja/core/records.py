"""Creating and changing one plain row, the way every service does it: inside the caller's
transaction, the row re-read under ``select_for_update``, the model's own validation
(fields, unique and check constraints) run before writing, a database conflict turned into
an :class:`ApplicationError`, and one audit event with the values before and after.

The services of ``organization``, ``workcalendar`` and ``performance`` that keep simple
reference data (agencies, units, positions, holders, office hours, calendar exceptions,
indicators) are built on :func:`record_write`; they add who may do it (``check``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from .errors import ApplicationError
from .services import audit


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def snapshot(obj: models.Model, fields: Sequence[str]) -> dict[str, Any]:
    """The JSON-safe values of ``fields`` (a foreign key by its id), for an audit event."""
    result = {}
    for name in fields:
        attname = obj._meta.get_field(name).attname
        result[name] = _plain(getattr(obj, attname, None))
    return result


def _validate(obj: models.Model) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        details = [
            f"{obj._meta.get_field(name).verbose_name}: {' '.join(messages)}"
            if name in {f.name for f in obj._meta.get_fields()}
            else " ".join(messages)
            for name, messages in exc.message_dict.items()
        ]
        raise ApplicationError(
            _("Data tidak dapat disimpan: periksa isiannya."), code="invalid", details=details
        ) from exc


def record_write(
    *,
    actor,
    model: type[models.Model],
    pk: int | None,
    values: Mapping[str, Any],
    fields: Sequence[str],
    action: str,
    agency_of: Callable[[models.Model], Any],
    check: Callable[[models.Model], None] = lambda obj: None,
    check_before: Callable[[models.Model], None] | None = None,
) -> models.Model:
    """Create (``pk`` None) or change the ``model`` row ``pk`` with ``values`` (only keys of
    ``fields`` are taken), in ONE transaction; audit ``<action>_created`` or
    ``<action>_changed`` with the ``fields`` before and after, in the agency ``agency_of``
    gives.

    ``check(obj)`` runs on the locked row before the change (``check_before`` instead, when
    given) and again on the changed row before it is written (who may change it, and
    whether they may make it what it becomes); it raises to refuse. A row that fails the
    model's validation or a database constraint is refused with an
    :class:`ApplicationError` and nothing is written.
    """
    try:
        with transaction.atomic():
            if pk is None:
                obj, before = model(), None
            else:
                # No ordering: a model's default ordering may join a nullable relation,
                # which PostgreSQL cannot lock.
                obj = (
                    model._default_manager.select_for_update(of=("self",))
                    .filter(pk=pk)
                    .order_by()
                    .first()
                )
                if obj is None:
                    raise ApplicationError(_("Data ini tidak ada lagi."), code="not_found")
                (check_before or check)(obj)
                before = snapshot(obj, fields)
            for name in fields:
                if name in values:
                    setattr(obj, name, values[name])
            check(obj)
            _validate(obj)
            if pk is None:
                obj.save()
            else:
                obj.save(update_fields=list(fields))
            audit(
                actor=actor,
                action=f"{action}_{'created' if pk is None else 'changed'}",
                obj=obj,
                agency=agency_of(obj),
                before=before,
                after=snapshot(obj, fields),
            )
    except IntegrityError as exc:
        raise ApplicationError(
            _("Data ini bentrok dengan data yang sudah ada (misalnya kode yang sama)."),
            code="conflict",
        ) from exc
    return obj
