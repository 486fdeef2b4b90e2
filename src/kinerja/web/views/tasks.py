"""Tugas saya: every open task of the user, most urgent first."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from kinerja.workflow.selectors import attach_timing, open_tasks_for_user

from ..selectors import request_nav_positions


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect("web:my_tasks")


@login_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    tasks = open_tasks_for_user(request.user, now=now)
    attach_timing(tasks, now=now)
    acting = {
        p["position_id"]: p["kind"]
        for p in request_nav_positions(request)
        if p["kind"] != "definitif"
    }
    for task in tasks:
        task.acting_kind = acting.get(task.position_id, "") if task.assignee_id is None else ""
    overdue = sum(1 for t in tasks if t.timing.overdue)
    return render(request, "web/my_tasks.html", {"tasks": tasks, "overdue": overdue, "now": now})
