from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.DocumentListView.as_view(), name="documents"),
    path("buat/", views.GenerateView.as_view(), name="generate"),
    path("proses/<int:pk>/", views.JobStatusView.as_view(), name="job"),
    path("<int:pk>/unduh/", views.DownloadView.as_view(), name="download"),
    path("verifikasi/", views.VerifyView.as_view(), name="verify_upload"),
    path("v/<str:short_code>/", views.VerifyView.as_view(), name="verify"),
    path("sop/<slug:code>/", views.SopPageView.as_view(), name="sop_page"),
    path("sop/<slug:code>.svg", views.SopDrawingView.as_view(), name="sop_svg"),
]
