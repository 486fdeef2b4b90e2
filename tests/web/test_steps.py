"""The step screens through the Django client: a whole quarter with a return and a fix,
Indonesian numbers, errors that keep what was typed, and two people saving at once."""

from __future__ import annotations

import pytest

from kinerja.performance.models import Realisation
from kinerja.workflow.models import Case, Disposition, Task

from .conftest import form_data

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
    b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def active(case, step, unit_code=None):
    qs = Task.objects.filter(case=case, step=step, status="active")
    if unit_code:
        qs = qs.filter(unit__code=unit_code)
    return qs.get()


def open_page(client, task):
    response = client.get(f"/tugas/{task.pk}/")
    assert response.status_code == 200
    return form_data(response.content.decode())


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def fill_unit(client, task, value="1.234,5", evidence=False, materials=False):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = open_page(client, task)
    if materials:
        data["files"] = [SimpleUploadedFile("bahan.pdf", PDF, "application/pdf")]
    for name in list(data):
        if name.startswith("v_"):
            data[name] = value
            if evidence:
                pk = name[2:]
                data[f"ev_{pk}"] = SimpleUploadedFile("bukti.png", PNG, "image/png")
    data["action"] = "complete"
    return client.post(f"/tugas/{task.pk}/", data)


def test_a_quarter_with_a_return_and_a_fix(case, login, perf_office, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    u = perf_office.users
    c = login("sekcam")
    data = open_page(c, active(case, 1))
    assert "Mohon disiapkan" in data["instruction"]
    data["instruction"] = "Segera siapkan laporan."
    assert c.post(f"/tugas/{active(case, 1).pk}/", data).status_code == 302
    assert Disposition.objects.filter(case=case).count() == 2

    for unit, kasi, analyst in [
        ("pemerintahan", "kasi_pemerintahan", "analis_1"),
        ("trantib", "kasi_trantib", "analis_2"),
    ]:
        c = login(kasi)
        task = active(case, 2, unit)
        page = c.get(f"/tugas/{task.pk}/").content.decode()
        assert "Segera siapkan laporan." in page  # the disposition received
        data = form_data(page)
        data["analyst"] = str(u[analyst].pk)
        assert c.post(f"/tugas/{task.pk}/", data).status_code == 302
        assert active(case, 3, unit).assignee == u[analyst]

        c = login(analyst)
        assert fill_unit(c, active(case, 3, unit), "12,5", materials=True).status_code == 302
        c = login(kasi)
        response = fill_unit(c, active(case, 4, unit), "1.234,5", evidence=True)
        assert response.status_code == 302, response.content.decode()[-1500:]

    values = set(Realisation.objects.filter(year=2026, quarter=3).values_list("value", flat=True))
    assert {str(v.normalize()) for v in values} == {"1234.5"}

    # The Sekcam returns Pemerintahan: a note is required, and what was chosen is kept.
    c = login("sekcam")
    task = active(case, 5, "pemerintahan")
    page = c.get(f"/tugas/{task.pk}/").content.decode()
    assert "Capaian" in page and "Predikat" in page
    response = c.post(
        f"/tugas/{task.pk}/", {"expected_version": 0, "decision": "returned", "comment": ""}
    )
    assert response.status_code == 400
    assert "wajib diberi alasan" in response.content.decode()
    assert (
        'value="returned" checked' in response.content.decode().replace("checked id", "checked")
        or "checked" in response.content.decode()
    )
    response = c.post(
        f"/tugas/{task.pk}/",
        {"expected_version": 0, "decision": "returned", "comment": "Lengkapi kendala."},
    )
    assert response.status_code == 302
    response = c.post(
        f"/tugas/{active(case, 5, 'trantib').pk}/", {"expected_version": 0, "decision": "approved"}
    )
    assert response.status_code == 302

    # The Kasi fixes (round 2) and the Sekcam approves.
    c = login("kasi_pemerintahan")
    fix = active(case, 4, "pemerintahan")
    assert fix.round == 2
    page = c.get(f"/tugas/{fix.pk}/").content.decode()
    assert "Lengkapi kendala." in page
    data = form_data(page)
    for name in list(data):
        if name.startswith("p_"):
            data[name] = "Data desa terlambat masuk."
    data["action"] = "complete"
    assert c.post(f"/tugas/{fix.pk}/", data).status_code == 302
    c = login("sekcam")
    task = active(case, 5, "pemerintahan")
    c.post(f"/tugas/{task.pk}/", {"expected_version": 0, "decision": "approved"})

    # Step 6: the head of planning sees both units approved and finishes.
    c = login("kasubag_perencanaan")
    task = active(case, 6)
    page = c.get(f"/tugas/{task.pk}/").content.decode()
    assert page.count("st-approved") >= 2
    # ... with the way to the documents and to the budget realisation of the case's year
    assert f"?case={case.pk}" in page
    assert f"/data-induk/realisasi-anggaran/?agency={case.agency_id}&amp;year=2026" in page
    assert c.post(f"/tugas/{task.pk}/", {"expected_version": 0}).status_code == 302
    assert Case.objects.get(pk=case.pk).status == "completed"

    page = login("sekcam").get("/dasbor/").content.decode()
    assert 'data-kpi="expected">2<' in page
    assert 'data-kpi="submitted">2<' in page
    assert 'data-kpi="approved">2<' in page


def test_bad_number_keeps_what_was_typed_and_saves_nothing(case, login, perf_office):
    from kinerja.workflow.services import task_complete

    u = perf_office.users
    task_complete(actor=u["sekcam"], task_id=active(case, 1).pk)
    task_complete(
        actor=u["kasi_pemerintahan"],
        task_id=active(case, 2, "pemerintahan").pk,
        assignee=u["analis_1"],
    )
    c = login("analis_1")
    task = active(case, 3, "pemerintahan")
    data = open_page(c, task)
    names = sorted(n for n in data if n.startswith("v_"))
    data[names[0]] = "12,5"
    data[names[1]] = "dua belas"
    data["action"] = "save"
    response = c.post(f"/tugas/{task.pk}/", data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "bukan angka yang dikenal" in page
    assert 'value="dua belas"' in page and 'value="12,5"' in page
    assert not Realisation.objects.filter(year=2026, quarter=3).exists()


def test_incomplete_report_lists_what_is_missing(case, login, perf_office):
    from kinerja.workflow.services import task_complete

    u = perf_office.users
    task_complete(actor=u["sekcam"], task_id=active(case, 1).pk)
    task_complete(
        actor=u["kasi_pemerintahan"],
        task_id=active(case, 2, "pemerintahan").pk,
        assignee=u["analis_1"],
    )
    task_complete(
        actor=u["analis_1"],
        task_id=active(case, 3, "pemerintahan").pk,
        data={"no_materials_reason": "Belum ada kegiatan."},
    )
    c = login("kasi_pemerintahan")
    task = active(case, 4, "pemerintahan")
    page = c.get(f"/tugas/{task.pk}/").content.decode()
    assert "belum lengkap" in page
    data = form_data(page)
    data["action"] = "complete"
    response = c.post(f"/tugas/{task.pk}/", data)
    assert response.status_code == 400
    assert "realisasi Triwulan III 2026 belum diisi" in response.content.decode()
    assert Task.objects.get(pk=task.pk).status == "active"


def test_two_people_on_the_same_task(case, login, two_unit_office):
    """The Sekcam opens step 1 in two tabs; the second save is refused with a clear
    message and the typed instruction is still there."""
    c = login("sekcam")
    task = active(case, 1)
    first = open_page(c, task)
    second = dict(first)
    first["instruction"] = "Pertama."
    second["instruction"] = "Kedua, jangan hilang."
    Task.objects.filter(pk=task.pk).update(lock_version=5)  # someone changed it meanwhile
    response = c.post(f"/tugas/{task.pk}/", second)
    page = response.content.decode()
    assert response.status_code == 409
    assert "sudah diubah orang lain" in page
    assert "Kedua, jangan hilang." in page
    assert 'name="expected_version" value="5"' in page
    assert Task.objects.get(pk=task.pk).status == "active"


def test_two_people_on_the_same_realisation(case, login, perf_office):
    from kinerja.performance.services import realisation_save
    from kinerja.workflow.services import task_complete

    u = perf_office.users
    task_complete(actor=u["sekcam"], task_id=active(case, 1).pk)
    task_complete(
        actor=u["kasi_pemerintahan"],
        task_id=active(case, 2, "pemerintahan").pk,
        assignee=u["analis_1"],
    )
    c = login("analis_1")
    task = active(case, 3, "pemerintahan")
    data = open_page(c, task)
    name = sorted(n for n in data if n.startswith("v_"))[0]
    indicator_id = int(name[2:])
    # The section head saves the same indicator first.
    from kinerja.core.periods import Period
    from kinerja.performance.models import Indicator

    realisation_save(
        actor=u["kasi_pemerintahan"],
        indicator=Indicator.objects.get(pk=indicator_id),
        period=Period(2026, 3),
        value=70,
    )
    data[name] = "80"
    data["action"] = "save"
    response = c.post(f"/tugas/{task.pk}/", data)
    page = response.content.decode()
    assert response.status_code == 409
    assert 'value="80"' in page  # what the analyst typed is still there
    assert Realisation.objects.get(indicator_id=indicator_id, year=2026, quarter=3).value == 70


def test_release_a_late_unit_needs_a_reason(case, login, two_unit_office):
    unit = two_unit_office.units["trantib"]
    page = login("sekcam").get(f"/kasus/{case.pk}/").content.decode()
    assert "Lanjut tanpa unit ini" not in page
    c = login("kasubag_perencanaan")
    assert "Lanjut tanpa unit ini" in c.get(f"/kasus/{case.pk}/").content.decode()
    response = c.post(f"/kasus/{case.pk}/lepas-unit/", {"unit": unit.pk, "reason": ""})
    assert response.status_code == 302
    assert case.case_units.get(unit=unit).status == "active"
    c.post(f"/kasus/{case.pk}/lepas-unit/", {"unit": unit.pk, "reason": "Kasi cuti sakit."})
    assert case.case_units.get(unit=unit).status == "released"
    # The Sekcam and a section head may not.
    c = login("kasi_pemerintahan")
    other = two_unit_office.units["pemerintahan"]
    c.post(f"/kasus/{case.pk}/lepas-unit/", {"unit": other.pk, "reason": "x"})
    assert case.case_units.get(unit=other).status == "active"
