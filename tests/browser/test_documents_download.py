"""In Chromium: the Sekcam picks a quarter from the list, presses XLSX, sees the document being
made by the background worker (the database task backend and the worker loop in a thread, as
``kinerja demo`` runs them; issue 14) and gets the file as a download once it is ready (issue 9,
item 10: generating only archived it); the wrong unit's task shows the
site's own "not found" page with a way back. Screenshots go to test-artifacts/browser/."""

from __future__ import annotations

import os
import re

import pytest

from tests.browser.conftest import ARTIFACTS

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(browser, base: str, username: str, *, width: int = 1280):
    context = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
    context.set_default_timeout(120_000)  # a shared, busy CI machine
    page = context.new_page()
    page.goto(f"{base}/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", "binamu2026")
    page.click("form:has(#id_password) button[type=submit]")
    page.wait_for_url(re.compile(r".*/tugas/$"))
    return context, page


@pytest.fixture
def background_worker(settings):
    """Production's task backend and ``kinerja worker``'s loop in a thread (no tick)."""
    from kinerja.notifications.worker import start_in_thread

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    loop, thread = start_in_thread(tick_interval=None, poll_interval=0.2)
    yield loop
    loop.stop()
    thread.join(timeout=60)


def test_generate_downloads_and_not_found_is_a_site_page(
    browser, live_server, two_unit_office, tmp_path, background_worker
):
    from kinerja.demo.performance import load_performance_data
    from kinerja.reports.models import DocumentJob, GeneratedDocument

    load_performance_data(two_unit_office)
    context, page = sign_in(browser, live_server.url, "sekcam")
    try:
        page.goto(f"{live_server.url}/dokumen/?agency=kec-binamu")
        form = page.locator(
            "form", has=page.locator('input[name="code"][value="laporan-triwulan"]')
        )
        choices = form.locator('select[name="period"] option').all_inner_texts()
        assert any(text.startswith("Triwulan") for text in choices), choices
        form.locator('select[name="period"]').select_option(index=1)
        chosen = form.locator('select[name="period"]').input_value()
        page.screenshot(path=str(ARTIFACTS / "documents-choose-quarter.png"), full_page=True)
        with page.expect_download() as info:
            form.locator('button[value="xlsx"]').click()
            # The page answers at once with the request's status, polled until ready.
            page.wait_for_url(re.compile(r".*proses=\d+.*"))
            assert page.locator("#document-job").count() == 1
            page.screenshot(path=str(ARTIFACTS / "documents-in-progress.png"), full_page=True)
        download = info.value
        saved = tmp_path / download.suggested_filename
        download.save_as(saved)
        assert saved.suffix == ".xlsx" and saved.read_bytes()[:2] == b"PK"
        document = GeneratedDocument.objects.get()
        assert DocumentJob.objects.get().document == document
        assert document.params["period"] == chosen
        assert document.short_code in page.content()
        page.wait_for_selector('#document-job[data-job-status="done"]')
        assert "proses=" not in page.url  # a reload does not download it again
        page.screenshot(path=str(ARTIFACTS / "documents-generated.png"), full_page=True)

        page.goto(f"{live_server.url}/tugas/999999/")
        assert page.locator("h1").inner_text() == "Halaman tidak ditemukan"
        page.screenshot(path=str(ARTIFACTS / "error-404.png"), full_page=True)
        page.get_by_role("link", name="Ke Tugas saya").click()
        page.wait_for_url(re.compile(r".*/tugas/$"))
    finally:
        context.close()
