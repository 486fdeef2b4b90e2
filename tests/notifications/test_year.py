"""A whole year of the seed SOP on the demo office, driven by a controlled clock.

Four cases open by themselves (10 January and 10 October 2026 are Saturdays), and every
reminder, overdue mark and escalation happens exactly once, at the working-time instant the
rules give, around real 2026 holidays: Isra Mikraj (Fri 16 Jan), Nyepi and Idul Fitri with
their cuti bersama (18-24 Mar), Good Friday (3 Apr), Christmas with its cuti bersama
(24-25 Dec). Ticks run every minute around each instant and every hour or two in between.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
import time_machine
from django.core import mail

from kinerja.notifications.models import Notification, TaskAlert
from kinerja.sop.models import AgencySop
from kinerja.workflow.models import Case
from kinerja.workflow.services import task_complete
from tests.conftest import wita

from .helpers import SOP, Clock, active

pytestmark = pytest.mark.django_db(transaction=True)

HOUR = dt.timedelta(hours=1)


def complete(at, user, task, **kwargs):
    with time_machine.travel(at, tick=False):
        return task_complete(actor=user, task_id=task.pk, now=at, **kwargs)


def alerts_of(task) -> dict[str, dt.datetime]:
    return {a.kind: a.at for a in TaskAlert.objects.filter(task=task)}


def notices(task, kind):
    return list(Notification.objects.filter(task=task, kind=kind).select_related("recipient"))


def assert_alert(task, kind, at, recipient):
    """One alert of ``kind`` at ``at``, one notice to ``recipient`` made by the tick at ``at``."""
    alert = TaskAlert.objects.get(task=task, kind=kind)
    assert alert.at == at, (kind, alert.at, at)
    assert alert.created_at == at  # ticks run every minute around the instant
    [notice] = notices(task, kind)
    assert notice.recipient == recipient
    assert notice.created_at == at


def test_a_year_of_cases_reminders_overdue_and_escalations(two_unit_office):
    office = two_unit_office
    u, units = office.users, office.units
    pem, tra = units["pemerintahan"], units["trantib"]
    AgencySop.objects.create(agency=office.agency, sop_code=SOP)
    clock = Clock()

    # ---- Q1: 10 January 2026 is a Saturday; the case on 2025-Q4 opens at 07:30 anyway.
    clock.run(wita(2026, 1, 1, 0, 0), wita(2026, 1, 10, 6, 0), 6 * HOUR)
    clock.minutes(wita(2026, 1, 10, 7, 25), wita(2026, 1, 10, 7, 35))
    assert [r.cases_opened for r in clock.reports] == [
        ["kec-binamu/pengumpulan-data-kinerja/2025-Q4"]
    ]
    jan = Case.objects.get(period="2025-Q4")
    assert jan.opened_at == wita(2026, 1, 10, 7, 30)
    step1 = active(jan, 1)
    assert step1.due_at == wita(2026, 1, 12, 7, 45)  # first due follows the calendar
    [assigned] = notices(step1, "assigned")
    assert assigned.recipient == u["sekcam"] and assigned.created_at == wita(2026, 1, 10, 7, 30)

    # 15 working minutes from Monday 07:30: 50% = 8 min, 90% = 14 min, escalation 15 min later.
    clock.run(wita(2026, 1, 10, 8, 0), wita(2026, 1, 12, 7, 0), 2 * HOUR)
    clock.minutes(wita(2026, 1, 12, 7, 30), wita(2026, 1, 12, 8, 5))
    assert_alert(step1, "reminder_50", wita(2026, 1, 12, 7, 38), u["sekcam"])
    assert_alert(step1, "reminder_90", wita(2026, 1, 12, 7, 44), u["sekcam"])
    assert_alert(step1, "overdue", wita(2026, 1, 12, 7, 45), u["sekcam"])
    assert_alert(step1, "escalation", wita(2026, 1, 12, 8, 0), u["camat"])  # Sekcam -> Camat
    escalation = notices(step1, "escalation")[0]
    assert "Keterlambatan Penyampaian Data Kinerja Akan Mempengaruhi Pelaporan Kinerja" in (
        escalation.body
    )

    complete(wita(2026, 1, 12, 8, 10), u["sekcam"], step1)
    step2_pem, step2_tra = active(jan, 2, pem), active(jan, 2, tra)
    assert [n.recipient for n in notices(step2_pem, "assigned")] == [u["kasi_pemerintahan"]]

    # Trantib: quick, with a return (the comment reaches the Kasi) and an approval.
    complete(wita(2026, 1, 12, 8, 14), u["kasi_trantib"], step2_tra, assignee=u["analis_2"])
    complete(
        wita(2026, 1, 12, 9, 0),
        u["analis_2"],
        active(jan, 3, tra),
        data={"no_materials_reason": "Tidak ada bahan triwulan ini."},
    )
    complete(wita(2026, 1, 12, 10, 0), u["kasi_trantib"], active(jan, 4, tra))
    complete(
        wita(2026, 1, 12, 10, 30),
        u["sekcam"],
        active(jan, 5, tra),
        outcome="returned",
        comment="Lengkapi data dukung indikator 2.",
    )
    step4_again = active(jan, 4, tra)
    [returned] = notices(step4_again, "returned")
    assert returned.recipient == u["kasi_trantib"]
    assert "Lengkapi data dukung indikator 2." in returned.body
    assert notices(step4_again, "assigned") == []  # one notice for the return, not two

    # Pemerintahan's step 2 runs late: 15 minutes from 08:10.
    clock.minutes(wita(2026, 1, 12, 8, 11), wita(2026, 1, 12, 8, 45))
    assert_alert(step2_pem, "reminder_50", wita(2026, 1, 12, 8, 18), u["kasi_pemerintahan"])
    assert_alert(step2_pem, "reminder_90", wita(2026, 1, 12, 8, 24), u["kasi_pemerintahan"])
    assert_alert(step2_pem, "overdue", wita(2026, 1, 12, 8, 25), u["kasi_pemerintahan"])
    assert_alert(step2_pem, "escalation", wita(2026, 1, 12, 8, 40), u["sekcam"])

    complete(wita(2026, 1, 12, 11, 0), u["kasi_trantib"], step4_again)
    complete(wita(2026, 1, 12, 11, 10), u["sekcam"], active(jan, 5, tra), outcome="approved")
    clock.run(wita(2026, 1, 12, 12, 0), wita(2026, 1, 15, 9, 0), HOUR)

    # Thursday 15 Jan 10:00, the analyst gets one working day; Friday is Isra Mikraj, so it
    # is due Monday 19 Jan 10:00. 450 working minutes: 50% = Thu 14:45, 90% = Mon 09:15.
    complete(wita(2026, 1, 15, 10, 0), u["kasi_pemerintahan"], step2_pem, assignee=u["analis_1"])
    step3_pem = active(jan, 3, pem)
    assert step3_pem.due_at == wita(2026, 1, 19, 10, 0)
    clock.minutes(wita(2026, 1, 15, 14, 40), wita(2026, 1, 15, 14, 50))
    clock.run(wita(2026, 1, 15, 15, 0), wita(2026, 1, 19, 9, 0), HOUR)
    clock.minutes(wita(2026, 1, 19, 9, 10), wita(2026, 1, 19, 10, 5))
    clock.run(wita(2026, 1, 19, 11, 0), wita(2026, 1, 20, 9, 0), HOUR)
    clock.minutes(wita(2026, 1, 20, 9, 55), wita(2026, 1, 20, 10, 5))
    assert_alert(step3_pem, "reminder_50", wita(2026, 1, 15, 14, 45), u["analis_1"])
    assert_alert(step3_pem, "reminder_90", wita(2026, 1, 19, 9, 15), u["analis_1"])
    assert_alert(step3_pem, "overdue", wita(2026, 1, 19, 10, 0), u["analis_1"])
    assert_alert(step3_pem, "escalation", wita(2026, 1, 20, 10, 0), u["sekcam"])

    complete(
        wita(2026, 1, 20, 10, 30),
        u["analis_1"],
        step3_pem,
        data={"no_materials_reason": "Tidak ada bahan triwulan ini."},
    )
    complete(wita(2026, 1, 20, 11, 0), u["kasi_pemerintahan"], active(jan, 4, pem))
    complete(wita(2026, 1, 20, 11, 30), u["sekcam"], active(jan, 5, pem), outcome="approved")
    quarterly = active(jan, 6)  # the join: the Kasubag Perencanaan compiles (1 day)

    # The quarterly compilation waits until 10 March (overdue, escalated once across weeks
    # of ticks), then the annual one (15 working days) spans Nyepi, Idul Fitri with its cuti
    # bersama and Good Friday: due Wed 8 Apr 10:00 (6750 working minutes).
    clock.run(wita(2026, 1, 20, 12, 0), wita(2026, 3, 10, 9, 0), 2 * HOUR)
    # Ticks 2 hours apart: the 90% instant (Wed 10:45) and the deadline (11:30) fall between
    # two ticks, so the 90% reminder is superseded by the overdue notice (documented rule).
    assert set(alerts_of(quarterly)) == {"reminder_50", "overdue", "escalation"}
    complete(wita(2026, 3, 10, 10, 0), u["kasubag_perencanaan"], quarterly)
    annual = active(jan, 6, variant="tahunan")
    assert annual.due_at == wita(2026, 4, 8, 10, 0)
    clock.minutes(wita(2026, 3, 26, 14, 40), wita(2026, 3, 26, 14, 50))
    clock.run(wita(2026, 3, 26, 15, 0), wita(2026, 4, 6, 14, 0), 2 * HOUR)
    clock.minutes(wita(2026, 4, 6, 14, 40), wita(2026, 4, 6, 14, 50))
    clock.run(wita(2026, 4, 6, 15, 0), wita(2026, 4, 8, 9, 0), 2 * HOUR)
    clock.minutes(wita(2026, 4, 8, 9, 55), wita(2026, 4, 8, 10, 5))
    clock.run(wita(2026, 4, 8, 11, 0), wita(2026, 4, 9, 9, 0), HOUR)
    clock.minutes(wita(2026, 4, 9, 9, 55), wita(2026, 4, 9, 10, 5))
    planner = u["kasubag_perencanaan"]
    assert_alert(annual, "reminder_50", wita(2026, 3, 26, 14, 45), planner)
    assert_alert(annual, "reminder_90", wita(2026, 4, 6, 14, 45), planner)
    assert_alert(annual, "overdue", wita(2026, 4, 8, 10, 0), planner)
    assert_alert(annual, "escalation", wita(2026, 4, 9, 10, 0), u["sekcam"])  # min(15 d, 1 d)
    complete(wita(2026, 4, 9, 11, 0), planner, annual)
    jan.refresh_from_db()
    assert jan.status == Case.Status.COMPLETED
    done = Notification.objects.filter(case=jan, kind="case_complete")
    assert sorted(n.recipient.username for n in done) == ["kasubag_perencanaan", "sekcam"]

    # ---- Q2: Friday 10 April 2026, everything on time: no reminder at all.
    clock.run(wita(2026, 4, 9, 12, 0), wita(2026, 4, 10, 7, 0), HOUR)
    clock.minutes(wita(2026, 4, 10, 7, 29), wita(2026, 4, 10, 7, 31))
    apr = Case.objects.get(period="2026-Q1")
    assert apr.opened_at == wita(2026, 4, 10, 7, 30)
    run_case_on_time(office, clock, apr, wita(2026, 4, 10, 7, 35))
    assert TaskAlert.objects.filter(task__case=apr).count() == 0

    # ---- Q3: Friday 10 July 2026.
    clock.run(wita(2026, 4, 10, 16, 0), wita(2026, 7, 10, 6, 0), 6 * HOUR)
    clock.minutes(wita(2026, 7, 10, 7, 29), wita(2026, 7, 10, 7, 31))
    jul = Case.objects.get(period="2026-Q2")
    assert jul.opened_at == wita(2026, 7, 10, 7, 30)
    run_case_on_time(office, clock, jul, wita(2026, 7, 10, 7, 35))

    # ---- Q4: Saturday 10 October 2026; Pemerintahan's report is made just before Christmas.
    clock.run(wita(2026, 7, 10, 16, 0), wita(2026, 10, 10, 6, 0), 6 * HOUR)
    clock.minutes(wita(2026, 10, 10, 7, 29), wita(2026, 10, 10, 7, 31))
    octo = Case.objects.get(period="2026-Q3")
    assert octo.opened_at == wita(2026, 10, 10, 7, 30)
    clock.run(wita(2026, 10, 10, 8, 0), wita(2026, 10, 12, 7, 0), 2 * HOUR)
    clock.minutes(wita(2026, 10, 12, 7, 30), wita(2026, 10, 12, 7, 40))
    step1 = active(octo, 1)
    complete(wita(2026, 10, 12, 7, 40), u["sekcam"], step1)  # after 50%, before 90%
    assert set(alerts_of(step1)) == {"reminder_50"}
    complete(
        wita(2026, 10, 12, 7, 45),
        u["kasi_pemerintahan"],
        active(octo, 2, pem),
        assignee=u["analis_1"],
    )
    complete(
        wita(2026, 10, 12, 7, 45), u["kasi_trantib"], active(octo, 2, tra), assignee=u["analis_2"]
    )
    step3_pem = active(octo, 3, pem)
    clock.run(wita(2026, 10, 12, 8, 0), wita(2026, 12, 23, 9, 0), 2 * HOUR)
    assert set(alerts_of(step3_pem)) == {"reminder_50", "reminder_90", "overdue", "escalation"}
    # Wed 23 Dec 10:00 + 1 working day: 24 Dec cuti bersama, 25 Dec Christmas -> Mon 28 Dec.
    complete(
        wita(2026, 12, 23, 10, 0),
        u["analis_1"],
        step3_pem,
        data={"no_materials_reason": "Tidak ada bahan triwulan ini."},
    )
    step4_pem = active(octo, 4, pem)
    assert step4_pem.due_at == wita(2026, 12, 28, 10, 0)
    clock.minutes(wita(2026, 12, 23, 14, 40), wita(2026, 12, 23, 14, 50))
    clock.run(wita(2026, 12, 23, 15, 0), wita(2026, 12, 28, 9, 0), HOUR)
    clock.minutes(wita(2026, 12, 28, 9, 10), wita(2026, 12, 28, 10, 5))
    clock.run(wita(2026, 12, 28, 11, 0), wita(2026, 12, 29, 9, 0), HOUR)
    clock.minutes(wita(2026, 12, 29, 9, 55), wita(2026, 12, 29, 10, 5))
    kasi = u["kasi_pemerintahan"]
    assert_alert(step4_pem, "reminder_50", wita(2026, 12, 23, 14, 45), kasi)
    assert_alert(step4_pem, "reminder_90", wita(2026, 12, 28, 9, 15), kasi)
    assert_alert(step4_pem, "overdue", wita(2026, 12, 28, 10, 0), kasi)
    assert_alert(step4_pem, "escalation", wita(2026, 12, 29, 10, 0), u["sekcam"])
    clock.run(wita(2026, 12, 29, 11, 0), wita(2026, 12, 31, 23, 0), 2 * HOUR)

    # ---- The year in numbers.
    assert sorted(Case.objects.values_list("period", flat=True)) == [
        "2025-Q4",
        "2026-Q1",
        "2026-Q2",
        "2026-Q3",
    ]
    opened = [c for r in clock.reports for c in r.cases_opened]
    assert len(opened) == 4
    # Every alert once, every notice once per recipient, each by the first tick due.
    per_event = Counter(Notification.objects.values_list("recipient_id", "kind", "dedupe_key"))
    assert set(per_event.values()) == {1}
    for alert in TaskAlert.objects.select_related("task"):
        assert alert.created_at >= alert.at
        assert alert.created_at - alert.at < 6 * HOUR
        assert Notification.objects.filter(task=alert.task, kind=alert.kind).count() == 1
    # Every notice wanted by e-mail was sent (the locmem backend), once.
    assert Notification.objects.exclude(email_status="sent").count() == 0
    assert len(mail.outbox) == Notification.objects.count()
    assert clock.ticks > 2000


def run_case_on_time(office, clock, case, start):
    """Every step of ``case`` done well within its time standard, ticking in between."""
    u, units = office.users, office.units
    at = start
    complete(at, u["sekcam"], active(case, 1))
    people = {
        "pemerintahan": ("kasi_pemerintahan", "analis_1"),
        "trantib": ("kasi_trantib", "analis_2"),
    }
    for code, (kasi, analyst) in people.items():  # both units' 15-minute step first
        at += dt.timedelta(minutes=2)
        clock.at(at)
        complete(at, u[kasi], active(case, 2, units[code]), assignee=u[analyst])
    for code, (kasi, analyst) in people.items():
        unit = units[code]
        at += dt.timedelta(minutes=2)
        clock.at(at)
        complete(
            at,
            u[analyst],
            active(case, 3, unit),
            data={"no_materials_reason": "Tidak ada bahan triwulan ini."},
        )
        at += dt.timedelta(minutes=2)
        clock.at(at)
        complete(at, u[kasi], active(case, 4, unit))
        at += dt.timedelta(minutes=2)
        clock.at(at)
        complete(at, u["sekcam"], active(case, 5, unit), outcome="approved")
    at += dt.timedelta(minutes=5)
    clock.at(at)
    complete(at, u["kasubag_perencanaan"], active(case, 6))
    case.refresh_from_db()
    assert case.status == Case.Status.COMPLETED
