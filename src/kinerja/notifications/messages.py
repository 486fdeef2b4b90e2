"""The text of each notice, written in the recipient's language when the notice is made.

Msgids are Indonesian (the office's language); ``en`` translations live in this app's
``locale`` folder. Every function is called inside ``translation.override(user.language)``
by :func:`kinerja.notifications.services.notification_create`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.workcalendar.selectors import agency_timezone
from kinerja.workflow.models import Case, Task


@dataclass(frozen=True)
class Message:
    subject: str
    body: str


def _when(value: dt.datetime, case: Case) -> str:
    local = timezone.localtime(value, agency_timezone(case.agency))
    return f"{local:%d-%m-%Y %H:%M} {local.tzname()}"


def _task_facts(task: Task) -> dict[str, str]:
    from kinerja.sop.schema import Duration, TimeUnit  # pydantic: not at start-up

    case = task.case
    step = case.sop_version.spec.step(task.step)
    return {
        "step": str(task.step),
        "activity": step.activity,
        "sop": case.sop_version.title,
        "period": case.period_obj.label,
        "unit": f" — {task.unit}" if task.unit_id else "",
        "due": _when(task.due_at, case),
        "standard": Duration(
            amount=task.standard_amount, unit=TimeUnit(task.standard_unit)
        ).in_words,
    }


def assigned(task: Task) -> Message:
    facts = _task_facts(task)
    return Message(
        _("Tugas baru: langkah %(step)s %(sop)s") % facts,
        _(
            "Anda mendapat tugas langkah %(step)s SOP %(sop)s, %(period)s%(unit)s:\n"
            "%(activity)s\n\nBatas waktu: %(due)s."
        )
        % facts,
    )


def returned(task: Task, returned_task: Task) -> Message:
    facts = _task_facts(task)
    facts["who"] = str(returned_task.acted_by or "")
    facts["comment"] = returned_task.comment
    return Message(
        _("Laporan dikembalikan untuk diperbaiki: %(sop)s, %(period)s") % facts,
        _(
            "Laporan Anda (%(period)s%(unit)s) dikembalikan oleh %(who)s untuk diperbaiki.\n\n"
            "Catatan: %(comment)s\n\nPerbaiki pada langkah %(step)s (%(activity)s); "
            "batas waktu: %(due)s."
        )
        % facts,
    )


def reminder(task: Task, percent: int) -> Message:
    facts = _task_facts(task)
    facts["percent"] = str(percent)
    return Message(
        _("Pengingat: %(percent)s%% waktu tugas langkah %(step)s telah berlalu") % facts,
        _(
            "%(percent)s%% dari standar waktu (%(standard)s) tugas Anda sudah "
            "berlalu.\nLangkah %(step)s SOP %(sop)s, %(period)s%(unit)s: %(activity)s\n\n"
            "Batas waktu: %(due)s."
        )
        % facts,
    )


def overdue(task: Task) -> Message:
    facts = _task_facts(task)
    return Message(
        _("Terlambat: tugas langkah %(step)s %(sop)s") % facts,
        _(
            "Tugas Anda melewati batas waktu %(due)s dan belum diselesaikan.\n"
            "Langkah %(step)s SOP %(sop)s, %(period)s%(unit)s: %(activity)s\n\n"
            "Selesaikan segera."
        )
        % facts,
    )


def escalation(task: Task, holders: str, warning: str) -> Message:
    facts = _task_facts(task)
    facts["holders"] = holders or str(task.position)
    facts["position"] = str(task.position)
    facts["warning"] = warning
    body = _(
        "Tugas %(position)s (%(holders)s) melewati batas waktu %(due)s dan belum diselesaikan.\n"
        "Langkah %(step)s SOP %(sop)s, %(period)s%(unit)s: %(activity)s"
    )
    if warning:
        body += "\n\n" + _("Peringatan SOP: “%(warning)s”")
    return Message(_("Eskalasi: tugas %(position)s terlambat") % facts, body % facts)


def case_complete(case: Case) -> Message:
    facts = {"sop": case.sop_version.title, "period": case.period_obj.label}
    return Message(
        _("Kasus selesai: %(sop)s, %(period)s") % facts,
        _("Semua langkah SOP %(sop)s untuk %(period)s sudah selesai.") % facts,
    )
