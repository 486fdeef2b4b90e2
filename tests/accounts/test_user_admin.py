"""Agency administrators manage only their agency's current and future position holders,
never staff, superusers, other agencies' users or former holders; they never type another
person's password (a reset link goes to the person); everything is audited."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client

pytestmark = pytest.mark.django_db

PASSWORD = "binamu2026"


@pytest.fixture
def world(office):
    from kinerja.accounts.models import User
    from kinerja.organization.models import Agency, Position, PositionHolder

    today = dt.date.today()
    agency_admin = User.objects.create_user(
        username="admin_binamu", password=PASSWORD, email="admin_binamu@binamu.example.id"
    )
    PositionHolder.objects.create(
        position=office.positions["admin"], user=agency_admin, start_date="2022-01-01"
    )
    root = User.objects.create_superuser(
        username="root", password=PASSWORD, email="root@kab.example.id"
    )
    other = Agency.objects.create(code="batang", name="Kantor Kecamatan Batang")
    other_sekcam_pos = Position.objects.create(
        agency=other, code="sekcam", title="Sekretaris Camat Batang", role="sekcam"
    )
    foreign = User.objects.create_user(
        username="sekcam_batang", password=PASSWORD, email="sekcam@batang.example.id"
    )
    PositionHolder.objects.create(position=other_sekcam_pos, user=foreign, start_date="2023-01-01")
    # ... who held a position in Binamu years ago
    PositionHolder.objects.create(
        position=office.positions["analis_3"],
        user=foreign,
        start_date="2019-01-01",
        end_date="2020-12-31",
    )
    former = User.objects.create_user(
        username="pensiunan", password=PASSWORD, email="pensiunan@binamu.example.id"
    )
    PositionHolder.objects.create(
        position=office.positions["analis_2"],
        user=former,
        kind=PositionHolder.Kind.PLT,
        start_date=today - dt.timedelta(days=60),
        end_date=today - dt.timedelta(days=1),
    )
    future = User.objects.create_user(
        username="calon_analis", password=PASSWORD, email="calon@binamu.example.id"
    )
    PositionHolder.objects.create(
        position=office.positions["analis_1"],
        user=future,
        kind=PositionHolder.Kind.PLH,
        start_date=today + dt.timedelta(days=7),
        end_date=today + dt.timedelta(days=14),
    )
    c = Client()
    c.force_login(agency_admin)
    return {
        "client": c,
        "agency_admin": agency_admin,
        "root": root,
        "demo_superuser": office.users["admin"],
        "foreign": foreign,
        "former": former,
        "future": future,
        "staff": office.users["kasi_pmk"],
        "office": office,
    }


def denied(world):
    return [world[k] for k in ("root", "demo_superuser", "foreign", "former")]


def test_agency_admin_lists_only_current_and_future_holders(world):
    page = world["client"].get("/data-induk/pengguna/").content.decode()
    assert "kasi_pmk" in page and "calon_analis" in page
    for user in denied(world):
        assert f">{user.username}<" not in page, user.username


def test_agency_admin_cannot_open_edit_or_reset_outside_users(world):
    c = world["client"]
    for user in denied(world):
        before = user.password
        assert c.get(f"/data-induk/pengguna/{user.pk}/").status_code == 404, user.username
        response = c.post(
            f"/data-induk/pengguna/{user.pk}/",
            {
                "username": user.username,
                "email": "attacker@evil.example",
                "password": "Ambil-Alih-99",
            },
        )
        assert response.status_code == 404
        assert c.post(f"/data-induk/pengguna/{user.pk}/kirim-tautan-sandi/").status_code == 404
        user.refresh_from_db()
        assert user.password == before and user.email != "attacker@evil.example"
    assert mail.outbox == []


def test_holder_whose_holding_ended_yesterday_is_no_longer_managed(world):
    c = world["client"]
    former = world["former"]
    assert c.get(f"/data-induk/pengguna/{former.pk}/").status_code == 404
    from kinerja.organization.models import PositionHolder

    # nor can the ended holding be reopened to bring the person back under the admin
    holding = PositionHolder.objects.get(user=former)
    response = c.post(
        f"/data-induk/pemangku/{holding.pk}/",
        {
            "position": holding.position_id,
            "user": former.pk,
            "kind": "plt",
            "start_date": holding.start_date.isoformat(),
            "end_date": "",
            "decree": "",
        },
    )
    assert response.status_code == 400
    holding.refresh_from_db()
    assert holding.end_date is not None


def test_agency_admin_cannot_give_a_superuser_a_position(world):
    from kinerja.organization.models import PositionHolder

    c = world["client"]
    for user in denied(world):
        response = c.post(
            "/data-induk/pemangku/baru/",
            {
                "position": world["office"].positions["analis_1"].pk,
                "user": user.pk,
                "kind": "plt",
                "start_date": dt.date.today().isoformat(),
                "end_date": "",
                "decree": "",
            },
        )
        assert response.status_code == 400, user.username
        assert not PositionHolder.objects.filter(
            user=user, position=world["office"].positions["analis_1"]
        ).exists()


def test_edit_form_sets_no_password_for_agency_admin(world):
    from kinerja.core.models import AuditEvent

    c = world["client"]
    staff = world["staff"]
    page = c.get(f"/data-induk/pengguna/{staff.pk}/").content.decode()
    assert 'type="password"' not in page
    before = staff.password
    response = c.post(
        f"/data-induk/pengguna/{staff.pk}/",
        {
            "username": "kasi_pmk",
            "full_name": staff.full_name,
            "nip": staff.nip,
            "email": staff.email,
            "phone": "0812 1111 2222",
            "language": "id",
            "is_active": "on",
            "password": "Ambil-Alih-99",
        },
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.password == before and staff.phone == "0812 1111 2222"
    event = AuditEvent.objects.get(action="accounts.user_changed", object_id=str(staff.pk))
    assert event.actor == world["agency_admin"]
    assert event.agency == world["office"].agency
    assert event.after["phone"] == "0812 1111 2222"


def test_reset_link_goes_to_the_user_and_works(world):
    from kinerja.core.models import AuditEvent

    c = world["client"]
    staff = world["staff"]
    response = c.post(f"/data-induk/pengguna/{staff.pk}/kirim-tautan-sandi/")
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [staff.email]
    assert AuditEvent.objects.filter(
        action="accounts.password_reset_sent", actor=world["agency_admin"], object_id=str(staff.pk)
    ).exists()
    link = re.search(r"http://\S+/akun/atur-sandi/\S+/", mail.outbox[0].body).group(0)
    person = Client()
    path = link.split("8000", 1)[1]
    form_page = person.get(path, follow=True)
    assert form_page.status_code == 200 and "new_password1" in form_page.content.decode()
    response = person.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Sandi-Baru-Kesra-7", "new_password2": "Sandi-Baru-Kesra-7"},
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(
        action="accounts.password_reset_done", actor=staff, object_id=str(staff.pk)
    ).exists()
    assert (
        person.post(
            "/akun/masuk/", {"username": "kasi_pmk", "password": "Sandi-Baru-Kesra-7"}
        ).status_code
        == 302
    )
    # the link works once
    assert "tidak berlaku lagi" in Client().get(path, follow=True).content.decode()


def test_new_user_gets_a_position_and_a_link_not_a_password(world):
    from kinerja.accounts.models import User
    from kinerja.core.models import AuditEvent
    from kinerja.organization.models import PositionHolder

    c = world["client"]
    page = c.get("/data-induk/pengguna/baru/").content.decode()
    assert 'type="password"' not in page
    # the start date is offered as today, in the format a date input shows
    from django.utils import timezone

    today = timezone.localdate().isoformat()
    assert f'type="date" name="start_date" value="{today}"' in page
    other_position = world["foreign"].position_holdings.first().position
    assert f'value="{other_position.pk}"' not in page  # only the agency's positions
    response = c.post(
        "/data-induk/pengguna/baru/",
        {
            "username": "analis_baru",
            "full_name": "Analis Baru",
            "nip": "",
            "email": "analis.baru@binamu.example.id",
            "phone": "",
            "language": "id",
            "is_active": "on",
            "position": world["office"].positions["analis_2"].pk,
            "start_date": dt.date.today().isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()
    user = User.objects.get(username="analis_baru")
    assert not user.has_usable_password()
    assert PositionHolder.objects.filter(user=user).current().count() == 1
    assert mail.outbox[0].to == ["analis.baru@binamu.example.id"]
    assert AuditEvent.objects.filter(
        action="accounts.user_created", object_id=str(user.pk)
    ).exists()
    assert c.get(f"/data-induk/pengguna/{user.pk}/").status_code == 200


def test_superuser_may_set_a_password_and_it_is_audited(world):
    from kinerja.core.models import AuditEvent

    c = Client()
    c.force_login(world["root"])
    staff = world["staff"]
    page = c.get(f"/data-induk/pengguna/{staff.pk}/").content.decode()
    assert 'type="password"' in page
    response = c.post(
        f"/data-induk/pengguna/{staff.pk}/",
        {
            "username": "kasi_pmk",
            "full_name": staff.full_name,
            "nip": staff.nip,
            "email": staff.email,
            "phone": "",
            "language": "id",
            "is_active": "on",
            "password": "Sandi-Dari-Atasan-5",
        },
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password("Sandi-Dari-Atasan-5")
    event = AuditEvent.objects.get(action="accounts.password_set")
    assert event.actor == world["root"] and event.object_id == str(staff.pk)
    assert "Sandi-Dari-Atasan-5" not in str(event.before) + str(event.after)


def test_old_address_is_told_when_the_email_changes(world):
    from kinerja.core.models import AuditEvent

    c = world["client"]
    staff = world["staff"]
    old = staff.email
    response = c.post(
        f"/data-induk/pengguna/{staff.pk}/",
        {
            "username": "kasi_pmk",
            "full_name": staff.full_name,
            "nip": staff.nip,
            "email": "alamat.baru@binamu.example.id",
            "phone": "",
            "language": "id",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[old]]
    assert "alamat.baru@binamu.example.id" in mail.outbox[0].body
    event = AuditEvent.objects.get(action="accounts.user_changed", object_id=str(staff.pk))
    assert event.before["email"] == old and event.after["email"] == "alamat.baru@binamu.example.id"


def test_mail_server_down_is_a_message_not_an_error(world, settings):
    from kinerja.core.models import AuditEvent

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    staff = world["staff"]
    response = world["client"].post(
        f"/data-induk/pengguna/{staff.pk}/kirim-tautan-sandi/", follow=True
    )
    assert response.status_code == 200
    assert "E-mail belum terkirim" in response.content.decode()
    event = AuditEvent.objects.get(action="accounts.password_reset_sent")
    assert event.after["sent"] is False
