"""The bell icon and the step 5 review layout."""

from __future__ import annotations

import pytest

from kinerja.workflow.models import Task
from kinerja.workflow.services import task_complete

pytestmark = pytest.mark.django_db


def test_bell_is_an_svg_icon_with_the_unread_count(
    case, login, two_unit_office, django_capture_on_commit_callbacks
):
    from kinerja.notifications.models import Notification

    client = login("kasi_pemerintahan")
    page = client.get("/tugas/").content.decode()
    assert "&#128276;" not in page and 'class="bell-icon"' in page
    with django_capture_on_commit_callbacks(execute=True):
        task_complete(actor=two_unit_office.users["sekcam"], task_id=active(case, 1).pk)
    unread = Notification.objects.filter(
        recipient=two_unit_office.users["kasi_pemerintahan"], read_at__isnull=True
    ).count()
    assert unread
    bell = client.get("/notifikasi/lonceng/").content.decode()
    assert "<svg" in bell and "&#128276;" not in bell
    assert f'data-unread="{unread}"' in bell
    assert f'aria-label="Notifikasi: {unread} belum dibaca"' in bell


def active(case, step, unit_code=None):
    qs = Task.objects.filter(case=case, step=step, status="active")
    if unit_code:
        qs = qs.filter(unit__code=unit_code)
    return qs.get()


def test_review_uses_the_full_width_and_stacks_on_phones(
    perf_office, case, login, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    from tests.web.test_steps import fill_unit

    u = perf_office.users
    task_complete(actor=u["sekcam"], task_id=active(case, 1).pk)
    task_complete(
        actor=u["kasi_pemerintahan"],
        task_id=active(case, 2, "pemerintahan").pk,
        assignee=u["analis_1"],
    )
    task_complete(
        actor=u["analis_1"],
        task_id=active(case, 3, "pemerintahan").pk,
        data={"no_materials_reason": "Tidak ada bahan triwulan ini."},
    )
    fill_unit(login("kasi_pemerintahan"), active(case, 4, "pemerintahan"), "1.234,5", evidence=True)
    page = login("sekcam").get(f"/tugas/{active(case, 5, 'pemerintahan').pk}/").content.decode()
    assert "col-lg-8" not in page and "facts-row" in page  # the form spans the page
    assert "review-table stack-sm" in page
    assert 'data-label="Kendala / upaya"' in page and 'class="col-problems"' in page
    # other steps keep the side column
    page = login("kasi_trantib").get(f"/tugas/{active(case, 2, 'trantib').pk}/").content.decode()
    assert "col-lg-8" in page
