"""Sign in by username or NIP, lockout, sign out, password change, language switch."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_login_by_username_and_by_nip_with_spaces(client, office):
    page = client.get("/akun/masuk/").content.decode()
    assert 'for="id_username"' in page and 'for="id_password"' in page
    response = client.post("/akun/masuk/", {"username": "SEKCAM", "password": "binamu2026"})
    assert response.status_code == 302
    client.post("/akun/keluar/")
    response = client.post(
        "/akun/masuk/", {"username": "19780512 200604 1 009", "password": "binamu2026"}
    )
    assert response.status_code == 302
    assert client.get("/tugas/").status_code == 200


def test_wrong_password_message_keeps_username(client, office):
    response = client.post("/akun/masuk/", {"username": "sekcam", "password": "salah"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "kata sandi salah" in page
    assert 'value="sekcam"' in page


def test_lockout_after_repeated_failures(client, office, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post("/akun/masuk/", {"username": "kasi_pmk", "password": "salah"})
    response = client.post("/akun/masuk/", {"username": "kasi_pmk", "password": "binamu2026"})
    assert response.status_code == 429
    page = response.content.decode()
    assert "Akun dikunci sementara" in page
    assert "Silakan coba lagi setelah 30 menit" in page


def test_logout_needs_post(client, office):
    client.post("/akun/masuk/", {"username": "sekcam", "password": "binamu2026"})
    assert client.get("/akun/keluar/").status_code == 405
    assert client.post("/akun/keluar/").status_code == 302
    assert client.get("/tugas/").status_code == 302


def test_password_change(client, office):
    client.post("/akun/masuk/", {"username": "analis_1", "password": "binamu2026"})
    response = client.post(
        "/akun/kata-sandi/",
        {"old_password": "keliru", "new_password1": "Baru-Sekali-2026", "new_password2": "x"},
    )
    assert response.status_code == 200
    assert "Kata sandi lama salah" in response.content.decode()
    response = client.post(
        "/akun/kata-sandi/",
        {
            "old_password": "binamu2026",
            "new_password1": "Baru-Sekali-2026",
            "new_password2": "Baru-Sekali-2026",
        },
    )
    assert response.status_code == 302
    client.post("/akun/keluar/")
    response = client.post("/akun/masuk/", {"username": "analis_1", "password": "Baru-Sekali-2026"})
    assert response.status_code == 302


def test_language_switch_saves_the_users_choice(client, office):
    from kinerja.accounts.models import User

    client.post("/akun/masuk/", {"username": "sekcam", "password": "binamu2026"})
    response = client.post("/bahasa/", {"language": "en", "next": "/tugas/"})
    assert response.status_code == 302 and response.url == "/tugas/"
    assert User.objects.get(username="sekcam").language == "en"
    page = client.get("/tugas/").content.decode()
    assert '<html lang="en">' in page
    client.post("/bahasa/", {"language": "id", "next": "/tugas/"})
    assert User.objects.get(username="sekcam").language == "id"
