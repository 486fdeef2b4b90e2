"""A whole quarter walked in Chromium by the four executors of two units, with a return and
a fix, real files posted through the step 3 (materials) and step 4 (evidence) forms, the
analysts at phone width (360 px), an unlock by the administrator and a second approval,
the e-mail of the assignment delivered, and the read time of every disposition shown; each
user sees exactly their tasks; the dashboard counts afterwards. Screenshots of every step
go to test-artifacts/browser/. One more run at 360 px in English.

Chromium is Debian's /usr/bin/chromium (``.ci/run`` installs it). A missing browser fails
in CI and is skipped, naming the package, on a bare machine (tests/tools.py).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.browser.conftest import ARTIFACTS

# Playwright's sync API runs its own event loop; Django's ORM is called from the test
# thread only between page actions.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "binamu2026"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
    b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def quarter(two_unit_office):
    from django.utils import timezone

    from kinerja.demo.performance import load_performance_data
    from kinerja.workflow.services import case_open

    load_performance_data(two_unit_office)
    case, _ = case_open(
        sop_code="pengumpulan-data-kinerja",
        agency=two_unit_office.agency,
        period="2026-Q3",
        now=timezone.now(),
    )
    return case


class Person:
    """One signed-in user in their own browser context (own cookies)."""

    def __init__(self, browser, base: str, username: str, *, width: int = 1280):
        self.username = username
        self.base = base
        self.context = browser.new_context(viewport={"width": width, "height": 900})
        self.page = self.context.new_page()
        self.page.goto(f"{base}/akun/masuk/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        self.page.click("button[type=submit]")
        self.page.wait_for_url(re.compile(r".*/tugas/$"))

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    def tasks(self) -> list[str]:
        self.page.goto(f"{self.base}/tugas/")
        return self.page.locator(".task-card h2").all_inner_texts()

    def open_only_task(self, expected_text: str) -> None:
        titles = self.tasks()
        assert len(titles) == 1, (self.username, titles)
        assert expected_text in self.page.locator(".task-card").inner_text()
        self.page.click(".task-card a.btn-primary")
        self.page.wait_for_selector("#task-form")

    def finish(self) -> None:
        self.page.click("button[name=action][value=complete]")
        self.page.wait_for_url(re.compile(r".*/tugas/$"))
        assert self.page.locator(".alert-success").count() == 1

    def close(self) -> None:
        self.context.close()


def fill_realisations(page, value: str, *, evidence: bool, tmp_path: Path) -> None:
    for field in page.locator("input[name^=v_]").all():
        field.fill(value)
    if evidence:
        proof = tmp_path / "bukti.png"
        proof.write_bytes(PNG)
        for upload in page.locator("input[type=file][name^=ev_]").all():
            upload.set_input_files(str(proof))


def upload_materials(page, tmp_path: Path, name: str) -> None:
    material = tmp_path / name
    material.write_bytes(PDF)
    page.locator("input[type=file][name=files]").set_input_files(str(material))


def excel_import(person, case, tmp_path: Path) -> None:
    from django.urls import reverse

    agency = case.agency.code
    query = f"?periode={case.period}"
    template = person.page.request.get(
        f"{person.base}{reverse('performance:template_realisations', args=[agency])}{query}"
    )
    assert template.status == 200
    sheet = tmp_path / "realisasi.xlsx"
    sheet.write_bytes(template.body())
    person.page.goto(
        f"{person.base}{reverse('performance:import_realisations', args=[agency])}{query}"
    )
    person.page.set_input_files("input[type=file][name=file]", str(sheet))
    person.page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
    person.page.wait_for_load_state()
    assert person.page.locator("#id_file_error").count() == 0, person.page.content()[-3000:]
    assert "Tidak ada berkas yang dikirimkan" not in person.page.content()
    assert person.page.locator("#import-errors").count() == 0
    assert person.page.locator("button[name=confirm]").count() == 1
    person.shot("04a-kasi_trantib-impor-pratinjau")


def fits(page, width: int) -> None:
    """Nothing sticks out sideways."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_a_quarter_in_the_browser(browser, live_server, quarter, tmp_path, settings, mailoutbox):
    from kinerja.accounts.models import User
    from kinerja.notifications.models import Notification
    from kinerja.performance.models import Evidence, ReportMaterial, UnitPeriodLock
    from kinerja.workflow.models import Disposition

    settings.MEDIA_ROOT = tmp_path / "media"
    base = live_server.url
    units = {
        "pemerintahan": ("kasi_pemerintahan", "analis_1", "Seksi Pemerintahan"),
        "trantib": ("kasi_trantib", "analis_2", "Seksi Ketenteraman"),
    }

    # Step 1: the Sekcam sees both units plainly and assigns them.
    sekcam = Person(browser, base, "sekcam")
    sekcam.open_only_task("Menugaskan Kasi/Kasubag")
    listed = sekcam.page.locator("#assigned-units li")
    assert listed.count() == 2 and listed.first.is_visible()
    assert "Seksi Pemerintahan" in listed.all_inner_texts()[0]
    assert sekcam.page.locator("details").count() == 0
    sekcam.page.fill("#id_instruction", "Mohon laporan Triwulan III 2026 disiapkan.")
    sekcam.shot("01-sekcam-langkah1")
    sekcam.finish()
    assert sekcam.tasks() == []

    # The assignment reached each Kasi by e-mail (the project's mail outbox).
    kasi_mail = User.objects.get(username="kasi_pemerintahan").email
    assert any(kasi_mail in m.to for m in mailoutbox), [m.to for m in mailoutbox]
    notice = Notification.objects.get(recipient__username="kasi_pemerintahan", kind="assigned")
    assert notice.email_status == Notification.EmailStatus.SENT

    people = {}
    for code, (kasi, analyst, name) in units.items():
        # Step 2: each Kasi sees only their own unit's task and picks the analyst; opening
        # the task records that the Sekcam's disposition was read.
        head = people[kasi] = Person(browser, base, kasi)
        head.open_only_task(name)
        assert "Mohon laporan Triwulan III 2026 disiapkan." in head.page.content()
        assert head.page.locator("[data-read-at]").count() == 1
        analyst_name = head.page.locator("#id_analyst option").all_inner_texts()
        assert len(analyst_name) == 4  # the empty choice and the three analysts
        head.page.select_option("#id_analyst", str(User.objects.get(username=analyst).pk))
        head.shot(f"02-{kasi}-langkah2")
        head.finish()

        # Step 3 at phone width: the analyst drafts the realisations (Indonesian numbers)
        # and hands over a real PDF through the form.
        doer = people[analyst] = Person(browser, base, analyst, width=360)
        doer.open_only_task(name)
        fill_realisations(doer.page, "12,5", evidence=False, tmp_path=tmp_path)
        upload_materials(doer.page, tmp_path, f"bahan-{code}.pdf")
        doer.page.fill("#id_comment", f"Bahan {code} dari operator desa.")
        fits(doer.page, 360)
        doer.shot(f"03-{analyst}-langkah3-hp")
        doer.finish()
        assert doer.tasks() == []
        assert ReportMaterial.objects.filter(
            case=quarter, unit__code=code, original_name=f"bahan-{code}.pdf"
        ).exists()

        if code == "trantib":
            # The Kasi checks the analyst's draft as a spreadsheet: the quarter's template
            # downloaded and posted back through the import page's file field (a preview).
            excel_import(head, quarter, tmp_path)

        # Step 4: the Kasi sees the material and the analyst's note, completes the report
        # with an evidence file per indicator.
        head.open_only_task(name)
        assert head.page.locator(f"a:has-text('bahan-{code}.pdf')").count() == 1
        assert f"Bahan {code} dari operator desa." in head.page.locator("#handover").inner_text()
        assert head.page.locator("input[name^=v_]").first.input_value() == "12,5"
        fill_realisations(head.page, "85,5", evidence=True, tmp_path=tmp_path)
        head.shot(f"04-{kasi}-langkah4")
        head.finish()
        assert Evidence.objects.filter(
            realisation__indicator__owner_unit__code=code,
            realisation__quarter=3,
            realisation__year=2026,
            original_name="bukti.png",
        ).exists()

    # Step 5: the Sekcam returns Pemerintahan (note required) and approves Trantib.
    titles = sekcam.tasks()
    assert len(titles) == 2 and all("Memeriksa laporan" in t for t in titles)
    for _review in range(2):
        sekcam.page.goto(f"{base}/tugas/")
        card = sekcam.page.locator(".task-card").nth(0)
        is_pemerintahan = "Seksi Pemerintahan" in card.inner_text()
        card.locator("a.btn-primary").click()
        sekcam.page.wait_for_selector("#task-form")
        assert sekcam.page.locator(".review-table").count() == 1
        if is_pemerintahan:
            sekcam.page.check("input[value=returned]")
            sekcam.page.click("button[value=complete]")
            assert "wajib diberi alasan" in sekcam.page.content()
            assert sekcam.page.locator("input[value=returned]").is_checked()
            sekcam.page.fill("#id_comment", "Kendala dan upaya belum diisi.")
            sekcam.shot("05-sekcam-langkah5-kembalikan")
        else:
            sekcam.page.check("input[value=approved]")
            sekcam.shot("05-sekcam-langkah5-setujui")
        sekcam.finish()

    # The fix: round 2 of step 4 for Pemerintahan, then approval.
    head = people["kasi_pemerintahan"]
    head.open_only_task("putaran ke-2")
    assert "Kendala dan upaya belum diisi." in head.page.content()
    for area in head.page.locator("textarea[name^=p_]").all():
        area.fill("Data desa terlambat masuk.")
    for area in head.page.locator("textarea[name^=a_]").all():
        area.fill("Koordinasi dengan operator desa.")
    head.shot("06-kasi_pemerintahan-perbaikan")
    head.finish()
    assert people["kasi_trantib"].tasks() == []
    sekcam.open_only_task("Seksi Pemerintahan")
    sekcam.page.check("input[value=approved]")
    sekcam.finish()
    assert UnitPeriodLock.objects.filter(year=2026, quarter=3, unlocked_at=None).count() == 2

    # The administrator unlocks Pemerintahan on the case page (reason required).
    admin = Person(browser, base, "admin")
    admin.page.goto(f"{base}/kasus/{quarter.pk}/")
    row = admin.page.locator("tr[data-lock=pemerintahan]")
    row.locator("summary").click()
    row.locator("textarea[name=reason]").fill("Angka PEM salah ketik, dikoreksi Kasi.")
    row.locator("button[type=submit]").click()
    admin.page.wait_for_selector(".alert-success")
    row = admin.page.locator("tr[data-lock=pemerintahan]").first
    assert "Angka PEM salah ketik" in row.inner_text()
    assert "Admin Kinerja" in row.inner_text()
    admin.shot("06a-admin-buka-kunci")
    admin.close()

    # The Kasi corrects it in a new round of step 4; the Sekcam approves; locked again.
    head.open_only_task("putaran ke-3")
    head.page.locator("input[name^=v_]").first.fill("86")
    head.finish()
    sekcam.open_only_task("Seksi Pemerintahan")
    sekcam.page.check("input[value=approved]")
    sekcam.finish()
    assert UnitPeriodLock.objects.filter(year=2026, quarter=3, unlocked_at=None).count() == 2

    # Step 6: the head of planning sees both units approved and finishes.
    planner = Person(browser, base, "kasubag_perencanaan")
    planner.open_only_task("Merekomendasikan laporan")
    assert planner.page.locator(".st-approved").count() >= 2
    planner.shot("07-kasubag_perencanaan-langkah6")
    documents_link = planner.page.locator(f"a[href$='?case={quarter.pk}']")
    assert documents_link.count() == 1
    documents_url = documents_link.get_attribute("href")
    budget_url = planner.page.locator("a[data-link=budget]").get_attribute("href")
    planner.finish()
    assert planner.tasks() == []

    # The budget realisation of the quarter (linked from step 6), Indonesian numbers.
    planner.page.goto(f"{base}{budget_url}")
    first_q3 = planner.page.locator("#budget-form tbody tr").first.locator("input[name^=r3_]")
    first_q3.fill("12.500.000,50")
    planner.page.click("#budget-form button[type=submit]")
    planner.page.wait_for_selector(".alert-success")
    assert first_q3.input_value() == "12.500.000,50"
    planner.shot("07a-kasubag_perencanaan-realisasi-anggaran")

    # The case's documents: the quarterly report as PDF, archived and downloadable.
    planner.page.goto(f"{base}{documents_url}")
    card = planner.page.locator("form:has(input[name=code][value=laporan-triwulan])")
    assert card.count() == 1
    card.locator("button[name=fmt][value=pdf]").click()
    planner.page.wait_for_selector(".alert-success")
    assert "Laporan" in planner.page.locator(".alert-success").inner_text()
    download_link = planner.page.locator("a[href*='/unduh/']").first
    with planner.page.expect_download() as info:
        download_link.click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf"), download.suggested_filename
    saved = ARTIFACTS / "laporan-triwulan.pdf"
    download.save_as(str(saved))
    assert saved.read_bytes().startswith(b"%PDF")
    response = planner.page.request.get(f"{base}{download_link.get_attribute('href')}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    planner.shot("07b-kasubag_perencanaan-dokumen")

    # The downloaded PDF, posted to the verification page, is recognised as the original.
    from django.urls import reverse

    planner.page.goto(f"{base}{reverse('reports:verify_upload')}")
    planner.page.set_input_files("input[type=file][name=file]", str(saved))
    planner.page.locator("form[enctype='multipart/form-data'] button").click()
    planner.page.wait_for_selector("text=COCOK")
    assert "dokumen asli" in planner.page.locator(".alert-success").last.inner_text()
    planner.shot("07c-kasubag_perencanaan-verifikasi")

    # Nobody has anything left; each Kasi reads the Sekcam's decisions on the case page.
    for person in people.values():
        assert person.tasks() == []
    for kasi in ("kasi_pemerintahan", "kasi_trantib"):
        people[kasi].page.goto(f"{base}/kasus/{quarter.pk}/")
    # Every disposition of the quarter was read by its recipient, and the case page says when.
    assert not Disposition.objects.filter(case=quarter, read_at=None).exists()
    sekcam.page.goto(f"{base}/dasbor/")
    kpi = {
        key: sekcam.page.locator(f"[data-kpi={key}]").inner_text()
        for key in ("expected", "submitted", "approved", "on_time")
    }
    assert kpi == {"expected": "2", "submitted": "2", "approved": "2", "on_time": "2"}
    sekcam.shot("08-sekcam-dasbor")
    sekcam.page.goto(f"{base}/kasus/{quarter.pk}/")
    assert "1 kali dikembalikan" in sekcam.page.content()
    read_cells = sekcam.page.locator("[data-disposition-read]")
    assert read_cells.count() == Disposition.objects.filter(case=quarter).count() >= 8
    assert sekcam.page.locator("[data-disposition-read] time").count() == read_cells.count()
    assert "Angka PEM salah ketik" in sekcam.page.locator("#locks").inner_text()
    sekcam.shot("09-sekcam-kasus")
    for person in [sekcam, planner, *people.values()]:
        person.close()


def test_phone_width_in_english(browser, live_server, quarter):
    base = live_server.url
    sekcam = Person(browser, base, "sekcam", width=360)
    page = sekcam.page
    page.click(".navbar-toggler")
    page.select_option("#nav-language", "en")
    page.click("#main-menu form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "My tasks" in page.content()
    # Nothing sticks out sideways on a 360-pixel phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    sekcam.shot("10-phone-en-tasks")
    page.goto(f"{base}/kasus/{quarter.pk}/")
    sekcam.shot("11-phone-en-case")
    page.goto(f"{base}/dasbor/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    sekcam.shot("12-phone-en-dashboard")

    # A whole step screen in English at 360 px: step 4 of Pemerintahan with the
    # completeness box (the earlier steps through the engine).
    from kinerja.accounts.models import User
    from kinerja.workflow.models import Task
    from kinerja.workflow.services import task_complete

    def active(step):
        tasks = Task.objects.filter(case=quarter, step=step, status="active")
        return tasks.get() if step == 1 else tasks.get(unit__code="pemerintahan")

    users = {u.username: u for u in User.objects.all()}
    task_complete(actor=users["sekcam"], task_id=active(1).pk, data={"instruction": "Siapkan."})
    task_complete(
        actor=users["kasi_pemerintahan"], task_id=active(2).pk, assignee=users["analis_1"]
    )
    task_complete(
        actor=users["analis_1"],
        task_id=active(3).pk,
        data={"no_materials_reason": "Belum ada bahan."},
    )
    step4 = active(4)
    sekcam.close()

    head = Person(browser, base, "kasi_pemerintahan", width=360)
    page = head.page
    page.click(".navbar-toggler")
    page.select_option("#nav-language", "en")
    page.click("#main-menu form button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{base}/tugas/{step4.pk}/")
    page.wait_for_selector("#task-form")
    assert page.locator("html").get_attribute("lang") == "en"
    box = page.locator("#completeness")
    assert box.is_visible()
    assert "Completeness" in box.inner_text() and "Kelengkapan" not in box.inner_text()
    assert page.locator("input[name^=v_]").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    head.shot("13-phone-en-langkah4")
    head.close()
