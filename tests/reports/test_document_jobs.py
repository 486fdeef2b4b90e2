"""Documents generated in the background (issue 14): the documents page queues the request
for the worker (the database task backend, as in production), shows its status fragment,
which htmx polls, and offers the file once the worker has made it; a generation that fails
says why on the page, never a 500. Only the user who asked sees the request."""

from __future__ import annotations

import re
from html import escape

import pytest
from django.urls import reverse

from kinerja.core.models import AuditEvent
from kinerja.notifications.worker import BackgroundLoop
from kinerja.organization.models import Unit
from kinerja.reports.models import DocumentJob, GeneratedDocument

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
PAGE = reverse("reports:documents") + "?agency=kec-binamu"


def ask(client, **fields):
    data = {"code": "laporan-triwulan", "agency": "kec-binamu", "period": "2026-Q3"}
    data.update(fields, next=PAGE)
    return client.post(reverse("reports:generate"), data, follow=True)


def run_worker() -> None:
    """One pass of ``kinerja worker``'s loop over the ready tasks."""
    BackgroundLoop(tick_interval=None).run_ready_tasks()


@pytest.mark.django_db(transaction=True)
def test_queued_then_ready_then_downloaded(perf_office, client, settings):
    settings.TASKS = DATABASE_TASKS
    client.force_login(perf_office.users["sekcam"])
    response = ask(client, fmt="pdf")
    assert response.status_code == 200
    job = DocumentJob.objects.get()
    assert response.redirect_chain[-1][0].endswith(f"proses={job.pk}")
    body = response.content.decode()
    status_url = reverse("reports:job", args=[job.pk])
    # Nothing generated inside the request: the page shows the queued status, polled.
    assert not GeneratedDocument.objects.exists()
    assert job.status == "queued" and job.requested_by == perf_office.users["sekcam"]
    assert re.search(rf'hx-get="{status_url}" hx-trigger="every 1s"', body)
    assert "menunggu giliran" in body and "<script>" not in body
    assert "kinerja/documents.js" in body
    fragment = client.get(status_url, headers={"HX-Request": "true"}).content.decode()
    assert "menunggu giliran" in fragment and "every 1s" in fragment

    run_worker()

    job.refresh_from_db()
    assert job.status == "done" and job.started_at and job.finished_at
    document = job.document
    assert document.generated_by == perf_office.users["sekcam"]
    assert document.params["period"] == "2026-Q3" and document.format == "pdf"
    fragment = client.get(status_url, headers={"HX-Request": "true"}).content.decode()
    download = reverse("reports:download", args=[document.pk])
    assert "hx-trigger" not in fragment  # polling stops
    assert re.search(rf'href="{download}"[^>]*download data-auto-download', fragment)
    assert document.short_code in fragment
    file = client.get(download)
    assert b"".join(file.streaming_content)[:5] == b"%PDF-"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"document.requested", "document.generated"} <= actions
    # Running the same job again (a worker retried) changes nothing.
    run_worker()
    assert GeneratedDocument.objects.count() == 1

    # Another user (even one who may see the agency, and the archived document in the list)
    # sees nothing of this request.
    client.force_login(perf_office.users["camat"])
    assert client.get(status_url).status_code == 404
    other = client.get(f"{PAGE}&proses={job.pk}").content.decode()
    assert 'id="document-job"' not in other and "data-auto-download" not in other


@pytest.mark.django_db(transaction=True)
def test_request_refused_when_the_data_changed_says_why(perf_office, client, settings):
    """Checked again by the worker: the unit was renamed between the request and the run."""
    settings.TASKS = DATABASE_TASKS
    client.force_login(perf_office.users["kasi_pemerintahan"])
    ask(client, code="laporan-unit", unit="pemerintahan", fmt="xlsx")
    Unit.objects.filter(agency=perf_office.agency, code="pemerintahan").update(
        code="pemerintahan-umum"
    )
    run_worker()
    job = DocumentJob.objects.get()
    assert job.status == "failed" and "pemerintahan" in job.error
    page = client.get(f"{PAGE}&proses={job.pk}")
    body = page.content.decode()
    assert page.status_code == 200 and "gagal dibuat" in body and escape(job.error) in body
    assert 'hx-trigger="every' not in body
    assert AuditEvent.objects.filter(action="document.failed").count() == 1
    assert not GeneratedDocument.objects.exists()


@pytest.mark.django_db
def test_failure_while_writing_is_a_message_not_a_500(perf_office, client, settings, tmp_path):
    """The archive's folder cannot be written (here: a file stands where it should be)."""
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x")
    settings.MEDIA_ROOT = str(blocked)
    client.force_login(perf_office.users["sekcam"])
    response = ask(client, fmt="xlsx")
    assert response.status_code == 200
    body = response.content.decode()
    job = DocumentJob.objects.get()
    assert job.status == "failed" and job.error == ""
    assert "gagal dibuat" in body and "kesalahan sudah dicatat" in body
    assert not GeneratedDocument.objects.exists()
    # In English when the user chose English.
    sekcam = perf_office.users["sekcam"]
    sekcam.language = "en"
    sekcam.save(update_fields=["language"])
    english = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    assert "could not be generated" in english and "has been logged" in english


@pytest.mark.django_db
def test_refused_at_once_is_not_queued(perf_office, client):
    client.force_login(perf_office.users["sekcam"])
    response = ask(client, period="2026-Q9", fmt="pdf")
    assert response.status_code == 200 and "2026-Q9" in response.content.decode()
    assert not DocumentJob.objects.exists()
    client.force_login(perf_office.users["kasi_pemerintahan"])
    denied = client.post(
        reverse("reports:generate"),
        {
            "code": "laporan-unit",
            "agency": "kec-binamu",
            "period": "2026-Q3",
            "unit": "trantib",
            "fmt": "pdf",
        },
    )
    assert denied.status_code == 403 and not DocumentJob.objects.exists()
