"""Lembar disposisi: the written instructions of steps 1, 2 and 5 of a case, one sheet each,
two to a page, as an office prints and files them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from kinerja.core import formatting as fmt
from kinerja.organization.selectors import current_holders
from kinerja.workcalendar.selectors import agency_timezone
from kinerja.workflow.models import Case, Disposition
from kinerja.workflow.permissions import scope_for

from ..pdf import FONT, OfficialPdf, Stamp
from ..selectors import case_dispositions, recipient_tasks
from . import common as c
from .base import DocumentGenerator, register

SHEET_H = 100.0


@dataclass
class Sheet:
    """One lembar disposisi as printed."""

    disposition: Disposition
    given_at: object  # datetime: when the sender gave it (the sender's step)
    sender: str  # "Name (Position)"
    recipient: str
    deadline: object  # datetime | None: the recipient's step deadline
    read_at: object  # datetime | None


@dataclass
class DispositionData:
    case: Case
    dispositions: list[Disposition]
    step_titles: dict[int, str]
    sheets: list[Sheet] = field(default_factory=list)


def person(name: str, position_title: str) -> str:
    """``Name (Position)``; the position alone (and dots to fill in) without a holder."""
    title = position_title.strip()
    if name:
        return f"{name} ({title})" if title else name
    return f"................................ ({title})" if title else "-"


def holder_name(position, on) -> str:
    holders = current_holders(position, on=on)
    return holders[0].display_name if holders else ""


def build_sheets(case: Case, dispositions: list[Disposition]) -> list[Sheet]:
    tz = agency_timezone(case.agency)
    recipients = recipient_tasks(case, dispositions)
    sheets = []
    for disp in dispositions:
        given = disp.created_at
        day = given.astimezone(tz).date()
        to_name = disp.to_user.display_name if disp.to_user else holder_name(disp.to_position, day)
        task = recipients.get(disp.pk)
        sheets.append(
            Sheet(
                disposition=disp,
                given_at=given,
                sender=person(disp.from_user.display_name, disp.from_position.title),
                recipient=person(to_name, disp.to_position.title),
                deadline=task.due_at if task is not None else None,
                read_at=disp.read_at,
            )
        )
    return sheets


@register
class DispositionSheet(DocumentGenerator):
    code = "disposisi"
    title = _("Lembar Disposisi")
    description = _("Lembar disposisi langkah 1, 2 dan 5 dari satu kasus")
    formats = ("pdf",)
    required = ("case",)
    optional = ("task", "unit")
    context = "case"

    def is_available_to(self, user, **params: Any) -> bool:
        """Office officials of the agency; a section head or analyst for their unit's sheets."""
        case = params["case"]
        scope = scope_for(user)
        if scope.sees_agency(case.agency_id):
            return True
        unit = params.get("unit") or getattr(params.get("task"), "unit", None)
        return unit is not None and scope.sees_unit(unit, case_id=case.pk)

    def document_title(self, **params: Any) -> str:
        return "Lembar Disposisi"

    def period_label(self, **params: Any) -> str:
        return params["case"].period_obj.label

    def collect(
        self, *, case, task=None, unit=None, agency=None, issue_date=None
    ) -> DispositionData:
        spec = case.sop_version.spec
        dispositions = case_dispositions(case, task=task, unit=unit)
        return DispositionData(
            case=case,
            dispositions=dispositions,
            step_titles={s.number: s.activity for s in spec.steps},
            sheets=build_sheets(case, dispositions),
        )

    def render_pdf(self, data: DispositionData, *, stamp: Stamp) -> bytes:
        case = data.case
        agency = case.agency
        tz = agency_timezone(agency)
        pdf = OfficialPdf(stamp=stamp, title="Lembar Disposisi", running_head=agency.name)
        pdf.set_auto_page_break(False)
        if not data.dispositions:
            pdf.add_page()
            pdf.letterhead(c.letterhead(agency))
            pdf.title_block("Lembar Disposisi", case.period_obj.label)
            pdf.paragraph("Belum ada disposisi pada kasus ini.")
            return pdf.output_bytes()
        for i, sheet in enumerate(data.sheets):
            disp = sheet.disposition
            if i % 2 == 0:
                pdf.add_page()
                pdf.letterhead(c.letterhead(agency))
            top = pdf.get_y()
            x, w = pdf.l_margin, pdf.content_width
            pdf.set_draw_color(0, 0, 0)
            pdf.rect(x, top, w, SHEET_H - 6)
            pdf.set_xy(x, top + 2)
            pdf.set_font(FONT, "B", 12)
            pdf.cell(w, 6, "LEMBAR DISPOSISI", align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.set_x(x + 3)
            step = disp.task.step
            rows = [
                ("Perihal", f"Laporan Data Kinerja {case.period_obj.label}"),
                ("Langkah SOP", f"{step}. {data.step_titles.get(step, '')}"),
                ("Unit kerja", disp.unit.name if disp.unit else "Seluruh unit"),
                ("Dari", sheet.sender),
                ("Kepada", sheet.recipient),
                ("Tanggal/jam diberikan", fmt.datetime(sheet.given_at, tz)),
                (
                    "Batas waktu penerima",
                    fmt.datetime(sheet.deadline, tz, empty="- (tanpa tugas lanjutan)"),
                ),
                ("Dibaca pada", fmt.datetime(sheet.read_at, tz, empty="Belum dibaca")),
            ]
            pdf.ln(1)
            for label, value in rows:
                pdf.set_x(x + 3)
                pdf.set_font(FONT, "", 8.5)
                pdf.cell(40, 4.6, label)
                pdf.cell(3, 4.6, ":")
                pdf.multi_cell(w - 49, 4.6, value, align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.set_x(x + 3)
            pdf.set_font(FONT, "B", 8.5)
            pdf.cell(0, 6, "Isi disposisi:", new_x="LMARGIN", new_y="NEXT")
            pdf.set_x(x + 3)
            pdf.set_font(FONT, "", 9)
            box_top = pdf.get_y()
            pdf.multi_cell(
                w * 0.55, 4.8, disp.instruction, align="L", new_x="LMARGIN", new_y="NEXT"
            )
            # The sender's signature block on the right.
            sx = x + w * 0.6
            pdf.set_xy(sx, box_top)
            pdf.set_font(FONT, "", 8.5)
            pdf.multi_cell(w * 0.38, 4.4, disp.from_position.title, align="C")
            pdf.set_xy(sx, box_top + 20)
            pdf.set_font(FONT, "BU", 8.5)
            pdf.multi_cell(w * 0.38, 4.4, disp.from_user.display_name, align="C")
            pdf.set_x(sx)
            pdf.set_font(FONT, "", 8.5)
            pdf.multi_cell(w * 0.38, 4.4, fmt.nip_line(disp.from_user.nip), align="C")
            pdf.set_y(top + SHEET_H)
        return pdf.output_bytes()
