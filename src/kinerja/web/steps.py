"""The screen of each SOP step, chosen by the step's handler code (data in the SOP), never by
step number. A screen says which form the task page shows, what else the page needs, and how
the form becomes one call of the engine's ``task_complete``. Steps without a screen of their
own (any other SOP) get :class:`StepScreen`: a note and a done button.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest

from kinerja.organization.models import PositionHolder
from kinerja.workflow.models import CaseUnit, Task
from kinerja.workflow.services import task_complete

from . import forms


class StepScreen:
    template_name = "web/steps/generic.html"
    form_class: type[forms.TaskForm] = forms.TaskForm

    def form_kwargs(self, request: HttpRequest, task: Task) -> dict[str, Any]:
        return {}

    def get_form(self, request: HttpRequest, task: Task, data=None, files=None):
        form_class = forms.DecisionForm if task.step_def.is_decision else self.form_class
        return form_class(data, files, task=task, **self.form_kwargs(request, task))

    def context(self, request: HttpRequest, task: Task, may_act: bool) -> dict[str, Any]:
        return {}

    def complete(self, request: HttpRequest, task: Task, form: forms.TaskForm) -> Task:
        return task_complete(
            actor=request.user,
            task_id=task.pk,
            outcome=form.outcome(),
            comment=form.cleaned_data.get("comment", ""),
            data=form.step_data(),
            assignee=form.assignee(),
            expected_version=form.cleaned_data["expected_version"],
        )


class AssignUnitsScreen(StepScreen):
    template_name = "workflow/steps/assign_units.html"
    form_class = forms.AssignUnitsForm

    def form_kwargs(self, request, task):
        units = getattr(task, "_case_units", None)
        if units is None:
            units = [
                cu.unit
                for cu in CaseUnit.objects.filter(case_id=task.case_id, status="active")
                .select_related("unit")
                .order_by("unit__order", "unit__name")
            ]
            task._case_units = units
        return {
            "units": units,
            "initial": {
                "instruction": _default_instruction(task),
            },
        }

    def context(self, request, task, may_act):
        return {"units": self.form_kwargs(request, task)["units"]}


def _default_instruction(task: Task) -> str:
    from django.utils.translation import gettext as _

    return _(
        "Mohon disiapkan laporan data kinerja %(period)s sesuai indikator kinerja unit "
        "masing-masing."
    ) % {"period": task.case.period_obj.label}


def analysts_for(task: Task, role: str = "analis"):
    """Users holding a position of ``role`` in the task's agency today (definitive or
    acting), for the select of step 2."""
    from django.utils import timezone

    user_ids = (
        PositionHolder.objects.current(timezone.localdate())
        .filter(position__agency_id=task.case.agency_id, position__role=role)
        .values("user_id")
    )
    return (
        get_user_model()
        .objects.filter(pk__in=user_ids, is_active=True)
        .order_by("full_name", "username")
    )


class DisposeToAnalystScreen(StepScreen):
    template_name = "workflow/steps/dispose_to_analyst.html"
    form_class = forms.DisposeToAnalystForm

    def form_kwargs(self, request, task):
        from django.utils.translation import gettext as _

        chosen_by = [
            s for s in task.case.sop_version.spec.steps if s.assignee_chosen_by == task.step
        ]
        role = chosen_by[0].executor if chosen_by else "analis"
        return {
            "analysts": analysts_for(task, role),
            "initial": {
                "instruction": _(
                    "Mohon dikumpulkan bahan laporan data kinerja %(unit)s %(period)s."
                )
                % {"unit": task.unit, "period": task.case.period_obj.label}
            },
        }


SCREENS: dict[str, StepScreen] = {
    "workflow.assign_units": AssignUnitsScreen(),
    "workflow.dispose_to_analyst": DisposeToAnalystScreen(),
}
_generic = StepScreen()


def screen_for(task: Task) -> StepScreen:
    return SCREENS.get(task.step_def.handler, _generic)
