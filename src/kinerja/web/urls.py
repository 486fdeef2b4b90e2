"""The pages people use every day, mounted at /."""

from django.urls import path

from .views import cases, dashboard, files, language, masterdata, planning, sop, task, tasks

app_name = "web"

urlpatterns = [
    path("", tasks.home, name="home"),
    path("tugas/", tasks.my_tasks, name="my_tasks"),
    path("tugas/<int:task_id>/", task.task_detail, name="task"),
    path("kasus/", cases.case_list, name="case_list"),
    path("kasus/<int:case_id>/", cases.case_detail, name="case"),
    path("kasus/<int:case_id>/lepas-unit/", cases.case_release, name="case_release"),
    path("kasus/<int:case_id>/buka-kunci/", cases.case_unlock, name="case_unlock"),
    path("dasbor/", dashboard.dashboard_view, name="dashboard"),
    path("dasbor/grafik/kelengkapan.svg", dashboard.completeness_chart, name="chart_completeness"),
    path(
        "dasbor/grafik/capaian-unit.svg",
        dashboard.unit_achievement_chart,
        name="chart_unit_achievement",
    ),
    path("dasbor/indikator/<int:indicator_id>/", dashboard.indicator_detail, name="indicator"),
    path(
        "dasbor/indikator/<int:indicator_id>/grafik.svg",
        dashboard.indicator_chart,
        name="chart_indicator",
    ),
    path("prosedur/", sop.sop_index, name="sop_list"),
    path("prosedur/<slug:code>/", sop.sop_detail, name="sop"),
    path("berkas/bahan/<int:pk>/", files.material_file, name="material_file"),
    path("berkas/data-dukung/<int:pk>/", files.evidence_file, name="evidence_file"),
    path("bahasa/", language.set_language, name="set_language"),
    path("data-induk/", masterdata.master_index, name="master_index"),
    path("data-induk/indikator/", planning.indicator_list, name="indicator_list"),
    path("data-induk/indikator/baru/", planning.indicator_edit, name="indicator_create"),
    path("data-induk/indikator/<int:pk>/", planning.indicator_edit, name="indicator_edit"),
    path("data-induk/target/", planning.targets_page, name="targets"),
    path("data-induk/realisasi-anggaran/", planning.budget_page, name="budget"),
    path(
        "data-induk/pengguna/<int:pk>/kirim-tautan-sandi/",
        masterdata.master_user_reset,
        name="master_user_reset",
    ),
    path("data-induk/<slug:kind>/", masterdata.master_list, name="master_list"),
    path("data-induk/<slug:kind>/baru/", masterdata.master_edit, name="master_create"),
    path("data-induk/<slug:kind>/<int:pk>/", masterdata.master_edit, name="master_edit"),
]
