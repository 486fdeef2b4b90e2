"""URL map. Each app owns its urls module; the web app holds the pages people use."""

from importlib import util

from django.contrib import admin
from django.urls import include, path

from kinerja.core.benchmark import floor
from kinerja.reports.views import VerifyView

urlpatterns = [
    # The short link printed (with a QR code) on every PDF: {KINERJA_SITE_URL}/v/<code>
    path("v/<str:short_code>", VerifyView.as_view(), name="verify_short"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # The floor of benchmarks/scale.py: 404 unless KINERJA_BENCHMARK=1
    path("_bench/floor/", floor, name="bench_floor"),
]

# Apps add their pages by having a urls module; the order is the order below.
for app, prefix in [
    ("accounts", "akun/"),
    ("notifications", "notifikasi/"),
    ("reports", "dokumen/"),
    ("performance", "kinerja/"),
    ("workflow", "alur/"),
    ("sop", "sop/"),
    ("api", ""),  # /api/v1/ and the token page /akun/token-api/
    ("web", ""),
]:
    if util.find_spec(f"kinerja.{app}.urls") is not None:
        urlpatterns.append(path(prefix, include(f"kinerja.{app}.urls")))
