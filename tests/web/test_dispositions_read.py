"""A disposition is read when its recipient opens the task (or the case page that lists it):
the first view of the recipient records the instant; someone else's view records nothing;
a later view does not move it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from kinerja.workflow.models import Disposition, Task

pytestmark = pytest.mark.django_db


def active(case, step, unit_code=None):
    qs = Task.objects.filter(case=case, step=step, status="active")
    if unit_code:
        qs = qs.filter(unit__code=unit_code)
    return qs.get()


def test_read_once_by_the_recipient(case, login, two_unit_office):
    from kinerja.workflow.services import task_complete

    u = two_unit_office.users
    task_complete(actor=u["sekcam"], task_id=active(case, 1).pk, data={"instruction": "Siapkan."})
    to_pem = Disposition.objects.get(case=case, unit__code="pemerintahan")
    step2 = active(case, 2, "pemerintahan")

    # The Sekcam (the sender) looks at the Kasi's task and at the case: nothing is read.
    assert login("sekcam").get(f"/tugas/{step2.pk}/").status_code == 200
    assert login("sekcam").get(f"/kasus/{case.pk}/").status_code == 200
    to_pem.refresh_from_db()
    assert to_pem.read_at is None
    page = login("sekcam").get(f"/kasus/{case.pk}/").content.decode()
    assert "Belum dibaca" in page

    # The Kasi opens the task: read now, shown on the task and on the case page.
    first = dt.datetime(2026, 10, 12, 1, 0, tzinfo=dt.UTC)
    with time_machine.travel(first, tick=False):
        page = login("kasi_pemerintahan").get(f"/tugas/{step2.pk}/").content.decode()
    to_pem.refresh_from_db()
    assert to_pem.read_at == first
    assert "Dibaca 12-10-2026 09:00" in page  # Makassar time (WITA)
    with time_machine.travel(first + dt.timedelta(hours=2), tick=False):
        login("kasi_pemerintahan").get(f"/tugas/{step2.pk}/")
        login("kasi_pemerintahan").get(f"/kasus/{case.pk}/")
    to_pem.refresh_from_db()
    assert to_pem.read_at == first  # never overwritten
    # The other unit's disposition stays unread.
    assert Disposition.objects.get(case=case, unit__code="trantib").read_at is None
    page = login("sekcam").get(f"/kasus/{case.pk}/").content.decode()
    assert f'data-disposition-read="{to_pem.pk}"><time' in page

    # Step 2's disposition to the chosen analyst: read when the analyst opens step 3.
    task_complete(actor=u["kasi_pemerintahan"], task_id=step2.pk, assignee=u["analis_1"])
    to_analyst = Disposition.objects.get(case=case, task=step2)
    assert to_analyst.to_user == u["analis_1"]
    login("kasi_pemerintahan").get(f"/tugas/{active(case, 3, 'pemerintahan').pk}/")
    to_analyst.refresh_from_db()
    assert to_analyst.read_at is None
    login("analis_1").get(f"/tugas/{active(case, 3, 'pemerintahan').pk}/")
    to_analyst.refresh_from_db()
    assert to_analyst.read_at is not None
