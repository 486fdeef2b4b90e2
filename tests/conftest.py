"""Shared test fixtures: a named world built from the demo office.

People are named as in the office: ``sekcam``, ``kasi_pemerintahan``, ``analis_1``,
``kasubag_perencanaan``... (see kinerja.demo.office.PEOPLE).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

WITA = ZoneInfo("Asia/Makassar")


def wita(*args: int) -> dt.datetime:
    """An aware datetime in the office's time zone: wita(2026, 10, 12, 8, 0)."""
    return dt.datetime(*args, tzinfo=WITA)


@pytest.fixture
def office(db):
    from kinerja.demo.office import build_office
    from kinerja.sop.services import sop_load_builtin

    sop_load_builtin()
    return build_office()


@pytest.fixture
def two_unit_office(office):
    """The demo office with only two units reporting (Pemerintahan and Trantib)."""
    from kinerja.organization.models import Unit

    Unit.objects.filter(agency=office.agency).exclude(code__in=["pemerintahan", "trantib"]).update(
        reports_performance=False
    )
    return office
