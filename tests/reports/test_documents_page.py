"""The documents page as a person uses it: the period is chosen from a list (not typed), the
document generated comes straight back as a download, an issue date can be given, and an
LKjIP for a year that is not over is flagged. (The background path itself:
test_document_jobs.py.)"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from kinerja.core.periods import Period
from kinerja.reports.models import DocumentJob, GeneratedDocument

pytestmark = pytest.mark.django_db


def card(html: str, code: str) -> str:
    """The generate form of one document (its card)."""
    start = html.index(f'name="code" value="{code}"')
    return html[start : html.index("</form>", start)]


def selected(form: str, name: str) -> str:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', form, re.S).group(1)
    chosen = re.search(r'<option value="([^"]*)" selected', select)
    return chosen.group(1) if chosen else re.search(r'<option value="([^"]*)"', select).group(1)


def options(form: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', form, re.S).group(1)
    return re.findall(r'<option value="([^"]*)"', select)


def test_quarter_year_and_half_are_chosen_from_lists(perf_office, client):
    client.force_login(perf_office.users["sekcam"])
    html = client.get(reverse("reports:documents") + "?agency=kec-binamu").content.decode()
    quarterly = card(html, "laporan-triwulan")
    assert 'name="period"' in quarterly and "<select" in quarterly
    assert not re.search(r'<input[^>]*name="period"', quarterly)  # nothing to type
    quarters = options(quarterly, "period")
    today = dt.date.today()
    assert str(Period.quarter_of(today)) in quarters and len(quarters) >= 4
    assert str(Period.quarter_of(today).previous()) == selected(quarterly, "period")
    assert Period.quarter_of(today).previous().label in quarterly  # "Triwulan III 2026"
    lkjip = card(html, "lkjip")
    assert selected(lkjip, "year") == str(today.year - 1)  # the last year that is over
    assert str(today.year) in options(lkjip, "year")
    assert "belum lengkap" in lkjip
    monitoring = card(html, "monitoring-sop")
    assert re.fullmatch(r"\d{4}-H[12]", selected(monitoring, "half"))
    assert 'type="date" name="issue_date"' in quarterly


def test_generating_returns_to_the_page_that_downloads_it(perf_office, client):
    client.force_login(perf_office.users["sekcam"])
    page_url = reverse("reports:documents") + "?agency=kec-binamu"
    html = client.get(page_url).content.decode()
    form = card(html, "laporan-triwulan")
    period = selected(form, "period")
    response = client.post(
        reverse("reports:generate"),
        {
            "code": "laporan-triwulan",
            "agency": "kec-binamu",
            "next": page_url,
            "period": period,
            "issue_date": "2026-10-05",
            "fmt": "xlsx",
        },
        follow=True,
    )
    doc = GeneratedDocument.objects.get()
    assert doc.params["period"] == period and doc.params["issue_date"] == "2026-10-05"
    landed = response.redirect_chain[-1][0]
    job = DocumentJob.objects.get()
    assert job.document == doc  # the test settings run background tasks at once
    assert f"proses={job.pk}" in landed and "agency=kec-binamu" in landed
    body = response.content.decode()
    download = reverse("reports:download", args=[doc.pk])
    assert re.search(rf'href="{download}"[^>]*download data-auto-download', body)
    assert doc.short_code in body
    assert "kinerja/documents.js" in body and "<script>" not in body
    file = client.get(download)
    assert file.status_code == 200 and file["Content-Disposition"].startswith("attachment")
    assert b"".join(file.streaming_content)[:2] == b"PK"  # an XLSX
    # Another user's marker shows nothing of a document they may not download.
    client.force_login(perf_office.users["kasi_trantib"])
    other = client.get(f"{page_url}&proses={job.pk}").content.decode()
    assert "data-auto-download" not in other and doc.short_code not in other


def test_lkjip_of_a_year_not_over_is_flagged(perf_office, client):
    client.force_login(perf_office.users["sekcam"])
    this_year = dt.date.today().year
    for year, warned in ((this_year, True), (this_year - 1, False)):
        response = client.post(
            reverse("reports:generate"),
            {"code": "lkjip", "agency": "kec-binamu", "year": str(year), "fmt": "docx"},
            follow=True,
        )
        body = response.content.decode()
        assert GeneratedDocument.objects.filter(params__year=year).exists()
        assert (f"Tahun {year} belum berakhir" in body) is warned, year


def test_bad_period_is_refused_with_a_message(perf_office, client):
    client.force_login(perf_office.users["sekcam"])
    response = client.post(
        reverse("reports:generate"),
        {"code": "laporan-triwulan", "agency": "kec-binamu", "period": "2026-Q9", "fmt": "pdf"},
        follow=True,
    )
    assert response.status_code == 200
    assert "2026-Q9" in response.content.decode()
    assert not GeneratedDocument.objects.exists()
