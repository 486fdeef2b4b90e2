"""The demo office: Kantor Kecamatan Binamu, Kabupaten Jeneponto.

Real public facts (see shared/demo-data.md): the office's name, address and district code,
the Camat at the time of the SOP (M. Emil Ilias, S.Sos), the 13 villages, and the usual
organisation of a kecamatan under PP 18/2016. Everyone else's names and NIPs are
ILLUSTRATIVE: invented, plausible, and not real people.

The Kasubag Perencanaan heads a unit with its own indicators (steps 2-4 as "Kasi/Kasubag")
and also compiles the office's report (step 6): the same person holds two positions, one
for each SOP role.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kinerja.accounts.models import User
from kinerja.organization.models import Agency, Position, PositionHolder, Unit

AGENCY_CODE = "kec-binamu"

VILLAGES = [
    "Biringkassi",
    "Pabiringa",
    "Panaikang",
    "Monro-Monro",
    "Sidenre",
    "Empoang Selatan",
    "Empoang",
    "Balang Toa",
    "Balang",
    "Balang Beru",
    "Bontoa",
    "Empoang Utara",
    "Sapanang",
]

# code, name, kind, order
UNITS = [
    ("umum", "Subbagian Umum dan Kepegawaian", Unit.Kind.SUBSECTION, 1),
    ("perencanaan", "Subbagian Perencanaan dan Keuangan", Unit.Kind.SUBSECTION, 2),
    ("pemerintahan", "Seksi Pemerintahan", Unit.Kind.SECTION, 3),
    ("trantib", "Seksi Ketenteraman dan Ketertiban Umum", Unit.Kind.SECTION, 4),
    ("pmk", "Seksi Pemberdayaan Masyarakat dan Kelurahan", Unit.Kind.SECTION, 5),
    ("kesos", "Seksi Kesejahteraan Sosial", Unit.Kind.SECTION, 6),
    ("pelayanan", "Seksi Pelayanan Umum", Unit.Kind.SECTION, 7),
]

# username, full name (illustrative except the Camat), NIP (illustrative), e-mail local part
PEOPLE = {
    "camat": ("M. Emil Ilias, S.Sos", "196911202021011001"),
    "sekcam": ("Andi Baso Tahir, S.STP., M.Si", "197805122006041009"),
    "kasubag_umum": ("Hj. Nurhayati Daeng Ngai, S.Sos", "198003142009032004"),
    "kasubag_perencanaan": ("Muh. Ikhsan Karaeng Tompo, S.E", "198507232010011015"),
    "kasi_pemerintahan": ("Syamsul Rijal Daeng Sese, S.IP", "197909302008011007"),
    "kasi_trantib": ("Abdul Rahman Daeng Nai, S.H", "198112052010011012"),
    "kasi_pmk": ("Sitti Aisyah Daeng Caya, S.Sos", "198304182011012006"),
    "kasi_kesos": ("Rosmini Daeng Kanang, S.Sos", "198206112009032008"),
    "kasi_pelayanan": ("Ahmad Fauzi Daeng Rate, S.Kom", "198701202011011010"),
    "analis_1": ("Nur Fadillah, S.Stat", "199202152019032011"),
    "analis_2": ("Muhammad Arief Saputra, S.Kom", "199405092020121009"),
    "analis_3": ("Wahyuni Daeng Te'ne, S.E", "199111272019032013"),
    "admin": ("Admin Kinerja Kecamatan Binamu", None),
}
PASSWORD = "binamu2026"


@dataclass
class Office:
    agency: Agency
    units: dict[str, Unit] = field(default_factory=dict)
    positions: dict[str, Position] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)


def build_office(*, since: dt.date = dt.date(2022, 1, 1), password: str = PASSWORD) -> Office:
    """Create (or complete) the demo office. Idempotent: existing rows are kept."""
    agency, _ = Agency.objects.get_or_create(
        code=AGENCY_CODE,
        defaults={
            "name": "Kantor Kecamatan Binamu",
            "short_name": "Kec. Binamu",
            "parent_name": "Pemerintah Kabupaten Jeneponto",
            "address": "Jl. H. Ishak Iskandar Dg. Tumpu No. 101, Bontosunggu Timur",
            "region_code": "73.04.03",
            "timezone": "Asia/Makassar",
            "head_title": "Camat Binamu",
        },
    )
    office = Office(agency=agency)
    for code, name, kind, order in UNITS:
        office.units[code], _ = Unit.objects.get_or_create(
            agency=agency, code=code, defaults={"name": name, "kind": kind, "order": order}
        )

    def position(code, title, role, unit=None, reports_to=None, is_admin=False):
        obj, _ = Position.objects.get_or_create(
            agency=agency,
            code=code,
            defaults={
                "title": title,
                "role": role,
                "unit": unit,
                "reports_to": reports_to,
                "is_admin": is_admin,
            },
        )
        office.positions[code] = obj
        return obj

    camat = position("camat", "Camat Binamu", "camat")
    sekcam = position("sekcam", "Sekretaris Camat", "sekcam", reports_to=camat)
    u = office.units
    position("kasubag_umum", "Kepala Subbagian Umum dan Kepegawaian", "kasi", u["umum"], sekcam)
    position(
        "kasubag_perencanaan",
        "Kepala Subbagian Perencanaan dan Keuangan",
        "kasi",
        u["perencanaan"],
        sekcam,
    )
    position(
        "penyusun_laporan",
        "Kasubag Perencanaan (penyusun laporan kinerja)",
        "kasubag_perencanaan",
        None,
        sekcam,
    )
    position("kasi_pemerintahan", "Kepala Seksi Pemerintahan", "kasi", u["pemerintahan"], sekcam)
    position(
        "kasi_trantib",
        "Kepala Seksi Ketenteraman dan Ketertiban Umum",
        "kasi",
        u["trantib"],
        sekcam,
    )
    position(
        "kasi_pmk", "Kepala Seksi Pemberdayaan Masyarakat dan Kelurahan", "kasi", u["pmk"], sekcam
    )
    position("kasi_kesos", "Kepala Seksi Kesejahteraan Sosial", "kasi", u["kesos"], sekcam)
    position("kasi_pelayanan", "Kepala Seksi Pelayanan Umum", "kasi", u["pelayanan"], sekcam)
    for n in (1, 2, 3):
        position(f"analis_{n}", f"Analis Data {n}", "analis", None, sekcam)
    position("admin", "Pengelola Data Kinerja", "admin", None, sekcam, is_admin=True)

    holdings = {
        "camat": ["camat"],
        "sekcam": ["sekcam"],
        "kasubag_umum": ["kasubag_umum"],
        "kasubag_perencanaan": ["kasubag_perencanaan", "penyusun_laporan"],
        "kasi_pemerintahan": ["kasi_pemerintahan"],
        "kasi_trantib": ["kasi_trantib"],
        "kasi_pmk": ["kasi_pmk"],
        "kasi_kesos": ["kasi_kesos"],
        "kasi_pelayanan": ["kasi_pelayanan"],
        "analis_1": ["analis_1"],
        "analis_2": ["analis_2"],
        "analis_3": ["analis_3"],
        "admin": ["admin"],
    }
    for username, (full_name, nip) in PEOPLE.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                full_name=full_name,
                nip=nip,
                email=f"{username}@binamu.example.id",
                is_staff=username == "admin",
                is_superuser=username == "admin",
            )
            user.set_password(password)
            user.save()
        office.users[username] = user
        for code in holdings[username]:
            PositionHolder.objects.get_or_create(
                position=office.positions[code],
                user=user,
                kind=PositionHolder.Kind.DEFINITIVE,
                defaults={"start_date": since},
            )
    return office
