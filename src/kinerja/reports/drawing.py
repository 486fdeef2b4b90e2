"""Vector drawings laid out once and drawn twice: into SVG (web pages) and onto PDF pages.

Layouts are lists of primitives in millimetres. Text is wrapped with the metrics of the
DejaVu fonts the PDF embeds, so the SVG (which names the same family first) wraps alike.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from xml.sax.saxutils import escape

from fpdf import FPDF

from .pdf import FONT, OfficialPdf, font_dir

LINE = 1.0  # relative line height factor, see line_height()


def line_height(size: float) -> float:
    """Millimetres per text line at ``size`` points (1.25 x the font size)."""
    return size * 0.3528 * 1.25


@lru_cache(maxsize=1)
def _measurer() -> FPDF:
    import os

    pdf = FPDF(unit="mm")
    pdf.add_font(FONT, "", os.path.join(font_dir(), "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", os.path.join(font_dir(), "DejaVuSans-Bold.ttf"))
    return pdf


def text_width(text: str, size: float, bold: bool = False) -> float:
    pdf = _measurer()
    pdf.set_font(FONT, "B" if bold else "", size)
    return pdf.get_string_width(text)


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Greedy word wrap; words wider than the column are split."""
    lines: list[str] = []
    for paragraph in str(text).split("\n"):
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}" if current else word
            if text_width(candidate, size, bold) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            while text_width(word, size, bold) > width and len(word) > 1:
                cut = len(word)
                while cut > 1 and text_width(word[:cut], size, bold) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            current = word
        lines.append(current)
    return lines


# Primitives -------------------------------------------------------------------------------
@dataclass
class Box:
    x: float
    y: float
    w: float
    h: float
    fill: tuple[int, int, int] | None = None
    stroke: bool = True


@dataclass
class Text:
    x: float  # left edge of the text area
    y: float  # top of the first line
    w: float
    lines: list[str]
    size: float = 8.0
    bold: bool = False
    align: str = "L"  # L, C, R

    @property
    def h(self) -> float:
        return len(self.lines) * line_height(self.size)


@dataclass
class Shape:
    """One of the five flowchart symbols of PermenPAN-RB 35/2012 (the arrow is a Path)."""

    kind: str  # "terminator" (capsule), "process", "decision", "connector"
    cx: float
    cy: float
    w: float
    h: float
    label: str = ""
    title: str = ""  # tooltip in SVG

    def points(self) -> list[tuple[float, float]]:
        x0, y0 = self.cx - self.w / 2, self.cy - self.h / 2
        if self.kind == "decision":
            return [(self.cx, y0), (x0 + self.w, self.cy), (self.cx, y0 + self.h), (x0, self.cy)]
        if self.kind == "connector":  # pentagon pointing down ("home plate")
            shoulder = y0 + self.h * 0.6
            return [
                (x0, y0),
                (x0 + self.w, y0),
                (x0 + self.w, shoulder),
                (self.cx, y0 + self.h),
                (x0, shoulder),
            ]
        if self.kind == "terminator":  # capsule: two half circles joined by straight sides
            r = self.h / 2
            pts: list[tuple[float, float]] = []
            for i in range(13):
                a = -math.pi / 2 + math.pi * i / 12
                pts.append((x0 + self.w - r + r * math.cos(a), self.cy + r * math.sin(a)))
            for i in range(13):
                a = math.pi / 2 + math.pi * i / 12
                pts.append((x0 + r + r * math.cos(a), self.cy + r * math.sin(a)))
            return pts
        return [(x0, y0), (x0 + self.w, y0), (x0 + self.w, y0 + self.h), (x0, y0 + self.h)]

    @property
    def top(self) -> float:
        return self.cy - self.h / 2

    @property
    def bottom(self) -> float:
        return self.cy + self.h / 2


@dataclass
class Path:
    points: list[tuple[float, float]]
    arrow: bool = True


@dataclass
class Label:
    x: float
    y: float  # baseline
    text: str
    size: float = 6.5
    anchor: str = "start"  # start, middle, end
    bold: bool = True


@dataclass
class Page:
    width: float
    height: float
    items: list = field(default_factory=list)


# SVG --------------------------------------------------------------------------------------
FONT_STACK = "'DejaVu Sans', Verdana, Arial, sans-serif"
PT = 0.3528  # mm per point


def to_svg(page: Page, *, title: str = "") -> str:
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {page.width:.1f} {page.height:.1f}"'
        f' width="{page.width:.1f}mm" height="{page.height:.1f}mm" role="img"'
        f' aria-label="{escape(title, {chr(34): "&quot;"})}" font-family="{FONT_STACK}">',
        f"<title>{escape(title)}</title>" if title else "",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="2.4" markerHeight="2.4" markerUnits="userSpaceOnUse" orient="auto">'
        '<path d="M0,0 L10,5 L0,10 z" fill="#000"/></marker></defs>',
        f'<rect x="0" y="0" width="{page.width:.1f}" height="{page.height:.1f}" fill="#fff"/>',
    ]
    for item in page.items:
        if isinstance(item, Box):
            fill = "#{:02x}{:02x}{:02x}".format(*item.fill) if item.fill else "none"
            stroke = ' stroke="#555" stroke-width="0.2"' if item.stroke else ""
            out.append(
                f'<rect x="{item.x:.2f}" y="{item.y:.2f}" width="{item.w:.2f}" '
                f'height="{item.h:.2f}" fill="{fill}"{stroke}/>'
            )
        elif isinstance(item, Text):
            lh = line_height(item.size)
            anchor, x = {
                "L": ("start", item.x),
                "C": ("middle", item.x + item.w / 2),
                "R": ("end", item.x + item.w),
            }[item.align]
            weight = ' font-weight="bold"' if item.bold else ""
            out.append(f'<text font-size="{item.size * PT:.2f}" text-anchor="{anchor}"{weight}>')
            for i, line in enumerate(item.lines):
                y = item.y + lh * i + item.size * PT * 0.95
                out.append(f'<tspan x="{x:.2f}" y="{y:.2f}">{escape(line)}</tspan>')
            out.append("</text>")
        elif isinstance(item, Shape):
            tip = f"<title>{escape(item.title)}</title>" if item.title else ""
            style = 'fill="#fff" stroke="#000" stroke-width="0.35"'
            if item.kind == "terminator":
                x0, y0 = item.cx - item.w / 2, item.cy - item.h / 2
                out.append(
                    f'<rect x="{x0:.2f}" y="{y0:.2f}" width="{item.w:.2f}" height="{item.h:.2f}"'
                    f' rx="{item.h / 2:.2f}" ry="{item.h / 2:.2f}" {style}>{tip}</rect>'
                )
            else:
                pts = " ".join(f"{x:.2f},{y:.2f}" for x, y in item.points())
                out.append(f'<polygon points="{pts}" {style}>{tip}</polygon>')
            if item.label:
                cy = item.cy - (item.h * 0.1 if item.kind == "connector" else 0)
                out.append(
                    f'<text x="{item.cx:.2f}" y="{cy + 1.0:.2f}" font-size="2.8" '
                    f'text-anchor="middle" font-weight="bold">{escape(item.label)}</text>'
                )
        elif isinstance(item, Path):
            pts = " ".join(f"{x:.2f},{y:.2f}" for x, y in item.points)
            marker = ' marker-end="url(#arrow)"' if item.arrow else ""
            out.append(
                f'<polyline points="{pts}" fill="none" stroke="#000" stroke-width="0.3"{marker}/>'
            )
        elif isinstance(item, Label):
            weight = ' font-weight="bold"' if item.bold else ""
            out.append(
                f'<text x="{item.x:.2f}" y="{item.y:.2f}" font-size="{item.size * PT:.2f}" '
                f'text-anchor="{item.anchor}"{weight} paint-order="stroke" stroke="#fff" '
                f'stroke-width="0.6">{escape(item.text)}</text>'
            )
    out.append("</svg>")
    return "\n".join(line for line in out if line)


# PDF --------------------------------------------------------------------------------------
def _arrow_head(pdf: OfficialPdf, a: tuple[float, float], b: tuple[float, float]) -> None:
    angle = math.atan2(b[1] - a[1], b[0] - a[0])
    size = 1.8
    left = (
        b[0] - size * math.cos(angle - math.pi / 7),
        b[1] - size * math.sin(angle - math.pi / 7),
    )
    right = (
        b[0] - size * math.cos(angle + math.pi / 7),
        b[1] - size * math.sin(angle + math.pi / 7),
    )
    pdf.polygon([b, left, right], style="F")


def draw_pdf(pdf: OfficialPdf, page: Page) -> None:
    """Draw ``page`` on the current PDF page (coordinates are page millimetres)."""
    pdf.set_fill_color(0, 0, 0)
    for item in page.items:
        if isinstance(item, Box):
            pdf.set_draw_color(85, 85, 85)
            pdf.set_line_width(0.2)
            if item.fill:
                pdf.set_fill_color(*item.fill)
            style = ("DF" if item.stroke else "F") if item.fill else "D"
            pdf.rect(item.x, item.y, item.w, item.h, style=style)
        elif isinstance(item, Text):
            pdf.set_font(FONT, "B" if item.bold else "", item.size)
            lh = line_height(item.size)
            for i, line in enumerate(item.lines):
                pdf.set_xy(item.x, item.y + i * lh)
                pdf.cell(item.w, lh, line, align=item.align)
        elif isinstance(item, Shape):
            pdf.set_draw_color(0, 0, 0)
            pdf.set_line_width(0.35)
            pdf.set_fill_color(255, 255, 255)
            pdf.polygon(item.points(), style="DF")
            if item.label:
                pdf.set_font(FONT, "B", 7)
                cy = item.cy - (item.h * 0.1 if item.kind == "connector" else 0)
                pdf.set_xy(item.cx - item.w / 2, cy - 1.5)
                pdf.cell(item.w, 3, item.label, align="C")
        elif isinstance(item, Path):
            pdf.set_draw_color(0, 0, 0)
            pdf.set_line_width(0.3)
            pdf.set_fill_color(0, 0, 0)
            pdf.polyline(item.points)
            if item.arrow and len(item.points) >= 2:
                _arrow_head(pdf, item.points[-2], item.points[-1])
        elif isinstance(item, Label):
            pdf.set_font(FONT, "B" if item.bold else "", item.size)
            width = pdf.get_string_width(item.text)
            x = {"start": item.x, "middle": item.x - width / 2, "end": item.x - width}[item.anchor]
            pdf.set_fill_color(255, 255, 255)
            lh = item.size * PT
            pdf.rect(x - 0.3, item.y - lh, width + 0.6, lh * 1.15, style="F")
            pdf.set_xy(x, item.y - lh)
            pdf.cell(width, lh, item.text)
            pdf.set_fill_color(0, 0, 0)
    pdf.set_draw_color(120, 120, 120)
    pdf.set_line_width(0.2)
