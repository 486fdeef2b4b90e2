"""Handlers of the workflow's own steps: the dispositions of steps 1 and 2 of the seed.

``workflow.assign_units`` (step 1): the Sekcam's instruction becomes one disposition per unit,
addressed to the position that got the unit's task. ``data["instruction"]`` is the common
text; ``data["instructions"][<unit id>]`` overrides it per unit.

``workflow.dispose_to_analyst`` (step 2): the section head's instruction becomes a
disposition to the analyst chosen for step 3.

Each handler gives the default instruction (:meth:`StepHandler.default_instruction`), which
the step's form shows and the engine uses when the instruction is left empty.
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


class DisposeToNext(StepHandler):
    """The step's instruction becomes a disposition to the doer of every task it activated
    (for that task's unit)."""

    def on_complete(self, *, task, actor, outcome, data, activated):
        from .services import disposition_create

        default = self.default_instruction(task)
        for new_task in activated:
            disposition_create(
                task=task,
                actor=actor,
                to_position=new_task.position,
                to_user=new_task.assignee,
                unit=new_task.unit,
                instruction=_instruction(data, new_task.unit_id, default),
            )


@register("workflow.assign_units")
class AssignUnits(DisposeToNext):
    template_name = "workflow/steps/assign_units.html"

    def default_instruction(self, task) -> str:
        return _(
            "Mohon disiapkan laporan data kinerja %(period)s sesuai indikator kinerja "
            "unit masing-masing."
        ) % {"period": task.case.period_obj.label}

    def validate(self, *, task, actor, outcome, data):
        if len(str(data.get("instruction", ""))) > 2000:
            raise ApplicationError(_("Isi disposisi terlalu panjang (paling banyak 2000 huruf)."))


@register("workflow.dispose_to_analyst")
class DisposeToAnalyst(DisposeToNext):
    template_name = "workflow/steps/dispose_to_analyst.html"

    def default_instruction(self, task) -> str:
        return _("Mohon dikumpulkan bahan laporan data kinerja %(unit)s %(period)s.") % {
            "unit": task.unit,
            "period": task.case.period_obj.label,
        }
