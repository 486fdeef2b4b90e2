"""Reads: a user's notices, and who should be told about a task or a case."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from kinerja.organization.models import Agency, Position, PositionHolder
from kinerja.organization.selectors import current_holders
from kinerja.workflow.models import Task

from .models import Notification


def unread_count(user) -> int:
    """Unread notices of ``user`` (the bell). One query, on the (recipient, read_at) index."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_for(user, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The notices of ``user``, newest first. Only ever the user's own."""
    qs = Notification.objects.filter(recipient=user).select_related("task", "case", "case__agency")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def task_doers(task: Task, *, on: dt.date) -> list:
    """Who must do ``task``: its named assignee, else every current holder (incl. Plt/Plh)
    of its position."""
    if task.assignee_id is not None:
        return [task.assignee] if task.assignee.is_active else []
    return current_holders(task.position, on=on)


def superiors_for(task: Task, *, on: dt.date) -> list:
    """The person above the task's doer: holders of ``position.reports_to``; a position with
    no superior set reports to the agency's Camat (role ``camat``), unless it is the Camat's.
    Doers of the task are left out (nobody is escalated to themselves)."""
    position = task.position
    above: list[Position] = []
    if position.reports_to_id is not None:
        above = [position.reports_to]
    elif position.role != "camat":
        above = list(Position.objects.filter(agency_id=position.agency_id, role="camat"))
    doers = {u.pk for u in task_doers(task, on=on)}
    result, seen = [], set()
    for superior in above:
        for user in current_holders(superior, on=on):
            if user.pk not in seen and user.pk not in doers:
                seen.add(user.pk)
                result.append(user)
    return result


def role_holders(agency: Agency, roles: list[str], *, on: dt.date) -> list:
    """Active users holding, on ``on``, a position of ``agency`` that plays one of ``roles``."""
    holdings = (
        PositionHolder.objects.current(on)
        .filter(position__agency=agency, position__role__in=roles, user__is_active=True)
        .select_related("user")
        .order_by("position__role", "kind", "start_date")
    )
    result, seen = [], set()
    for holding in holdings:
        if holding.user_id not in seen:
            seen.add(holding.user_id)
            result.append(holding.user)
    return result
