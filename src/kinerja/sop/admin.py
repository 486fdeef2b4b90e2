from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import AgencySop, SopVersion


@admin.register(SopVersion)
class SopVersionAdmin(admin.ModelAdmin):
    """Read-only: versions are created by ``kinerja sop load`` and never changed, because
    running cases point at them."""

    list_display = ["code", "version", "title", "source_name", "loaded_at", "loaded_by"]
    list_filter = ["code"]
    search_fields = ["code", "title", "sha256"]
    ordering = ["code", "-version"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: SopVersion | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: SopVersion | None = None) -> bool:
        return False


@admin.register(AgencySop)
class AgencySopAdmin(admin.ModelAdmin):
    list_display = ["agency", "sop_code", "is_active", "schedule_day", "schedule_months"]
    list_filter = ["is_active", "sop_code"]
    list_select_related = ["agency"]
