"""Benchmark: the pages people use, at office, kabupaten and province scale, against a floor.

Builds a dataset, serves it as production does (``kinerja serve``, one process, on a free
port) and measures, in the same run, a trivial view through the same middleware and server
(the floor, ``/_bench/floor/``, answered only when ``KINERJA_BENCHMARK=1``) and the pages of
issue 14 at 1 and 32 concurrent clients: p50/p99 latency, throughput, the ratio to the floor,
and each page's query count (counted in-process with Django's test client). Then the time of
one ``kinerja tick`` over the whole dataset and the server's RSS after the load.

The dataset: the demo office (Kecamatan Binamu, its history played through the real
workflow engine, as ``kinerja demo`` builds it) plus generated agencies of 8 units x 10
indicators, each with its Renstra, PK, programmes, 5 years of quarter targets and
realisations, budget realisations (bulk writes of the same rows the services write), its
positions and users, and the current quarter's case opened through the engine
(``case_open``):

* ``office``: the demo office with only its quarter in progress and 1 generated agency of
  2 units x 2 indicators (seconds);
* ``kabupaten``: the demo office and 29 generated agencies (30 agencies);
* ``province``: the demo office and 719 generated agencies (24 kabupaten); PostgreSQL.

    uv run python benchmarks/scale.py --size office
    uv run python benchmarks/scale.py --size kabupaten \\
        --database-url postgres://postgres@127.0.0.1:5432/kinerja_scale --fresh

Without ``--database-url`` the dataset goes into a throw-away SQLite file. A PostgreSQL
database must be empty (``--fresh`` drops and creates it first).
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import http.client
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SIZES = {
    # generated agencies, units per agency, indicators per unit, history years before 2026
    "office": (1, 2, 2, 1),
    "kabupaten": (29, 8, 10, 4),
    "province": (719, 8, 10, 4),
}
FLOOR = "floor"


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{platform.system()} {platform.release()}, {os.cpu_count()} CPU ({model or '?'}), "
        f"Python {platform.python_version()}, load average {load}"
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fresh_postgres(url: str) -> None:
    """Drop and create the database named in ``url``."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


# --------------------------------------------------------------------------------------------
# The dataset
# --------------------------------------------------------------------------------------------


def build_agency(n: int, units: int, per_unit: int, history_years: int, password_hash: str):
    """One generated agency: units, positions and users, performance data, its SOP."""
    from tests.reports.data import build_performance

    from kinerja.accounts.models import User
    from kinerja.demo.history import SOP
    from kinerja.organization.models import Agency, Position, PositionHolder, Unit
    from kinerja.sop.models import AgencySop

    code = f"opd-{n:03d}"
    agency = Agency.objects.create(
        code=code,
        name=f"Kantor Kecamatan Contoh {n:03d}",
        short_name=f"Kec. Contoh {n:03d}",
        parent_name=f"Pemerintah Kabupaten Contoh {n // 30:02d}",
        address="Jl. Contoh No. 1",
        head_title="Camat",
    )
    unit_rows = Unit.objects.bulk_create(
        Unit(agency=agency, code=f"u{u}", name=f"Seksi Contoh {u}", order=u + 1)
        for u in range(units)
    )

    def position(pcode, title, role, unit=None, reports_to=None, is_admin=False):
        return Position.objects.create(
            agency=agency,
            code=pcode,
            title=title,
            role=role,
            unit=unit,
            reports_to=reports_to,
            is_admin=is_admin,
        )

    camat = position("camat", "Camat", "camat")
    sekcam = position("sekcam", "Sekretaris Camat", "sekcam", reports_to=camat)
    positions = [camat, sekcam]
    for u, unit in enumerate(unit_rows):
        positions.append(position(f"kasi_{u}", f"Kepala {unit.name}", "kasi", unit, sekcam))
    positions.append(
        position(
            "penyusun_laporan", "Penyusun laporan kinerja", "kasubag_perencanaan", None, sekcam
        )
    )
    for a in (1, 2):
        positions.append(position(f"analis_{a}", f"Analis Data {a}", "analis", None, sekcam))
    positions.append(position("admin", "Pengelola Data Kinerja", "admin", None, sekcam, True))
    users = User.objects.bulk_create(
        User(
            username=f"{code}-{p.code}",
            full_name=f"Pegawai {p.title} {n:03d}",
            email=f"{code}-{p.code}@contoh.example.id",
            password=password_hash,
        )
        for p in positions
    )
    import datetime as dt

    PositionHolder.objects.bulk_create(
        PositionHolder(
            position=p,
            user=user,
            kind=PositionHolder.Kind.DEFINITIVE,
            start_date=dt.date(2022, 1, 1),
        )
        for p, user in zip(positions, users, strict=True)
    )
    AgencySop.objects.create(agency=agency, sop_code=SOP)
    build_performance(
        agency, per_unit=per_unit, units=unit_rows, quarters=3, history_years=history_years
    )
    return agency


@contextlib.contextmanager
def one_password_hash(password_hash: str):
    """While building, every ``set_password`` stores ``password_hash`` (a real PBKDF2 hash
    of the demo password, computed once) instead of hashing again: the rows are those of
    the demo, without ~0.5 s of PBKDF2 per user."""
    from kinerja.accounts.models import User

    original = User.set_password

    def set_password(self, raw_password):
        self.password = password_hash

    User.set_password = set_password
    try:
        yield
    finally:
        User.set_password = original


def demo_quarter_in_progress() -> None:
    """The demo office with only its quarter in progress (``ensure_demo`` without the five
    finished quarters before it): the same office, people, performance data and the same
    case at the same steps, in a few seconds instead of a minute."""
    import random

    from django.db import transaction
    from django.utils import timezone

    from kinerja.demo import history, openings
    from kinerja.demo.performance import load_performance_data
    from kinerja.sop.models import AgencySop
    from kinerja.sop.services import sop_load_builtin

    with transaction.atomic():
        sop_load_builtin()
        office = history.build_office()
        AgencySop.objects.get_or_create(agency=office.agency, sop_code=history.SOP)
        load_performance_data(office)
        today = openings.end_of(timezone.localdate(), office.agency)
        [(opened, current)] = openings.openings(office.agency, today, 1)
        history.play_quarter_in_progress(office, opened, current, random.Random(2026))


def build_dataset(size: str) -> dict:
    import datetime as dt

    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from kinerja.demo.history import SOP, ensure_demo, latest_opening
    from kinerja.demo.office import PASSWORD
    from kinerja.workcalendar.selectors import calendar_for
    from kinerja.workflow.services import case_open

    extra, units, per_unit, history_years = SIZES[size]
    timings = {}
    password_hash = make_password(PASSWORD)
    t0 = time.perf_counter()
    with one_password_hash(password_hash):
        if size == "office":
            demo_quarter_in_progress()
            timings["demo office, quarter in progress (engine)"] = time.perf_counter() - t0
        else:
            ensure_demo()
            timings["demo office, 6 quarters (engine)"] = time.perf_counter() - t0
    opened_day, current = latest_opening(timezone.localdate())
    t0 = time.perf_counter()
    agencies = []
    for n in range(1, extra + 1):
        with transaction.atomic():
            agencies.append(build_agency(n, units, per_unit, history_years, password_hash))
    timings["generated agencies (bulk)"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    for agency in agencies:
        tz = calendar_for(agency).tz
        opened = dt.datetime.combine(opened_day, dt.time(7, 30), tzinfo=tz)
        case_open(sop_code=SOP, agency=agency, period=current, now=opened)
    timings["their cases (case_open)"] = time.perf_counter() - t0
    return {"timings": timings, "period": str(current), "opened_day": opened_day}


def row_counts() -> list[tuple[str, int]]:
    from kinerja.accounts.models import User
    from kinerja.organization.models import Agency, Unit
    from kinerja.performance.models import Indicator, QuarterTarget, Realisation
    from kinerja.reports.models import GeneratedDocument
    from kinerja.workflow.models import Case, Task

    return [
        (model._meta.verbose_name_plural.__str__() + f" ({model.__name__})", model.objects.count())
        for model in (
            Agency,
            Unit,
            User,
            Indicator,
            QuarterTarget,
            Realisation,
            Case,
            Task,
            GeneratedDocument,
        )
    ]


# --------------------------------------------------------------------------------------------
# The pages
# --------------------------------------------------------------------------------------------


@dataclass
class Page:
    name: str
    path: str
    user: object | None  # None: anonymous


def holder_of(task):
    from kinerja.organization.models import PositionHolder

    if task.assignee_id:
        return task.assignee
    return PositionHolder.objects.filter(position=task.position).select_related("user")[0].user


def pages(period: str) -> list[Page]:
    from django.urls import reverse

    from kinerja.accounts.models import User
    from kinerja.demo.office import AGENCY_CODE
    from kinerja.reports.services import document_generate
    from kinerja.workflow.models import Case, Task

    users = {u.username: u for u in User.objects.filter(username__in=["camat", "sekcam", "admin"])}
    case = Case.objects.get(agency__code=AGENCY_CODE, period=period)
    active = Task.objects.filter(case=case, status=Task.Status.ACTIVE).order_by("pk")
    step4 = active.filter(step=4).first()
    step5 = active.filter(step=5).first()
    document = document_generate(
        actor=None, code="laporan-triwulan", fmt="xlsx", agency=AGENCY_CODE, period=period
    )
    found = [
        Page(FLOOR, "/_bench/floor/", users["camat"]),
        Page("my tasks", reverse("web:my_tasks"), holder_of(step4) if step4 else users["sekcam"]),
        Page("case page", reverse("web:case", args=[case.pk]), users["sekcam"]),
        Page("agency dashboard", reverse("web:dashboard"), users["camat"]),
    ]
    if step4:
        found.append(Page("step 4 entry", reverse("web:task", args=[step4.pk]), holder_of(step4)))
    if step5:
        found.append(Page("step 5 review", reverse("web:task", args=[step5.pk]), holder_of(step5)))
    found += [
        Page("targets grid", reverse("web:targets"), users["admin"]),
        Page("budget page", reverse("web:budget"), users["admin"]),
        Page("document download", reverse("reports:download", args=[document.pk]), users["camat"]),
        Page("login page", reverse("login"), None),
    ]
    return found


def query_counts(found: list[Page]) -> dict[str, tuple[int, int]]:
    """Page name -> (status, queries of a second, warm request) through Django's test client."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for page in found:
        client = Client(HTTP_HOST="127.0.0.1")
        if page.user is not None:
            client.force_login(page.user)
        client.get(page.path)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(page.path)
        counts[page.name] = (response.status_code, len(ctx.captured_queries))
    return counts


def session_cookies(found: list[Page]) -> dict[str, str]:
    """Page name -> Cookie header of a signed-in session of its user (a database session)."""
    from django.conf import settings
    from django.test import Client

    cookies = {}
    by_user = {}
    for page in found:
        if page.user is None:
            cookies[page.name] = ""
            continue
        if page.user.pk not in by_user:
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(page.user)
            value = client.cookies[settings.SESSION_COOKIE_NAME].value
            by_user[page.user.pk] = f"{settings.SESSION_COOKIE_NAME}={value}"
        cookies[page.name] = by_user[page.user.pk]
    return cookies


# --------------------------------------------------------------------------------------------
# The load
# --------------------------------------------------------------------------------------------


@dataclass
class Result:
    latencies: list[float]
    wall: float
    errors: list[str]

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) if self.latencies else float("nan")

    @property
    def p99(self) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.wall if self.wall else float("nan")


def load(port: int, path: str, cookie: str, clients: int, total: int) -> Result:
    """``total`` GETs of ``path`` by ``clients`` threads, each on its own keep-alive connection."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    remaining = [total]
    headers = {"Cookie": cookie} if cookie else {}
    start = threading.Barrier(clients + 1)

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        try:  # one warm-up request on this connection (not measured)
            conn.request("GET", path, headers=headers)
            conn.getresponse().read()
        except (OSError, http.client.HTTPException):
            conn.close()  # the measured requests will report the failure
        start.wait()
        while True:
            with lock:
                if remaining[0] <= 0:
                    break
                remaining[0] -= 1
            t0 = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                status = repr(exc)
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
            elapsed = time.perf_counter() - t0
            with lock:
                if status == 200:
                    latencies.append(elapsed)
                else:
                    errors.append(str(status))
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    t0 = time.perf_counter()
    for thread in threads:
        thread.join()
    return Result(latencies, time.perf_counter() - t0, errors)


def wait_for(port: int, server: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"kinerja serve stopped (exit {server.returncode})")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/akun/masuk/")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("kinerja serve did not answer within two minutes")


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure_pages(found: list[Page], options, client_counts: list[int], data_dir: str) -> None:
    """Query counts in-process, then the load through ``kinerja serve``."""
    from django.db import connection

    counts = query_counts(found)
    cookies = session_cookies(found)
    connection.close()

    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kinerja",
            "serve",
            "--port",
            str(port),
            "--threads",
            str(options.threads),
            "--no-collectstatic",
        ],
        env=os.environ.copy(),
        cwd=data_dir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(port, server)
        print(
            f"server: kinerja serve --threads {options.threads} (one process); "
            f"{options.requests} measured requests per page and client count "
            f"(at least 2 per client), after one warm-up request per client"
        )
        print(f"load before measuring: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
        results: dict[tuple[str, int], Result] = {}
        for clients in client_counts:
            total = max(options.requests, 2 * clients)
            for page in found:
                results[page.name, clients] = load(
                    port, page.path, cookies[page.name], clients, total
                )
        rss = rss_mib(server.pid)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    print(f"load after measuring: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    header = f"{'page':20} {'status':>6} {'queries':>7}"
    for clients in client_counts:
        header += (
            f" | {clients:>2} cl p50 ms {'p99 ms':>7} {'req/s':>6} {'x floor':>7} {'thr/fl':>6}"
        )
    print(header)
    for page in found:
        status, queries = counts[page.name]
        line = f"{page.name:20} {status:>6} {queries:>7}"
        for clients in client_counts:
            r = results[page.name, clients]
            floor = results[FLOOR, clients]
            line += (
                f" | {r.p50 * 1000:12.1f} {r.p99 * 1000:7.1f} {r.throughput:6.1f}"
                f" {r.p50 / floor.p50:7.1f} {r.throughput / floor.throughput:6.2f}"
            )
            if r.errors:
                line += f" ERRORS {len(r.errors)}: {sorted(set(r.errors))}"
        print(line)
    print(f"server RSS after the load: {rss:.0f} MiB")


def run_tick(data_dir: str, *now: str) -> tuple[float, str]:
    """One ``kinerja tick`` as a fresh process (what cron starts): seconds and its summary."""
    t0 = time.perf_counter()
    tick = subprocess.run(
        [sys.executable, "-m", "kinerja", "tick", *(("--now", now[0]) if now else ())],
        env=os.environ.copy(),
        cwd=data_dir,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - t0
    if tick.returncode != 0:
        raise SystemExit(f"kinerja tick failed:\n{tick.stderr}")
    return seconds, " ".join(tick.stdout.split())


def next_opening(opened_day) -> str:
    """A few minutes after the next quarter's scheduled opening (the day and time of the
    current one, three months on), in the demo office's zone, as ISO text."""
    import datetime as dt

    from kinerja.organization.models import Agency
    from kinerja.workcalendar.selectors import calendar_for

    month = opened_day.month + 3
    year = opened_day.year + (month > 12)
    day = opened_day.replace(year=year, month=(month - 1) % 12 + 1)
    tz = calendar_for(Agency.objects.order_by("pk").first()).tz
    return dt.datetime.combine(day, dt.time(7, 35), tzinfo=tz).isoformat()


def measure_ticks(data_dir: str, opened_day) -> None:
    """``kinerja tick`` over the whole dataset, each as a fresh process (start-up included):
    the first tick (it catches up on every overdue task of the current quarter), a second one
    with nothing due, and the next quarter's opening day (``--now``: every agency's case is
    opened); plus the nothing-due tick in-process (no start-up).

    First, untimed, one process imports what a tick imports with bytecode caching on (as an
    installed deployment has it): with ``PYTHONDONTWRITEBYTECODE=1`` in the environment every
    process would compile ~1,000 modules from source, which is not what cron pays."""
    warm = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); import kinerja.config.urls, "
            "kinerja.notifications.scheduler, kinerja.notifications.management.commands.tick",
        ],
        env=warm,
        cwd=data_dir,
        check=True,
    )
    seconds, summary = run_tick(data_dir)
    print(f"kinerja tick, first over the dataset (catch-up): {seconds:.1f} s ({summary})")
    seconds, summary = run_tick(data_dir)
    print(f"kinerja tick, nothing due: {seconds:.2f} s ({summary})")
    from kinerja.notifications.scheduler import tick as scheduler_tick

    t0 = time.perf_counter()
    report = scheduler_tick(None)
    again_s = time.perf_counter() - t0
    print(
        f"tick again, in-process (no start-up): {again_s:.2f} s "
        f"({' '.join(report.summary().split())})"
    )
    opening = next_opening(opened_day)
    seconds, summary = run_tick(data_dir, opening)
    print(f"kinerja tick --now {opening} (opening day): {seconds:.1f} s ({summary})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="office")
    parser.add_argument("--database-url", help="default: a throw-away SQLite file")
    parser.add_argument(
        "--fresh", action="store_true", help="drop and create the PostgreSQL database first"
    )
    parser.add_argument(
        "--requests", type=int, default=40, help="measured requests per page and client count"
    )
    parser.add_argument("--clients", default="1,32", help="concurrent clients, comma-separated")
    parser.add_argument("--threads", type=int, default=8, help="kinerja serve --threads")
    parser.add_argument(
        "--tick-only",
        action="store_true",
        help="build, then measure only kinerja tick (no server, no pages)",
    )
    options = parser.parse_args()
    client_counts = [int(c) for c in options.clients.split(",")]

    data_dir = tempfile.mkdtemp(prefix="kinerja-scale-")
    atexit.register(shutil.rmtree, data_dir, ignore_errors=True)  # SQLite file, static, files
    env = {k: v for k, v in os.environ.items() if not k.startswith("KINERJA_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(
        KINERJA_DATA_DIR=data_dir,
        KINERJA_SECRET_KEY="benchmark-only-" + "x" * 40,
        KINERJA_BENCHMARK="1",
        KINERJA_SECURE_COOKIES="0",
    )
    if options.database_url:
        if options.fresh:
            fresh_postgres(options.database_url)
        env["KINERJA_DATABASE_URL"] = options.database_url
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "kinerja.config.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from kinerja.organization.models import Agency

    print(f"machine: {machine()}")
    call_command("migrate", verbosity=0)
    if Agency.objects.exists():
        raise SystemExit("the database is not empty: use a new one (or --fresh on PostgreSQL)")
    call_command("collectstatic", interactive=False, verbosity=0)
    started = time.perf_counter()
    built = build_dataset(options.size)
    build_s = time.perf_counter() - started
    extra, units, per_unit, years = SIZES[options.size]
    only = ", quarter in progress only" if options.size == "office" else ""
    found = [] if options.tick_only else pages(built["period"])  # makes the document
    print(
        f"dataset: --size {options.size} on {connection.vendor}: the demo office (engine "
        f"history{only}) + {extra} generated agencies x {units} units x {per_unit} indicators, "
        f"{years + 1} years; current quarter {built['period']}"
    )
    print(
        f"build: {build_s:.1f} s ("
        + ", ".join(f"{k} {v:.1f} s" for k, v in built["timings"].items())
        + ")"
    )
    for label, count in row_counts():
        print(f"  {count:>10,}  {label}")

    if not options.tick_only:
        measure_pages(found, options, client_counts, data_dir)
    measure_ticks(data_dir, built["opened_day"])
    print(f"machine after the run: {machine()}")


if __name__ == "__main__":
    main()
