"""Hostile input against every page's query parameters and form fields: never a 500.

Every URL of the access matrix (its ``RULES`` and ``FILL``) is requested by a role allowed
to open it (the superuser, a limited role, and anonymous where the page is public), with
hostile values (NUL bytes, unicode digits and letters, huge and negative numbers, very long
strings, markup) in the query parameters the project reads and in every field of the
page's own forms. A deterministic sweep sends the classic ones to every parameter; a
bounded hypothesis run mixes generated values. Runs on SQLite and PostgreSQL (CI runs the
suite on both); bad input must be answered with 400/404 and a message, or be ignored.
"""

from __future__ import annotations

import contextlib
import re
from unittest import mock

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.test_access_matrix import CSRF, FILL, RULES, url_patterns
from tests.security.world import ROLES

CLASSICS = (
    "\x00",
    "abc\x00",
    "abc",
    "99999999999999999999999999",
    "-1",
    "0",
    "1e3",
    "٢٠٢٦",  # Arabic-Indic digits: str.isdigit() says yes, int() too
    "²",
    "2026-Q9",
    "0000-Q1",
    "9" * 400,
    "x" * 5000,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "https://evil.example/",
    "Ω≈ç√∫",
)


# Sent to every parameter one by one (NUL is refused before any view: see the named test).
SWEEP = ("abc", "99999999999999999999999999", str(2**70), "٢٠٢٦")


def hostile_text():
    return st.one_of(
        st.sampled_from(CLASSICS),
        st.text(st.characters(codec="utf-8"), max_size=40),
        st.integers(min_value=-(2**80), max_value=2**80).map(str),
        st.text(st.sampled_from("0123456789-Q\x00 "), min_size=1, max_size=30),
    )


IGNORED = {"csrfmiddlewaretoken", "_probe"}
# Pages whose form only its doer gets (the superuser may watch a task, not act on it).
DOERS = {("web:task", "POST"): "analyst_q3", ("web:task", "GET"): "analyst_q3"}


@contextlib.contextmanager
def _reads():
    """The names a view reads from the query string or form (``get``, ``[]``, ``getlist``
    and ``in`` on Django's QueryDict), found by spying on one plain request: every
    parameter a page takes is fuzzed, including form fields added later."""
    read: set[str] = set()
    originals = {
        "get": MultiValueDict.get,
        "__getitem__": MultiValueDict.__getitem__,
        "getlist": MultiValueDict.getlist,
        "__contains__": dict.__contains__,
    }

    def spy(attr):
        original = originals[attr]

        def wrapper(self, key, *args, **kwargs):
            if isinstance(self, QueryDict) and isinstance(key, str):
                read.add(key)
            return original(self, key, *args, **kwargs)

        return wrapper

    with contextlib.ExitStack() as stack:
        for attr in originals:
            stack.enter_context(mock.patch.object(QueryDict, attr, spy(attr)))
        yield read


def _role_for(rule, method: str) -> str | None:
    """Who sends the hostile values: anonymous on public pages, else the superuser (every
    code path of the page runs for them), else a role the page is for."""
    allowed = rule.get if method == "GET" else rule.post
    for role in ("anon", "superuser", *sorted(allowed)):
        if role in allowed:
            return role
    return None


def _representatives(names: set[str]) -> tuple[str, ...]:
    """One field per family of a grid (``q1_5``, ``q1_6``... are read by the same code)."""
    chosen: dict[str, str] = {}
    for name in sorted(names):
        chosen.setdefault(re.sub(r"_\d+$", "_#", name), name)
    return tuple(sorted(chosen.values()))


@pytest.fixture(scope="module")
def targets(world, django_db_blocker):
    """(role, method, url, base data, parameters to fuzz) for every page and role."""
    clients = {}
    for role, username in ROLES.items():
        client = Client(enforce_csrf_checks=True)
        client.cookies["csrftoken"] = CSRF
        if username:
            client.force_login(world.users[username])
        clients[role] = client
    found = []
    with django_db_blocker.unblock():
        for name, pattern in url_patterns():
            if name.startswith("admin:") or name == "logout":
                continue
            names = set(pattern.pattern.regex.groupindex)
            label, rule = next(iter(RULES[name].items()))  # one object per URL: same code
            kwargs, query = FILL(world, label)
            url = reverse(name, kwargs={k: v for k, v in kwargs.items() if k in names})
            base = {k: str(v) for k, v in query.items() if not names & set(kwargs)}
            for method in ("GET", "POST"):
                role = DOERS.get((name, method)) or _role_for(rule, method)
                if role is None:
                    continue
                with _reads() as read:
                    # a field the view ignores makes ``request.POST or None`` bind the form
                    _send(clients, role, method, url, base, {"_probe": "1"})
                params = _representatives(read - set(base) - IGNORED)
                if params:
                    found.append((role, method, url, base, params))
    return clients, found


def _send(clients, role, method, url, base, data):
    client = clients[role]
    if method == "GET":
        return client.get(url, {**base, **data})
    query = "&".join(f"{k}={v}" for k, v in base.items())
    return client.post(url + (f"?{query}" if query else ""), data, HTTP_X_CSRFTOKEN=CSRF)


def _check(response, what):
    assert response.status_code < 500, f"{what}: server error {response.status_code}"
    if response.status_code == 400 and response.get("Content-Type", "").startswith("text/"):
        assert response.content.strip(), f"{what}: 400 without a message"


@pytest.mark.django_db
def test_classic_bad_values_in_every_parameter(targets):
    clients, found = targets
    sent = 0
    for role, method, url, base, params in found:
        for param in params:
            for value in SWEEP:
                # the other fields filled plainly, so the form gets past "required"
                others = {p: "1" for p in params if method == "POST"}
                response = _send(clients, role, method, url, base, {**others, param: value})
                sent += 1
                _check(response, f"{method} {url} {param}={value[:30]!r} as {role}")
    assert sent > 100
    print(f"fuzz sweep: {len(found)} targets, {sent} requests")


@pytest.mark.django_db
@settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_generated_values_never_break_a_page(targets, data):
    clients, found = targets
    role, method, url, base, params = data.draw(st.sampled_from(found), label="target")
    chosen = data.draw(
        st.lists(st.sampled_from(params), min_size=1, max_size=3, unique=True), label="params"
    )
    values = {p: data.draw(hostile_text(), label=p) for p in chosen}
    response = _send(clients, role, method, url, base, values)
    _check(response, f"{method} {url} {values!r} as {role}")


# --------------------------------------------------------------------------------------------
# Finding 7, named
# --------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_bad_ids_are_a_400_with_a_message_or_a_404(world):
    client = Client()
    client.force_login(world.users["sekcam"])
    response = client.get("/dokumen/", {"case": "abc"})
    assert response.status_code == 400
    assert "bilangan bulat" in response.content.decode()
    assert client.get("/dokumen/", {"case": "9" * 26}).status_code == 400
    assert client.get("/dasbor/", {"agency": "99999999999999999999999999"}).status_code == 400
    assert client.get("/dasbor/", {"period": "2026-Q9"}).status_code == 400
    assert client.get("/tugas/99999999999999999999999999/").status_code == 404
    assert client.get("/kasus/9223372036854775808/").status_code == 404
    assert client.get("/prosedur/pengumpulan-data-kinerja/", {"versi": "²"}).status_code == 400


@pytest.mark.django_db
def test_nul_bytes_are_refused_everywhere_also_anonymously(world):
    anonymous = Client()
    code = world.documents["a_p"].short_code
    for response in (
        anonymous.get(f"/v/{code}", {"x": "\x00"}),
        anonymous.get("/dokumen/v/AB%00CD/"),
        anonymous.get("/v/AB\x00CD"),
        anonymous.post("/dokumen/verifikasi/", {"file": "\x00"}),
        anonymous.post("/akun/masuk/", {"username": "admin\x00", "password": "x"}),
    ):
        assert response.status_code == 400
        assert "karakter yang tidak diizinkan" in response.content.decode()
