from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationConfig(AppConfig):
    name = "kinerja.organization"
    label = "organization"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Organisasi")
