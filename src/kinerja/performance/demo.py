"""Performance data of the demo office (Kecamatan Binamu), entered through the services.

What is real and what is ILLUSTRATIVE (see shared/demo-data.md):

* The indicators are modelled on real published indicators of other kecamatan: Sidemen
  (Karangasem) 2017-2021 (villages governed well, APBDes on time, village organisations in
  guidance, participation in planning meetings, newcomers with complete documents),
  Pakisaji (ASN attendance, planning documents completed) and Gunung Kaler (community
  satisfaction index, target 84,75 in 2020; % villages at least "developing", target 70%).
  The negative ones (public-order disturbances, complaints, days late, response time) are
  the usual negative indicators at this level. Binamu's own figures are not public: every
  target, realisation, text and budget below is ILLUSTRATIVE, plausible for 13 villages.
* Programme names and codes follow the kecamatan programme nomenclature of Permendagri
  90/2019 (7.01.xx); the budgets are ILLUSTRATIVE.

:func:`load_performance_data` creates the Renstra, indicators, the PK of the last three
years (the current one revised once), Rencana Aksi, programmes, and the realisations of
the quarters before the engine-driven history. The history (kinerja.demo.history) then
calls :func:`fill_unit_report` before each unit's step 3 and :func:`fix_returned_report`
after a return. Everything is seeded: the same day gives the same data.
"""

from __future__ import annotations

import datetime as dt
import random
import struct
import zlib
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from kinerja.accounts.models import User
from kinerja.core.periods import Period
from kinerja.organization.models import Unit

from . import services
from .models import (
    BudgetRealisation,
    Indicator,
    NegativeFormula,
    Objective,
    PerformanceAgreement,
    Polarity,
    QuarterTarget,
    Realisation,
    RenstraPlan,
    Rollup,
)
from .services import ProgramInput, RealisationInput

D = Decimal

OBJECTIVES = [
    ("SS-1", "Meningkatnya kualitas pelayanan publik kecamatan"),
    ("SS-2", "Meningkatnya kualitas penyelenggaraan pemerintahan kelurahan dan desa"),
    ("SS-3", "Meningkatnya partisipasi masyarakat dalam pembangunan"),
    ("SS-4", "Terwujudnya ketenteraman dan ketertiban umum yang kondusif"),
    ("SS-5", "Meningkatnya akuntabilitas kinerja dan tata kelola kantor kecamatan"),
]


@dataclass(frozen=True)
class Spec:
    code: str
    objective: str
    unit: str
    name: str
    uom: str
    polarity: str
    rollup: str
    targets: tuple[str, str, str]  # annual targets, oldest of the three PK years first
    pattern: str  # quarter targets: "even" (split a count), "same", "progress"
    decimals: int = 2
    evidence: bool = False
    formula: str = NegativeFormula.TWO_MINUS
    definition: str = ""
    source: str = ""
    baseline: str | None = None
    final: str | None = None
    percent: bool = False


P, N = Polarity.POSITIVE, Polarity.NEGATIVE
INDICATORS = [
    # Pakisaji (real indicator), figures illustrative
    Spec(
        "IKU-UM-01",
        "SS-5",
        "umum",
        "Persentase kehadiran ASN",
        "%",
        P,
        Rollup.AVERAGE,
        ("95", "96", "97"),
        "same",
        evidence=True,
        percent=True,
        definition="Jumlah hari hadir ASN / (jumlah ASN x hari kerja efektif) x 100%",
        source="Rekap absensi elektronik",
        baseline="93.5",
        final="97",
    ),
    # typical negative indicator (days late), illustrative
    Spec(
        "IKU-UM-02",
        "SS-5",
        "umum",
        "Jumlah hari keterlambatan penyampaian laporan kepegawaian",
        "hari",
        N,
        Rollup.SUM,
        ("12", "8", "8"),
        "even",
        decimals=0,
        definition="Jumlah hari kerja keterlambatan laporan kepegawaian ke BKPSDM",
        source="Agenda surat keluar",
        baseline="20",
        final="4",
    ),
    # Pakisaji (real indicator)
    Spec(
        "IKU-PR-01",
        "SS-5",
        "perencanaan",
        "Persentase dokumen perencanaan dan pelaporan yang diselesaikan tepat waktu",
        "%",
        P,
        Rollup.LAST,
        ("100", "100", "100"),
        "progress",
        percent=True,
        definition="Dokumen selesai tepat waktu / dokumen yang wajib disusun x 100% (kumulatif)",
        source="Register dokumen perencanaan",
        baseline="80",
        final="100",
    ),
    Spec(
        "IKU-PR-02",
        "SS-5",
        "perencanaan",
        "Jumlah hari keterlambatan laporan kinerja triwulan",
        "hari",
        N,
        Rollup.SUM,
        ("8", "6", "4"),
        "even",
        decimals=0,
        source="Tanda terima Bagian Organisasi",
        baseline="12",
        final="4",
    ),
    # Sidemen (real indicators)
    Spec(
        "IKU-PM-01",
        "SS-2",
        "pemerintahan",
        "Persentase kelurahan/desa dengan penyelenggaraan pemerintahan yang baik",
        "%",
        P,
        Rollup.LAST,
        ("76.92", "84.62", "92.31"),
        "same",
        evidence=True,
        percent=True,
        definition="Kelurahan/desa yang dinilai baik / seluruh kelurahan dan desa (13) x 100%",
        source="Hasil evaluasi kecamatan",
        baseline="69.23",
        final="100",
    ),
    Spec(
        "IKU-PM-02",
        "SS-2",
        "pemerintahan",
        "Persentase desa yang menetapkan APBDes tepat waktu",
        "%",
        P,
        Rollup.LAST,
        ("100", "100", "100"),
        "same",
        percent=True,
        definition="Desa dengan APBDes ditetapkan tepat waktu / jumlah desa (1: Sapanang) x 100%",
        source="Peraturan Desa Sapanang tentang APBDes",
        baseline="100",
        final="100",
    ),
    Spec(
        "IKU-PM-03",
        "SS-1",
        "pemerintahan",
        "Persentase penduduk pendatang dengan dokumen kependudukan lengkap",
        "%",
        P,
        Rollup.AVERAGE,
        ("85", "88", "90"),
        "same",
        percent=True,
        definition="Pendatang dengan dokumen lengkap / pendatang terdata x 100%",
        source="Data kelurahan dan Disdukcapil",
        baseline="80",
        final="92",
    ),
    # usual negative indicators at this level
    Spec(
        "IKU-TR-01",
        "SS-4",
        "trantib",
        "Jumlah gangguan ketenteraman dan ketertiban umum",
        "kejadian",
        N,
        Rollup.SUM,
        ("24", "20", "16"),
        "even",
        decimals=0,
        evidence=True,
        definition="Kejadian gangguan trantibum yang dilaporkan dan ditangani",
        source="Buku laporan kejadian Satpol PP kecamatan",
        baseline="30",
        final="12",
    ),
    Spec(
        "IKU-TR-02",
        "SS-4",
        "trantib",
        "Persentase pelanggaran Perda/Perkada yang ditindaklanjuti",
        "%",
        P,
        Rollup.AVERAGE,
        ("80", "85", "90"),
        "same",
        percent=True,
        source="Register penegakan Perda",
        baseline="75",
        final="95",
    ),
    Spec(
        "IKU-TR-03",
        "SS-4",
        "trantib",
        "Rata-rata waktu tanggap laporan gangguan trantibum",
        "jam",
        N,
        Rollup.AVERAGE,
        ("24", "20", "18"),
        "same",
        decimals=1,
        formula=NegativeFormula.RATIO,
        definition="Rata-rata jam sejak laporan diterima sampai petugas tiba di lokasi",
        source="Buku laporan kejadian",
        baseline="30",
        final="12",
    ),
    # Sidemen (real: participation in planning) and Gunung Kaler (real: villages developing)
    Spec(
        "IKU-PMK-01",
        "SS-3",
        "pmk",
        "Persentase kehadiran masyarakat dalam musyawarah pembangunan kelurahan",
        "%",
        P,
        Rollup.AVERAGE,
        ("75", "78", "80"),
        "same",
        evidence=True,
        percent=True,
        definition="Peserta hadir / peserta diundang x 100%",
        source="Daftar hadir musyawarah",
        baseline="70",
        final="85",
    ),
    Spec(
        "IKU-PMK-02",
        "SS-3",
        "pmk",
        "Persentase kelurahan/desa berstatus minimal berkembang",
        "%",
        P,
        Rollup.LAST,
        ("69.23", "76.92", "84.62"),
        "same",
        percent=True,
        definition="Kelurahan/desa minimal berkembang / 13 x 100%",
        source="Indeks Desa Membangun / profil kelurahan",
        baseline="61.54",
        final="92.31",
    ),
    # Sidemen (real: village organisations in guidance), the rest illustrative
    Spec(
        "IKU-KS-01",
        "SS-3",
        "kesos",
        "Persentase organisasi kemasyarakatan kelurahan yang mengikuti pembinaan",
        "%",
        P,
        Rollup.AVERAGE,
        ("70", "75", "80"),
        "same",
        percent=True,
        source="Daftar hadir pembinaan",
        baseline="65",
        final="85",
    ),
    Spec(
        "IKU-KS-02",
        "SS-1",
        "kesos",
        "Jumlah data penerima bantuan sosial yang diverifikasi",
        "orang",
        P,
        Rollup.SUM,
        ("1200", "1300", "1400"),
        "even",
        decimals=0,
        evidence=True,
        source="Berita acara verifikasi DTKS",
        baseline="1000",
        final="1500",
    ),
    # Gunung Kaler (real: IKM, target 84,75 in 2020)
    Spec(
        "IKU-PL-01",
        "SS-1",
        "pelayanan",
        "Indeks Kepuasan Masyarakat (IKM) pelayanan kecamatan",
        "nilai",
        P,
        Rollup.AVERAGE,
        ("84.75", "85.5", "86"),
        "same",
        definition="Survei Kepuasan Masyarakat menurut PermenPAN-RB 14/2017",
        source="Survei Kepuasan Masyarakat",
        baseline="82",
        final="88",
    ),
    Spec(
        "IKU-PL-02",
        "SS-1",
        "pelayanan",
        "Jumlah pengaduan masyarakat atas pelayanan kecamatan",
        "pengaduan",
        N,
        Rollup.SUM,
        ("12", "10", "8"),
        "even",
        decimals=0,
        source="Kotak dan kanal pengaduan",
        baseline="18",
        final="6",
    ),
    Spec(
        "IKU-PL-03",
        "SS-1",
        "pelayanan",
        "Waktu penyelesaian layanan administrasi terlama",
        "hari",
        N,
        Rollup.MAX,
        ("3", "3", "2"),
        "same",
        decimals=0,
        source="Register layanan PATEN",
        baseline="5",
        final="2",
    ),
]

# Programmes of a kecamatan in the Permendagri 90/2019 nomenclature; budgets ILLUSTRATIVE.
PROGRAMS = [
    ("7.01.01", "Program Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota", "1850000000",
     ["IKU-UM-01", "IKU-UM-02", "IKU-PR-01", "IKU-PR-02"]),
    ("7.01.02", "Program Penyelenggaraan Pemerintahan dan Pelayanan Publik", "420000000",
     ["IKU-PM-03", "IKU-PL-01", "IKU-PL-02", "IKU-PL-03"]),
    ("7.01.03", "Program Pemberdayaan Masyarakat Desa dan Kelurahan", "350000000",
     ["IKU-PMK-01", "IKU-PMK-02", "IKU-KS-01", "IKU-KS-02"]),
    ("7.01.04", "Program Koordinasi Ketenteraman dan Ketertiban Umum", "180000000",
     ["IKU-TR-01", "IKU-TR-02", "IKU-TR-03"]),
    ("7.01.06", "Program Pembinaan dan Pengawasan Pemerintahan Desa", "120000000",
     ["IKU-PM-01", "IKU-PM-02"]),
]  # fmt: skip
BUDGET_SHARE = {1: D("0.16"), 2: D("0.24"), 3: D("0.26"), 4: D("0.30")}

PROBLEMS = {
    P: [
        ("Sebagian kelurahan terlambat menyampaikan data ke kecamatan.",
         "Mengirim surat pengingat dan menjadwalkan pendampingan ke kelurahan."),
        ("Jaringan internet kantor sering terputus sehingga input data tertunda.",
         "Koordinasi dengan Dinas Kominfo dan menyiapkan paket data cadangan."),
        ("Jumlah staf pelaksana terbatas dibanding beban kegiatan.",
         "Membagi tugas lintas seksi dan menyusun jadwal piket."),
    ],
    N: [
        ("Kejadian meningkat menjelang hari besar dan musim panen.",
         "Patroli bersama Babinsa dan Bhabinkamtibmas ditambah pada waktu rawan."),
        ("Sebagian laporan masuk di luar jam kerja.",
         "Membuka kanal WhatsApp pengaduan dan menunjuk petugas siaga."),
    ],
}  # fmt: skip
MET = ("Tidak ada kendala berarti.", "Mempertahankan capaian dengan monitoring rutin tiap bulan.")
FIX_TEXTS = {
    "IKU-PM-02": (
        "Desa Sapanang menunggu evaluasi Rancangan APBDes dari kabupaten sebelum penetapan.",
        "Pendampingan penyusunan APBDes dan koordinasi dengan Dinas PMD kabupaten.",
    ),
    "": (
        "Data dari sebagian kelurahan terlambat diterima sehingga perlu diverifikasi ulang.",
        "Verifikasi ulang bersama lurah dan penjadwalan rapat koordinasi bulanan.",
    ),
}
NOT_AVAILABLE = {("IKU-PM-03", 2): "Data pendatang dari Disdukcapil belum diterima."}


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
    from kinerja.demo.history import latest_opening

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
    _, current = latest_opening(today)
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
