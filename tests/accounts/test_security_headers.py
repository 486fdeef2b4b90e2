"""Security headers: Content-Security-Policy on every page, HSTS over https in production
only (not in the demo or debug mode), and no template that would need 'unsafe-inline'."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import kinerja

pytestmark = pytest.mark.django_db

EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def _policy(header: str) -> dict[str, str]:
    parts = [p.strip() for p in header.split(";") if p.strip()]
    return {p.split(" ", 1)[0]: p.split(" ", 1)[1] for p in parts}


@pytest.mark.parametrize("path", ["/akun/masuk/", "/akun/lupa-sandi/", "/dokumen/verifikasi/"])
def test_public_pages_carry_the_policy(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = _policy(response["Content-Security-Policy"])
    for directive, value in EXPECTED_CSP.items():
        assert policy.get(directive) == value, directive
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_signed_in_pages_and_errors_carry_the_policy(client, office):
    client.force_login(office.users["sekcam"])
    for path, status in [("/tugas/", 200), ("/dasbor/", 200), ("/kasus/999999/", 404)]:
        response = client.get(path)
        assert response.status_code == status
        assert _policy(response["Content-Security-Policy"])["script-src"] == "'self'"


def test_hsts_over_https_in_production(client, settings):
    assert settings.SECURE_HSTS_SECONDS >= 31536000  # the test settings are production's
    assert client.get("/akun/masuk/", secure=True)["Strict-Transport-Security"].startswith(
        "max-age=31536000"
    )
    assert "Strict-Transport-Security" not in client.get("/akun/masuk/")  # plain http


@pytest.mark.parametrize("mode", ["KINERJA_DEMO", "KINERJA_DEBUG"])
def test_no_hsts_in_demo_or_debug(mode, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("KINERJA_")}
    env.update({mode: "1", "KINERJA_DATA_DIR": str(tmp_path)})
    env["DJANGO_SETTINGS_MODULE"] = "kinerja.config.settings"
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings as s; import django; django.setup(); "
            "print(s.SECURE_HSTS_SECONDS, bool(s.CONTENT_SECURITY_POLICY))",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["0", "True"]


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "on*= handler"),
    (re.compile(r"\sstyle\s*=", re.I), "style= attribute"),
    (re.compile(r"<style[\s>]", re.I), "<style> element"),
    (re.compile(r"\shx-on", re.I), "hx-on (needs eval)"),
]


def test_no_template_needs_unsafe_inline():
    found = []
    for template in sorted(Path(kinerja.__file__).parent.rglob("templates/**/*.html")):
        text = template.read_text()
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{template.name}:{line}: {what}")
    assert found == []
