from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import GeneratedDocument


@admin.register(GeneratedDocument)
class GeneratedDocumentAdmin(admin.ModelAdmin):
    """Read-only: archived documents never change."""

    list_display = ["title", "format", "agency", "period_label", "short_code", "generated_at"]
    list_filter = ["code", "format", "agency"]
    search_fields = ["short_code", "sha256", "title"]
    exclude = ["file"]  # never served by URL (MEDIA_URL is None): the admin cannot link it
    readonly_fields = ["stored_file"]

    @admin.display(description=_("berkas"))
    def stored_file(self, obj):
        return obj.file.name

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
