from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerformanceConfig(AppConfig):
    name = "kinerja.performance"
    label = "performance"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Data kinerja")
