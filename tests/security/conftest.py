"""The security tests share one world per module (built once, rolled back at the end)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from django.db import transaction

    from tests.security.world import build_world

    with django_db_blocker.unblock():
        with transaction.atomic():
            built = build_world()
            yield built
            transaction.set_rollback(True)
