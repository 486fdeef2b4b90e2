from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.NotificationListView.as_view(), name="list"),
    path("<int:pk>/baca/", views.MarkReadView.as_view(), name="mark_read"),
    path("baca-semua/", views.MarkAllReadView.as_view(), name="mark_all_read"),
    path("lonceng/", views.BellView.as_view(), name="bell"),
    path("pengaturan/", views.PreferencesView.as_view(), name="preferences"),
]
