"""A minimal browser for the fault tests: cookies, CSRF, forms and file uploads over real
HTTP (urllib), against a ``kinerja serve`` process."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid


class Browser:
    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def _csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def request(self, path: str, data: bytes | None = None, headers=None, timeout=60):
        req = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            with self.opener.open(req, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as err:
            return err.code, err.read()

    def get(self, path: str) -> tuple[int, str]:
        status, body = self.request(path)
        return status, body.decode("utf-8", "replace")

    def post(self, path: str, fields: dict[str, str], files=None, timeout=60):
        fields = {**fields, "csrfmiddlewaretoken": self._csrf()}
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, (filename, content) in (files or {}).items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
                + content
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers = {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "X-CSRFToken": self._csrf(),
            "Referer": self.base + path,
        }
        status, raw = self.request(path, body, headers, timeout)
        return status, raw.decode("utf-8", "replace")

    def login(self, username: str, password: str) -> None:
        status, _page = self.get("/akun/masuk/")
        assert status == 200
        status, page = self.post("/akun/masuk/", {"username": username, "password": password})
        assert status == 200 and "/akun/keluar/" in page, page[-1500:]


def form_fields(html: str, form_marker: str) -> dict[str, str]:
    """The values of the inputs, selects and textareas of the form that follows
    ``form_marker`` in ``html`` (enough to post it back as a browser would)."""
    form = html[html.find(form_marker) :]
    form = form[: form.find("</form>")]
    data: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or re.search(r'type="(submit|file|button)"', tag):
            continue
        if re.search(r'type="(checkbox|radio)"', tag) and "checked" not in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data[name.group(1)] = value.group(1) if value else ""
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        data[name] = body.strip()
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option[^>]*value="([^"]*)"[^>]*selected', body) or re.search(
            r'<option[^>]*value="([^"]+)"', body
        )
        data[name] = chosen.group(1) if chosen else ""
    return {k: _unescape(v) for k, v in data.items()}


def _unescape(value: str) -> str:
    import html

    return html.unescape(value)
