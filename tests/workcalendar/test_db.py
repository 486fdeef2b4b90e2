"""Selectors, services and constraints of the workcalendar app, on the database."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction

from kinerja.core.errors import ApplicationError
from kinerja.core.models import AuditEvent
from kinerja.organization.models import Agency
from kinerja.sop.schema import Duration
from kinerja.workcalendar.models import CalendarOverride, OfficeHours
from kinerja.workcalendar.selectors import calendar_for, default_calendar
from kinerja.workcalendar.services import override_remove, override_set

WITA = ZoneInfo("Asia/Makassar")
pytestmark = pytest.mark.django_db


def at(text: str, tz: dt.tzinfo = WITA) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=tz)


@pytest.fixture
def agency() -> Agency:
    return Agency.objects.create(code="kec-bangkala", name="Kecamatan Bangkala")


@pytest.fixture
def other_agency() -> Agency:
    return Agency.objects.create(code="kec-binamu", name="Kecamatan Binamu")


@pytest.fixture
def admin_user():
    return get_user_model().objects.create_user(username="admin_kalender", password="x")


def hours(agency: Agency, weekday: int, start: str, end: str, br: str = "") -> OfficeHours:
    break_start, break_end = br.split("-") if br else (None, None)
    return OfficeHours.objects.create(
        agency=agency,
        weekday=weekday,
        start=dt.time.fromisoformat(start),
        end=dt.time.fromisoformat(end),
        break_start=dt.time.fromisoformat(break_start) if break_start else None,
        break_end=dt.time.fromisoformat(break_end) if break_end else None,
    )


# -- selectors ---------------------------------------------------------------------------


def test_agency_without_rows_works_default_hours(agency, django_assert_num_queries) -> None:
    with django_assert_num_queries(2):
        cal = calendar_for(agency)
    assert cal.add(at("2026-12-23 15:30"), Duration.parse("1 day")) == at("2026-12-28 15:30")
    assert cal.add(at("2026-11-27 16:15"), Duration.parse("15 minutes")) == at("2026-11-27 16:30")


def test_agency_office_hours_replace_the_default(agency, django_assert_num_queries) -> None:
    for weekday in range(4):
        hours(agency, weekday, "08:00", "16:00", "12:00-13:00")
    hours(agency, 4, "08:00", "11:00")
    with django_assert_num_queries(2):
        cal = calendar_for(agency)
    assert cal.add(at("2026-11-27 10:45"), Duration.parse("30 minutes")) == at("2026-11-30 08:15")
    assert cal.add(at("2026-11-26 15:00"), Duration.parse("1 day")) == at("2026-11-27 11:00")


def test_agency_timezone_is_used(agency) -> None:
    agency.timezone = "Asia/Jakarta"
    agency.save(update_fields=["timezone"])
    due = calendar_for(agency).add(
        dt.datetime(2026, 11, 23, 0, 30, tzinfo=dt.UTC), Duration.parse("1 hour")
    )
    assert due.isoformat() == "2026-11-23T08:30:00+07:00"


def test_bad_timezone_is_an_application_error(agency) -> None:
    agency.timezone = "Asia/Makasar"
    agency.save(update_fields=["timezone"])
    with pytest.raises(ApplicationError, match="Zona waktu"):
        calendar_for(agency)


def test_overrides_global_and_per_agency(agency, other_agency, admin_user) -> None:
    override_set(
        actor=admin_user,
        agency=None,
        date=dt.date(2026, 11, 24),
        kind="holiday",
        name="Cuti bersama tambahan",
    )
    # This agency works that day anyway; its own override wins over the global one.
    override_set(
        actor=admin_user,
        agency=agency,
        date=dt.date(2026, 11, 24),
        kind="workday",
        name="Tetap masuk",
    )
    override_set(
        actor=admin_user,
        agency=agency,
        date=dt.date(2026, 12, 24),
        kind="workday",
        name="Cuti bersama dibatalkan",
    )
    start, one_day = at("2026-11-23 10:00"), Duration.parse("1 day")
    assert calendar_for(agency).add(start, one_day) == at("2026-11-24 10:00")
    assert calendar_for(other_agency).add(start, one_day) == at("2026-11-25 10:00")
    assert default_calendar().add(start, one_day) == at("2026-11-25 10:00")
    assert calendar_for(agency).add(at("2026-12-23 15:30"), one_day) == at("2026-12-24 15:30")
    assert calendar_for(other_agency).add(at("2026-12-23 15:30"), one_day) == at("2026-12-28 15:30")


def test_default_calendar_reads_only_global_overrides(django_assert_num_queries) -> None:
    with django_assert_num_queries(1):
        cal = default_calendar()
    assert str(cal.tz) == "Asia/Makassar"


# -- services ----------------------------------------------------------------------------


def test_override_set_writes_audit_and_replaces(agency, admin_user) -> None:
    day = dt.date(2026, 11, 24)
    first = override_set(actor=admin_user, agency=agency, date=day, kind="holiday", name="A")
    second = override_set(actor=admin_user, agency=agency, date=day, kind="workday", name="B")
    assert first.pk == second.pk
    assert CalendarOverride.objects.get().kind == "workday"
    events = list(AuditEvent.objects.filter(action="workcalendar.override_set").order_by("id"))
    assert len(events) == 2
    assert events[0].before is None
    assert events[0].after == {
        "agency": "kec-bangkala",
        "date": "2026-11-24",
        "kind": "holiday",
        "name": "A",
    }
    assert events[1].before["kind"] == "holiday"
    assert events[1].after["kind"] == "workday"
    assert events[1].actor == admin_user
    assert events[1].agency == agency


def test_override_remove(agency, admin_user) -> None:
    day = dt.date(2026, 12, 24)
    override_set(actor=admin_user, agency=None, date=day, kind="workday", name="Batal")
    override_remove(actor=admin_user, agency=None, date=day)
    assert not CalendarOverride.objects.exists()
    event = AuditEvent.objects.get(action="workcalendar.override_remove")
    assert event.before["name"] == "Batal"
    assert event.after is None
    assert not default_calendar().is_working_day(day)
    with pytest.raises(ApplicationError, match="Tidak ada pengecualian"):
        override_remove(actor=admin_user, agency=None, date=day)


@pytest.mark.parametrize(
    ("kind", "name", "message"),
    [("libur", "X", "Jenis pengecualian"), ("holiday", "  ", "Keterangan")],
)
def test_override_set_rejects_bad_input(agency, admin_user, kind, name, message) -> None:
    with pytest.raises(ApplicationError, match=message):
        override_set(
            actor=admin_user, agency=agency, date=dt.date(2026, 1, 2), kind=kind, name=name
        )
    assert not CalendarOverride.objects.exists()
    assert not AuditEvent.objects.exists()


# -- constraints -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "br"),
    [
        ("16:00", "07:30", ""),
        ("07:30", "16:00", "06:00-07:00"),
        ("07:30", "16:00", "13:00-12:00"),
        ("07:30", "16:00", "15:00-17:00"),
    ],
)
def test_office_hours_check_constraints(agency, start, end, br) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        hours(agency, 0, start, end, br)


def test_office_hours_break_needs_both_ends(agency) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficeHours.objects.create(
            agency=agency, weekday=0, start=dt.time(8), end=dt.time(16), break_start=dt.time(12)
        )


def test_one_office_hours_row_per_weekday(agency) -> None:
    hours(agency, 0, "07:30", "16:00")
    with pytest.raises(IntegrityError), transaction.atomic():
        hours(agency, 0, "08:00", "16:00")


def test_one_global_override_per_date() -> None:
    CalendarOverride.objects.create(date=dt.date(2026, 1, 2), kind="holiday", name="A")
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarOverride.objects.create(date=dt.date(2026, 1, 2), kind="workday", name="B")


def test_one_override_per_agency_and_date(agency) -> None:
    CalendarOverride.objects.create(agency=agency, date=dt.date(2026, 1, 2), kind="holiday")
    CalendarOverride.objects.create(date=dt.date(2026, 1, 2), kind="holiday", name="all")
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarOverride.objects.create(agency=agency, date=dt.date(2026, 1, 2), kind="workday")


# -- the ``calendar`` command ------------------------------------------------------------


def run(*args: str) -> str:
    out = StringIO()
    call_command("calendar", *args, stdout=out)
    return out.getvalue()


def test_cli_due() -> None:
    assert run("due", "2026-12-23T15:30+08:00", "1 day") == "2026-12-28T15:30:00+08:00\n"
    assert run("due", "2026-12-23T07:30Z", "2 jam") == "2026-12-28T09:00:00+08:00\n"
    # A time without zone is the agency's local time.
    assert run("due", "2026-11-23T11:45", "15 menit") == "2026-11-23T12:00:00+08:00\n"


def test_cli_due_for_agency(agency, admin_user) -> None:
    override_set(
        actor=admin_user, agency=agency, date=dt.date(2026, 12, 24), kind="workday", name="Masuk"
    )
    out = run("due", "2026-12-23T15:30+08:00", "1 hari", "--agency", "kec-bangkala")
    assert out == "2026-12-24T15:30:00+08:00\n"


def test_cli_holidays(agency, admin_user) -> None:
    override_set(
        actor=admin_user, agency=agency, date=dt.date(2026, 11, 24), kind="holiday", name="Baru"
    )
    lines = run("holidays", "2026").splitlines()
    assert lines[0] == "2026-01-01  Tahun Baru Masehi"
    assert "2026-03-20  Cuti Bersama Hari Raya Idul Fitri" in lines
    assert "2026-12-24  Cuti Bersama Hari Raya Natal" in lines
    assert len(lines) == 21
    assert "2026-11-24  Baru" in run("holidays", "2026", "--agency", "kec-bangkala")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("due", "kemarin", "1 day"), "Waktu mulai tidak sah"),
        (("due", "2026-12-23T15:30+08:00", "1 minggu"), "Durasi tidak sah"),
        (("due", "2026-12-23T15:30+08:00", "0 day"), "Durasi tidak sah"),
        (("due", "2026-12-23T15:30+08:00", "1 day", "--agency", "tidak-ada"), "tidak ada"),
        (("holidays", "dua ribu"), "Tahun tidak sah"),
        (("holidays", "20260"), "Tahun tidak sah"),
    ],
)
def test_cli_errors_are_indonesian(args, message) -> None:
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_models_and_migrations_agree() -> None:
    call_command("makemigrations", "workcalendar", "--check", "--dry-run", stdout=StringIO())


def test_admin_changes_go_through_the_audited_services(client, agency) -> None:
    boss = get_user_model().objects.create_superuser(username="root", password="x")
    client.force_login(boss)
    url = "/admin/workcalendar/calendaroverride/add/"
    data = {"agency": agency.pk, "date": "2026-11-24", "kind": "holiday", "name": "Libur daerah"}
    response = client.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    row = CalendarOverride.objects.get()
    change = f"/admin/workcalendar/calendaroverride/{row.pk}/change/"
    response = client.post(change, {**data, "date": "2026-11-25"})
    assert response.status_code == 302
    assert list(CalendarOverride.objects.values_list("date", flat=True)) == [dt.date(2026, 11, 25)]
    moved = CalendarOverride.objects.get()
    response = client.post(
        f"/admin/workcalendar/calendaroverride/{moved.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not CalendarOverride.objects.exists()
    actions = list(
        AuditEvent.objects.filter(action__startswith="workcalendar.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "workcalendar.override_set",
        "workcalendar.override_remove",
        "workcalendar.override_set",
        "workcalendar.override_remove",
    ]
