from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "kinerja.workflow"
    label = "workflow"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Alur kerja")

    def ready(self) -> None:
        from . import step_handlers  # noqa: F401  (registers the workflow's step handlers)
