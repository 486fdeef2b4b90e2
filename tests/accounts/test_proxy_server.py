"""`kinerja serve` behind a reverse proxy, as a real process: from the trusted proxy the
client address comes from X-Forwarded-For (the lockout counts that address, not the proxy's)
and the scheme from X-Forwarded-Proto (HSTS, secure cookies); from anyone else these headers
are ignored. Production settings (no demo/debug), SQLite in a temporary data folder."""

from __future__ import annotations

import http.client
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time

import pytest

HOST = "kinerja.example"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(data_dir) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KINERJA_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(
        KINERJA_DATA_DIR=str(data_dir),
        KINERJA_SECRET_KEY="proxy-test-" + "y" * 40,
        KINERJA_ALLOWED_HOSTS=f"{HOST},127.0.0.1",
        KINERJA_TRUSTED_PROXY="127.0.0.1",
    )
    return env


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("proxy")
    env = _env(data)
    migrate = subprocess.run(
        [sys.executable, "-m", "kinerja", "migrate", "-v0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert migrate.returncode == 0, migrate.stderr
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kinerja", "serve", "--port", str(port), "--threads", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 300
    while True:
        assert process.poll() is None, process.stdout.read()
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "kinerja serve did not answer"
            time.sleep(0.3)
    yield {"port": port, "db": data / "kinerja.sqlite3"}
    process.terminate()
    process.communicate(timeout=30)


def request(server, method, path, *, source="127.0.0.1", headers=None, body=None):
    conn = http.client.HTTPConnection(
        "127.0.0.1", server["port"], timeout=30, source_address=(source, 0)
    )
    conn.request(method, path, body=body, headers={"Host": HOST, **(headers or {})})
    response = conn.getresponse()
    content = response.read().decode()
    conn.close()
    return response, content


def failed_login(server, *, source, forwarded_for, proto):
    headers = {"X-Forwarded-For": forwarded_for, "X-Forwarded-Proto": proto}
    page, html = request(server, "GET", "/akun/masuk/", source=source, headers=headers)
    assert page.status == 200
    cookie = re.search(r"csrftoken=([^;]+)", page.getheader("Set-Cookie")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    scheme = "https" if source == "127.0.0.1" and proto == "https" else "http"
    response, _ = request(
        server,
        "POST",
        "/akun/masuk/",
        source=source,
        headers={
            **headers,
            "Cookie": f"csrftoken={cookie}",
            "Origin": f"{scheme}://{HOST}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        body=f"csrfmiddlewaretoken={token}&username=siapa_saja&password=salah",
    )
    return page, response


def throttle_keys(server) -> set[str]:
    with sqlite3.connect(server["db"]) as conn:
        return {row[0] for row in conn.execute("select key from accounts_loginthrottle")}


def test_trusted_proxy_gives_client_address_and_https(server):
    page, response = failed_login(
        server, source="127.0.0.1", forwarded_for="203.0.113.7", proto="https"
    )
    assert response.status == 200  # the form answered "wrong password"
    assert "address:203.0.113.7" in throttle_keys(server)
    assert "address:127.0.0.1" not in throttle_keys(server)
    assert page.getheader("Strict-Transport-Security", "").startswith("max-age=")
    assert "Secure" in page.getheader("Set-Cookie")
    csp = page.getheader("Content-Security-Policy")
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp


def test_headers_from_anyone_else_are_ignored(server):
    page, response = failed_login(
        server, source="127.0.0.2", forwarded_for="203.0.113.8", proto="https"
    )
    assert response.status == 200
    keys = throttle_keys(server)
    assert "address:127.0.0.2" in keys and "address:203.0.113.8" not in keys
    assert page.getheader("Strict-Transport-Security") is None  # plain http: no HSTS
