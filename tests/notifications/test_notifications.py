"""Notices from the workflow's events, e-mail delivery and its failures, the pages."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from kinerja.notifications import scheduler
from kinerja.notifications.models import Notification, TaskAlert
from kinerja.notifications.selectors import notifications_for, unread_count
from kinerja.notifications.services import MAX_EMAIL_ATTEMPTS, notification_send_email
from kinerja.sop.models import AgencySop
from kinerja.workflow.models import Case
from kinerja.workflow.services import case_open, task_complete
from tests.conftest import wita

from .helpers import SOP, active


class FailingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP server tidak dapat dihubungi")


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """The engine tells its receivers after commit; run those callbacks inside the test."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


@pytest.fixture
def case(two_unit_office, run_on_commit):
    opened, _ = run_on_commit(
        case_open,
        sop_code=SOP,
        agency=two_unit_office.agency,
        period="2026-Q3",
        now=wita(2026, 10, 12, 8, 0),
    )
    return opened


@pytest.mark.django_db
def test_assigned_notice_is_stored_and_mailed(two_unit_office, case):
    sekcam = two_unit_office.users["sekcam"]
    [notice] = Notification.objects.filter(kind="assigned")
    assert notice.recipient == sekcam
    assert notice.task == active(case, 1)
    assert notice.subject.startswith("Tugas baru: langkah 1")
    assert "12-10-2026 08:15 WITA" in notice.body
    assert notice.email_status == "sent" and notice.email_attempts == 1
    assert [m.to for m in mail.outbox] == [[sekcam.email]]
    assert unread_count(sekcam) == 1


@pytest.mark.django_db
def test_english_user_gets_english_text(two_unit_office, run_on_commit):
    sekcam = two_unit_office.users["sekcam"]
    sekcam.language = "en"
    sekcam.save(update_fields=["language"])
    run_on_commit(
        case_open,
        sop_code=SOP,
        agency=two_unit_office.agency,
        period="2026-Q3",
        now=wita(2026, 10, 12, 8, 0),
    )
    notice = Notification.objects.get(recipient=sekcam)
    assert notice.subject.startswith("New task: step 1")
    assert "Tugas" not in notice.subject


@pytest.mark.django_db
def test_no_email_when_not_wanted_or_no_address(two_unit_office, run_on_commit):
    u = two_unit_office.users
    u["sekcam"].email_notifications = False
    u["sekcam"].save(update_fields=["email_notifications"])
    run_on_commit(
        case_open,
        sop_code=SOP,
        agency=two_unit_office.agency,
        period="2026-Q3",
        now=wita(2026, 10, 12, 8, 0),
    )
    notice = Notification.objects.get(recipient=u["sekcam"])
    assert notice.email_status == "not_wanted"
    assert mail.outbox == []


@pytest.mark.django_db
def test_failing_mail_server_never_blocks_a_step_and_is_retried(
    two_unit_office, case, run_on_commit, settings
):
    u = two_unit_office.users
    settings.EMAIL_BACKEND = "tests.notifications.test_notifications.FailingBackend"
    step1 = active(case, 1)
    with time_machine.travel(wita(2026, 10, 12, 8, 5), tick=False):
        run_on_commit(task_complete, actor=u["sekcam"], task_id=step1.pk)
    step1.refresh_from_db()
    assert step1.status == "completed"  # the step went through
    failed = Notification.objects.filter(kind="assigned", email_status="failed")
    assert failed.count() == 2  # the two Kasi
    notice = failed.get(recipient=u["kasi_trantib"])
    assert notice.email_attempts == 1
    assert "ConnectionRefusedError: SMTP server tidak dapat dihubungi" in notice.last_error
    assert notice.next_attempt_at == wita(2026, 10, 12, 8, 10)  # 5 minutes

    # Still down: the tick after the backoff retries, records the second failure.
    with time_machine.travel(wita(2026, 10, 12, 8, 10), tick=False):
        assert run_on_commit(scheduler.tick).emails_retried == 2
    notice.refresh_from_db()
    assert notice.email_attempts == 2 and notice.email_status == "failed"
    assert notice.next_attempt_at == wita(2026, 10, 12, 8, 20)  # doubled: 10 minutes
    # A tick before the backoff has passed does nothing.
    with time_machine.travel(wita(2026, 10, 12, 8, 11), tick=False):
        assert run_on_commit(scheduler.tick).emails_retried == 0

    # The server is back: the next due retry sends it.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    with time_machine.travel(wita(2026, 10, 12, 8, 20), tick=False):
        assert run_on_commit(scheduler.tick).emails_retried == 2
    notice.refresh_from_db()
    assert notice.email_status == "sent" and notice.email_attempts == 3
    assert notice.sent_at == wita(2026, 10, 12, 8, 20)
    assert notice.last_error.startswith("ConnectionRefusedError")  # the history stays
    assert sum(m.subject == f"[Kinerja] {notice.subject}" for m in mail.outbox) == 2


@pytest.mark.django_db
def test_retries_are_bounded(two_unit_office, case, settings):
    settings.EMAIL_BACKEND = "tests.notifications.test_notifications.FailingBackend"
    notice = Notification.objects.get(kind="assigned")
    Notification.objects.filter(pk=notice.pk).update(email_status="pending", email_attempts=0)
    now = wita(2026, 10, 12, 9, 0)
    for _ in range(MAX_EMAIL_ATTEMPTS + 2):
        notification_send_email(notification_id=notice.pk, now=now)
        now += dt.timedelta(hours=2)
    notice.refresh_from_db()
    assert notice.email_attempts == MAX_EMAIL_ATTEMPTS
    assert notice.email_status == "failed" and notice.next_attempt_at is None


@pytest.mark.django_db
def test_a_broken_receiver_does_not_break_the_engine(
    two_unit_office, case, run_on_commit, monkeypatch
):
    from kinerja.notifications import receivers

    def boom(task):
        raise RuntimeError("bug")

    monkeypatch.setattr(receivers, "notify_task_assigned", boom)
    step1 = active(case, 1)
    u = two_unit_office.users
    run_on_commit(task_complete, actor=u["sekcam"], task_id=step1.pk, now=wita(2026, 10, 12, 8, 5))
    assert active(case, 2, two_unit_office.units["trantib"])


@pytest.mark.django_db
def test_case_complete_goes_to_sekcam_and_planner(two_unit_office, case, run_on_commit):
    from kinerja.notifications.receivers import on_case_completed

    Case.objects.filter(pk=case.pk).update(status="completed")
    run_on_commit(on_case_completed, {"case_id": case.pk})
    run_on_commit(on_case_completed, {"case_id": case.pk})  # told once only
    got = Notification.objects.filter(kind="case_complete").values_list(
        "recipient__username", flat=True
    )
    assert sorted(got) == ["kasubag_perencanaan", "sekcam"]


# --- Scheduler rules -------------------------------------------------------------------------


@pytest.mark.django_db
def test_agency_schedule_override_and_fresh_install_window(two_unit_office, run_on_commit):
    agency = two_unit_office.agency
    AgencySop.objects.create(
        agency=agency, sop_code=SOP, schedule_day=15, schedule_months="2,5,8,11"
    )
    # 20 Nov 2026: the last opening (15 Nov) is 5 days old -> the case on 2026-Q3 opens now.
    report = run_on_commit(scheduler.tick, wita(2026, 11, 20, 9, 0))
    assert report.cases_opened == ["kec-binamu/pengumpulan-data-kinerja/2026-Q3"]
    Case.objects.all().delete()
    # 10 Jan 2027 is no opening day for this agency; the last one (15 Nov) is too old.
    assert run_on_commit(scheduler.tick, wita(2027, 1, 10, 9, 0)).cases_opened == []
    assert run_on_commit(scheduler.tick, wita(2027, 2, 15, 7, 29)).cases_opened == []
    assert run_on_commit(scheduler.tick, wita(2027, 2, 15, 7, 30)).cases_opened == [
        "kec-binamu/pengumpulan-data-kinerja/2026-Q4"
    ]


@pytest.mark.django_db
def test_inactive_agency_sop_opens_nothing(two_unit_office, run_on_commit):
    AgencySop.objects.create(agency=two_unit_office.agency, sop_code=SOP, is_active=False)
    assert run_on_commit(scheduler.tick, wita(2026, 10, 10, 8, 0)).cases_opened == []


@pytest.mark.django_db
def test_late_tick_skips_superseded_reminders_but_marks_overdue_once(
    two_unit_office, case, run_on_commit
):
    step1 = active(case, 1)  # 08:00 -> 08:15
    report = run_on_commit(scheduler.tick, wita(2026, 10, 12, 8, 20))
    assert report.alerts == {"overdue": 1}
    assert run_on_commit(scheduler.tick, wita(2026, 10, 12, 8, 21)).alerts == {}
    assert set(TaskAlert.objects.filter(task=step1).values_list("kind", flat=True)) == {"overdue"}


@pytest.mark.django_db
def test_completed_task_gets_no_alert(two_unit_office, case, run_on_commit):
    step1 = active(case, 1)
    u = two_unit_office.users
    run_on_commit(task_complete, actor=u["sekcam"], task_id=step1.pk, now=wita(2026, 10, 12, 8, 5))
    run_on_commit(scheduler.tick, wita(2026, 10, 12, 8, 16))
    assert not TaskAlert.objects.filter(task=step1).exists()


# --- Pages -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_list_mark_read_bell_and_denial(
    client, two_unit_office, case, django_assert_max_num_queries
):
    u = two_unit_office.users
    mine = Notification.objects.get(recipient=u["sekcam"])
    client.force_login(u["kasi_trantib"])
    # Someone else's notice does not exist for you.
    assert client.post(reverse("notifications:mark_read", args=[mine.pk])).status_code == 404
    page = client.get(reverse("notifications:list"))
    assert page.status_code == 200 and mine.subject not in page.content.decode()
    mine.refresh_from_db()
    assert mine.read_at is None

    client.force_login(u["sekcam"])
    with django_assert_max_num_queries(12):
        page = client.get(reverse("notifications:list"))
    assert mine.subject in page.content.decode()
    bell = client.get(reverse("notifications:bell"))
    assert 'data-unread="1"' in bell.content.decode()
    response = client.post(
        reverse("notifications:mark_read", args=[mine.pk]), {"next": mine.link or "/"}
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert "data-unread" not in client.get(reverse("notifications:bell")).content.decode()
    # An off-site "next" is ignored.
    response = client.post(
        reverse("notifications:mark_read", args=[mine.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("notifications:list")


@pytest.mark.django_db
def test_mark_all_read_only_touches_own(client, two_unit_office, case, run_on_commit):
    u = two_unit_office.users
    run_on_commit(
        task_complete, actor=u["sekcam"], task_id=active(case, 1).pk, now=wita(2026, 10, 12, 8, 5)
    )
    client.force_login(u["kasi_trantib"])
    assert client.get(reverse("notifications:mark_all_read")).status_code == 405
    client.post(reverse("notifications:mark_all_read"))
    assert unread_count(u["kasi_trantib"]) == 0
    assert unread_count(u["kasi_pemerintahan"]) == 1
    assert unread_count(u["sekcam"]) == 1
    assert list(notifications_for(u["kasi_trantib"])) == list(
        Notification.objects.filter(recipient=u["kasi_trantib"])
    )


@pytest.mark.django_db
def test_pages_need_login_and_post_needs_csrf(client, two_unit_office, case):
    response = client.get(reverse("notifications:list"))
    assert (
        response.status_code == 302
        and "login" in response["Location"]
        or "akun" in response["Location"]
    )
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(two_unit_office.users["sekcam"])
    assert strict.post(reverse("notifications:mark_all_read")).status_code == 403


@pytest.mark.django_db
def test_email_preference(client, two_unit_office):
    sekcam = two_unit_office.users["sekcam"]
    client.force_login(sekcam)
    assert client.get(reverse("notifications:preferences")).status_code == 200
    client.post(reverse("notifications:preferences"), {})
    sekcam.refresh_from_db()
    assert sekcam.email_notifications is False
    client.post(reverse("notifications:preferences"), {"email_notifications": "on"})
    sekcam.refresh_from_db()
    assert sekcam.email_notifications is True
