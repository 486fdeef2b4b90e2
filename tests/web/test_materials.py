"""Step 3's output is the materials: files posted through the real form (several at once),
or a stated reason for having none, which the Kasi reads on step 4 with the analyst's note."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kinerja.performance.models import ReportMaterial
from kinerja.workflow.models import Task

from .conftest import form_data

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
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


@pytest.fixture
def step3(case, perf_office, settings, tmp_path):
    from kinerja.workflow.services import task_complete

    settings.MEDIA_ROOT = tmp_path
    u = perf_office.users
    task_complete(actor=u["sekcam"], task_id=active(case, 1).pk)
    task_complete(
        actor=u["kasi_pemerintahan"],
        task_id=active(case, 2, "pemerintahan").pk,
        assignee=u["analis_1"],
    )
    return active(case, 3, "pemerintahan")


def page_data(client, task):
    response = client.get(f"/tugas/{task.pk}/")
    assert response.status_code == 200
    return form_data(response.content.decode())


def test_two_files_and_typed_text_in_one_submit(step3, login, case):
    c = login("analis_1")
    data = page_data(c, step3)
    first_value = sorted(n for n in data if n.startswith("v_"))[0]
    data[first_value] = "12,5"
    data["comment"] = "Bahan dari operator desa."
    data["files"] = [
        SimpleUploadedFile("rekap.pdf", PDF, "application/pdf"),
        SimpleUploadedFile("foto.png", PNG, "image/png"),
    ]
    data["action"] = "complete"
    response = c.post(f"/tugas/{step3.pk}/", data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    names = sorted(
        ReportMaterial.objects.filter(case=case, unit__code="pemerintahan").values_list(
            "original_name", flat=True
        )
    )
    assert names == ["foto.png", "rekap.pdf"]
    done = Task.objects.get(pk=step3.pk)
    assert done.status == "completed" and done.comment == "Bahan dari operator desa."

    # The Kasi's step 4 lists both files and the analyst's note.
    page = login("kasi_pemerintahan").get(f"/tugas/{active(case, 4, 'pemerintahan').pk}/")
    text = page.content.decode()
    assert "rekap.pdf" in text and "foto.png" in text
    assert "Bahan dari operator desa." in text
    assert "Diserahkan tanpa bahan laporan" not in text


def test_no_materials_needs_a_reason_shown_to_the_kasi(step3, login, case):
    c = login("analis_1")
    data = page_data(c, step3)
    data["comment"] = "Catatan saya."
    data["action"] = "complete"
    response = c.post(f"/tugas/{step3.pk}/", data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Bahan laporan belum diunggah" in page
    assert "Catatan saya." in page  # what was typed is still there
    assert Task.objects.get(pk=step3.pk).status == "active"

    data = form_data(page)
    data["no_materials_reason"] = "Seksi tidak punya kegiatan triwulan ini."
    data["action"] = "complete"
    response = c.post(f"/tugas/{step3.pk}/", data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    done = Task.objects.get(pk=step3.pk)
    assert done.data["no_materials_reason"] == "Seksi tidak punya kegiatan triwulan ini."

    text = login("kasi_pemerintahan").get(f"/tugas/{active(case, 4, 'pemerintahan').pk}/")
    text = text.content.decode()
    assert "Diserahkan tanpa bahan laporan" in text
    assert "Seksi tidak punya kegiatan triwulan ini." in text
    assert "Catatan saya." in text


def test_a_file_that_is_not_what_it_says_keeps_the_typing(step3, login, case):
    c = login("analis_1")
    data = page_data(c, step3)
    data["comment"] = "Tetap di sini."
    data["files"] = [SimpleUploadedFile("laporan.pdf", b"just text", "application/pdf")]
    data["action"] = "save"
    response = c.post(f"/tugas/{step3.pk}/", data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "tidak dapat diterima" in page
    assert "Tetap di sini." in page
    assert not ReportMaterial.objects.filter(case=case).exists()


def test_evidence_and_materials_at_step_4(step3, login, case, perf_office):
    from kinerja.performance.models import Evidence
    from kinerja.workflow.services import task_complete

    task_complete(
        actor=perf_office.users["analis_1"],
        task_id=step3.pk,
        data={"no_materials_reason": "Tidak ada."},
    )
    step4 = active(case, 4, "pemerintahan")
    c = login("kasi_pemerintahan")
    data = page_data(c, step4)
    values = sorted(n for n in data if n.startswith("v_"))
    for name in values:
        data[name] = "50"
    data[f"ev_{values[0][2:]}"] = SimpleUploadedFile("bukti.pdf", PDF, "application/pdf")
    data["files"] = [SimpleUploadedFile("tambahan.pdf", PDF, "application/pdf")]
    data["action"] = "save"
    response = c.post(f"/tugas/{step4.pk}/", data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert Evidence.objects.filter(original_name="bukti.pdf", realisation__quarter=3).count() == 1
    assert ReportMaterial.objects.filter(case=case, original_name="tambahan.pdf").exists()
