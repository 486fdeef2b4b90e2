import pytest
from kinerja.workflow.models import Task


@pytest.mark.django_db
def test_smoke(case, login):
    c = login("sekcam")
    r = c.get("/tugas/")
    assert r.status_code == 200, r.content[:2000]
    t = Task.objects.get(case=case, step=1)
    r = c.get(f"/tugas/{t.pk}/")
    assert r.status_code == 200
    r = c.post(f"/tugas/{t.pk}/", {"expected_version": t.lock_version, "instruction": "Segera"})
    assert r.status_code == 302, r.content.decode()[-3000:]
    r = c.get(f"/kasus/{case.pk}/")
    assert r.status_code == 200
    r = c.get("/dasbor/")
    assert r.status_code == 200, r.content.decode()[-3000:]
    r = c.get("/dasbor/grafik/kelengkapan.svg")
    assert r.status_code == 200
    r = c.get("/prosedur/pengumpulan-data-kinerja/")
    assert r.status_code == 200
    c = login("kasi_pemerintahan")
    t2 = Task.objects.get(case=case, step=2, unit__code="pemerintahan")
    r = c.get(f"/tugas/{t2.pk}/")
    assert r.status_code == 200
    assert "Nur Fadillah" in r.content.decode()
    c = login("admin")
    for k in ["instansi", "unit", "jabatan", "pemangku", "pengguna", "jam-kantor", "hari-libur"]:
        r = c.get(f"/data-induk/{k}/")
        assert r.status_code == 200, k
        r = c.get(f"/data-induk/{k}/baru/")
        assert r.status_code == 200, k
