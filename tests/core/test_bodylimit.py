"""Request bodies are capped per endpoint before anything reads them: the anonymous
verification upload at KINERJA_MAX_VERIFY_MB, other uploads at KINERJA_MAX_REQUEST_MB, plain
forms at DATA_UPLOAD_MAX_MEMORY_SIZE; `kinerja serve` (waitress) refuses a body beyond every
cap before receiving it."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory, override_settings
from django.urls import reverse

from kinerja.core import bodylimit

MB = 1024 * 1024
MULTIPART = "multipart/form-data; boundary=batas"


def declared(client, url, length, content_type=MULTIPART, **extra):
    """A POST declaring ``length`` bytes but sending 10: reading the body would fail."""
    return client.generic(
        "POST", url, b"x" * 10, content_type=content_type, CONTENT_LENGTH=str(length), **extra
    )


@pytest.mark.django_db
def test_verification_upload_over_its_cap_gets_413_without_the_body_being_read(client):
    for url in (reverse("reports:verify_upload"), reverse("verify_short", args=["ABCDEFGH"])):
        response = declared(client, url, 300 * MB)
        assert response.status_code == 413, url
        page = response.content.decode()
        assert "Berkas terlalu besar" in page and "20 MB" in page
    english = declared(client, url, 300 * MB, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 413 and "File too large" in english.content.decode()
    # other uploads have their own, larger cap; plain forms a small one
    upload = RequestFactory().post(reverse("web:home"), content_type=MULTIPART)
    assert bodylimit.cap_for(upload) == 100 * MB + bodylimit.FORM_OVERHEAD
    assert declared(client, reverse("web:home"), 150 * MB).status_code == 413
    assert declared(client, reverse("web:home"), 6 * MB, "text/plain").status_code == 413


@pytest.mark.django_db
@override_settings(KINERJA_MAX_VERIFY_MB=1)
def test_a_real_oversize_verification_upload_is_refused_and_a_small_one_checked(client):
    url = reverse("reports:verify_upload")
    big = SimpleUploadedFile("salinan.pdf", b"%PDF" + b"0" * (2 * MB))
    response = client.post(url, {"file": big})
    assert response.status_code == 413 and "1 MB" in response.content.decode()
    small = client.post(url, {"file": SimpleUploadedFile("salinan.pdf", b"%PDF-1.4 kecil")})
    assert small.status_code == 200 and small.context["checked"]
    assert not small.context["authentic"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _post_head(port: int, path: str, length: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=20)
    sock.sendall(
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {MULTIPART}\r\n"
        f"Content-Length: {length}\r\n\r\n".encode()
    )
    return sock


def _answer(sock: socket.socket) -> bytes:
    """The server's answer: headers and the body of its Content-Length (or until close)."""
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
        head, _sep, body = data.partition(b"\r\n\r\n")
        length = re.search(rb"(?i)content-length: *(\d+)", head) if _sep else None
        if length and len(body) >= int(length.group(1)):
            break
    return data


def test_kinerja_serve_refuses_oversize_bodies(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("KINERJA_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(
        KINERJA_DATA_DIR=str(tmp_path),
        KINERJA_SECRET_KEY="bodylimit-test-" + "z" * 40,
        KINERJA_MAX_VERIFY_MB="1",
        KINERJA_MAX_REQUEST_MB="2",
    )
    port = _free_port()
    command = [sys.executable, "-m", "kinerja", "serve", "--port", str(port), "--threads", "2"]
    process = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, process.stdout.read()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "kinerja serve did not answer"
                time.sleep(0.2)
        # 1 GB declared, nothing sent: waitress answers 413 at once, reading no body
        started = time.monotonic()
        with _post_head(port, "/dokumen/verifikasi/", 1024 * MB) as sock:
            answer = _answer(sock)
        assert answer.split(b"\r\n")[0].split()[1] == b"413", answer[:200]
        assert time.monotonic() - started < 10
        # 1.5 MB sent to the verification page: under the server's cap, over the page's 1 MB
        body = b"--batas\r\nContent-Disposition: form-data; name=file; filename=a.pdf\r\n\r\n"
        body += b"0" * (3 * MB // 2)
        with _post_head(port, "/dokumen/verifikasi/", len(body)) as sock:
            sock.sendall(body)
            answer = _answer(sock)
        assert answer.split(b"\r\n")[0].split()[1] == b"413", answer[:200]
        assert b"Berkas terlalu besar" in answer
    finally:
        process.terminate()
        process.communicate(timeout=30)
