from django.contrib import admin

from .models import GeneratedDocument


@admin.register(GeneratedDocument)
class GeneratedDocumentAdmin(admin.ModelAdmin):
    """Read-only: archived documents never change."""

    list_display = ["title", "format", "agency", "period_label", "short_code", "generated_at"]
    list_filter = ["code", "format", "agency"]
    search_fields = ["short_code", "sha256", "title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
