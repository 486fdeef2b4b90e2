from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SopConfig(AppConfig):
    name = "kinerja.sop"
    label = "sop"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("SOP")
