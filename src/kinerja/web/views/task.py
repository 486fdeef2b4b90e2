"""The task page: the step's own screen, completed with one call of the engine."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kinerja.core.errors import ApplicationError, ConcurrentUpdate
from kinerja.workflow.models import Disposition, Task
from kinerja.workflow.selectors import attach_timing
from kinerja.workflow.services import dispositions_mark_read

from ..permissions import access_task_for_view
from ..selectors import request_nav_positions
from ..steps import screen_for
from .common import add_application_error


def _received_dispositions(task: Task) -> list[Disposition]:
    """Dispositions addressed to this task's position or doer in its case (and unit)."""
    qs = Disposition.objects.filter(case_id=task.case_id, to_position_id=task.position_id)
    if task.unit_id is not None:
        qs = qs.filter(unit_id=task.unit_id)
    return list(qs.select_related("from_user", "from_position").order_by("-created_at")[:5])


@login_required
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    task, may_act = access_task_for_view(request, task_id)
    task.step_def = task.case.sop_version.spec.step(task.step)
    screen = screen_for(task)
    status = 200
    if request.method == "POST" and may_act:
        form = screen.get_form(request, task, request.POST, request.FILES)
        if form.is_valid():
            try:
                completed = screen.submit(request, task, form)
            except ApplicationError as exc:
                status = 409 if isinstance(exc, ConcurrentUpdate) else 400
                if isinstance(exc, ConcurrentUpdate) or getattr(form, "saved_data", False):
                    # Keep what was typed; the hidden versions move on to what is stored, so
                    # saving again (after checking) is a deliberate decision, never silent.
                    task.refresh_from_db(fields=["lock_version", "status"])
                    data = request.POST.copy()
                    screen.refresh_versions(request, task, data)
                    form = screen.get_form(request, task, data, request.FILES)
                    form.is_valid()
                    if getattr(exc, "code", "") != "concurrent_update":
                        form.add_error(
                            None, _("Data Anda sudah tersimpan, tetapi langkah belum selesai:")
                        )
                add_application_error(form, exc)
            else:
                if completed:
                    messages.success(
                        request,
                        _("Langkah %(step)s selesai: %(activity)s")
                        % {"step": task.step, "activity": task.step_def.activity},
                    )
                    return redirect("web:my_tasks")
                messages.success(request, _("Data tersimpan. Langkah ini belum diselesaikan."))
                return redirect("web:task", task.pk)
        else:
            status = 400
    elif request.method == "POST":
        messages.error(request, _("Anda tidak dapat mengerjakan tugas ini."))
        return redirect("web:task", task.pk)
    else:
        form = screen.get_form(request, task)
    attach_timing([task])
    # Opening the task is reading what was addressed to its doer: the recipient's first view
    # records the instant (docs/architecture.md, "Read receipts").
    dispositions = _received_dispositions(task)
    dispositions_mark_read(
        actor=request.user,
        dispositions=dispositions,
        held={p["position_id"] for p in request_nav_positions(request)},
    )
    context = {
        "task": task,
        "case": task.case,
        "step": task.step_def,
        "may_act": may_act,
        "form": form,
        "screen_template": screen.template_name,
        "has_save": screen.has_save,
        "wide": screen.wide,
        "dispositions": dispositions,
        **screen.context(request, task, may_act),
    }
    return render(request, "web/task.html", context, status=status)
