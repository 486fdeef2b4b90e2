from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


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
