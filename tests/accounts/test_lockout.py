"""Failed sign-ins are counted per account (any spelling of the username or NIP) and per
client address; reset links by e-mail share the same lockout and never reveal whether an
account exists; the login page switches language."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import Client

pytestmark = pytest.mark.django_db

PASSWORD = "binamu2026"
KESOS_NIP = "198206112009032008"


def post_login(client, username, password="salah", address="192.0.2.10"):
    return client.post(
        "/akun/masuk/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_locked_account_stays_locked_in_any_spelling(client, office, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        post_login(client, "kasi_kesos")
    from kinerja.core.models import AuditEvent

    user = office.users["kasi_kesos"]
    event = AuditEvent.objects.get(action="accounts.login_locked")
    assert event.object_id == f"account:user:{user.pk}"
    for spelling in ["KASI_KESOS", "Kasi_Kesos ", "1982 0611 2009 03 2008", KESOS_NIP]:
        response = post_login(Client(), spelling, PASSWORD, address="192.0.2.99")
        assert response.status_code == 429, spelling
        assert "Akun dikunci sementara" in response.content.decode()


def test_guesses_over_nip_spellings_lock_the_account(client, office, settings):
    spellings = [
        "198206112009032008",
        "19820611 200903 2 008",
        "1982-0611-2009-03-2008",
        "19820611.200903.2.008",
        " 198206112009032008 ",
    ]
    codes = [post_login(client, s).status_code for s in spellings[: settings.LOGIN_FAILURE_LIMIT]]
    assert codes[-1] == 429  # the failure that reaches the limit already shows the lock
    assert post_login(Client(), "kasi_kesos", PASSWORD, address="192.0.2.77").status_code == 429


def test_lock_ends_after_the_cooloff(client, office, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        post_login(client, "kasi_pmk")
    assert post_login(client, "kasi_pmk", PASSWORD).status_code == 429
    later = dt.datetime.now(dt.UTC) + settings.LOGIN_COOLOFF + dt.timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        assert post_login(client, "kasi_pmk", PASSWORD).status_code == 302


def test_success_clears_the_account_count(client, office, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        post_login(client, "kasi_pmk")
    assert post_login(Client(), "kasi_pmk", PASSWORD).status_code == 302
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        post_login(client, "KASI_PMK")
    assert post_login(Client(), "kasi_pmk", PASSWORD).status_code == 302


def test_one_address_trying_many_accounts_is_locked(office, settings):
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 6
    attacker = Client()
    names = ["camat", "sekcam", "kasi_pmk", "kasi_trantib", "analis_1", "analis_2"]
    for name in names:
        post_login(attacker, name, address="198.51.100.9")
    # every account, even with the right password, is refused from that address ...
    assert post_login(attacker, "analis_3", PASSWORD, address="198.51.100.9").status_code == 429
    # ... but not from another address (each account failed once only)
    assert post_login(Client(), "camat", PASSWORD, address="198.51.100.10").status_code == 302


def test_unknown_names_lock_the_same_way(client, office, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        assert post_login(client, "tidak_ada").status_code == 200
    assert post_login(client, "TIDAK_ADA").status_code == 429


def test_admin_site_login_is_locked_too(client, office, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        post_login(client, "admin")
    response = Client().post(
        "/admin/login/?next=/admin/",
        {"username": "ADMIN", "password": PASSWORD},
        REMOTE_ADDR="192.0.2.50",
    )
    assert response.status_code == 200  # the admin form refuses the sign-in
    assert "_auth_user_id" not in Client().session


def test_reset_by_username_nip_or_email_and_no_enumeration(office):
    from kinerja.core.models import AuditEvent

    c = Client()
    page = c.get("/akun/lupa-sandi/").content.decode()
    assert 'name="identity"' in page
    answers = {}
    for typed in ["SEKCAM", "1978 0512 2006 04 1 009", "camat@binamu.example.id", "tidak_ada"]:
        mail.outbox.clear()
        response = Client().post(
            "/akun/lupa-sandi/", {"identity": typed}, REMOTE_ADDR="192.0.2.20", follow=True
        )
        answers[typed] = (response.status_code, response.redirect_chain[-1][0])
        expected = {"SEKCAM": "sekcam", "tidak_ada": None}.get(typed, None)
        if typed == "tidak_ada":
            assert mail.outbox == []
        else:
            assert len(mail.outbox) == 1
            expected = "sekcam" if "camat@" not in typed else "camat"
            assert mail.outbox[0].to == [f"{expected}@binamu.example.id"]
            assert "/akun/atur-sandi/" in mail.outbox[0].body
    # the same answer whether the account exists or not
    assert len(set(answers.values())) == 1, answers
    assert AuditEvent.objects.filter(action="accounts.password_reset_requested").count() == 3


def test_reset_mail_in_the_users_language(office):
    user = office.users["analis_1"]
    user.language = "en"
    user.save()
    Client().post("/akun/lupa-sandi/", {"identity": "analis_1"})
    assert "reset" in mail.outbox[0].subject.lower()
    assert "Open the following link" in mail.outbox[0].body


def test_reset_requests_are_rate_limited_by_the_lockout(office, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        Client().post("/akun/lupa-sandi/", {"identity": "kasi_trantib"}, REMOTE_ADDR="192.0.2.30")
    assert len(mail.outbox) == settings.LOGIN_FAILURE_LIMIT
    response = Client().post(
        "/akun/lupa-sandi/", {"identity": "KASI_TRANTIB"}, REMOTE_ADDR="192.0.2.31"
    )
    assert response.status_code == 429
    assert len(mail.outbox) == settings.LOGIN_FAILURE_LIMIT


def test_login_page_switches_language(office):
    c = Client()
    page = c.get("/akun/masuk/").content.decode()
    assert "Masuk ke Kinerja" in page and 'value="en"' in page and "Lupa kata sandi?" in page
    response = c.post("/bahasa/", {"language": "en", "next": "/akun/masuk/"})
    assert response.status_code == 302 and response.url == "/akun/masuk/"
    page = c.get("/akun/masuk/").content.decode()
    assert '<html lang="en">' in page and "Sign in to Kinerja" in page
    assert "Forgot your password?" in page


def test_old_counters_are_purged(client, office, settings, monkeypatch):
    from kinerja.accounts import lockout
    from kinerja.accounts.models import LoginThrottle

    post_login(client, "kasi_pmk", address="192.0.2.60")
    assert LoginThrottle.objects.filter(key="address:192.0.2.60").exists()
    monkeypatch.setattr(lockout, "PURGE_SHARE", 1.0)
    later = dt.datetime.now(dt.UTC) + 2 * settings.LOGIN_COOLOFF + dt.timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        post_login(Client(), "camat", address="192.0.2.61")
    keys = set(LoginThrottle.objects.values_list("key", flat=True))
    assert "address:192.0.2.60" not in keys and "address:192.0.2.61" in keys
