"""A small world for the security tests, built once per module: two agencies, several units,
two quarters, analysts given a unit's task in one quarter, in another, or in none.

Agency A is the demo office (two reporting units: Pemerintahan ``P`` and Trantib ``T``), with
its performance data; agency B is a second kecamatan with one unit. Cases: A 2026-Q3 (steps
1-2 done: analis_1 holds P's step 3, analis_2 T's), A 2026-Q2 (analis_2 was given P, and
analis_1 nothing), B 2026-Q3 (b_analis holds its unit's step 3). Files: evidence and report
materials of P in both quarters, material of B; a generated document of A's unit P and of B.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

WITA = ZoneInfo("Asia/Makassar")
SOP = "pengumpulan-data-kinerja"
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n170\n%%EOF\n"
)

# role name -> username (None: anonymous). The roles every URL is requested as.
ROLES: dict[str, str | None] = {
    "anon": None,
    "superuser": "admin",  # the demo's "admin" is a superuser
    "agency_admin": "a_admin",  # administrator of agency A, not staff
    "camat": "camat",
    "sekcam": "sekcam",
    "planner": "kasubag_perencanaan",  # Kasubag Perencanaan (also heads unit Perencanaan)
    "kasi_p": "kasi_pemerintahan",
    "kasi_t": "kasi_trantib",
    "analyst_q3": "analis_1",  # given P's task in A 2026-Q3 (open)
    "analyst_q2": "analis_2",  # given P's task in A 2026-Q2 and T's in 2026-Q3
    "analyst_none": "analis_3",  # given nothing
    "b_sekcam": "b_sekcam",
    "b_admin": "b_admin",
}


def wita(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=WITA)


@dataclass
class World:
    users: dict = field(default_factory=dict)
    agency_a: object = None
    agency_b: object = None
    units: dict = field(default_factory=dict)
    cases: dict = field(default_factory=dict)
    tasks: dict = field(default_factory=dict)
    indicators: dict = field(default_factory=dict)
    evidence: dict = field(default_factory=dict)
    materials: dict = field(default_factory=dict)
    documents: dict = field(default_factory=dict)
    api_tokens: dict = field(default_factory=dict)
    jobs: dict = field(default_factory=dict)
    notifications: dict = field(default_factory=dict)
    positions: dict = field(default_factory=dict)


def _other_agency(w: World) -> None:
    from kinerja.accounts.models import User
    from kinerja.organization.models import Agency, Position, PositionHolder, Unit

    agency = Agency.objects.create(
        code="kec-lain",
        name="Kantor Kecamatan Lain",
        short_name="Kec. Lain",
        parent_name="Pemerintah Kabupaten Lain",
        timezone="Asia/Makassar",
        head_title="Camat Lain",
    )
    unit = Unit.objects.create(
        agency=agency, code="pemerintahan", name="Seksi Pemerintahan Lain", kind="seksi", order=1
    )
    camat = Position.objects.create(agency=agency, code="camat", title="Camat", role="camat")
    sekcam = Position.objects.create(
        agency=agency, code="sekcam", title="Sekcam", role="sekcam", reports_to=camat
    )
    spec = [
        ("b_camat", camat),
        ("b_sekcam", sekcam),
        (
            "b_kasi",
            Position.objects.create(
                agency=agency, code="kasi", title="Kasi", role="kasi", unit=unit, reports_to=sekcam
            ),
        ),
        (
            "b_penyusun",
            Position.objects.create(
                agency=agency,
                code="penyusun",
                title="Penyusun",
                role="kasubag_perencanaan",
                reports_to=sekcam,
            ),
        ),
        (
            "b_analis",
            Position.objects.create(
                agency=agency, code="analis", title="Analis", role="analis", reports_to=sekcam
            ),
        ),
        (
            "b_admin",
            Position.objects.create(
                agency=agency,
                code="admin",
                title="Admin",
                role="admin",
                reports_to=sekcam,
                is_admin=True,
            ),
        ),
    ]
    for username, position in spec:
        user = User.objects.create_user(username=username, password="x-Secret-123")
        PositionHolder.objects.create(
            position=position, user=user, kind="definitif", start_date=dt.date(2022, 1, 1)
        )
        w.users[username] = user
    w.agency_b = agency
    w.units["B"] = unit


def build_world() -> World:
    from kinerja.accounts.models import User
    from kinerja.demo.office import build_office
    from kinerja.demo.performance import _enter, load_performance_data
    from kinerja.notifications.models import Notification
    from kinerja.organization.models import Position, PositionHolder, Unit
    from kinerja.performance import services
    from kinerja.performance.models import Evidence, Indicator, Objective, RenstraPlan
    from kinerja.reports.services import document_generate, document_job_request
    from kinerja.sop.services import sop_load_builtin
    from kinerja.workflow.models import Task
    from kinerja.workflow.services import case_open, task_complete

    sop_load_builtin()
    office = build_office()
    agency = office.agency
    Unit.objects.filter(agency=agency).exclude(code__in=["pemerintahan", "trantib"]).update(
        reports_performance=False
    )
    from unittest import mock

    # The demo's backfill of past years (hundreds of rows per unit) is not needed here: the
    # two quarters below are entered explicitly.
    with mock.patch("kinerja.demo.performance._backfill"):
        load_performance_data(office)
    w = World(agency_a=agency)
    w.users.update(office.users)
    w.units.update(P=office.units["pemerintahan"], T=office.units["trantib"])
    admin_position = Position.objects.create(
        agency=agency, code="admin_a", title="Admin A", role="admin", is_admin=True
    )
    a_admin = User.objects.create_user(username="a_admin", password="x-Secret-123")
    PositionHolder.objects.create(
        position=admin_position, user=a_admin, kind="definitif", start_date=dt.date(2022, 1, 1)
    )
    w.users["a_admin"] = a_admin
    _other_agency(w)
    u = w.users

    def active(case, step, unit=None):
        qs = Task.objects.filter(case=case, step=step, status=Task.Status.ACTIVE)
        return (qs.filter(unit=unit) if unit is not None else qs).get()

    def run(agency, period, sekcam, given):
        case, _ = case_open(sop_code=SOP, agency=agency, period=period, now=wita(2026, 10, 1, 8))
        task_complete(
            actor=sekcam, task_id=active(case, 1).pk, data={"instruction": "Susun."}, now=None
        )
        for unit, kasi, analyst in given:
            task_complete(
                actor=kasi,
                task_id=active(case, 2, unit).pk,
                assignee=analyst,
                data={"instruction": "Kumpulkan."},
            )
        return case

    P, T = w.units["P"], w.units["T"]
    q3 = run(
        agency,
        "2026-Q3",
        u["sekcam"],
        [(P, u["kasi_pemerintahan"], u["analis_1"]), (T, u["kasi_trantib"], u["analis_2"])],
    )
    q2 = run(agency, "2026-Q2", u["sekcam"], [(P, u["kasi_pemerintahan"], u["analis_2"])])
    b = run(
        w.agency_b,
        "2026-Q3",
        u["b_sekcam"],
        [(w.units["B"], u["b_kasi"], u["b_analis"])],
    )
    w.cases.update(a_q3=q3, a_q2=q2, b=b)
    w.tasks.update(
        a_q3_p=active(q3, 3, P),  # analis_1 acts on it
        a_q3_t=active(q3, 3, T),  # analis_2 acts on it
        a_q3_p_done=Task.objects.get(case=q3, step=2, unit=P),  # kasi_p completed it
        b=active(b, 3, w.units["B"]),
    )
    from kinerja.core.periods import Period

    indicators = list(Indicator.objects.filter(owner_unit=P, is_active=True).order_by("order"))
    for label, period in (("a_q3_p", Period(2026, 3)), ("a_q2_p", Period(2026, 2))):
        _enter(P, indicators, period, actor=u["admin"], now=wita(2026, 10, 2, 9))
        w.evidence[label] = (
            Evidence.objects.filter(
                realisation__indicator__owner_unit=P,
                realisation__year=period.year,
                realisation__quarter=period.quarter,
            )
            .order_by("pk")
            .first()
        )
        assert w.evidence[label] is not None
    w.indicators.update(
        a_p=indicators[0], a_t=Indicator.objects.filter(owner_unit=T).order_by("order").first()
    )
    plan = RenstraPlan.objects.create(
        agency=w.agency_b, title="Renstra Lain", start_year=2022, end_year=2026
    )
    objective = Objective.objects.create(plan=plan, code="S1", name="Sasaran", order=1)
    w.indicators["b"] = Indicator.objects.create(
        agency=w.agency_b,
        objective=objective,
        code="IKU-B-01",
        name="Indikator lain",
        unit_of_measure="%",
        owner_unit=w.units["B"],
        order=1,
    )
    for label, case, unit, actor in (
        ("a_q3_p", q3, P, u["analis_1"]),
        ("a_q2_p", q2, P, u["admin"]),
        ("b", b, w.units["B"], u["b_analis"]),
    ):
        w.materials[label] = services.material_add(
            actor=actor, case=case, unit=unit, upload=PDF, name=f"bahan-{label}.pdf"
        )
    w.documents["a_p"] = document_generate(
        actor=u["kasi_pemerintahan"],
        code="laporan-unit",
        fmt="xlsx",
        agency=agency,
        period="2026-Q3",
        unit="pemerintahan",
    )
    w.documents["b"] = document_generate(
        actor=u["b_sekcam"],
        code="laporan-unit",
        fmt="xlsx",
        agency=w.agency_b,
        period="2026-Q3",
        unit="pemerintahan",
    )
    # A document asked for on the documents page (background generation) by Kasi P.
    w.jobs["kasi_p"] = document_job_request(
        actor=u["kasi_pemerintahan"],
        code="laporan-unit",
        fmt="xlsx",
        agency=agency.code,
        period="2026-Q3",
        unit="pemerintahan",
    )
    w.notifications["sekcam"] = Notification.objects.filter(recipient=u["sekcam"]).order_by(
        "pk"
    ).first() or Notification.objects.create(
        recipient=u["sekcam"],
        kind=Notification.Kind.ASSIGNED,
        task=w.tasks["a_q3_p"],
        case=q3,
        dedupe_key="security-test",
        subject="Uji",
        body="Uji",
        link="/",
        created_at=wita(2026, 10, 2, 9),
        email_status="skipped"
        if "skipped" in Notification.EmailStatus.values
        else Notification.EmailStatus.values[0],
    )
    w.positions.update(a=admin_position, b=Position.objects.get(agency=w.agency_b, code="admin"))
    from kinerja.api.services import token_create

    w.api_tokens["sekcam"], _secret = token_create(actor=u["sekcam"], name="e-SAKIP")
    return w
