"""The access matrix: every URL of the project, as every role and anonymous, GET and POST.

The URL patterns are enumerated from Django's resolver (recursively, with namespaces); each
object parameter is filled from the module's world (``tests/security/world.py``: two
agencies, several units, two quarters, analysts given a unit in one quarter, another, or
none). The answer every (URL, object, role, method) must get comes from ``RULES`` alone:

* a role listed for the method gets its page: GET 200 (or the rule's ``get_ok``); POST
  anything but a refusal (the empty form may be answered with errors, 400, or a redirect);
* any other signed-in role is refused: 403, 404 or 405 (never the page, never a 500);
* anonymous, when not listed, is sent to the login page (or refused the same way).

POSTs carry a valid CSRF token (the check itself is Django's and tested there), so what is
tested is the view's own access rule. The REST API (``api:*``, one table with the pages) is
called with a personal token of each role's person instead of a session: anonymous gets
401, a refusal. The Django admin is requested with GET only (a POST
there as superuser would delete the world's objects).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.world import ROLES, SOP

# --------------------------------------------------------------------------------------------
# RULES: URL name -> {object label: Rule}. How to add one (a new URL fails
# test_every_url_has_a_rule until you do):
#   1. name the roles that may GET and POST it, with the sets below (roles: world.ROLES);
#   2. a URL with object parameters gets one entry per object label of FILL (add a label to
#      FILL when you need a new kind of object; fill its kwargs/query from the world);
#   3. "-" is the label of a URL without objects. Run this module and read the failures.
# --------------------------------------------------------------------------------------------
EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {"anon"}
NOBODY: frozenset[str] = frozenset()
A_WIDE = frozenset({"superuser", "agency_admin", "camat", "sekcam", "planner"})
B_WIDE = frozenset({"superuser", "b_sekcam", "b_admin"})
ADMINS = frozenset({"superuser", "agency_admin", "b_admin"})
PLANNERS = ADMINS | {"planner"}
DASHBOARD = A_WIDE | B_WIDE | {"kasi_p", "kasi_t", "analyst_q3", "analyst_q2"}


ANY = "any"  # post_ok: every answer below 500 (a page that ignores POST, 405, a message)


@dataclass(frozen=True)
class Rule:
    get: frozenset[str] = NOBODY
    post: frozenset[str] = NOBODY
    get_ok: tuple[int, ...] = (200,)
    post_ok: tuple[int, ...] | str | None = None  # None: anything but a refusal


def R(get=NOBODY, post=NOBODY, get_ok=(200,), post_ok=None) -> Rule:  # noqa: N802 - a table
    return Rule(frozenset(get), frozenset(post), get_ok, post_ok)


def page(roles, *, get_ok=(200,)) -> Rule:
    """A page to read: ``roles`` GET it; for them a POST may be ignored or refused, for
    everybody else both methods are refused."""
    return R(get=roles, post=roles, get_ok=get_ok, post_ok=ANY)


def form(roles, get_ok=(200,)) -> Rule:
    """A page with a form: ``roles`` GET it and have their POST handled."""
    return R(get=roles, post=roles, get_ok=get_ok)


def action(roles, post_ok=None) -> Rule:
    """POST only (GET is 405 for everybody)."""
    return R(post=roles, post_ok=post_ok)


ANALYSTS = frozenset({"analyst_q3", "analyst_q2"})
A_Q3 = A_WIDE | {"kasi_p", "kasi_t", "analyst_q3", "analyst_q2"}
A_Q2 = A_WIDE | {"kasi_p", "kasi_t", "analyst_q2"}
A_PEOPLE = SIGNED_IN - {"b_sekcam", "b_admin"}  # everyone holding a position in agency A

RULES: dict[str, dict[str, Rule]] = {
    # public: the printed link and the verification page (anyone holding the paper)
    "verify_short": {
        "doc_a": form(EVERYONE),
        "doc_b": form(EVERYONE),
        "no_doc": R(),
    },
    "reports:verify": {"doc_a": form(EVERYONE), "doc_b": form(EVERYONE), "no_doc": R()},
    "reports:verify_upload": {"-": form(EVERYONE)},
    "bench_floor": {"-": R()},  # 404 unless KINERJA_BENCHMARK=1 (benchmarks/scale.py)
    "set_language": {"-": R(get=EVERYONE, post=EVERYONE, get_ok=(302, 204))},
    "web:set_language": {"-": action(EVERYONE)},
    "login": {"-": R(get=EVERYONE, post=EVERYONE, get_ok=(200, 302))},
    "logout": {"-": action(EVERYONE, post_ok=(302,))},  # back to the login page
    "password_change": {"-": form(SIGNED_IN)},
    # forgotten password: public (the answer never tells whether an account exists)
    "password_reset": {"-": form(EVERYONE)},
    "password_reset_done": {"-": page(EVERYONE)},
    "password_reset_confirm": {"reset_link": form(EVERYONE)},  # a bad link: "not valid"
    "password_reset_complete": {"-": page(EVERYONE)},
    # notifications: one's own only
    "notifications:list": {"-": page(SIGNED_IN)},
    "notifications:bell": {"-": page(SIGNED_IN)},
    "notifications:preferences": {"-": form(SIGNED_IN)},
    "notifications:mark_all_read": {"-": action(SIGNED_IN)},
    "notifications:mark_read": {"sekcam": action({"sekcam"})},
    # documents
    "reports:documents": {
        "-": page(A_WIDE | B_WIDE | {"kasi_p", "kasi_t"}),
        "case_a_q3": page(A_Q3),
        "case_a_q2": page(A_Q2),
        "case_b": page(B_WIDE),
        "agency_a": page(A_Q3),
        "agency_b": page(B_WIDE),
    },
    "reports:generate": {"-": action(SIGNED_IN)},
    # the status of a background generation: only the user who asked for it
    "reports:job": {"job_kasi_p": page({"kasi_p"})},
    "reports:download": {"doc_a": page(A_WIDE | {"kasi_p"}), "doc_b": page(B_WIDE)},
    "reports:sop_page": {"sop": page(SIGNED_IN)},
    "reports:sop_svg": {"sop": page(SIGNED_IN)},
    # Excel import/export per agency
    "performance:excel": {"agency_a": page(A_Q3), "agency_b": page(B_WIDE)},
    # templates: the targets/realisations of the units one sees (analyst_q2 holds T's step 3)
    "performance:template_targets": {"agency_a": page(A_Q3), "agency_b": page(B_WIDE)},
    "performance:template_realisations": {"agency_a": page(A_Q3), "agency_b": page(B_WIDE)},
    # the plan: administrators and the Kasubag Perencanaan (performance.permissions.may_plan)
    "performance:import_targets": {
        "agency_a": form({"superuser", "agency_admin", "planner"}),
        "agency_b": form({"superuser", "b_admin"}),
    },
    # realisations: unit heads (the planner heads Perencanaan), the analysts holding an open
    # step 3, administrators; Camat and Sekcam review, they do not import (403)
    "performance:import_realisations": {
        "agency_a": form({"superuser", "agency_admin", "planner", "kasi_p", "kasi_t"} | ANALYSTS),
        "agency_b": form({"superuser", "b_admin"}),
    },
    "performance:export": {"agency_a": page(A_Q3), "agency_b": page(B_WIDE)},
    # the daily pages
    "web:home": {"-": page(SIGNED_IN, get_ok=(302,))},  # to the task list
    "web:my_tasks": {"-": page(SIGNED_IN)},
    "web:task": {
        "task_a_q3_p": form(A_WIDE | {"kasi_p", "analyst_q3"}),
        "task_a_q3_t": form(A_WIDE | {"kasi_t", "analyst_q2"}),
        "task_a_q3_p_done": form(A_WIDE | {"kasi_p", "analyst_q3"}),
        "task_b": form(B_WIDE),
    },
    "web:case_list": {"-": page(SIGNED_IN)},
    "web:case": {"case_a_q3": page(A_Q3), "case_a_q2": page(A_Q2), "case_b": page(B_WIDE)},
    "web:case_release": {
        "case_a_q3": action(A_Q3),
        "case_a_q2": action(A_Q2),
        "case_b": action(B_WIDE),
    },
    # unlocking a unit's approved quarter: the agency's administrators only
    "web:case_unlock": {
        "case_a_q3": action({"superuser", "agency_admin"}),
        "case_a_q2": action({"superuser", "agency_admin"}),
        "case_b": action({"superuser", "b_admin"}),
    },
    "web:dashboard": {"-": page(DASHBOARD)},
    "web:chart_completeness": {"-": page(DASHBOARD)},
    "web:chart_unit_achievement": {"-": page(DASHBOARD)},
    "web:indicator": {
        "ind_a_p": page(A_WIDE | {"kasi_p", "analyst_q3", "analyst_q2"}),
        "ind_a_t": page(A_WIDE | {"kasi_t", "analyst_q2"}),
        "ind_b": page(B_WIDE),
    },
    "web:chart_indicator": {
        "ind_a_p": page(A_WIDE | {"kasi_p", "analyst_q3", "analyst_q2"}),
        "ind_a_t": page(A_WIDE | {"kasi_t", "analyst_q2"}),
        "ind_b": page(B_WIDE),
    },
    "web:sop_list": {"-": page(SIGNED_IN)},
    "web:sop": {"sop": page(SIGNED_IN)},
    # files: the unit's head, agency-wide officials, the analyst given that unit's quarter
    "web:material_file": {
        "mat_a_q3_p": page(A_WIDE | {"kasi_p", "analyst_q3"}),
        "mat_a_q2_p": page(A_WIDE | {"kasi_p", "analyst_q2"}),
        "mat_b": page(B_WIDE),
    },
    "web:evidence_file": {
        "ev_a_q3_p": page(A_WIDE | {"kasi_p", "analyst_q3"}),
        "ev_a_q2_p": page(A_WIDE | {"kasi_p", "analyst_q2"}),
    },
    # master data (administrators) and planning (administrators and planners)
    "web:master_index": {"-": page(PLANNERS)},
    "web:indicator_list": {"-": page(PLANNERS)},
    "web:indicator_create": {"-": form(PLANNERS)},
    "web:indicator_edit": {
        "ind_a_p": form({"superuser", "agency_admin", "planner"}),
        "ind_b": form({"superuser", "b_admin"}),
    },
    "web:targets": {"-": form(PLANNERS)},
    "web:budget": {"-": form(PLANNERS)},
    "web:master_list": {"kind_unit": page(ADMINS), "kind_instansi": page(ADMINS)},
    "web:master_create": {"kind_unit": form(ADMINS), "kind_instansi": form({"superuser"})},
    "web:master_edit": {
        "unit_a": form({"superuser", "agency_admin"}),
        "unit_b": form({"superuser", "b_admin"}),
        # users: an agency administrator manages its current holders, never a superuser
        "user_a": form({"superuser", "agency_admin"}),
        "user_b": form({"superuser", "b_admin"}),
        "user_root": form({"superuser"}),
    },
    "web:master_user_reset": {
        "user_a": action({"superuser", "agency_admin"}),
        "user_b": action({"superuser", "b_admin"}),
        "user_root": action({"superuser"}),
    },
    # the token page: everyone their own; administrators revoke those of people they manage
    "api_tokens": {"-": form(SIGNED_IN)},
    "api_token_revoke": {"token_sekcam": action({"superuser", "agency_admin", "sekcam"})},
    # ---- the REST API (/api/v1/), called with each role's own token (anonymous: none) ----
    "api:api-root": {"-": R()},
    "api:openapi-json": {"-": page(EVERYONE)},
    "api:openapi-view": {"-": page(EVERYONE)},
    "api:auth_token": {"-": action(EVERYONE, post_ok=(400,))},  # no credentials sent
    "api:token_list": {"-": page(SIGNED_IN)},
    "api:token_revoke": {"token_sekcam": action({"superuser", "agency_admin", "sekcam"})},
    "api:me": {"-": page(SIGNED_IN)},
    "api:my_tasks": {"-": page(SIGNED_IN)},
    "api:notifications": {"-": page(SIGNED_IN)},
    "api:notifications_read_all": {"-": action(SIGNED_IN)},
    "api:notification_read": {"sekcam": action({"sekcam"})},
    "api:calendar_due": {"due_a": page(A_PEOPLE), "due_b": page(B_WIDE)},
    "api:calendar_holidays": {"holidays_a": page(A_PEOPLE), "holidays_b": page(B_WIDE)},
    # one path, two operations (and two URL names): GET lists, POST loads (superusers; the
    # empty text sent is answered 400 with its problems)
    "api:sop_list": {"-": R(get=SIGNED_IN, post={"superuser"})},
    "api:sop_load": {"-": R(get=SIGNED_IN, post={"superuser"})},
    "api:sop_show": {"sop": page(SIGNED_IN)},
    "api:sop_svg": {"sop": page(SIGNED_IN)},
    "api:agency_list": {"-": page(SIGNED_IN)},
    "api:agency_show": {"agency_a": page(A_PEOPLE), "agency_b": page(B_WIDE)},
    # one path, two operations: GET lists, POST opens (API_BODY: the existing A 2026-Q2 case,
    # answered 200, nothing opened): agency A's administrators
    "api:case_list": {"-": R(get=SIGNED_IN, post={"superuser", "agency_admin"})},
    "api:case_open": {"-": R(get=SIGNED_IN, post={"superuser", "agency_admin"})},
    "api:case_show": {"case_a_q3": page(A_Q3), "case_a_q2": page(A_Q2), "case_b": page(B_WIDE)},
    "api:case_release": {  # no unit named: 400 for whoever sees the case
        "case_a_q3": action(A_Q3),
        "case_a_q2": action(A_Q2),
        "case_b": action(B_WIDE),
    },
    "api:task_show": {
        "task_a_q3_p": page(A_WIDE | {"kasi_p", "analyst_q3"}),
        "task_a_q3_t": page(A_WIDE | {"kasi_t", "analyst_q2"}),
        "task_a_q3_p_done": page(A_WIDE | {"kasi_p", "analyst_q3"}),
        "task_b": page(B_WIDE),
    },
    # API_BODY: a stale version, so the doer's call is 409 and changes nothing; whoever sees
    # the task but may not act on it gets 403, the others 404
    "api:task_complete": {
        "task_a_q3_p": action({"analyst_q3"}),
        "task_a_q3_t": action({"analyst_q2"}),
        "task_a_q3_p_done": action(A_WIDE | {"kasi_p", "analyst_q3"}),  # 422: done already
        "task_b": action(NOBODY),
    },
    # Django's admin: staff only (the world's superuser); GET only, see the module docstring
    "admin:*": {"-": page({"superuser"})},  # checked by _admin_expected
}


def FILL(world, label: str) -> tuple[dict, dict]:  # noqa: N802
    """Object label -> (URL kwargs, query string) from the world."""
    w = world
    table = {
        "-": ({}, {}),
        "doc_a": ({"short_code": w.documents["a_p"].short_code, "pk": w.documents["a_p"].pk}, {}),
        "doc_b": ({"short_code": w.documents["b"].short_code, "pk": w.documents["b"].pk}, {}),
        "no_doc": ({"short_code": "TIDAKADA00"}, {}),
        "job_kasi_p": ({"pk": w.jobs["kasi_p"].pk}, {}),
        "sekcam": (
            {"pk": w.notifications["sekcam"].pk, "notification_id": w.notifications["sekcam"].pk},
            {},
        ),
        "case_a_q3": ({"case_id": w.cases["a_q3"].pk}, {"case": w.cases["a_q3"].pk}),
        "case_a_q2": ({"case_id": w.cases["a_q2"].pk}, {"case": w.cases["a_q2"].pk}),
        "case_b": ({"case_id": w.cases["b"].pk}, {"case": w.cases["b"].pk}),
        "agency_a": ({"agency": w.agency_a.code}, {"agency": w.agency_a.code}),
        "agency_b": ({"agency": w.agency_b.code}, {"agency": w.agency_b.code}),
        "sop": ({"code": SOP}, {}),
        "task_a_q3_p": ({"task_id": w.tasks["a_q3_p"].pk}, {}),
        "task_a_q3_t": ({"task_id": w.tasks["a_q3_t"].pk}, {}),
        "task_a_q3_p_done": ({"task_id": w.tasks["a_q3_p_done"].pk}, {}),
        "task_b": ({"task_id": w.tasks["b"].pk}, {}),
        "ind_a_p": ({"indicator_id": w.indicators["a_p"].pk, "pk": w.indicators["a_p"].pk}, {}),
        "ind_a_t": ({"indicator_id": w.indicators["a_t"].pk, "pk": w.indicators["a_t"].pk}, {}),
        "ind_b": ({"indicator_id": w.indicators["b"].pk, "pk": w.indicators["b"].pk}, {}),
        "mat_a_q3_p": ({"pk": w.materials["a_q3_p"].pk}, {}),
        "mat_a_q2_p": ({"pk": w.materials["a_q2_p"].pk}, {}),
        "mat_b": ({"pk": w.materials["b"].pk}, {}),
        "ev_a_q3_p": ({"pk": w.evidence["a_q3_p"].pk}, {}),
        "ev_a_q2_p": ({"pk": w.evidence["a_q2_p"].pk}, {}),
        "kind_unit": ({"kind": "unit"}, {}),
        "kind_instansi": ({"kind": "instansi"}, {}),
        "unit_a": ({"kind": "unit", "pk": w.units["P"].pk}, {}),
        "unit_b": ({"kind": "unit", "pk": w.units["B"].pk}, {}),
        "user_a": ({"kind": "pengguna", "pk": w.users["kasi_pemerintahan"].pk}, {}),
        "user_b": ({"kind": "pengguna", "pk": w.users["b_sekcam"].pk}, {}),
        "user_root": ({"kind": "pengguna", "pk": w.users["admin"].pk}, {}),
        "reset_link": ({"uidb64": "MQ", "token": "abc-123"}, {}),
        "token_sekcam": ({"token_id": w.api_tokens["sekcam"].pk}, {}),
        "due_a": (
            {},
            {"start": "2026-10-12T08:00", "duration": "1 day", "agency": w.agency_a.code},
        ),
        "due_b": (
            {},
            {"start": "2026-10-12T08:00", "duration": "1 day", "agency": w.agency_b.code},
        ),
        "holidays_a": ({}, {"year": "2026", "agency": w.agency_a.code}),
        "holidays_b": ({}, {"year": "2026", "agency": w.agency_b.code}),
    }
    return table[label]


# --------------------------------------------------------------------------------------------
# The machinery
# --------------------------------------------------------------------------------------------
CSRF = "k" * 32  # a valid unmasked CSRF secret: cookie and header agree
LOGIN_PATHS = ("/akun/masuk/", "/admin/login/")


def url_patterns() -> list[tuple[str, object]]:
    """(namespaced name, pattern) of every URL the project answers, recursively."""

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = namespace
                if p.namespace:
                    ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
                yield from walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern):
                name = p.name or f"<unnamed {p.pattern}>"
                yield (f"{namespace}:{name}" if namespace else name), p

    return list(walk(get_resolver().url_patterns, ""))


def rule_key(name: str) -> str:
    return "admin:*" if name.startswith("admin:") else name


def test_every_url_has_a_rule():
    missing = sorted({rule_key(n) for n, _p in url_patterns()} - set(RULES))
    assert not missing, f"URLs without an entry in RULES (add one, see its comment): {missing}"
    stale = sorted(set(RULES) - {rule_key(n) for n, _p in url_patterns()})
    assert not stale, f"RULES entries for URLs that no longer exist: {stale}"


def _clients(world) -> dict[str, Client]:
    clients = {}
    for role, username in ROLES.items():
        client = Client(enforce_csrf_checks=True)
        client.cookies["csrftoken"] = CSRF
        if username is not None:
            client.force_login(world.users[username])
        clients[role] = client
    return clients


def _api_clients(world) -> dict[str, Client]:
    """The API is called with a token of each role's person (no session, no CSRF)."""
    from kinerja.api.services import token_create

    clients = {}
    for role, username in ROLES.items():
        headers = {}
        if username is not None:
            _token, secret = token_create(actor=world.users[username], name="matrix")
            headers["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
        clients[role] = Client(**headers)
    return clients


def is_api(name: str) -> bool:
    return name.startswith("api:")


def API_BODY(world, name: str) -> dict:  # noqa: N802 - a table
    """The JSON an API POST sends (default: an empty object)."""
    open_case = {"sop": SOP, "agency": world.agency_a.code, "period": "2026-Q2"}
    return {
        "api:case_list": open_case,  # the same path as api:case_open
        "api:case_open": open_case,
        "api:task_complete": {"expected_version": 99999},
    }.get(name, {})


ADMIN_PAGES = ("admin:index", "admin:login", "admin:password_change", "admin:jsi18n")


def _admin_url(name: str, pattern) -> str | None:
    """Admin URLs: those without parameters, and object pages with object id 1 (the
    unnamed ones are redirects to the named ones)."""
    if pattern.name is None or name == "admin:autocomplete":
        return None  # autocomplete answers 403 without its query (Django's own view)
    if not (name in ADMIN_PAGES or name.endswith(("_changelist", "_change"))):
        return None  # add/delete/history: the same admin_view guard as the change page
    kwargs = {}
    for key in pattern.pattern.regex.groupindex:
        if key == "object_id":
            kwargs[key] = "1"
        else:
            return None  # app_label / content_type pages: the index and changelists suffice
    return reverse(name, kwargs=kwargs)


def _verdict(role, method, response, rule: Rule) -> str | None:
    status = response.status_code
    location = response.get("Location", "")
    if status >= 500:
        return f"server error {status}"
    refused = status in (401, 403, 404, 405) or (status == 302 and location.startswith(LOGIN_PATHS))
    if method == "GET" and role in rule.get:
        if status not in rule.get_ok:
            return f"expected {rule.get_ok}, got {status} {location}"
        return None
    if method == "POST" and role in rule.post:
        if rule.post_ok == ANY or (rule.post_ok is not None and status in rule.post_ok):
            return None
        if rule.post_ok is not None:
            return f"expected {rule.post_ok}, got {status} {location}"
        if refused:
            return f"refused ({status} {location}) but the rule allows it"
        return None
    if refused:
        return None
    return f"expected a refusal, got {status} {location}"


def _admin_expected(name: str, role: str, response) -> str | None:
    """Django's admin is for staff: others are sent to its login page (which anyone may
    open); inside, Django's own model permissions answer (a read-only model's add page
    is 403), never a server error."""
    status, location = response.status_code, response.get("Location", "")
    if status >= 500:
        return f"server error {status}"
    if name == "admin:login":
        return None if status in (200, 302) else f"login page answered {status}"
    if role == "superuser":
        if name in ("admin:index",) or name.endswith("_changelist"):
            return None if status == 200 else f"expected 200, got {status}"
        return None
    if status == 302 and location.startswith("/admin/login/"):
        return None
    return f"expected the admin login, got {status} {location}"


@pytest.mark.django_db
def test_access_matrix(world):
    session_clients = _clients(world)
    api_clients = _api_clients(world)
    failures: list[str] = []
    requests = 0
    started = time.monotonic()
    spent: dict[str, float] = {}
    for name, pattern in url_patterns():
        key = rule_key(name)
        spent_from = time.monotonic()
        if key == "admin:*":
            url = _admin_url(name, pattern)
            if url is None:
                continue
            for role in ("anon", "agency_admin", "superuser"):
                response = session_clients[role].get(url)
                requests += 1
                verdict = _admin_expected(name, role, response)
                if verdict:
                    failures.append(f"GET {url} as {role}: {verdict}")
            spent[key] = spent.get(key, 0) + time.monotonic() - spent_from
            continue
        clients = api_clients if is_api(name) else session_clients
        for label, rule in RULES[key].items():
            kwargs, query = FILL(world, label)
            names = set(pattern.pattern.regex.groupindex)
            url = reverse(name, kwargs={k: v for k, v in kwargs.items() if k in names})
            data = {k: v for k, v in query.items() if not names & set(kwargs)}
            for role, client in clients.items():
                for method in ("GET", "POST"):
                    if method == "GET":
                        response = client.get(url, data)
                    elif is_api(name):  # JSON: API_BODY
                        target = url + ("?" + "&".join(f"{k}={v}" for k, v in data.items()))
                        body = json.dumps(API_BODY(world, name))
                        response = client.post(target, body, content_type="application/json")
                    else:
                        target = url + ("?" + "&".join(f"{k}={v}" for k, v in data.items()))
                        response = client.post(target, {}, HTTP_X_CSRFTOKEN=CSRF)
                    requests += 1
                    verdict = _verdict(role, method, response, rule)
                    if verdict:
                        failures.append(f"{method} {url} {data or ''} as {role}: {verdict}")
                    if name == "logout" and method == "POST" and ROLES[role]:
                        client.force_login(world.users[ROLES[role]])
                        client.cookies["csrftoken"] = CSRF
        spent[key] = spent.get(key, 0) + time.monotonic() - spent_from
    elapsed = time.monotonic() - started
    slowest = sorted(spent.items(), key=lambda item: -item[1])[:6]
    print("slowest:", ", ".join(f"{k} {v:.1f}s" for k, v in slowest))
    print(f"access matrix: {requests} requests in {elapsed:.1f} s")
    assert not failures, f"{len(failures)} of {requests} answers break RULES:\n" + "\n".join(
        failures
    )


# --------------------------------------------------------------------------------------------
# The findings of issue 10 that the matrix generalises, named (same world)
# --------------------------------------------------------------------------------------------
def _client(world, username: str | None) -> Client:
    client = Client()
    if username:
        client.force_login(world.users[username])
    return client


@pytest.mark.django_db
def test_analyst_gets_the_files_of_the_quarter_given_only(world):
    """Finding 6: analis_1 was given Pemerintahan in 2026-Q3, not in 2026-Q2."""
    client = _client(world, "analis_1")
    q3 = client.get(reverse("web:evidence_file", args=[world.evidence["a_q3_p"].pk]))
    assert q3.status_code == 200
    assert b"".join(q3.streaming_content).startswith(b"%PDF")
    assert (
        client.get(reverse("web:evidence_file", args=[world.evidence["a_q2_p"].pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("web:material_file", args=[world.materials["a_q2_p"].pk])).status_code
        == 404
    )
    # the section head sees both quarters of the unit
    head = _client(world, "kasi_pemerintahan")
    assert (
        head.get(reverse("web:evidence_file", args=[world.evidence["a_q2_p"].pk])).status_code
        == 200
    )


@pytest.mark.django_db
def test_analyst_dashboard_lists_the_quarters_given_only(world):
    client = _client(world, "analis_1")
    response = client.get(reverse("web:dashboard"))
    assert response.status_code == 200
    periods = response.context["data"].periods
    assert periods == ["2026-Q3"]
    # asking for the other quarter shows the one given instead
    other = client.get(reverse("web:dashboard"), {"period": "2026-Q2"})
    assert other.context["data"].periods == ["2026-Q3"]
    assert str(other.context["summary"].period) == "2026-Q3"
    sekcam = _client(world, "sekcam").get(reverse("web:dashboard"))
    assert {"2026-Q3", "2026-Q2"} <= set(sekcam.context["data"].periods)


@pytest.mark.django_db
def test_document_list_of_another_agency_is_404_and_names_nothing(world):
    """Finding 11."""
    client = _client(world, "sekcam")
    for query in ({"case": world.cases["b"].pk}, {"agency": world.agency_b.code}):
        response = client.get(reverse("reports:documents"), query)
        assert response.status_code == 404
        assert world.agency_b.name.encode() not in response.content
    own = client.get(reverse("reports:documents"), {"case": world.cases["a_q3"].pk})
    assert own.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "/\\evil.example",
        "https:evil.example",
        "javascript:alert(1)",
        " https://evil.example/",
    ],
)
def test_next_never_leaves_the_site(world, target):
    """Finding 8: every form that honours ``next`` (release, notices, documents, language)."""
    sekcam = _client(world, "sekcam")
    case = world.cases["a_q3"]
    admin = _client(world, "a_admin")
    release = admin.post(
        reverse("web:case_release", args=[case.pk]),
        {"unit": world.units["T"].pk, "reason": "Terlambat tanpa kabar.", "next": target},
        follow=False,
    )
    assert release.status_code == 302
    assert release["Location"] == reverse("web:case", args=[case.pk])
    posts = [
        (reverse("notifications:mark_all_read"), {}),
        (reverse("notifications:mark_read", args=[world.notifications["sekcam"].pk]), {}),
        (reverse("reports:generate"), {"code": "tidak-ada", "fmt": "pdf"}),
        (reverse("web:set_language"), {"language": "id"}),
    ]
    for url, data in posts:
        response = sekcam.post(url, {**data, "next": target})
        assert response.status_code in (302, 303), (url, response.status_code)
        location = response["Location"]
        assert location.startswith("/") and not location.startswith(("//", "/\\")), (url, location)
    same_site = sekcam.post(reverse("notifications:mark_all_read"), {"next": "/kasus/"})
    assert same_site["Location"] == "/kasus/"


@pytest.mark.django_db
def test_release_goes_to_a_same_site_next(world):
    case = world.cases["a_q3"]
    response = _client(world, "a_admin").post(
        reverse("web:case_release", args=[case.pk]),
        {"unit": world.units["T"].pk, "reason": "Terlambat tanpa kabar.", "next": "/kasus/"},
    )
    assert response["Location"] == "/kasus/"


@pytest.mark.django_db
def test_analyst_indicator_page_shows_the_quarters_given_only(world):
    indicator = world.indicators["a_p"]
    url = reverse("web:indicator", args=[indicator.pk])
    analyst = _client(world, "analis_1").get(url)
    assert analyst.status_code == 200
    assert [str(p.period) for p in analyst.context["page"].quarters] == ["2026-Q3"]
    assert analyst.context["page"].years == []
    chart = _client(world, "analis_1").get(reverse("web:chart_indicator", args=[indicator.pk]))
    assert chart.status_code == 200
    head = _client(world, "kasi_pemerintahan").get(url)
    assert {"2026-Q2", "2026-Q3"} <= {str(p.period) for p in head.context["page"].quarters}
    assert head.context["page"].years
