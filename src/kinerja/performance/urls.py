"""Pages of the performance app (mounted at /kinerja/): Excel templates, import, export."""

from django.urls import path

from . import spreadsheets, views_io

app_name = "performance"

urlpatterns = [
    path("<slug:agency>/excel/", views_io.ExcelHomeView.as_view(), name="excel"),
    path(
        "<slug:agency>/excel/target/templat/",
        views_io.TemplateDownloadView.as_view(kind=spreadsheets.KIND_TARGETS),
        name="template_targets",
    ),
    path(
        "<slug:agency>/excel/realisasi/templat/",
        views_io.TemplateDownloadView.as_view(kind=spreadsheets.KIND_REALISATIONS),
        name="template_realisations",
    ),
    path(
        "<slug:agency>/excel/target/impor/",
        views_io.ImportView.as_view(kind=spreadsheets.KIND_TARGETS),
        name="import_targets",
    ),
    path(
        "<slug:agency>/excel/realisasi/impor/",
        views_io.ImportView.as_view(kind=spreadsheets.KIND_REALISATIONS),
        name="import_realisations",
    ),
    path("<slug:agency>/excel/ekspor/", views_io.ExportView.as_view(), name="export"),
]
