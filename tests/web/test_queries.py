"""At most 15 queries per page however much data: pinned on the demo office with its
history plus more open cases (12+ cases, every unit, hundreds of tasks)."""

from __future__ import annotations

import pytest

from kinerja.core.periods import Period
from kinerja.workflow.models import Case, Task

pytestmark = pytest.mark.django_db

LIMIT = 15
# No page gets more: the dashboard (with its late steps measured in the agency's working
# time, two queries for the calendar) fits too.
EXTRA: dict[str, int] = {}
READ_RECEIPT = 'UPDATE "workflow_disposition" SET "read_at"'


@pytest.fixture
def busy_office(db):
    from kinerja.demo.history import SOP, ensure_demo
    from kinerja.demo.office import build_office
    from kinerja.workflow.services import case_open, task_complete

    ensure_demo()
    office = build_office()
    oldest = Period.parse(min(Case.objects.values_list("period", flat=True)))
    period = oldest
    while Case.objects.count() < 13:
        period = period.previous()
        case, _ = case_open(sop_code=SOP, agency=office.agency, period=period)
        first = Task.objects.get(case=case, step=1, status="active")
        task_complete(actor=office.users["sekcam"], task_id=first.pk)
    return office


def test_every_page_stays_within_the_query_budget(
    busy_office, client, django_assert_max_num_queries
):
    from kinerja.accounts.models import User

    assert Case.objects.count() >= 12
    assert Task.objects.count() > 200
    current = Case.objects.filter(status="open").order_by("-period").first()
    tasks_by_step = {}
    for task in Task.objects.filter(case=current).order_by("-id"):
        tasks_by_step.setdefault(task.step, task)

    def pages_for(username, urls):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.force_login(User.objects.get(username=username))
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
            assert response.status_code == 200, (username, url)
            # The recipient's first view of a disposition records when it was read: one
            # write on top of the page's reads, once.
            receipts = [q for q in ctx.captured_queries if q["sql"].startswith(READ_RECEIPT)]
            assert len(receipts) <= 1, (username, url)
            count = len(ctx.captured_queries) - len(receipts)
            limit = LIMIT + EXTRA.get(url, 0)
            assert count <= limit, (username, url, count, [q["sql"][:90] for q in ctx])

    from kinerja.performance.models import Indicator

    indicators = list(Indicator.objects.order_by("code")[:2])
    assert indicators, "the demo has indicators"
    pages_for(
        "sekcam",
        [f"/dasbor/indikator/{i.pk}/" for i in indicators]
        + [f"/dasbor/indikator/{i.pk}/grafik.svg" for i in indicators]
        + ["/dasbor/grafik/capaian-unit.svg"]
        + [
            "/tugas/",
            "/kasus/",
            f"/kasus/{current.pk}/",
            "/dasbor/",
            "/dasbor/grafik/kelengkapan.svg",
            "/prosedur/pengumpulan-data-kinerja/",
            "/prosedur/",
        ]
        + [f"/tugas/{t.pk}/" for t in tasks_by_step.values()],
    )
    doers = {}
    for task in Task.objects.filter(case=current, status="active").select_related("assignee"):
        if task.assignee:
            doers.setdefault(task.assignee.username, task)
    for task in Task.objects.filter(case=current, status="active", assignee__isnull=True):
        holder = task.position.holders.first()
        doers.setdefault(holder.user.username, task)
    for username, task in doers.items():
        pages_for(username, ["/tugas/", f"/tugas/{task.pk}/", f"/kasus/{current.pk}/", "/dasbor/"])
    pages_for(
        "admin",
        ["/data-induk/"]
        + [
            f"/data-induk/{kind}/"
            for kind in ["instansi", "unit", "jabatan", "pemangku", "pengguna", "jam-kantor"]
        ]
        + ["/data-induk/hari-libur/", "/data-induk/pemangku/baru/"]
        + [f"/data-induk/jabatan/{busy_office.positions['sekcam'].pk}/"]
        + ["/data-induk/indikator/", "/data-induk/indikator/baru/", "/data-induk/target/"]
        + ["/data-induk/realisasi-anggaran/", "/data-induk/realisasi-anggaran/?year=2031"]
        + [f"/data-induk/indikator/{i.pk}/" for i in indicators],
    )
    pages_for(
        "kasubag_perencanaan",
        ["/data-induk/", "/data-induk/target/", "/data-induk/realisasi-anggaran/"],
    )
    client.logout()
    with django_assert_max_num_queries(LIMIT):
        assert client.get("/akun/masuk/").status_code == 200
