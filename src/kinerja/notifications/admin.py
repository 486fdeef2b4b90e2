from django.contrib import admin

from .models import Notification, TaskAlert


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only record of what was told to whom, and whether the e-mail went out."""

    list_display = ["created_at", "recipient", "kind", "subject", "email_status", "read_at"]
    list_filter = ["kind", "email_status"]
    search_fields = ["subject", "recipient__username", "recipient__full_name"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TaskAlert)
class TaskAlertAdmin(admin.ModelAdmin):
    list_display = ["task", "kind", "at", "created_at"]
    list_filter = ["kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
