"""``audit_bulk`` writes the rows ``audit`` writes, many at once."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from kinerja.core.models import AuditEvent
from kinerja.core.services import audit, audit_bulk
from kinerja.organization.models import Agency

FIELDS = (
    "actor_id",
    "action",
    "object_type",
    "object_id",
    "agency_id",
    "before",
    "after",
    "reason",
)


def _rows(events):
    return [tuple(getattr(e, f) for f in FIELDS) for e in events]


@pytest.mark.django_db
def test_bulk_rows_equal_single_rows(django_user_model):
    user = django_user_model.objects.create_user(username="pencatat", password="x")
    agency = Agency.objects.create(name="Kecamatan Uji", code="UJI")
    events = [
        {"action": "thing.changed", "obj": agency, "agency": agency, "before": {"a": 1}},
        {"action": "thing.named", "object_type": "x.y", "object_id": 7, "after": [1, "dua"]},
        {"action": "thing.removed", "obj": agency, "reason": "salah input"},
    ]
    for actor in (user, AnonymousUser(), None):
        singles = [audit(actor=actor, **event) for event in events]
        bulk = audit_bulk(actor=actor, events=events)
        stored = list(AuditEvent.objects.filter(pk__in=[e.pk for e in bulk]).order_by("id"))
        assert _rows(stored) == _rows(singles) == _rows(bulk)
        assert stored == bulk  # written, in the order given
    assert AuditEvent.objects.filter(actor=user).count() == 6
    assert AuditEvent.objects.filter(actor__isnull=True).count() == 12


@pytest.mark.django_db
def test_bulk_refuses_an_object_without_key():
    with pytest.raises(ValueError):
        audit_bulk(actor=None, events=[{"action": "x", "obj": Agency(name="baru", code="B")}])
    assert not AuditEvent.objects.exists()
    assert audit_bulk(actor=None, events=[]) == []
