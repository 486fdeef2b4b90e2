"""One planner rule (``performance.permissions.may_plan``): for every person of the demo
office, the pages (targets grid, budget page, Excel target import, the Excel page's upload
button) and the services (PK targets, budget realisation, Excel target import) give the same
answer. Planners are the agency administrators and the Kasubag Perencanaan
(docs/architecture.md, "One planner rule")."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from kinerja.core.errors import PermissionDenied
from kinerja.core.periods import Period
from kinerja.demo.office import PEOPLE
from kinerja.performance import permissions, services, spreadsheets
from kinerja.workflow.permissions import scope_for
from tests.conftest import wita
from tests.performance.test_spreadsheets import TARGET_HEADERS, xlsx

NOW = wita(2026, 7, 20, 9, 0)
PLANNERS = {"admin", "kasubag_perencanaan"}


def _page_allows(client, world, role) -> dict[str, bool]:
    agency = world.agency
    answers = {}
    for name in ("web:targets", "web:budget"):
        response = client.get(f"{reverse(name)}?agency={agency.pk}&year=2026")
        assert response.status_code in (200, 404), (name, response.status_code)
        answers[name] = response.status_code == 200
    url = reverse("performance:import_targets", args=[agency.code]) + "?tahun=2026"
    response = client.get(url)
    assert response.status_code in (200, 403, 404), response.status_code
    answers["import page"] = response.status_code == 200
    home = client.get(reverse("performance:excel", args=[agency.code]) + "?periode=2026-Q3")
    if home.status_code == 200:
        answers["upload button"] = url.split("?")[0] in home.content.decode()
    else:
        assert home.status_code == 404
        answers["upload button"] = False
    return answers


def _service_allows(world, user) -> dict[str, bool]:
    answers = {}
    try:
        services.targets_set(
            actor=user, agency=world.agency, year=2026, targets={"PEM-1": Decimal(100)}, now=NOW
        )
        answers["targets_set"] = True
    except PermissionDenied:
        answers["targets_set"] = False
    try:
        services.budget_realisation_save(
            actor=user,
            agency=world.agency,
            period=Period(2026, 2),
            program_code="P1",
            amount=Decimal(10),
            now=NOW,
        )
        answers["budget_realisation_save"] = True
    except PermissionDenied:
        answers["budget_realisation_save"] = False
    result = spreadsheets.import_targets(
        actor=user,
        agency=world.agency,
        year=2026,
        data=xlsx([["PEM-1", 100, 25, 25, 25, 25]], headers=TARGET_HEADERS),
        name="target.xlsx",
        dry_run=True,
        now=NOW,
    )
    answers["import_targets"] = result.ok
    return answers


@pytest.mark.django_db
def test_page_and_service_give_the_planner_rule_for_every_role(world, client):
    """Over every demo role (one world for all of them: the office takes seconds to build)."""
    got, expected = {}, {}
    for role in sorted(PEOPLE):
        user = world.users[role]
        rule = permissions.may_plan(scope_for(user, on=NOW.date()), world.agency.pk)
        client.force_login(user)
        answers = _page_allows(client, world, role) | _service_allows(world, user)
        got[role] = {"rule": rule, **answers}
        expected[role] = dict.fromkeys(got[role], role in PLANNERS)
    assert got == expected
