from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import LoginThrottle, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "nip", "full_name", "email", "is_active", "is_staff"]
    search_fields = ["username", "nip", "full_name", "email"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (
            _("Kinerja"),
            {"fields": ["nip", "full_name", "phone", "language", "email_notifications"]},
        ),
    ]


@admin.register(LoginThrottle)
class LoginThrottleAdmin(admin.ModelAdmin):
    """Failed sign-in counters; deleting a row unlocks that account or address at once."""

    list_display = ["key", "failures", "window_start", "locked_until"]
    search_fields = ["key"]
    readonly_fields = ["key", "failures", "window_start", "locked_until"]

    def has_add_permission(self, request):
        return False
