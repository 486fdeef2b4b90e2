"""Performance data of the demo office (Kecamatan Binamu), entered through the services.

The indicators, programmes and texts are in :mod:`kinerja.demo.indicators` (what is real
and what is ILLUSTRATIVE). :func:`load_performance_data` creates the Renstra, indicators, the
PK of the last three years (the current one revised once), Rencana Aksi, programmes, and the
realisations of the quarters before the engine-driven history (whose quarters are the
scheduler's: :mod:`kinerja.demo.openings`). The history (:mod:`kinerja.demo.history`) then
calls :func:`fill_unit_report` before each unit's step 3 and :func:`fix_returned_report`
after a return. Everything is seeded: the same day gives the same data.
"""

from __future__ import annotations

import datetime as dt
import random
import struct
import zlib
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from kinerja.accounts.models import User
from kinerja.core.periods import Period
from kinerja.organization.models import Unit
from kinerja.performance import services
from kinerja.performance.models import (
    BudgetRealisation,
    Indicator,
    Objective,
    PerformanceAgreement,
    QuarterTarget,
    Realisation,
    RenstraPlan,
)
from kinerja.performance.services import ProgramInput, RealisationInput

from .indicators import (
    BUDGET_SHARE,
    FIX_TEXTS,
    INDICATORS,
    MET,
    NOT_AVAILABLE,
    OBJECTIVES,
    PROBLEMS,
    PROGRAMS,
    D,
    N,
    Spec,
)
from .openings import latest_opening


def _wita() -> dt.tzinfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo("Asia/Makassar")


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=_wita())


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _pk_years(today: dt.date) -> list[int]:
    return [today.year - 2, today.year - 1, today.year]


def _quarter_targets(spec: Spec, annual: Decimal) -> dict[int, Decimal]:
    if spec.pattern == "even":
        base, rest = divmod(int(annual), 4)
        return {q: D(base + (1 if q <= rest else 0)) for q in range(1, 5)}
    if spec.pattern == "progress":
        return {q: (annual * q / 4).quantize(D("0.01")) for q in range(1, 5)}
    return dict.fromkeys(range(1, 5), annual)


def _value(spec: Spec, target: Decimal, year: int, quarter: int) -> Decimal:
    rng = random.Random(f"{spec.code}-{year}-{quarter}")
    if spec.polarity == N:
        factor = D(str(round(rng.uniform(0.55, 1.3), 3)))
    else:
        factor = D(str(round(rng.uniform(0.86, 1.08), 3)))
    value = target * factor
    if spec.code == "IKU-PM-02":
        value = D(100)
    if spec.percent:
        value = min(value, D(100))
    places = D(1).scaleb(-spec.decimals)
    return value.quantize(places, rounding=ROUND_HALF_UP)


def _texts(spec: Spec, value: Decimal, target: Decimal, year: int, quarter: int):
    met = value <= target if spec.polarity == N else value >= target
    if met:
        return MET
    rng = random.Random(f"text-{spec.code}-{year}-{quarter}")
    return rng.choice(PROBLEMS[spec.polarity])


# --------------------------------------------------------------------------------------------
# Small files made in memory


def _png(width: int = 32, height: int = 24, rgb=(40, 110, 170)) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def _pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF with a title and lines (Helvetica, ASCII only), built by hand."""

    def esc(text: str) -> str:
        text = text.encode("latin-1", "replace").decode("latin-1")
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    content = ["BT /F1 14 Tf 50 790 Td (" + esc(title) + ") Tj ET"]
    for n, line in enumerate(lines):
        content.append(f"BT /F1 10 Tf 50 {760 - 16 * n} Td (" + esc(line) + ") Tj ET")
    stream = "\n".join(content).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


# --------------------------------------------------------------------------------------------
# Loading


def load_performance_data(office) -> None:
    """Renstra, indicators, three PK years (the current one revised), Rencana Aksi,
    programmes, and realisations (locked, with evidence) of every quarter before the
    engine-driven history. Idempotent: does nothing when the Renstra exists."""
    agency = office.agency
    if RenstraPlan.objects.filter(agency=agency).exists():
        return
    today = timezone.localdate()
    years = _pk_years(today)
    admin = office.users["admin"]
    plan = RenstraPlan.objects.create(
        agency=agency,
        title="Rencana Strategis Kecamatan Binamu",
        start_year=min(2022, years[0]),
        end_year=max(2026, years[-1]),
    )
    objectives = {
        code: Objective.objects.create(plan=plan, code=code, name=name, order=n)
        for n, (code, name) in enumerate(OBJECTIVES, 1)
    }
    for order, spec in enumerate(INDICATORS, 1):
        Indicator.objects.create(
            agency=agency,
            objective=objectives[spec.objective],
            code=spec.code,
            name=spec.name,
            unit_of_measure=spec.uom,
            owner_unit=office.units[spec.unit],
            polarity=spec.polarity,
            negative_formula=spec.formula,
            rollup=spec.rollup,
            decimals=spec.decimals,
            evidence_required=spec.evidence,
            definition=spec.definition,
            data_source=spec.source,
            baseline=D(spec.baseline) if spec.baseline else None,
            final_target=D(spec.final) if spec.final else None,
            order=order,
        )
    indicators = {i.code: i for i in Indicator.objects.filter(agency=agency)}
    programs = [ProgramInput(c, name, D(budget), codes) for c, name, budget, codes in PROGRAMS]
    for n, year in enumerate(years):
        created = _at(dt.date(year, 1, 20), 9)
        services.agreement_create(
            actor=admin,
            agency=agency,
            year=year,
            effective_date=dt.date(year, 1, 2),
            targets={spec.code: D(spec.targets[n]) for spec in INDICATORS},
            programs=programs,
            now=created,
        )
        for spec in INDICATORS:
            services.quarter_targets_set(
                actor=admin,
                indicator=indicators[spec.code],
                year=year,
                targets=_quarter_targets(spec, D(spec.targets[n])),
                now=created,
            )
    # The current year's PK revised after the budget change (APBD Perubahan): a bigger
    # public-order budget and a looser disturbance target. ILLUSTRATIVE.
    year = years[-1]
    revised_on = min(dt.date(year, 7, 15), today - dt.timedelta(days=1))
    revised = [
        ProgramInput(p.code, p.name, p.budget + (D("40000000") if p.code == "7.01.04" else 0),
                     p.indicator_codes)
        for p in programs
    ]  # fmt: skip
    services.agreement_revise(
        actor=admin,
        agency=agency,
        year=year,
        reason="Penyesuaian target dan anggaran setelah Perubahan APBD "
        f"{year}: penambahan kegiatan patroli ketertiban.",
        effective_date=revised_on,
        targets={"IKU-TR-01": D(18)},
        programs=revised,
        now=_at(revised_on),
    )
    services.quarter_targets_set(
        actor=admin,
        indicator=indicators["IKU-TR-01"],
        year=year,
        targets={1: D(4), 2: D(4), 3: D(5), 4: D(5)},
        now=_at(revised_on),
    )
    _, current = latest_opening(today, agency)
    first_case = current
    for _ in range(5):
        first_case = first_case.previous()
    for unit in office.units.values():
        _backfill(unit, until=first_case)


def _backfill(unit: Unit, *, until: Period) -> None:
    """Realisations (and evidence, budget, lock) of ``unit`` for PK quarters before
    ``until`` that have none, as if reported and approved in their time."""
    indicators = list(Indicator.objects.filter(owner_unit=unit, is_active=True).order_by("order"))
    if not indicators:
        return
    years = sorted(
        PerformanceAgreement.objects.filter(agency=unit.agency).values_list("year", flat=True)
    )
    if not years:
        return
    done = set(Realisation.objects.filter(indicator__in=indicators).values_list("year", "quarter"))
    admin, sekcam = _user("admin"), _user("sekcam")
    period = Period(years[0], 1)
    while period < until:
        if (period.year, period.quarter) not in done:
            reported = period.next().start + dt.timedelta(days=14)
            _enter(unit, indicators, period, actor=admin, now=_at(reported))
            _budget(unit.agency, period, now=_at(reported, 11))
            services.lock_for_approval(
                actor=sekcam, unit=unit, period=period, now=_at(reported, 15)
            )
        period = period.next()


def _enter(unit, indicators, period: Period, *, actor, now) -> None:
    specs = {s.code: s for s in INDICATORS}
    targets = {
        (t.indicator_id, t.quarter): t.target
        for t in QuarterTarget.objects.filter(indicator__in=indicators, year=period.year)
    }
    items = []
    for ind in indicators:
        spec = specs.get(ind.code)
        target = targets.get((ind.pk, period.quarter))
        if spec is None or target is None:
            continue
        reason = NOT_AVAILABLE.get((ind.code, period.quarter))
        if reason and period.year == timezone.localdate().year - 2:
            items.append(
                RealisationInput(
                    indicator=ind,
                    not_available=True,
                    not_available_reason=reason,
                    problems=reason,
                    actions="Menyurati Disdukcapil dan meminta data melalui aplikasi SIAK.",
                )
            )
            continue
        value = _value(spec, target, period.year, period.quarter)
        problems, actions = _texts(spec, value, target, period.year, period.quarter)
        items.append(
            RealisationInput(indicator=ind, value=value, problems=problems, actions=actions)
        )
    saved = services.realisations_save(actor=actor, period=period, items=items, now=now)
    for real in saved:
        ind = real.indicator
        if ind.evidence_required and real.value is not None:
            services.evidence_add(
                actor=actor,
                realisation=real,
                upload=_pdf(
                    f"Data dukung {ind.code} - {period.label}",
                    [
                        ind.name,
                        f"Realisasi: {real.value} {ind.unit_of_measure}",
                        "Kantor Kecamatan Binamu (data ilustratif untuk demo)",
                    ],
                ),
                name=f"data-dukung-{ind.code.lower()}-{period}.pdf",
                now=now,
            )


def _budget(agency, period: Period, *, now) -> None:
    if BudgetRealisation.objects.filter(
        agency=agency, year=period.year, quarter=period.quarter
    ).exists():
        return
    agreement = PerformanceAgreement.objects.get(agency=agency, year=period.year, is_current=True)
    admin = _user("admin")
    for program in agreement.programs.all():
        rng = random.Random(f"budget-{program.code}-{period}")
        share = BUDGET_SHARE[period.quarter] * D(str(round(rng.uniform(0.8, 1.05), 3)))
        services.budget_realisation_save(
            actor=admin,
            agency=agency,
            period=period,
            program_code=program.code,
            amount=(program.budget * share).quantize(D(1000)),
            now=now,
        )


def fill_unit_report(*, case, unit, actor, now) -> None:
    """The analyst (``actor``, holding the unit's step-3 task) enters the unit's complete
    realisations of ``case``'s quarter with evidence and one report material."""
    period = case.period_obj
    if not period.is_quarter:
        return
    _backfill(unit, until=period)
    indicators = list(Indicator.objects.filter(owner_unit=unit, is_active=True).order_by("order"))
    if not indicators:
        return
    _enter(unit, indicators, period, actor=actor, now=now)
    services.material_add(
        actor=actor,
        case=case,
        unit=unit,
        upload=_png(),
        name=f"foto-kegiatan-{unit.code}-{period}.png",
        description="Dokumentasi kegiatan",
        now=now,
    )
    _budget(case.agency, period, now=now)


def fix_returned_report(*, case, unit, actor, now) -> None:
    """The section head (``actor``) answers the Sekcam's return: fuller problems and
    actions on the second indicator and an extra evidence file on it."""
    period = case.period_obj
    indicators = list(Indicator.objects.filter(owner_unit=unit, is_active=True).order_by("order"))
    if len(indicators) < 2:
        return
    ind = indicators[1]
    real = Realisation.objects.filter(
        indicator=ind, year=period.year, quarter=period.quarter
    ).first()
    if real is None:
        return
    services.realisation_save(
        actor=actor,
        indicator=ind,
        period=period,
        value=real.value,
        not_available=real.not_available,
        not_available_reason=real.not_available_reason,
        problems=FIX_TEXTS.get(ind.code, FIX_TEXTS[""])[0],
        actions=FIX_TEXTS.get(ind.code, FIX_TEXTS[""])[1],
        expected_version=real.lock_version,
        now=now,
    )
    services.evidence_add(
        actor=actor,
        realisation=real,
        upload=_pdf(
            f"Data dukung tambahan {ind.code} - {period.label}",
            ["Berita acara pendampingan", "Data ilustratif untuk demo"],
        ),
        name=f"berita-acara-{ind.code.lower()}-{period}.pdf",
        now=now,
    )
