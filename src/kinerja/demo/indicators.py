"""The demo office's indicators, programmes and texts (Kecamatan Binamu).

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

:mod:`kinerja.demo.performance` enters them through the performance services.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kinerja.performance.models import NegativeFormula, Polarity, Rollup

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
