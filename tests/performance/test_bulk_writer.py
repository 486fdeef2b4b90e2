"""The bulk writer of large realisation imports and the service share their rules: the same
row checks (every bad row named, nothing written) and the same audit rows, written by
``core.services.audit_bulk``."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction

from kinerja.core.errors import ApplicationError
from kinerja.core.models import AuditEvent
from kinerja.core.periods import Period
from kinerja.performance import services, spreadsheets
from kinerja.performance.models import Realisation
from tests.conftest import wita
from tests.performance.test_spreadsheets import real_import, state, xlsx

D = Decimal
Q3 = Period(2026, 3)
NOW = wita(2026, 10, 12, 9, 0)


def _audit_rows() -> list[tuple]:
    """The realisation audit rows in the order written, the object named by its indicator
    (ids differ between two runs that are rolled back)."""
    code_of = dict(Realisation.objects.values_list("pk", "indicator__code"))
    return [
        (
            e.action,
            e.object_type,
            code_of[int(e.object_id)],
            e.actor_id,
            e.agency_id,
            e.before,
            e.after,
            e.reason,
        )
        for e in AuditEvent.objects.filter(action="realisation.saved").order_by("id")
    ]


FIRST = [
    ["PEM-1", "1.234,5", "", "kendala", "upaya"],
    ["TRA-1", "N/A", "belum ada survei", "", ""],
]
SECOND = [  # PEM-2 new, TRA-1 changed, PEM-1 unchanged: in file order
    ["PEM-2", 7, "", "", ""],
    ["TRA-1", 5, "", "baru", ""],
    ["PEM-1", "1.234,5", "", "kendala", "upaya"],
]


@pytest.mark.django_db
def test_import_audit_rows_equal_what_the_service_writes(world, monkeypatch):
    runs = []
    for threshold in (10_000, 1):  # the service, then the bulk writer
        monkeypatch.setattr(spreadsheets, "BULK_MIN_ROWS", threshold)
        with transaction.atomic():
            assert real_import(world, xlsx(FIRST)).ok
            assert real_import(world, xlsx(SECOND)).ok
            runs.append(_audit_rows())
            transaction.set_rollback(True)
    service, bulk = runs
    assert bulk == service
    # 2 + 2 changes, in the order of the files' rows; the unchanged row wrote nothing
    assert [(row[2], row[5] is None) for row in bulk] == [
        ("PEM-1", True),
        ("TRA-1", True),
        ("PEM-2", True),
        ("TRA-1", False),
    ]
    assert bulk[3][5]["not_available"] is True and bulk[3][6]["value"] == "5.0000"
    assert bulk[3][6]["lock_version"] == 2 and bulk[3][6]["period"] == "2026-Q3"
    assert all(row[3] == world.users["admin"].pk for row in bulk)


@pytest.mark.django_db
def test_bulk_writer_names_every_bad_row_and_writes_nothing(world):
    services.unit_period_lock(
        actor=world.users["sekcam"], unit=world.units["trantib"], period=Q3, now=NOW
    )
    items = [
        services.RealisationInput(indicator=world.pem1, value=D(10) ** 17, ref="baris 2"),
        services.RealisationInput(
            indicator=world.pem2, value=D(1), not_available=True, ref="baris 3"
        ),
        services.RealisationInput(indicator=world.tra1, value=D(1), ref="baris 4"),
        services.RealisationInput(indicator=world.pem1, value=D(2), ref="baris 5"),
    ]
    before = state()
    for write in (services.realisations_save, spreadsheets._bulk_save_realisations):
        with pytest.raises(ApplicationError) as err:
            write(actor=world.users["admin"], period=Q3, items=items, now=NOW)
        details = err.value.details
        assert [d.split(":")[0] for d in details] == ["baris 2", "baris 3", "baris 4", "baris 5"]
        assert "di luar batas" in details[0] and "tidak tersedia" in details[1]
        assert "dikunci" in details[2] and "dua kali" in details[3]
        assert state() == before


@pytest.mark.django_db
def test_bulk_import_with_bad_rows_names_every_row_and_writes_nothing(world, monkeypatch):
    monkeypatch.setattr(spreadsheets, "BULK_MIN_ROWS", 1)
    before = state()
    result = real_import(
        world,
        xlsx(
            [
                ["PEM-1", 3, "", "", ""],
                ["PEM-2", "N/A", "", "", ""],
                ["TRA-1", "1e40", "", "", ""],
                ["PEM-1", 4, "", "", ""],
            ]
        ),
    )
    assert not result.ok and not result.applied
    assert [e.row for e in result.errors] == [3, 4, 5]
    assert state() == before
