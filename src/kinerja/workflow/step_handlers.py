"""Handlers of the workflow's own steps: the dispositions of steps 1 and 2 of the seed.

``workflow.assign_units`` (step 1): the Sekcam's instruction becomes one disposition per unit,
addressed to the position that got the unit's task. ``data["instruction"]`` is the common
text; ``data["instructions"][<unit id>]`` overrides it per unit.

``workflow.dispose_to_analyst`` (step 2): the section head's instruction becomes a
disposition to the analyst chosen for step 3.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from kinerja.core.errors import ApplicationError

from .handlers import StepHandler, register


def _instruction(data: dict[str, Any], unit_id: int | None, default: str) -> str:
    per_unit = data.get("instructions") or {}
    text = per_unit.get(str(unit_id)) or per_unit.get(unit_id) or data.get("instruction") or ""
    return str(text).strip() or default


@register("workflow.assign_units")
class AssignUnits(StepHandler):
    template_name = "workflow/steps/assign_units.html"

    def validate(self, *, task, actor, outcome, data):
        if len(str(data.get("instruction", ""))) > 2000:
            raise ApplicationError(_("Isi disposisi terlalu panjang (paling banyak 2000 huruf)."))

    def on_complete(self, *, task, actor, outcome, data, activated):
        from .services import disposition_create

        default = _(
            "Mohon disiapkan laporan data kinerja %(period)s sesuai indikator kinerja "
            "unit masing-masing."
        ) % {"period": task.case.period_obj.label}
        for new_task in activated:
            disposition_create(
                case=task.case,
                task=task,
                unit=new_task.unit,
                from_user=actor,
                from_position=task.position,
                to_position=new_task.position,
                to_user=new_task.assignee,
                instruction=_instruction(data, new_task.unit_id, default),
                now=task.completed_at,
            )


@register("workflow.dispose_to_analyst")
class DisposeToAnalyst(StepHandler):
    template_name = "workflow/steps/dispose_to_analyst.html"

    def on_complete(self, *, task, actor, outcome, data, activated):
        from .services import disposition_create

        default = _("Mohon dikumpulkan bahan laporan data kinerja %(unit)s %(period)s.") % {
            "unit": task.unit,
            "period": task.case.period_obj.label,
        }
        for new_task in activated:
            disposition_create(
                case=task.case,
                task=task,
                unit=task.unit,
                from_user=actor,
                from_position=task.position,
                to_position=new_task.position,
                to_user=new_task.assignee,
                instruction=_instruction(data, task.unit_id, default),
                now=task.completed_at,
            )
