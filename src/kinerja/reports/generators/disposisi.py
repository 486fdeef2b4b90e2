"""Lembar disposisi: the written instructions of steps 1, 2 and 5 of a case, one sheet each,
two to a page, as an office prints and files them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from kinerja.core import formatting as fmt
from kinerja.organization.permissions import scope_for
from kinerja.workcalendar.selectors import agency_timezone
from kinerja.workflow.models import Case, Disposition

from ..pdf import FONT, OfficialPdf, Stamp
from ..selectors import case_dispositions
from . import common as c
from .base import DocumentGenerator, register

SHEET_H = 100.0


@dataclass
class DispositionData:
    case: Case
    dispositions: list[Disposition]
    step_titles: dict[int, str]


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
        return DispositionData(
            case=case,
            dispositions=case_dispositions(case, task=task, unit=unit),
            step_titles={s.number: s.activity for s in spec.steps},
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
        for i, disp in enumerate(data.dispositions):
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
            to_name = disp.to_user.display_name if disp.to_user else "(pemangku jabatan)"
            rows = [
                ("Perihal", f"Laporan Data Kinerja {case.period_obj.label}"),
                ("Langkah SOP", f"{step}. {data.step_titles.get(step, '')}"),
                ("Unit kerja", disp.unit.name if disp.unit else "Seluruh unit"),
                ("Tanggal", fmt.datetime(disp.created_at, tz)),
                ("Dari", f"{disp.from_position.title} ({disp.from_user.display_name})"),
                ("Diteruskan kepada", f"{disp.to_position.title} ({to_name})"),
                ("Batas waktu tugas", fmt.datetime(disp.task.due_at, tz)),
                ("Dibaca pada", fmt.datetime(disp.read_at, tz, empty="Belum dibaca")),
            ]
            pdf.ln(1)
            for label, value in rows:
                pdf.set_x(x + 3)
                pdf.set_font(FONT, "", 8.5)
                pdf.cell(34, 4.6, label)
                pdf.cell(3, 4.6, ":")
                pdf.multi_cell(w - 43, 4.6, value, new_x="LMARGIN", new_y="NEXT")
            pdf.set_x(x + 3)
            pdf.set_font(FONT, "B", 8.5)
            pdf.cell(0, 6, "Isi disposisi:", new_x="LMARGIN", new_y="NEXT")
            pdf.set_x(x + 3)
            pdf.set_font(FONT, "", 9)
            box_top = pdf.get_y()
            pdf.multi_cell(w * 0.55, 4.8, disp.instruction, new_x="LMARGIN", new_y="NEXT")
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
