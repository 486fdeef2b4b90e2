"""/api/v1/ (the API) and the page where people manage their API tokens."""

from django.urls import path

from . import views
from .api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("akun/token-api/", views.token_page, name="api_tokens"),
    path("akun/token-api/<int:token_id>/cabut/", views.token_revoke_view, name="api_token_revoke"),
]
