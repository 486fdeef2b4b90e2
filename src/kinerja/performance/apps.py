from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerformanceConfig(AppConfig):
    name = "kinerja.performance"
    label = "performance"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Data kinerja")

    def ready(self) -> None:
        from . import step_handlers  # noqa: F401  (registers steps 3-6 of the seed SOP)
