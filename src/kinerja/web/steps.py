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
from kinerja.performance.selectors import completeness_of
from kinerja.workflow.handlers import get_handler
from kinerja.workflow.models import CaseUnit, Task
from kinerja.workflow.services import task_complete

from . import forms


class StepScreen:
    template_name = "web/steps/generic.html"
    form_class: type[forms.TaskForm] = forms.TaskForm
    #: Offer "save without finishing" (forms whose data is kept between visits).
    has_save = False
    #: Use the page's full width (tables with many columns); the facts go above the form.
    wide = False

    def form_kwargs(self, request: HttpRequest, task: Task) -> dict[str, Any]:
        return {}

    def get_form(self, request: HttpRequest, task: Task, data=None, files=None):
        form_class = forms.DecisionForm if task.step_def.is_decision else self.form_class
        return form_class(data, files, task=task, **self.form_kwargs(request, task))

    def context(self, request: HttpRequest, task: Task, may_act: bool) -> dict[str, Any]:
        return {}

    def refresh_versions(self, request: HttpRequest, task: Task, data) -> None:
        """After a refused save (someone else saved first): move the hidden versions on to
        what is stored now, keeping everything the user typed."""
        data["expected_version"] = str(task.lock_version)

    def submit(self, request: HttpRequest, task: Task, form: forms.TaskForm) -> bool:
        """Apply the form; True when the task was completed (False: saved, still open)."""
        self.complete(request, task, form)
        return True

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
            "initial": {"instruction": _default_instruction(task)},
        }

    def context(self, request, task, may_act):
        return {"units": self.form_kwargs(request, task)["units"]}


def _default_instruction(task: Task) -> str:
    """The step handler's default instruction (the same text the engine falls back on)."""
    step = task.case.sop_version.spec.step(task.step)
    return get_handler(step.handler).default_instruction(task)


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
        chosen = task.case.sop_version.spec.chosen_by(task.step)
        return {
            "analysts": analysts_for(task, chosen.executor if chosen else "analis"),
            "initial": {"instruction": _default_instruction(task)},
        }


# --------------------------------------------------------------------------------------------
# Steps 3-6: the performance app's data (its selectors and services)


def unit_rows(task: Task) -> list:
    """The indicator rows of the task's unit and quarter, read once per request (7 queries)."""
    rows = getattr(task, "_indicator_rows", None)
    if rows is None:
        from kinerja.performance.selectors import indicator_rows

        period = task.case.period_obj
        rows = []
        if task.unit_id is not None and period.is_quarter:
            rows = indicator_rows(agency=task.case.agency, period=period, unit=task.unit)
        task._indicator_rows = rows
    return rows


class RealisationsScreen(StepScreen):
    """Step 3 (analyst: materials and draft realisations) and step 4 (section head:
    complete realisations, problems, actions and evidence)."""

    template_name = "web/steps/realisations.html"
    form_class = forms.RealisationsForm
    has_save = True
    evidence = False

    def form_kwargs(self, request, task):
        from django.utils import translation

        return {
            "rows": unit_rows(task),
            "locale": translation.get_language() or "id",
            "evidence": self.evidence,
        }

    def context(self, request, task, may_act):
        from kinerja.performance.models import ReportMaterial

        rows = unit_rows(task)
        materials = list(
            ReportMaterial.objects.filter(
                case_id=task.case_id, unit_id=task.unit_id, removed_at__isnull=True
            ).select_related("uploaded_by")
        )
        return {
            "rows": rows,
            "missing": completeness_of(rows),
            "materials": materials,
            "evidence_step": self.evidence,
            "locked": any(r.locked for r in rows),
            "handover": materials_handover(task) if self.evidence else None,
        }

    def refresh_versions(self, request, task, data):
        super().refresh_versions(request, task, data)
        task._indicator_rows = None
        for row in unit_rows(task):
            data[f"ver_{row.indicator.pk}"] = str(row.lock_version)

    def submit(self, request, task, form) -> bool:
        from kinerja.performance.entry import report_entry_save

        report_entry_save(
            actor=request.user,
            case=task.case,
            unit=task.unit,
            period=task.case.period_obj,
            items=form.realisation_items(),
            materials=form.uploads(),
            evidence=[(row.indicator, upload) for row, upload in form.evidence_files()],
        )
        form.saved_data = True
        if request.POST.get("action") != "complete":
            return False
        self.complete(request, task, form)
        return True


def materials_handover(task: Task) -> Task | None:
    """The unit's latest completed materials task (step 3) of the case: its note
    (``comment``) and, when it came without materials, the analyst's reason
    (``data["no_materials_reason"]``), for the Kasi's step 4."""
    steps = [
        s.number for s in task.case.sop_version.spec.steps if s.handler == "performance.materials"
    ]
    if not steps or task.unit_id is None:
        return None
    return (
        Task.objects.filter(
            case_id=task.case_id, unit_id=task.unit_id, step__in=steps, status="completed"
        )
        .select_related("acted_by")
        .order_by("-completed_at", "-id")
        .first()
    )


class MaterialsScreen(RealisationsScreen):
    evidence = False


class ReportEntryScreen(RealisationsScreen):
    evidence = True


class ReviewScreen(StepScreen):
    """Step 5: the Sekcam sees targets, realisations, achievement and rating side by side
    and approves or returns (a return needs a note)."""

    template_name = "web/steps/review.html"
    wide = True

    def context(self, request, task, may_act):
        from kinerja.performance.models import Evidence

        rows = unit_rows(task)
        period = task.case.period_obj
        files: dict[int, list] = {}
        if task.unit_id is not None and period.is_quarter:
            for ev in (
                Evidence.objects.filter(
                    realisation__indicator__owner_unit_id=task.unit_id,
                    realisation__year=period.year,
                    realisation__quarter=period.quarter,
                    removed_at__isnull=True,
                )
                .only("id", "original_name", "size", "realisation__indicator_id")
                .select_related("realisation")
            ):
                files.setdefault(ev.realisation.indicator_id, []).append(ev)
        for row in rows:
            row.files = files.get(row.indicator.pk, [])
        return {"rows": rows, "missing": completeness_of(rows)}


class CompileScreen(StepScreen):
    """Step 6: every unit's state; the report documents come from the reports app."""

    template_name = "web/steps/compile.html"

    def context(self, request, task, may_act):
        from django.urls import reverse

        from kinerja.workflow.selectors import period_summaries

        from .permissions import planning_agency_ids

        case = task.case
        summary = period_summaries([case], [case.period], None)[0]
        planned = planning_agency_ids(request)
        budget_url = None
        if planned is None or case.agency_id in planned:
            budget_url = (
                f"{reverse('web:budget')}?agency={case.agency_id}&year={case.period_obj.year}"
            )
        return {"summary": summary, "report_links": report_links(case), "budget_url": budget_url}


def report_links(case) -> list[dict[str, str]]:
    """Links to the reports app's pages for a case, for the names it defines."""
    from django.urls import NoReverseMatch, reverse
    from django.utils.translation import gettext as _

    links = []
    for name, label, query in (
        (
            "reports:documents",
            _("Dokumen laporan: buat dan unduh (triwulan, LKjIP)"),
            f"?case={case.pk}",
        ),
    ):
        try:
            links.append({"url": reverse(name) + query, "label": label})
        except NoReverseMatch:
            continue
    return links


SCREENS: dict[str, StepScreen] = {
    "workflow.assign_units": AssignUnitsScreen(),
    "workflow.dispose_to_analyst": DisposeToAnalystScreen(),
    "performance.materials": MaterialsScreen(),
    "performance.report_entry": ReportEntryScreen(),
    "performance.review": ReviewScreen(),
    "performance.compile": CompileScreen(),
}
_generic = StepScreen()


def screen_for(task: Task) -> StepScreen:
    return SCREENS.get(task.step_def.handler, _generic)
