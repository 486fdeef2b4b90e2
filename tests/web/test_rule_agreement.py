"""One rule per question of access, asked through the page and through the service (or the
engine's own scope), gives the same answer for every person of the demo office.

The world: a quarter case where Pemerintahan is approved and locked (steps 1-5 done) and
Trantib sits at step 3 with analis_2 (``tests.web.test_unlock.approved``).

* may see the case: the case page (200/404) and ``workflow.permissions.visible_unit_ids``
  on the engine's scope (``workflow.permissions.scope_for``);
* may see a task: the task page (200/404) and ``workflow.permissions.may_see_task``;
* may act on a task: the task page's form and the engine's ``user_may_act_on_task``;
* may release a late unit: the case page's column and ``case_release_unit``;
* may unlock a unit's quarter: the case page's form and ``unit_period_unlock``;
* may see a file (report material, evidence of a realisation; one per unit and quarter):
  the file views (200/404) and ``performance.permissions.may_see_unit_files`` on the
  engine's scope and ``workflow.permissions.given_cases``.
"""

from __future__ import annotations

import pytest
from django.db import transaction

from kinerja.core.errors import PermissionDenied
from kinerja.core.periods import Period
from kinerja.demo.office import PEOPLE
from kinerja.performance.models import Evidence, ReportMaterial
from kinerja.performance.permissions import may_see_unit_files
from kinerja.performance.services import unit_period_unlock
from kinerja.workflow import permissions
from kinerja.workflow.models import Task
from kinerja.workflow.services import case_release_unit, user_may_act_on_task
from tests.web.test_unlock import approved  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


class _Undo(Exception):
    """Raised inside a savepoint to undo a service call that was allowed."""


def _service_allows(call) -> bool:
    try:
        with transaction.atomic():
            call()
            raise _Undo
    except _Undo:
        return True
    except PermissionDenied:
        return False


def _files():
    """(label, URL, unit, period, case id or None): every report material and one evidence
    file per unit and quarter."""
    files = [
        (f"material {m.pk}", f"/berkas/bahan/{m.pk}/", m.unit, m.case.period, m.case_id)
        for m in ReportMaterial.objects.filter(removed_at__isnull=True).select_related(
            "unit", "case"
        )
    ]
    seen = set()
    for ev in Evidence.objects.filter(removed_at__isnull=True).select_related(
        "realisation__indicator__owner_unit"
    ):
        real = ev.realisation
        unit, period = real.indicator.owner_unit, str(real.period)
        if (unit.pk, period) not in seen:
            seen.add((unit.pk, period))
            files.append(
                (
                    f"evidence {unit.code} {period}",
                    f"/berkas/data-dukung/{ev.pk}/",
                    unit,
                    period,
                    None,
                )
            )
    return files


def test_page_and_service_agree_for_every_role(approved, client, perf_office):  # noqa: F811
    case = approved
    units = perf_office.units
    files = _files()
    assert len({(u.pk, p) for _l, _u, u, p, _c in files}) >= 2
    tasks = list(Task.objects.filter(case=case).select_related("case").order_by("pk"))
    assert {t.status for t in tasks} >= {"active", "completed"}
    got, want = {}, {}
    for role in sorted(PEOPLE):
        user = perf_office.users[role]
        client.force_login(user)
        scope = permissions.scope_for(user)
        case_page = client.get(f"/kasus/{case.pk}/")
        assert case_page.status_code in (200, 404), role
        units_seen = permissions.visible_unit_ids(scope, case)
        sees_case = units_seen is None or case.case_units.filter(unit_id__in=units_seen).exists()
        page, service = got.setdefault(role, {}), want.setdefault(role, {})
        page["see case"], service["see case"] = case_page.status_code == 200, sees_case
        ctx = case_page.context if case_page.status_code == 200 else {}
        page["release"] = bool(ctx and ctx["may_release"])
        service["release"] = _service_allows(
            lambda user=user: case_release_unit(
                actor=user, case_id=case.pk, unit_id=units["trantib"].pk, reason="Terlambat."
            )
        )
        page["unlock"] = bool(ctx and ctx["may_unlock"])
        service["unlock"] = _service_allows(
            lambda user=user: unit_period_unlock(
                actor=user, unit=units["pemerintahan"], period=Period(2026, 3), reason="Salah."
            )
        )
        given = permissions.given_cases(user)
        for label, url, unit, period, case_id in files:
            response = client.get(url)
            assert response.status_code in (200, 404), (role, label)
            page[f"file {label}"] = response.status_code == 200
            service[f"file {label}"] = may_see_unit_files(
                scope, unit, period, case_id=case_id, given_cases=given
            )
        for task in tasks:
            name = f"task {task.step}/{task.unit_id or '-'}/{task.status}"
            response = client.get(f"/tugas/{task.pk}/")
            assert response.status_code in (200, 404), (role, name)
            page[f"see {name}"] = response.status_code == 200
            service[f"see {name}"] = permissions.may_see_task(scope, user, task)
            page[f"act {name}"] = response.status_code == 200 and response.context["may_act"]
            service[f"act {name}"] = task.is_open and user_may_act_on_task(user, task)
    assert got == want
    # The world holds both answers for each question (the test can tell them apart).
    for question in ("see case", "release", "unlock", *(f"file {f[0]}" for f in files[:1])):
        assert {a[question] for a in want.values()} == {True, False}, question
    assert any(a for r in want.values() for k, a in r.items() if k.startswith("act "))
