"""The SOP document in the format of PermenPAN-RB 35/2012 ("SOP AP"), from any definition.

Page 1: the identity block and the six boxes. Then the procedure table: No | Kegiatan | one
column per executor holding the flowchart | Mutu Baku (Kelengkapan, Waktu, Output) | Ket.
The flowchart uses only the five symbols of the regulation: capsule (first and last
activity), rectangle (process), diamond (decision), arrow, and the off-page connector
(pentagon) where the flow continues on another page. A decision shows its "Ya" branch going
on and its "Tidak" branch going back to the step it names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from kinerja.core import formatting as fmt
from kinerja.sop.schema import SopDefinition, Step
from kinerja.sop.selectors import sop_latest

from .. import drawing as d
from ..pdf import BOTTOM, MARGINS, PAPER, OfficialPdf, Stamp
from .base import DocumentGenerator, register

HEAD_FILL = (225, 225, 225)
BOX_FILL = (240, 240, 240)
ROW_MIN = 28.0
PAD = 1.2
SIZE = 7.5
CONN_W, CONN_H = 6.0, 5.0


def _list_text(items: list[str]) -> str:
    if not items:
        return "-"
    if len(items) == 1:
        return items[0]
    return "\n".join(f"{i}. {item}" for i, item in enumerate(items, 1))


def _cell(page: d.Page, x, y, w, h, text, *, size=SIZE, bold=False, align="L", fill=None):
    page.items.append(d.Box(x, y, w, h, fill=fill))
    lines = d.wrap(text, w - 2 * PAD, size, bold)
    page.items.append(d.Text(x + PAD, y + PAD, w - 2 * PAD, lines, size, bold, align))


def _text_h(text: str, w: float, size: float = SIZE, bold: bool = False) -> float:
    return len(d.wrap(text, w - 2 * PAD, size, bold)) * d.line_height(size) + 2 * PAD


@dataclass
class Columns:
    x: list[float]
    w: list[float]
    n_exec: int

    # indices: 0 No, 1 Kegiatan, 2.. executors, then Kelengkapan, Waktu, Output, Ket
    def exec_index(self, i: int) -> int:
        return 2 + i

    @property
    def quality(self) -> int:
        return 2 + self.n_exec


def _columns(x0: float, width: float, n_exec: int) -> Columns:
    no = 8.0
    exec_w = max(20.0, min(30.0, (width - no) * 0.42 / max(n_exec, 1)))
    rest = width - no - exec_w * n_exec
    shares = [0.32, 0.17, 0.17, 0.17, 0.17]  # Kegiatan, Kelengkapan, Waktu, Output, Ket
    widths = [no, rest * shares[0]] + [exec_w] * n_exec + [rest * s for s in shares[1:]]
    xs = [x0]
    for w in widths[:-1]:
        xs.append(xs[-1] + w)
    return Columns(xs, widths, n_exec)


def _symbol_kind(defn: SopDefinition, step: Step) -> str:
    if step.is_decision:
        return "decision"
    if step.number == defn.steps[0].number or step.next is None:
        return "terminator"
    return "process"


class SopLayout:
    """Lays the SOP out on pages of ``width`` x ``height`` mm; ``paginate=False`` gives one
    tall page (the SVG for the web)."""

    def __init__(
        self,
        defn: SopDefinition,
        *,
        width: float,
        height: float,
        margins: tuple[float, float, float],
        bottom: float,
        paginate: bool = True,
    ) -> None:
        self.defn = defn
        self.width, self.height = width, height
        self.left, self.top, self.right = margins
        self.bottom_limit = height - bottom
        self.paginate = paginate
        self.content_w = width - self.left - self.right
        self.pages: list[d.Page] = []

    # Page 1 -----------------------------------------------------------------------------
    def identity_page(self) -> float:
        page = self._new_page()
        ident = self.defn.identity
        x, y, w = self.left, self.top, self.content_w
        left_w = w * 0.42
        right_w = w - left_w
        label_w = right_w * 0.32
        approved = ident.approved_by
        rows = [
            ("NOMOR SOP", ident.number or "-"),
            ("TGL. PEMBUATAN", ident.date_made or "-"),
            ("TGL. REVISI", ident.date_revised or "-"),
            ("TGL. EFEKTIF", ident.date_effective or "-"),
        ]
        approval = "\n".join(
            part
            for part in [
                approved.position,
                "\n\n",
                approved.name,
                fmt.nip_line(approved.nip),
            ]
            if part is not None
        )
        heights = [max(6.5, _text_h(v, right_w - label_w)) for _, v in rows]
        approval_h = max(26.0, _text_h(approval, right_w - label_w))
        title_h = max(9.0, _text_h(self.defn.title.upper(), right_w - label_w, 9, True))
        total_h = sum(heights) + approval_h + title_h
        # Left: logo slot and the agency's names.
        page.items.append(d.Box(x, y, left_w, total_h))
        names = [
            ident.government.upper(),
            ident.agency.upper(),
            ident.unit.upper(),
        ]
        lines: list[str] = []
        for name in names:
            if name:
                lines += d.wrap(name, left_w - 8, 9.5, True)
        address = d.wrap(ident.address, left_w - 8, 7.5) if ident.address else []
        block_h = len(lines) * d.line_height(9.5) + len(address) * d.line_height(7.5) + 2
        ty = y + max(22.0, (total_h - block_h) / 2)
        # logo slot: a reserved area above the names (left empty when there is no logo)
        page.items.append(d.Text(x + 4, ty, left_w - 8, lines, 9.5, True, "C"))
        page.items.append(
            d.Text(
                x + 4,
                ty + len(lines) * d.line_height(9.5) + 2,
                left_w - 8,
                address,
                7.5,
                False,
                "C",
            )
        )
        # Right: the identity table.
        rx, ry = x + left_w, y
        for (label, value), h in zip(rows, heights, strict=True):
            _cell(page, rx, ry, label_w, h, label, bold=True)
            _cell(page, rx + label_w, ry, right_w - label_w, h, value)
            ry += h
        _cell(page, rx, ry, label_w, approval_h, "DISAHKAN OLEH", bold=True)
        _cell(page, rx + label_w, ry, right_w - label_w, approval_h, approval, align="C")
        ry += approval_h
        _cell(page, rx, ry, label_w, title_h, "NAMA SOP", bold=True)
        _cell(
            page,
            rx + label_w,
            ry,
            right_w - label_w,
            title_h,
            self.defn.title.upper(),
            size=9,
            bold=True,
        )
        y += total_h + 4
        # The six boxes, two by two.
        boxes = [
            ("DASAR HUKUM", self.defn.legal_basis),
            ("KUALIFIKASI PELAKSANA", self.defn.executor_qualifications),
            ("KETERKAITAN", self.defn.related_sops),
            ("PERALATAN/PERLENGKAPAN", self.defn.equipment),
            ("PERINGATAN", self.defn.warnings),
            ("PENCATATAN DAN PENDATAAN", self.defn.records),
        ]
        half = w / 2
        for i in range(0, 6, 2):
            pair = boxes[i : i + 2]
            head_h = 6.0
            body_h = max(10.0, *(_text_h(_list_text(items), half) for _, items in pair))
            if self.paginate and y + head_h + body_h > self.bottom_limit:
                page = self._new_page()
                y = self.top
            for j, (head, items) in enumerate(pair):
                bx = x + j * half
                _cell(page, bx, y, half, head_h, f"{head}:", bold=True, fill=BOX_FILL)
                _cell(page, bx, y + head_h, half, body_h, _list_text(items))
            y += head_h + body_h
        return y

    # Procedure table --------------------------------------------------------------------
    def _new_page(self) -> d.Page:
        page = d.Page(self.width, self.height)
        self.pages.append(page)
        return page

    def _table_header(self, page: d.Page, cols: Columns, y: float) -> float:
        execs = self.defn.executors
        name_h = max(_text_h(e.name, cols.w[2], SIZE, True) for e in execs)
        h1, h2 = 6.0, max(6.0, name_h)
        full = h1 + h2
        x, w = cols.x, cols.w
        q = cols.quality
        _cell(page, x[0], y, w[0], full, "No", bold=True, align="C", fill=HEAD_FILL)
        _cell(page, x[1], y, w[1], full, "Kegiatan", bold=True, align="C", fill=HEAD_FILL)
        exec_w = sum(w[2:q])
        _cell(page, x[2], y, exec_w, h1, "Pelaksana", bold=True, align="C", fill=HEAD_FILL)
        for i, executor in enumerate(execs):
            k = cols.exec_index(i)
            _cell(page, x[k], y + h1, w[k], h2, executor.name, bold=True, align="C", fill=HEAD_FILL)
        _cell(
            page, x[q], y, sum(w[q : q + 3]), h1, "Mutu Baku", bold=True, align="C", fill=HEAD_FILL
        )
        for k, label in zip(range(q, q + 3), ["Kelengkapan", "Waktu", "Output"], strict=True):
            _cell(page, x[k], y + h1, w[k], h2, label, bold=True, align="C", fill=HEAD_FILL)
        _cell(page, x[q + 3], y, w[q + 3], full, "Ket", bold=True, align="C", fill=HEAD_FILL)
        return y + full

    def procedure(self, y: float | None = None) -> None:
        defn = self.defn
        cols = _columns(self.left, self.content_w, len(defn.executors))
        if y is None or self.paginate:
            page = self._new_page()
            y = self.top
        else:
            page = self.pages[-1]
            y += 6
        page.items.append(d.Text(self.left, y, self.content_w, ["PROSEDUR"], 9, True, "L"))
        y = self._table_header(page, cols, y + 5.5)
        exec_pos = {e.code: i for i, e in enumerate(defn.executors)}
        placed: dict[
            int, tuple[int, d.Shape, float, float]
        ] = {}  # step -> page, shape, top, bottom
        q = cols.quality
        for step in defn.steps:
            cells = self._row_cells(step)
            height = ROW_MIN
            for k, text in cells.items():
                height = max(height, _text_h(text, cols.w[k]))
            if self.paginate and y + height > self.bottom_limit:
                page = self._new_page()
                y = self._table_header(page, cols, self.top)
            for k in range(len(cols.w)):
                text = cells.get(k, "")
                align = "C" if k in (0, q + 1) else "L"
                _cell(page, cols.x[k], y, cols.w[k], height, text, align=align)
            k = cols.exec_index(exec_pos[step.executor])
            kind = _symbol_kind(defn, step)
            sw = min(cols.w[k] - 9, 20.0)
            sh = 12.0 if kind == "decision" else 9.0
            shape = d.Shape(
                kind,
                cols.x[k] + cols.w[k] / 2,
                y + height / 2,
                sw,
                sh,
                title=f"{step.number}. {step.activity}",
            )
            page.items.append(shape)
            placed[step.number] = (len(self.pages) - 1, shape, y, y + height)
            y += height
        self._edges(placed, cols, exec_pos)

    def _row_cells(self, step: Step) -> dict[int, str]:
        q = 2 + len(self.defn.executors)
        notes = step.notes
        if step.decision is not None:
            dec = step.decision
            yes = (
                f"{dec.yes_label}: ke langkah {dec.yes}"
                if dec.yes is not None
                else f"{dec.yes_label}: selesai"
            )
            branch = f"{dec.question} {yes}; {dec.no_label}: kembali ke langkah {dec.no}"
            notes = f"{notes}\n{branch}" if notes else branch
        return {
            0: f"{step.number}.",
            1: step.activity,
            q: ", ".join(step.inputs) or "-",
            q + 1: step.time_text,
            q + 2: step.output or "-",
            q + 3: notes,
        }

    def _edges(self, placed, cols: Columns, exec_pos) -> None:
        connector = iter("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        for step in self.defn.steps:
            src_page, src, src_top, src_bottom = placed[step.number]
            forward: list[tuple[int, str]] = []
            if step.decision is not None:
                if step.decision.yes is not None:
                    forward.append((step.decision.yes, step.decision.yes_label))
                else:
                    self.pages[src_page].items.append(
                        d.Label(
                            src.cx,
                            src.bottom + 3,
                            f"{step.decision.yes_label}: selesai",
                            anchor="middle",
                        )
                    )
            elif step.next is not None:
                forward.append((step.next, ""))
            for target, label in forward:
                dst_page, dst, dst_top, _ = placed[target]
                if dst_page == src_page:
                    y_turn = (dst_top + dst.top) / 2
                    pts = [(src.cx, src.bottom)]
                    if abs(dst.cx - src.cx) > 0.01:
                        pts += [(src.cx, y_turn), (dst.cx, y_turn)]
                    pts.append((dst.cx, dst.top))
                    self.pages[src_page].items.append(d.Path(pts))
                else:
                    letter = next(connector)
                    cy = src_bottom - CONN_H / 2 - 0.8
                    self.pages[src_page].items += [
                        d.Path([(src.cx, src.bottom), (src.cx, cy - CONN_H / 2)]),
                        d.Shape("connector", src.cx, cy, CONN_W, CONN_H, letter),
                    ]
                    cy2 = dst_top + CONN_H / 2 + 0.8
                    self.pages[dst_page].items += [
                        d.Shape("connector", dst.cx, cy2, CONN_W, CONN_H, letter),
                        d.Path([(dst.cx, cy2 + CONN_H / 2), (dst.cx, dst.top)]),
                    ]
                if label:
                    self.pages[src_page].items.append(
                        d.Label(src.cx + 1.2, src.bottom + 2.8, label)
                    )
            if step.decision is not None:
                self._back_edge(step, placed, cols, exec_pos, connector)

    def _back_edge(self, step: Step, placed, cols: Columns, exec_pos, connector) -> None:
        dec = step.decision
        src_page, src, _, _ = placed[step.number]
        dst_page, dst, _, _ = placed[dec.no]
        target = self.defn.step(dec.no)
        k = cols.exec_index(exec_pos[target.executor])
        right = dst.cx >= src.cx
        lane = cols.x[k] + cols.w[k] - 2.5 if right else cols.x[k] + 2.5
        vertex = (src.cx + src.w / 2, src.cy) if right else (src.cx - src.w / 2, src.cy)
        side = dst.cx + dst.w / 2 if right else dst.cx - dst.w / 2
        label_x = vertex[0] + (1 if right else -1)
        anchor = "start" if right else "end"
        if src_page == dst_page:
            self.pages[src_page].items.append(
                d.Path([vertex, (lane, src.cy), (lane, dst.cy), (side, dst.cy)])
            )
        else:
            letter = next(connector)
            lane = cols.x[k] + cols.w[k] - CONN_W / 2 - 1 if right else cols.x[k] + CONN_W / 2 + 1
            self.pages[src_page].items += [
                d.Path([vertex, (lane, src.cy), (lane, src.cy + 2)]),
                d.Shape("connector", lane, src.cy + 2 + CONN_H / 2, CONN_W, CONN_H, letter),
            ]
            # Enter from below, on the lane, clear of the arrow arriving at the shape's top.
            top = dst.bottom + 2.5
            self.pages[dst_page].items += [
                d.Shape("connector", lane, top + CONN_H / 2, CONN_W, CONN_H, letter),
                d.Path([(lane, top), (lane, dst.cy), (side, dst.cy)]),
            ]
        self.pages[src_page].items.append(
            d.Label(label_x, src.cy - 1.0, f"{dec.no_label} ({dec.no})", anchor=anchor)
        )


def layout_sop(defn: SopDefinition, *, paper: str = "A4", paginate: bool = True) -> list[d.Page]:
    width, height = PAPER[paper]
    width, height = height, width  # landscape
    layout = SopLayout(
        defn,
        width=width,
        height=height,
        margins=MARGINS["L"],
        bottom=BOTTOM if paginate else 0,
        paginate=paginate,
    )
    y = layout.identity_page()
    layout.procedure(None if paginate else y)
    if not paginate:
        page = layout.pages[-1]
        bottom = max(
            (item.y + item.h for item in page.items if isinstance(item, d.Box)), default=height
        )
        page.height = bottom + layout.top
    return layout.pages


def render_sop_svg(definition: SopDefinition) -> str:
    """The whole SOP document as one SVG (no page breaks, so no off-page connectors)."""
    (page,) = layout_sop(definition, paginate=False)
    return d.to_svg(page, title=f"SOP {definition.title}")


def render_sop_pdf(definition: SopDefinition, *, stamp: Stamp, paper: str = "A4") -> bytes:
    pdf = OfficialPdf(
        stamp=stamp,
        title=f"SOP {definition.title}",
        orientation="L",
        paper=paper,
    )
    pdf.set_auto_page_break(False)
    for page in layout_sop(definition, paper=paper):
        pdf.add_page()
        d.draw_pdf(pdf, page)
    return pdf.output_bytes()


@dataclass
class SopData:
    definition: SopDefinition
    version: int
    paper: str


@register
class SopDocument(DocumentGenerator):
    code = "sop"
    title = _("Dokumen SOP")
    description = _("SOP format PermenPAN-RB 35/2012 dengan diagram alir")
    formats = ("pdf", "svg")
    required = ("sop",)
    optional = ("agency", "paper")
    context = "sop"

    def is_available_to(self, user, **params: Any) -> bool:
        # The SOP document is the office's published procedure: any signed-in user may print it.
        return bool(getattr(user, "is_authenticated", False) and user.is_active)

    def collect(self, *, sop: str, paper: str = "A4", agency=None, issue_date=None) -> SopData:
        version = sop_latest(sop)
        return SopData(version.spec, version.version, paper)

    def document_title(self, **params: Any) -> str:
        return f"SOP {sop_latest(params['sop']).title}"

    def period_label(self, **params: Any) -> str:
        return ""

    def render_pdf(self, data: SopData, *, stamp: Stamp) -> bytes:
        return render_sop_pdf(data.definition, stamp=stamp, paper=data.paper)

    def render_svg(self, data: SopData, *, stamp: Stamp) -> bytes:
        return render_sop_svg(data.definition).encode()
