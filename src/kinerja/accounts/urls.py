"""Mounted at /akun/. No app namespace: settings.LOGIN_URL is the plain name "login"."""

from django.urls import path

from . import views

urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", views.LogoutView.as_view(), name="logout"),
    path("kata-sandi/", views.PasswordChangeView.as_view(), name="password_change"),
    path("lupa-sandi/", views.PasswordResetView.as_view(), name="password_reset"),
    path("lupa-sandi/terkirim/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "atur-sandi/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "atur-sandi/selesai/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
