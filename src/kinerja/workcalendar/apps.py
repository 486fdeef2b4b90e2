from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkcalendarConfig(AppConfig):
    name = "kinerja.workcalendar"
    label = "workcalendar"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Kalender kerja")
