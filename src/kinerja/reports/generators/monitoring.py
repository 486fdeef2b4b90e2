"""SOP monitoring (PermenPAN-RB 35/2012): every six months, per step of the SOP, how often it
ran, how long it took in working time, how often within its time standard, the latest late
runs; and the official monitoring table pre-filled from those figures."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from kinerja.core import formatting as fmt
from kinerja.organization.models import Agency
from kinerja.sop.schema import SopDefinition
from kinerja.sop.selectors import sop_latest
from kinerja.workcalendar.selectors import agency_timezone, calendar_for
from kinerja.workflow.models import Task

from ..params import HalfYear
from ..pdf import OfficialPdf, Signer, Stamp
from ..selectors import completed_tasks
from . import common as c
from .base import DocumentGenerator, register

DEFAULT_SOP = "pengumpulan-data-kinerja"
# A step "runs well" when at least this share of its runs met the time standard.
GOOD_SHARE = 80.0
LATE_SHOWN = 3


@dataclass
class LateRun:
    period: str
    unit: str
    due_at: dt.datetime
    completed_at: dt.datetime
    late_minutes: int


@dataclass
class StepFigures:
    number: int
    activity: str
    executor: str
    standard: str
    runs: int = 0
    median_minutes: float | None = None
    p90_minutes: float | None = None
    within_share: float | None = None
    late: list[LateRun] = field(default_factory=list)

    @property
    def runs_well(self) -> bool | None:
        if not self.runs:
            return None
        return (self.within_share or 0) >= GOOD_SHARE

    @property
    def assessment(self) -> str:
        return {True: "Berjalan baik", False: "Tidak berjalan baik", None: "Belum berjalan"}[
            self.runs_well
        ]

    @property
    def note(self) -> str:
        if not self.runs:
            return "Tidak ada pelaksanaan pada semester ini."
        return (
            f"{self.runs} kali dilaksanakan; {fmt.percent(self.within_share)} tepat waktu "
            f"(standar {self.standard}); median {fmt.duration_minutes(self.median_minutes)}, "
            f"persentil ke-90 {fmt.duration_minutes(self.p90_minutes)} waktu kerja."
        )

    @property
    def action(self) -> str:
        if self.runs_well is None:
            return "Pastikan langkah dijalankan melalui aplikasi."
        if self.runs_well:
            return "Pertahankan."
        return (
            "Telusuri penyebab keterlambatan; pertimbangkan pengingat lebih awal, "
            "pembagian beban kerja, atau peninjauan standar waktu."
        )


def percentile(values: list[int], q: float) -> float | None:
    """Linear-interpolated percentile (the 'inclusive' method of spreadsheets)."""
    if not values:
        return None
    if len(values) == 1:
        return float(values[0])
    return statistics.quantiles(sorted(values), n=100, method="inclusive")[int(q) - 1]


def step_figures(
    definition: SopDefinition, tasks: list[Task], *, minutes_between
) -> list[StepFigures]:
    """Figures per step from completed tasks (pure: ``minutes_between(a, b)`` is the agency
    calendar's ``working_minutes``)."""
    figures = []
    for step in definition.steps:
        runs = [t for t in tasks if t.step == step.number]
        taken = [minutes_between(t.activated_at, t.completed_at) for t in runs]
        within = [t for t in runs if t.completed_at <= t.due_at]
        late = sorted(
            (t for t in runs if t.completed_at > t.due_at),
            key=lambda t: t.completed_at,
            reverse=True,
        )[:LATE_SHOWN]
        figures.append(
            StepFigures(
                number=step.number,
                activity=step.activity,
                executor=definition.executor(step.executor).name,
                standard=step.time_text,
                runs=len(runs),
                median_minutes=statistics.median(taken) if taken else None,
                p90_minutes=percentile(taken, 90),
                within_share=len(within) / len(runs) * 100 if runs else None,
                late=[
                    LateRun(
                        t.case.period,
                        t.unit.name if t.unit else "Kantor",
                        t.due_at,
                        t.completed_at,
                        minutes_between(t.due_at, t.completed_at),
                    )
                    for t in late
                ],
            )
        )
    return figures


@dataclass
class MonitoringData:
    agency: Agency
    half: HalfYear
    definition: SopDefinition
    steps: list[StepFigures]
    assessor: Signer
    missing: list[str] = field(default_factory=list)  # why it is a draft (issue 12)

    @property
    def title(self) -> str:
        return f"Monitoring Pelaksanaan SOP {self.definition.title}"


FIG_HEAD = [
    "No",
    "Prosedur",
    "Pelaksana",
    "Standar Waktu",
    "Jumlah Pelaksanaan",
    "Median Waktu Kerja",
    "Persentil ke-90",
    "Tepat Waktu (%)",
    "Keterlambatan Terakhir",
]
MON_HEAD = [
    "No",
    "Prosedur",
    "Penilaian (Berjalan baik / Tidak)",
    "Catatan",
    "Tindakan yang Harus Diambil",
    "Paraf Penilai",
]


def _late_text(step: StepFigures, tz) -> str:
    if not step.late:
        return "-"
    return "\n".join(
        f"{run.period} {run.unit}: selesai {fmt.datetime(run.completed_at, tz)} "
        f"(terlambat {fmt.duration_minutes(run.late_minutes)})"
        for run in step.late
    )


def figure_rows(data: MonitoringData) -> list[list[str]]:
    tz = agency_timezone(data.agency)
    return [
        [
            str(s.number),
            s.activity,
            s.executor,
            s.standard,
            str(s.runs),
            fmt.duration_minutes(s.median_minutes),
            fmt.duration_minutes(s.p90_minutes),
            fmt.percent(s.within_share),
            _late_text(s, tz),
        ]
        for s in data.steps
    ]


def monitoring_rows(data: MonitoringData) -> list[list[str]]:
    return [[str(s.number), s.activity, s.assessment, s.note, s.action, ""] for s in data.steps]


@register
class SopMonitoring(DocumentGenerator):
    code = "monitoring-sop"
    title = _("Monitoring Pelaksanaan SOP")
    description = _("Monitoring SOP per semester: waktu pelaksanaan tiap langkah dan penilaian")
    formats = ("xlsx", "pdf")
    required = ("agency", "half")
    optional = ("sop", "paper")

    def document_title(self, **params: Any) -> str:
        return "Monitoring Pelaksanaan SOP"

    def collect(
        self, *, agency, half, sop: str = DEFAULT_SOP, paper: str = "A4", issue_date=None
    ) -> MonitoringData:
        issue_date = issue_date or c.today_in(agency)
        definition = sop_latest(sop).spec
        tasks = completed_tasks(agency=agency, sop_code=sop, start=half.start, end=half.end)
        calendar = calendar_for(agency)
        return MonitoringData(
            agency=agency,
            half=half,
            definition=definition,
            steps=step_figures(definition, tasks, minutes_between=calendar.working_minutes),
            assessor=c.signer_for(agency, "sekcam", caption="Penilai,", dated=issue_date),
            missing=(
                [f"{half.label} belum berakhir (sampai {fmt.date(half.end)})."]
                if half.end >= issue_date
                else []
            ),
        )

    def render_pdf(self, data: MonitoringData, *, stamp: Stamp) -> bytes:
        pdf = OfficialPdf(
            stamp=stamp, title=data.title, orientation="L", running_head=data.agency.name
        )
        pdf.add_page()
        pdf.letterhead(c.letterhead(data.agency))
        pdf.title_block(data.title, data.half.label)
        pdf.heading("A. Waktu Pelaksanaan per Langkah (waktu kerja)")
        pdf.grid(
            [FIG_HEAD],
            figure_rows(data),
            widths=[8, 60, 24, 26, 24, 22, 22, 18, 63],
            align=["C", "L", "L", "L", "C", "R", "R", "R", "L"],
            font_size=7.5,
        )
        pdf.paragraph(
            f"Langkah dinilai berjalan baik bila sedikitnya {fmt.percent(GOOD_SHARE)} "
            "pelaksanaannya selesai dalam standar waktu. Waktu dihitung dalam jam kerja kantor.",
            size=8,
            italic=True,
        )
        pdf.add_page()
        pdf.heading("B. Formulir Monitoring SOP")
        pdf.key_values(
            [
                ("Nama SOP", data.definition.title),
                ("Periode", data.half.label),
                ("Instansi", data.agency.name),
            ]
        )
        pdf.ln(2)
        pdf.grid(
            [MON_HEAD],
            monitoring_rows(data),
            widths=[8, 70, 30, 75, 55, 22],
            align=["C", "L", "C", "L", "L", "C"],
            font_size=7.5,
            keep_with_next=lambda: pdf.signatures([data.assessor]),
        )
        return pdf.output_bytes()

    def render_xlsx(self, data: MonitoringData, *, stamp: Stamp) -> bytes:
        from openpyxl import Workbook

        tz = agency_timezone(data.agency)
        wb = Workbook()
        wb.remove(wb.active)
        ws = c.xlsx_sheet(wb, "Monitoring SOP")
        r = c.xlsx_heading(ws, data.agency, data.title, data.half.label, stamp, len(MON_HEAD))
        mon_rows = [[int(row[0]), *row[1:]] for row in monitoring_rows(data)]  # "No" a number
        r = c.xlsx_table(ws, r, MON_HEAD, mon_rows, widths=[5, 45, 18, 50, 40, 12])
        c.xlsx_signature(ws, r, 4, data.assessor)
        ws2 = c.xlsx_sheet(wb, "Waktu per Langkah")
        r2 = c.xlsx_heading(ws2, data.agency, data.title, data.half.label, stamp, len(FIG_HEAD))
        rows = [
            [
                s.number,
                s.activity,
                s.executor,
                s.standard,
                s.runs,
                s.median_minutes,
                s.p90_minutes,
                s.within_share,
                _late_text(s, tz),
            ]
            for s in data.steps
        ]
        head = [*FIG_HEAD]
        head[5] = "Median Waktu Kerja (menit)"
        head[6] = "Persentil ke-90 (menit)"
        c.xlsx_table(
            ws2,
            r2,
            head,
            rows,
            widths=[5, 45, 16, 18, 12, 14, 14, 12, 50],
            number_formats={5: c.NUM0, 6: c.NUM0, 7: c.NUM2},
        )
        return c.xlsx_bytes(wb)
