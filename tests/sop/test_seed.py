"""The seed SOP, field by field against the original document (seed/000_...txt)."""

from __future__ import annotations

import json

import pytest

from kinerja.sop.loader import load_sop_file, parse_sop
from kinerja.sop.schema import Applies, Scope, SopDefinition, TimeUnit

from .conftest import SEED


@pytest.fixture(scope="module")
def sop() -> SopDefinition:
    return load_sop_file(SEED)


def test_identity(sop: SopDefinition) -> None:
    assert sop.code == "pengumpulan-data-kinerja"
    assert sop.title == "Pengumpulan Data Kinerja"
    ident = sop.identity
    assert ident.government == "Pemerintah Kabupaten Jeneponto"
    assert ident.agency == "Kantor Kecamatan Binamu"
    assert ident.address == "Jl.H.Ishak Iskandar Dg.Tumpu, No.101 Bontosunggu Timur"
    assert ident.number == ""
    assert ident.date_made == "Februari 2022"
    assert ident.date_revised == ""
    assert ident.approved_by.position == "Camat Binamu"
    assert ident.approved_by.name == "M. Emil Ilias, S.Sos"
    assert ident.approved_by.nip == "19691120 202101 1 001"


def test_boxes(sop: SopDefinition) -> None:
    assert sop.legal_basis == [
        "Undang-undang Nomor 25 Tahun 2009 Tentang Pelayanan Publik",
        "Peraturan Menteri Negara Pendayagunaan Aparatur Negara dan Reformasi Birokrasi "
        "Nomor 53 Tahun 2014 tentang Pedoman Penyusunan Penetapan Kinerja dan Pelaporan "
        "Akuntabilitas Kinerja Instansi Pemerintah;",
        "Peraturan Menteri pendayagunaan Aparatur Negara Nomor 53 Tahun 2014 tentang petunjuk "
        "teknis perjanjian kinerja, pelaporan kinerja dan tata cara review atas Laporan "
        "Akuntabilitas Kinerja Pemerintah (LKjIP).",
        "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 35 "
        "Tahun 2012 Tentang Pedoman Penyusunan Standar Operasional Prosedur Administrasi "
        "Pemerintah",
    ]
    assert sop.executor_qualifications == [
        "Memiliki Kemampuan Pengolahan Data Sederhana",
        "Mengetahui Tugas dan Fungsi Sistem Akuntabilitas Kinerja Instansi Pemerintah",
        "Mengetahui Tugas dan Fungsi dalam Penyusunan Laporan Kinerja",
    ]
    assert sop.related_sops == []
    assert sop.equipment == [
        "Lembar Kerja/Rencana Aksi",
        "Komputer dan Printer",
        "Jaringan Internet",
    ]
    assert sop.warnings == [
        "Keterlambatan Penyampaian Data Kinerja Akan Mempengaruhi Pelaporan Kinerja Secara "
        "Keseluruhan"
    ]
    assert sop.records == ["Disimpan Sebagai Data Elektronik dan Manual"]


def test_executors(sop: SopDefinition) -> None:
    assert [(e.code, e.name) for e in sop.executors] == [
        ("sekcam", "Sekcam"),
        ("kasi", "Kasi/Kasubag"),
        ("analis", "Analisis Data"),
        ("kasubag_perencanaan", "Kasubag Perencanaan"),
    ]


STEPS = [
    # number, activity, executor, scope, inputs, time text, output, notes, handler
    (
        1,
        "Menugaskan Kasi/Kasubag untuk menyusun Laporan data kinerja Sekcam setiap tanggal "
        "10 awal Triwulan",
        "sekcam",
        Scope.OFFICE,
        ["Indikator Sasaran"],
        "15 Menit",
        "Disposisi",
        "Data Kinerja sesuai dengan indikator kinerja masing-masing",
        "workflow.assign_units",
    ),
    (
        2,
        "Memerintahkan Analisis mengumpulkan bahan laporan kinerja",
        "kasi",
        Scope.UNIT,
        ["Disposisi"],
        "15 Menit",
        "Disposisi",
        "",
        "workflow.dispose_to_analyst",
    ),
    (
        3,
        "Menyerahkan bahan laporan kinerja pada Kasi/Kasubag",
        "analis",
        Scope.UNIT,
        ["Disposisi"],
        "1 Hari",
        "Bahan Laporan Data Kinerja",
        "",
        "performance.materials",
    ),
    (
        4,
        "Membuat laporan data kinerja",
        "kasi",
        Scope.UNIT,
        ["Bahan Laporan"],
        "1 Hari",
        "Laporan Data Kinerja",
        "",
        "performance.report_entry",
    ),
    (
        5,
        "Memeriksa laporan kinerja, jika disetujui diserahkan pada kasi/kasubag untuk "
        "diserahkan kepada kasubag perencanaan, jika tidak dikembalikan pada kasubag/kasi "
        "untuk diperbaiki",
        "sekcam",
        Scope.UNIT,
        ["Laporan Kinerja"],
        "1 Jam",
        "Laporan Disposisi",
        "",
        "performance.review",
    ),
    (
        6,
        "Merekomendasikan laporan kinerja setiap triwulan dan menyusun laporan kinerja "
        "setiap tahun dengan menggunakan laporan kinerja",
        "kasubag_perencanaan",
        Scope.OFFICE,
        ["Laporan Kinerja"],
        "1 Hari untuk Penyusunan Laporan Triwulan dan 15 Hari untuk Laporan Kinerja Tahunan",
        "Laporan Triwulan dan Laporan Kinerja",
        "",
        "performance.compile",
    ),
]


@pytest.mark.parametrize("expected", STEPS, ids=[f"step{s[0]}" for s in STEPS])
def test_step_verbatim(sop: SopDefinition, expected: tuple) -> None:
    number, activity, executor, scope, inputs, time_text, output, notes, handler = expected
    step = sop.step(number)
    assert step.activity == activity
    assert step.executor == executor
    assert step.scope == scope
    assert step.inputs == inputs
    assert step.time_text == time_text
    assert step.output == output
    assert step.notes == notes
    assert step.handler == handler


def test_time_text_matches_the_document_ignoring_case(sop: SopDefinition) -> None:
    document = "1 Hari Untuk Penyusunan Laporan Triwulan dan 15 Hari untuk Laporan Kinerja Tahunan"
    assert sop.step(6).time_text.lower() == document.lower()


def test_flow(sop: SopDefinition) -> None:
    assert [s.next for s in sop.steps] == [2, 3, 4, 5, None, None]
    assert sop.step(3).assignee_chosen_by == 2
    decision = sop.step(5).decision
    assert decision is not None
    assert (decision.question, decision.yes, decision.no) == ("Laporan disetujui?", 6, 4)
    assert [s.is_decision for s in sop.steps] == [False, False, False, False, True, False]


def test_step6_time_variants(sop: SopDefinition) -> None:
    quarterly, annual = sop.step(6).time
    assert (quarterly.amount, quarterly.unit, quarterly.code) == (1, TimeUnit.DAY, "triwulan")
    assert quarterly.label == "Penyusunan Laporan Triwulan"
    assert quarterly.applies == Applies.QUARTERLY
    assert quarterly.output == "Laporan Triwulan"
    assert (annual.amount, annual.unit, annual.code) == (15, TimeUnit.DAY, "tahunan")
    assert annual.label == "Laporan Kinerja Tahunan"
    assert annual.applies == Applies.ANNUAL
    assert annual.output == "Laporan Kinerja"


def test_schedule(sop: SopDefinition) -> None:
    assert sop.schedule is not None
    assert sop.schedule.step == 1
    assert sop.schedule.day == 10
    assert sop.schedule.months == [1, 4, 7, 10]
    assert sop.schedule.period == "previous_quarter"


def test_json_shape_of_time_standards(sop: SopDefinition) -> None:
    data = json.loads(json.dumps(sop.model_dump(mode="json")))
    assert data["steps"][0]["time"] == [
        {"amount": 15, "unit": "minute", "code": "", "label": "", "applies": "always", "output": ""}
    ]
    assert data["steps"][4]["time"][0]["unit"] == "hour"
    assert [t["code"] for t in data["steps"][5]["time"]] == ["triwulan", "tahunan"]
    assert data["steps"][4]["decision"] == {
        "question": "Laporan disetujui?",
        "yes": 6,
        "no": 4,
        "yes_label": "Ya",
        "no_label": "Tidak",
    }
    # The normalized JSON validates back into the same definition.
    assert SopDefinition.model_validate(data) == sop


def test_seed_starts_with_a_comment_header(seed_text: str) -> None:
    assert seed_text.startswith('# SOP "Pengumpulan Data Kinerja"')
    assert "seed SOP" in seed_text.splitlines()[0]


def test_generic_example_loads(leave_text: str) -> None:
    sop = parse_sop(leave_text, "permohonan-cuti.yaml")
    assert sop.code == "permohonan-cuti"
    assert [s.executor for s in sop.steps] == ["pegawai", "atasan", "kepegawaian"]
    assert [str(s.time[0]) for s in sop.steps] == ["15 minute", "1 day", "2 hour"]
    assert sop.schedule is None
