"""The master-data pages write through the owning apps' services (organization,
workcalendar, performance indicators, accounts): each change leaves an audit event with the
values before and after, and a service called directly refuses what the page refuses."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from kinerja.core.errors import ApplicationError, PermissionDenied
from kinerja.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def page_form(html: str) -> dict[str, str]:
    """Every field of the page's master-data form as a browser would post it: inputs
    (checked boxes only), the selected option of each select, textareas."""
    start = html.find('<form method="post" novalidate')
    form = html[start : html.find("</form>", start)]
    data: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or name.group(1) == "csrfmiddlewaretoken":
            continue
        kind = re.search(r'type="([^"]+)"', tag)
        if kind and kind.group(1) in ("checkbox", "radio") and "checked" not in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        checkbox = kind is not None and kind.group(1) == "checkbox"
        data[name.group(1)] = value.group(1) if value else ("on" if checkbox else "")
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        data[name] = chosen.group(1) if chosen else ""
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        data[name] = body.strip()
    return data


@pytest.fixture
def agency_admin(two_unit_office):
    """An administrator of the demo agency who is not a superuser."""
    from kinerja.accounts.models import User
    from kinerja.organization.models import PositionHolder

    user = User.objects.create_user(username="admin_binamu", password="x-Secret-123")
    PositionHolder.objects.create(
        position=two_unit_office.positions["admin"], user=user, start_date="2022-01-01"
    )
    return user


@pytest.fixture
def other_agency():
    """Another agency with a unit, a position and its own administrator."""
    from kinerja.accounts.models import User
    from kinerja.organization.models import Agency, Position, PositionHolder, Unit

    agency = Agency.objects.create(code="batang", name="Kantor Kecamatan Batang")
    unit = Unit.objects.create(agency=agency, code="pem", name="Seksi Pemerintahan Batang")
    position = Position.objects.create(
        agency=agency, code="adm", title="Admin Batang", role="admin", is_admin=True
    )
    admin = User.objects.create_user(username="admin_batang", password="x-Secret-123")
    PositionHolder.objects.create(position=position, user=admin, start_date="2022-01-01")
    return {"agency": agency, "unit": unit, "position": position, "admin": admin}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def events(action: str):
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def test_a_unit_changed_on_the_page_is_audited_with_before_and_after(two_unit_office, agency_admin):
    unit = two_unit_office.units["pemerintahan"]
    client = signed_in(agency_admin)
    url = f"/data-induk/unit/{unit.pk}/"
    data = page_form(client.get(url).content.decode())
    assert data["code"] == unit.code and data["agency"] == str(two_unit_office.agency.pk)
    data["name"] = "Seksi Tata Pemerintahan"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()
    unit.refresh_from_db()
    assert unit.name == "Seksi Tata Pemerintahan"
    [event] = events("organization.unit_changed")
    assert event.actor == agency_admin and event.agency == two_unit_office.agency
    assert event.object_id == str(unit.pk)
    assert event.before["name"] == "Seksi Pemerintahan"
    assert event.after["name"] == "Seksi Tata Pemerintahan"
    assert event.before["agency"] == event.after["agency"] == two_unit_office.agency.pk


def test_an_acting_official_is_appointed_through_the_page_and_audited(
    two_unit_office, agency_admin
):
    from kinerja.organization.models import PositionHolder

    sekcam = two_unit_office.positions["sekcam"]
    kasi = two_unit_office.users["kasi_pemerintahan"]
    client = signed_in(agency_admin)
    data = page_form(client.get("/data-induk/pemangku/baru/").content.decode())
    data.update(
        {
            "position": str(sekcam.pk),
            "user": str(kasi.pk),
            "kind": "plh",
            "start_date": "2026-08-03",
            "end_date": "2026-08-14",
            "decree": "SPT 800/12/2026",
        }
    )
    response = client.post("/data-induk/pemangku/baru/", data)
    assert response.status_code == 302, response.content.decode()
    holding = PositionHolder.objects.get(position=sekcam, user=kasi, kind="plh")
    [event] = events("organization.holder_created")
    assert event.object_id == str(holding.pk) and event.before is None
    assert event.after == {
        "position": sekcam.pk,
        "user": kasi.pk,
        "kind": "plh",
        "start_date": "2026-08-03",
        "end_date": "2026-08-14",
        "decree": "SPT 800/12/2026",
    }
    # ending it early: a change with both dates in the log
    url = f"/data-induk/pemangku/{holding.pk}/"
    data = page_form(client.get(url).content.decode())
    data["end_date"] = "2026-08-07"
    assert client.post(url, data).status_code == 302
    [change] = events("organization.holder_changed")
    assert change.before["end_date"] == "2026-08-14" and change.after["end_date"] == "2026-08-07"


def test_dates_out_of_order_are_refused_by_page_and_service_alike(two_unit_office, agency_admin):
    from kinerja.organization.models import PositionHolder
    from kinerja.organization.services import holder_create

    sekcam = two_unit_office.positions["sekcam"]
    kasi = two_unit_office.users["kasi_pemerintahan"]
    values = {
        "position": sekcam,
        "user": kasi,
        "kind": "plt",
        "start_date": "2026-08-14",
        "end_date": "2026-08-03",
    }
    holdings = PositionHolder.objects.count()
    response = signed_in(agency_admin).post(
        "/data-induk/pemangku/baru/",
        {k: getattr(v, "pk", v) for k, v in values.items()},
    )
    assert response.status_code == 400
    import datetime as dt

    values["start_date"], values["end_date"] = dt.date(2026, 8, 14), dt.date(2026, 8, 3)
    with pytest.raises(ApplicationError):
        holder_create(actor=agency_admin, values=values)
    assert PositionHolder.objects.count() == holdings
    assert not events("organization.holder_created")


def test_another_agency_is_out_of_reach_of_page_and_service(
    two_unit_office, agency_admin, other_agency
):
    from kinerja.organization.services import position_create, unit_update

    unit = two_unit_office.units["pemerintahan"]
    outsider = signed_in(other_agency["admin"])
    assert outsider.get(f"/data-induk/unit/{unit.pk}/").status_code == 404
    with pytest.raises(PermissionDenied):
        unit_update(actor=other_agency["admin"], unit_id=unit.pk, values={"name": "Diambil"})
    # nor may our administrator move our unit to, or hang a position under, the other agency
    client = signed_in(agency_admin)
    data = page_form(client.get(f"/data-induk/unit/{unit.pk}/").content.decode())
    data["agency"] = str(other_agency["agency"].pk)
    assert client.post(f"/data-induk/unit/{unit.pk}/", data).status_code == 400
    with pytest.raises(PermissionDenied):
        unit_update(actor=agency_admin, unit_id=unit.pk, values={"agency": other_agency["agency"]})
    with pytest.raises(PermissionDenied):
        position_create(
            actor=agency_admin,
            values={
                "agency": two_unit_office.agency,
                "unit": other_agency["unit"],
                "code": "staf-x",
                "title": "Staf",
                "role": "analis",
            },
        )
    unit.refresh_from_db()
    assert unit.name == "Seksi Pemerintahan" and unit.agency == two_unit_office.agency
    assert not events("organization.unit_changed") and not events("organization.position_created")


def test_only_a_superuser_adds_an_agency(two_unit_office, agency_admin):
    from kinerja.organization.models import Agency
    from kinerja.organization.services import agency_create

    assert signed_in(agency_admin).get("/data-induk/instansi/baru/").status_code == 404
    with pytest.raises(PermissionDenied):
        agency_create(actor=agency_admin, values={"code": "baru", "name": "Kecamatan Baru"})
    root = two_unit_office.users["admin"]  # the demo's administrator is a superuser
    client = signed_in(root)
    data = page_form(client.get("/data-induk/instansi/baru/").content.decode())
    data.update({"code": "baru", "name": "Kecamatan Baru"})
    assert client.post("/data-induk/instansi/baru/", data).status_code == 302
    agency = Agency.objects.get(code="baru")
    [event] = events("organization.agency_created")
    assert event.actor == root and event.agency == agency
    assert event.after["name"] == "Kecamatan Baru" and event.before is None


def test_a_duplicate_code_is_a_message_and_nothing_changes(two_unit_office, agency_admin):
    from kinerja.organization.services import unit_update

    unit = two_unit_office.units["pemerintahan"]
    taken = two_unit_office.units["trantib"].code
    client = signed_in(agency_admin)
    data = page_form(client.get(f"/data-induk/unit/{unit.pk}/").content.decode())
    data["code"] = taken
    response = client.post(f"/data-induk/unit/{unit.pk}/", data)
    assert response.status_code == 400
    with pytest.raises(ApplicationError):
        unit_update(actor=agency_admin, unit_id=unit.pk, values={"code": taken})
    unit.refresh_from_db()
    assert unit.code == "pemerintahan" and not events("organization.unit_changed")


def test_office_hours_and_a_calendar_exception_are_audited(two_unit_office, agency_admin):
    from kinerja.workcalendar.models import CalendarOverride, OfficeHours
    from kinerja.workcalendar.services import office_hours_update

    client = signed_in(agency_admin)
    data = page_form(client.get("/data-induk/jam-kantor/baru/").content.decode())
    data.update({"agency": str(two_unit_office.agency.pk), "weekday": "4"})
    data.update({"start": "07:30", "end": "16:30", "break_start": "", "break_end": ""})
    response = client.post("/data-induk/jam-kantor/baru/", data)
    assert response.status_code == 302, response.content.decode()
    hours = OfficeHours.objects.get(agency=two_unit_office.agency, weekday=4)
    [created] = events("workcalendar.office_hours_created")
    assert created.before is None and created.after["end"] == "16:30:00"
    url = f"/data-induk/jam-kantor/{hours.pk}/"
    data = page_form(client.get(url).content.decode())
    data["end"] = "15:30"
    assert client.post(url, data).status_code == 302
    [event] = events("workcalendar.office_hours_changed")
    assert event.before["end"] == "16:30:00" and event.after["end"] == "15:30:00"
    # start after end: refused by the page and by the service
    data["start"] = "16:00"
    assert client.post(url, data).status_code == 400
    import datetime as dt

    with pytest.raises(ApplicationError):
        office_hours_update(actor=agency_admin, hours_id=hours.pk, values={"start": dt.time(16)})
    # a new cuti bersama goes through the calendar's own service, a change is audited too
    data = page_form(client.get("/data-induk/hari-libur/baru/").content.decode())
    data.update({"date": "2026-12-24", "kind": "holiday", "name": "Cuti bersama Natal"})
    data["agency"] = str(two_unit_office.agency.pk)
    assert client.post("/data-induk/hari-libur/baru/", data).status_code == 302
    row = CalendarOverride.objects.get(date="2026-12-24")
    assert events("workcalendar.override_set")[0].after["name"] == "Cuti bersama Natal"
    url = f"/data-induk/hari-libur/{row.pk}/"
    data = page_form(client.get(url).content.decode())
    data["name"] = "Cuti bersama Hari Raya Natal"
    assert client.post(url, data).status_code == 302
    [change] = events("workcalendar.override_changed")
    assert change.before["name"] == "Cuti bersama Natal"
    assert change.after["name"] == "Cuti bersama Hari Raya Natal"


def test_an_indicator_change_is_audited_and_refused_to_non_planners(perf_office, login):
    from kinerja.performance.indicators import indicator_update
    from kinerja.performance.models import Indicator

    ind = Indicator.objects.filter(agency=perf_office.agency).order_by("code").first()
    client = login("kasubag_perencanaan")
    url = f"/data-induk/indikator/{ind.pk}/"
    data = page_form(client.get(url).content.decode())
    data["name"] = "Nama indikator yang diperbaiki"
    assert client.post(url, data).status_code == 302
    [event] = events("performance.indicator_changed")
    assert event.actor == perf_office.users["kasubag_perencanaan"]
    assert event.before["name"] == ind.name
    assert event.after["name"] == "Nama indikator yang diperbaiki"
    sekcam = perf_office.users["sekcam"]
    assert login("sekcam").get(url).status_code == 404
    with pytest.raises(PermissionDenied):
        indicator_update(actor=sekcam, indicator_id=ind.pk, values={"name": "Diubah Sekcam"})
    ind.refresh_from_db()
    assert ind.name == "Nama indikator yang diperbaiki"
    assert len(events("performance.indicator_changed")) == 1


def test_a_user_turned_off_on_the_page_is_audited(two_unit_office, agency_admin, other_agency):
    from kinerja.accounts.services import user_set_active

    analyst = two_unit_office.users["analis_1"]
    client = signed_in(agency_admin)
    url = f"/data-induk/pengguna/{analyst.pk}/"
    data = page_form(client.get(url).content.decode())
    assert data["is_active"] == "on"
    del data["is_active"]  # the box unticked
    assert client.post(url, data).status_code == 302
    analyst.refresh_from_db()
    assert not analyst.is_active
    [event] = events("accounts.user_changed")
    assert event.before["is_active"] is True and event.after["is_active"] is False
    assert event.agency == two_unit_office.agency
    # another agency's administrator: 404 on the page, refused by the service
    assert signed_in(other_agency["admin"]).get(url).status_code == 404
    with pytest.raises(PermissionDenied):
        user_set_active(actor=other_agency["admin"], user_id=analyst.pk, is_active=True)
    user_set_active(actor=agency_admin, user_id=analyst.pk, is_active=True)
    analyst.refresh_from_db()
    assert analyst.is_active
    assert [e.after["is_active"] for e in events("accounts.user_changed")] == [False, True]


def test_a_password_change_is_audited_without_the_password(two_unit_office, agency_admin):
    from kinerja.accounts.models import User
    from kinerja.accounts.services import user_set_password

    user = User.objects.get(username="admin_binamu")
    client = signed_in(user)
    response = client.post(
        "/akun/kata-sandi/",
        {
            "old_password": "x-Secret-123",
            "new_password1": "Sandi-Baru-Binamu-8",
            "new_password2": "Sandi-Baru-Binamu-8",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Sandi-Baru-Binamu-8")
    [event] = events("accounts.password_changed")
    assert event.actor == user and event.object_id == str(user.pk)
    assert "Sandi-Baru" not in f"{event.before}{event.after}{event.reason}"
    assert client.get("/tugas/").status_code == 200  # still signed in
    # a wrong old password: refused by the page, nothing logged
    response = client.post(
        "/akun/kata-sandi/",
        {"old_password": "salah", "new_password1": "Lain-Lagi-77", "new_password2": "Lain-Lagi-77"},
    )
    assert response.status_code == 200 and len(events("accounts.password_changed")) == 1
    # nobody sets someone else's password but a superuser
    analyst = two_unit_office.users["analis_1"]
    with pytest.raises(PermissionDenied):
        user_set_password(actor=user, user=analyst, password="Ambil-Alih-99", reason="set")
    with pytest.raises(PermissionDenied):
        user_set_password(actor=user, user=analyst, password="Ambil-Alih-99", reason="changed")
    analyst.refresh_from_db()
    assert not analyst.check_password("Ambil-Alih-99")


@pytest.mark.parametrize("url", ["/data-induk/target/", "/data-induk/realisasi-anggaran/"])
def test_the_grid_pages_keep_the_page_frame(perf_office, login, url):
    """Both grids are one template (web/master/grid.html): its blocks fill the table and
    leave the frame of base.html (its <head>) as it is."""
    from kinerja.performance.models import PerformanceAgreement

    year = PerformanceAgreement.objects.filter(agency=perf_office.agency).latest("year").year
    page = login("kasubag_perencanaan").get(f"{url}?year={year}").content.decode()
    head = page[: page.index("<body")]
    assert "<title>" in head and "TW I" not in head and "stylesheet" in head
    table = page[page.index("<thead") : page.index("</thead>")]
    assert "TW I" in table and "TW IV" in table
    assert page.count('inputmode="decimal"') >= 4
