"""The printed page every PDF of Kinerja shares: paper sizes, margins, fonts, letterhead
(kop), footer with the verification QR code and short link, signature blocks and tables.

Fonts are DejaVu Sans/Serif from matplotlib's package data (a PyPI wheel), so rendering needs
no system fonts and Indonesian text (and any other Unicode) prints correctly everywhere.
"""

from __future__ import annotations

import io
import logging
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import matplotlib
import segno
from fpdf import FPDF, FontFace
from fpdf.enums import TableCellFillMode, XPos, YPos

from kinerja.core import formatting as fmt

# fontTools logs every glyph subset at INFO level: noise in server logs and CLI output.
logging.getLogger("fontTools").setLevel(logging.WARNING)

# Paper sizes in millimetres (portrait). F4 ("folio") is what Indonesian offices print on.
PAPER = {"A4": (210.0, 297.0), "F4": (215.0, 330.0)}
# Tata naskah dinas: 3 cm binding margin on the left, 2 cm elsewhere (portrait); landscape
# pages are bound on top, so the wide margin moves there.
MARGINS = {"P": (30.0, 20.0, 20.0), "L": (15.0, 25.0, 15.0)}  # left, top, right
# The verification QR code is printed 24 mm wide, quiet zone included (the symbol itself is
# over 2 cm): large enough for any phone camera and for a 150 dpi scan to decode even with a
# long SITE_URL (tests/reports/test_qr_verify.py decodes it from a rendered page).
QR_MM = 24.0
QR_QUIET = 2  # modules of white around the symbol, inside QR_MM
FOOTER_H = QR_MM + 3  # footer band: rule, 1.5 mm, QR code, 1.5 mm
FOOTER_GAP = 5.0  # paper edge to the footer band (most printers cannot print the outer 4 mm)
BOTTOM = FOOTER_H + FOOTER_GAP + 3  # page-break margin: room for the footer with the QR code
NUMERIC = re.compile(r"^-?[\d.]+(,\d+)?\s*%?$")
WATERMARK = "DRAF"
DRAFT_TITLE = (
    "DRAF — dokumen ini disusun dari data yang belum lengkap atau belum disetujui; "
    "belum untuk ditandatangani. Yang belum lengkap:"
)
DRAFT_SHOWN = 12  # items listed on paper; the archive record keeps them all
FONT = "DejaVu"
SERIF = "DejaVuSerif"
BORDER_GREY = (120, 120, 120)
HEAD_FILL = (225, 225, 225)


def font_dir() -> str:
    return os.path.join(matplotlib.get_data_path(), "fonts", "ttf")


@dataclass(frozen=True)
class Stamp:
    """What every printed page says about the document itself (set before rendering)."""

    short_code: str
    verify_url: str
    generated_at_text: str = ""
    generated_by: str = ""
    # A draft (issue 12): what is missing or unapproved; empty for a final document. A draft
    # carries a "DRAF" watermark on every page and the list under its title.
    draft: tuple[str, ...] = ()

    @property
    def is_draft(self) -> bool:
        return bool(self.draft)

    @classmethod
    def preview(cls) -> Stamp:
        return cls(short_code="PRATINJAU", verify_url="(pratinjau: belum diarsipkan)")


@dataclass(frozen=True)
class Letterhead:
    government: str = ""
    agency: str = ""
    address: str = ""
    logo_path: str = ""


@dataclass(frozen=True)
class Signer:
    """A signature block: ``Camat Binamu`` / (space) / **name** / ``NIP. …``."""

    position: str
    name: str = ""
    nip: str | None = None
    place_date: str = ""  # "Binamu, 24 November 2026"
    caption: str = ""  # "Mengetahui," / "Disahkan oleh,"
    show_nip: bool = True  # False for a signer without a NIP (a regent is not a civil servant)


def qr_png(data: str, *, scale: int = 8) -> io.BytesIO:
    """The QR code (error correction M) as a PNG with a ``QR_QUIET`` module quiet zone."""
    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="png", scale=scale, border=QR_QUIET)
    buffer.seek(0)
    return buffer


class OfficialPdf(FPDF):
    """An FPDF page set up as an Indonesian official document."""

    def __init__(
        self,
        *,
        stamp: Stamp,
        title: str,
        orientation: str = "P",
        paper: str = "A4",
        running_head: str = "",
    ) -> None:
        width, height = PAPER[paper.upper()]
        super().__init__(orientation=orientation, unit="mm", format=(width, height))
        self.stamp = stamp
        self.doc_title = title
        self.running_head = running_head
        self.paper = paper.upper()
        left, top, right = MARGINS[orientation]
        self.set_margins(left, top, right)
        self.set_auto_page_break(True, margin=BOTTOM)
        directory = font_dir()
        self.add_font(FONT, "", os.path.join(directory, "DejaVuSans.ttf"))
        self.add_font(FONT, "B", os.path.join(directory, "DejaVuSans-Bold.ttf"))
        self.add_font(FONT, "I", os.path.join(directory, "DejaVuSans-Oblique.ttf"))
        self.add_font(FONT, "BI", os.path.join(directory, "DejaVuSans-BoldOblique.ttf"))
        self.add_font(SERIF, "", os.path.join(directory, "DejaVuSerif.ttf"))
        self.add_font(SERIF, "B", os.path.join(directory, "DejaVuSerif-Bold.ttf"))
        self.set_font(FONT, size=9)
        self.set_title(title)
        self.set_author(stamp.generated_by or "Kinerja")
        self.set_creator("Kinerja")
        self.set_subject(f"{title} — {stamp.verify_url}")
        self.alias_nb_pages()
        self.set_draw_color(*BORDER_GREY)
        self.set_line_width(0.2)
        self._qr = qr_png(stamp.verify_url) if stamp.short_code != "PRATINJAU" else None
        self._draft_listed = False

    # Page furniture ---------------------------------------------------------------------
    def header(self) -> None:
        if self.stamp.is_draft:
            self.watermark()
        if self.page_no() == 1 or not self.running_head:
            return
        self.set_font(FONT, "I", 7)
        self.set_text_color(90, 90, 90)
        self.cell(0, 4, self.running_head, align="L")
        self.cell(0, 4, self.doc_title, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)
        self.ln(2)

    def footer(self) -> None:
        top = self.h - FOOTER_H - FOOTER_GAP
        self.set_draw_color(*BORDER_GREY)
        self.line(self.l_margin, top, self.w - self.r_margin, top)
        x = self.l_margin
        if self._qr is not None:
            self.image(self._qr, x=x, y=top + 1.5, w=QR_MM, h=QR_MM)
            x += QR_MM + 3
        self.set_xy(x, top + 2)
        self.set_font(FONT, "", 7)
        self.set_text_color(60, 60, 60)
        width = self.w - self.r_margin - x - 30
        lines = [
            f"Kode verifikasi: {self.stamp.short_code}",
            f"Periksa keaslian dokumen: {self.stamp.verify_url}",
        ]
        if self.stamp.generated_at_text:
            lines.append(
                f"Dibuat oleh Kinerja pada {self.stamp.generated_at_text}"
                + (f" oleh {self.stamp.generated_by}" if self.stamp.generated_by else "")
            )
        for line in lines:
            self.set_x(x)
            self.cell(width, 3.6, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_xy(self.w - self.r_margin - 30, top + 2)
        self.cell(30, 3.6, f"Halaman {self.page_no()} dari {{nb}}", align="R")
        self.set_text_color(0, 0, 0)

    def watermark(self) -> None:
        """A large light-grey "DRAF" across the page, under the content (drawn first)."""
        x, y = self.get_x(), self.get_y()
        self.set_font(FONT, "B", 110)
        self.set_text_color(215, 215, 215)
        cx, cy = self.w / 2, self.h / 2
        width = self.get_string_width(WATERMARK)
        with self.rotation(35, cx, cy):
            self.text(cx - width / 2, cy + 14, WATERMARK)
        self.set_text_color(0, 0, 0)
        self.set_font(FONT, "", 9)
        self.set_xy(x, y)

    def draft_notice(self) -> None:
        """Under the title of a draft: why it is a draft, item by item."""
        if not self.stamp.is_draft or self._draft_listed:
            return
        self._draft_listed = True
        self.set_font(FONT, "B", 9)
        self.set_fill_color(255, 235, 235)
        self.set_draw_color(170, 0, 0)
        self.multi_cell(
            0,
            5,
            DRAFT_TITLE,
            align="L",
            border="LTR",
            fill=True,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        self.set_font(FONT, "", 8)
        items = list(self.stamp.draft)
        shown = items[:DRAFT_SHOWN]
        if len(items) > DRAFT_SHOWN:
            shown.append(f"… dan {len(items) - DRAFT_SHOWN} hal lain.")
        for i, item in enumerate(shown):
            self.multi_cell(
                0,
                4.2,
                f"•  {item}",
                align="L",
                border="LR" + ("B" if i == len(shown) - 1 else ""),
                fill=True,
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
        self.set_fill_color(255, 255, 255)
        self.set_draw_color(*BORDER_GREY)
        self.ln(3)
        self.set_font(FONT, "", 9)

    # Building blocks --------------------------------------------------------------------
    @property
    def content_width(self) -> float:
        return self.w - self.l_margin - self.r_margin

    def letterhead(self, head: Letterhead) -> None:
        """The kop: logo slot on the left, government and agency names centred, address,
        and the double rule below."""
        top = self.get_y()
        logo = 22.0
        if head.logo_path and os.path.exists(head.logo_path):
            self.image(head.logo_path, x=self.l_margin, y=top, h=logo)
        # Without a logo file the slot stays empty, so the names stay centred on the page.
        self.set_font(SERIF, "B", 12)
        if head.government:
            self.cell(0, 6, head.government.upper(), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(SERIF, "B", 15)
        self.cell(0, 7.5, head.agency.upper(), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if head.address:
            self.set_font(SERIF, "", 9)
            self.cell(0, 5, head.address, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        y = max(self.get_y(), top + logo) + 1.5
        self.set_draw_color(0, 0, 0)
        self.set_line_width(0.8)
        self.line(self.l_margin, y, self.w - self.r_margin, y)
        self.set_line_width(0.2)
        self.line(self.l_margin, y + 1.1, self.w - self.r_margin, y + 1.1)
        self.set_draw_color(*BORDER_GREY)
        self.set_y(y + 5)
        self.set_font(FONT, "", 9)

    def title_block(self, title: str, *subtitles: str) -> None:
        self.set_font(FONT, "B", 12)
        self.multi_cell(0, 6, title.upper(), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "", 10)
        for sub in subtitles:
            if sub:
                self.multi_cell(0, 5, sub, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(3)
        self.set_font(FONT, "", 9)
        self.draft_notice()

    def heading(self, text: str, size: float = 10.5) -> None:
        if self.get_y() > self.h - BOTTOM - 25:
            self.add_page()
        self.ln(2)
        self.set_font(FONT, "B", size)
        self.multi_cell(0, 5.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)
        self.set_font(FONT, "", 9)

    def paragraph(self, text: str, *, size: float = 9.5, italic: bool = False) -> None:
        self.set_font(FONT, "I" if italic else "", size)
        self.multi_cell(0, 4.8, text, align="J", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.5)
        self.set_font(FONT, "", 9)

    def prompt(self, text: str) -> None:
        """A part staff must write: highlighted in yellow so it cannot be missed in print."""
        self.set_font(FONT, "I", 9)
        self.set_fill_color(255, 242, 153)
        self.multi_cell(
            0, 4.8, f"[Diisi oleh staf: {text}]", fill=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        self.set_fill_color(255, 255, 255)
        self.ln(1.5)
        self.set_font(FONT, "", 9)

    def key_values(self, rows: Sequence[tuple[str, str]], *, label_width: float = 45) -> None:
        for label, value in rows:
            self.set_font(FONT, "", 9)
            self.cell(label_width, 5, label)
            self.cell(4, 5, ":")
            self.multi_cell(0, 5, value or "-", align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def grid(
        self,
        headings: Sequence[Sequence[str | tuple[str, int]]],
        rows: Sequence[Sequence[str]],
        *,
        widths: Sequence[float],
        align: Sequence[str] | None = None,
        font_size: float = 8,
        bold_rows: Sequence[int] = (),
        keep_with_next: Callable[[], None] | None = None,
        keep_rows: int = 1,
    ) -> None:
        """A bordered table with grey headings repeated on each page. A heading cell may be
        ``(text, colspan)``; several heading rows are allowed.

        Columns follow their content: ``widths`` are the preferred proportions, but no column
        is narrower than its longest word or number (so nothing is split mid-word); when the
        words cannot fit, the font shrinks (down to 5.5 pt). Rows never split across pages.
        ``keep_with_next`` draws what must not start a page alone (the closing sentence and
        signature blocks): it is kept on one page with the table's last ``keep_rows`` rows;
        only those move to the next page when it does not fit under the table (one row by
        default: a two-row table keeps its first row on the first page)."""
        font_size, col_widths = self.fit_columns(headings, rows, widths, font_size)
        if align is None:  # numbers to the right, text to the left
            align = [
                "R"
                if any(str(r[i]) not in ("", "-") for r in rows)
                and all(NUMERIC.match(str(r[i])) for r in rows if str(r[i]) not in ("", "-"))
                else "L"
                for i in range(len(col_widths))
            ]
        options = {"align": align, "font_size": font_size, "col_widths": col_widths}
        if keep_with_next is None or not rows:
            self._table(headings, rows, bold_rows=bold_rows, **options)
            self.ln(3)
            if keep_with_next is not None:
                self.keep_together(keep_with_next)
            self.set_font(FONT, "", 9)
            return
        # at least one row stays under the heading; the last ones go with what follows
        k = min(keep_rows, max(len(rows) - 1, 1))
        body, tail = list(rows[: len(rows) - k]), list(rows[len(rows) - k :])
        tail_bold = [i - len(body) for i in bold_rows if i >= len(body)]
        if body:
            self._table(headings, body, bold_rows=bold_rows, **options)

        def draw_tail(with_headings: bool) -> None:
            self._table(headings if with_headings else [], tail, bold_rows=tail_bold, **options)
            self.ln(3)
            keep_with_next()

        with self.offset_rendering() as trial:
            draw_tail(not body)
        if trial.page_break_triggered:
            self.add_page()
            draw_tail(True)
        else:
            draw_tail(not body)
        self.set_font(FONT, "", 9)

    def keep_together(self, draw: Callable[[], None]) -> None:
        """Draw ``draw`` on one page: on the next one when it would not fit here."""
        with self.offset_rendering() as trial:
            draw()
        if trial.page_break_triggered:
            self.add_page()
        draw()

    def fit_columns(
        self,
        headings: Sequence[Sequence[str | tuple[str, int]]],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        font_size: float,
    ) -> tuple[float, tuple[float, ...]]:
        """Column widths (mm) within the page: the preferred ``widths`` scaled to fit, each
        at least its longest word (heading words in bold) plus padding; the font shrinks
        when even the words do not fit."""
        available = self.content_width - 0.01
        total = sum(widths)
        scale = available / total if total > available else 1.0
        preferred = [w * scale for w in widths]
        size = font_size
        while True:
            mins = self._min_widths(headings, rows, len(widths), size)
            if sum(mins) <= available or size <= 5.5:
                break
            size -= 0.5
        out = [max(p, m) for p, m in zip(preferred, mins, strict=True)]
        excess = sum(out) - max(sum(preferred), min(sum(mins), available))
        if excess > 0:
            slack = [o - m for o, m in zip(out, mins, strict=True)]
            room = sum(slack)
            if room > 0:
                take = min(excess, room)
                out = [o - take * sl / room for o, sl in zip(out, slack, strict=True)]
        if sum(out) > available:  # words still wider than the page at the smallest size
            factor = available / sum(out)
            out = [o * factor for o in out]
        return size, tuple(out)

    def _min_widths(self, headings, rows, ncols: int, size: float) -> list[float]:
        pad = 2 * 1.0 + 0.6  # cell padding left/right plus a hair for rounding
        mins = [0.0] * ncols
        self.set_font(FONT, "", size)
        for values in rows:
            for i, value in enumerate(values[:ncols]):
                for word in str(value).split():
                    mins[i] = max(mins[i], self.get_string_width(word) + pad)
        self.set_font(FONT, "B", size)
        for head in headings:
            col = 0
            for cell in head:
                text, span = cell if isinstance(cell, tuple) else (cell, 1)
                if span == 1 and col < ncols:
                    for word in str(text).split():
                        mins[col] = max(mins[col], self.get_string_width(word) + pad)
                col += span
        self.set_font(FONT, "", size)
        return mins

    def _table(self, headings, rows, *, align, font_size, col_widths, bold_rows=()) -> None:
        self.set_font(FONT, "", font_size)
        self.set_fill_color(255, 255, 255)  # body cells are never tinted by earlier fills
        with self.table(
            col_widths=col_widths,
            width=min(sum(col_widths), self.epw - 0.001),
            align="LEFT",
            text_align=tuple(align) if align else "LEFT",
            line_height=font_size * 0.5,
            num_heading_rows=len(headings),
            repeat_headings=1,
            headings_style=FontFace(emphasis="BOLD", fill_color=HEAD_FILL),
            cell_fill_mode=TableCellFillMode.NONE,
            padding=(0.8, 1.0),
            v_align="TOP",
            first_row_as_headings=bool(headings),
        ) as table:
            for head in headings:
                row = table.row()
                for cell in head:
                    if isinstance(cell, tuple):
                        row.cell(cell[0], colspan=cell[1], align="CENTER")
                    else:
                        row.cell(cell, align="CENTER")
            bold = FontFace(emphasis="BOLD")
            for i, values in enumerate(rows):
                row = table.row()
                for value in values:
                    row.cell(str(value), style=bold if i in bold_rows else None)

    def closing(self, text: str, signers: Sequence[Signer]) -> None:
        """The closing sentence and the signature blocks, kept together on one page."""

        def draw() -> None:
            if text:
                self.paragraph(text)
            self.signatures(signers)

        self.keep_together(draw)

    def signatures(self, signers: Sequence[Signer], *, height: float = 52) -> None:
        """Signature blocks side by side (right-aligned when there is one), names and NIPs on
        one line across the blocks whatever is written above them."""
        if self.get_y() > self.h - BOTTOM - height:
            self.add_page()
        self.ln(4)
        top = self.get_y()
        n = len(signers)
        block = min(80.0, self.content_width / max(n, 1))
        self.set_font(FONT, "", 9.5)

        def above(signer: Signer) -> list[str]:
            return [t for t in (signer.place_date, signer.caption, signer.position) if t]

        def lines_height(texts: list[str]) -> float:
            return sum(
                len(self.multi_cell(block, 4.8, t, align="C", dry_run=True, output="LINES")) * 4.8
                for t in texts
            )

        # every block's upper text ends on the same line, so the positions line up too
        tallest = max((lines_height(above(s)) for s in signers), default=0.0)
        name_y = top + tallest + 20
        bottom = name_y
        for i, signer in enumerate(signers):
            x = (
                self.w - self.r_margin - block
                if n == 1
                else self.l_margin + i * (self.content_width / n)
            )
            texts = above(signer)
            self.set_xy(x, top + tallest - lines_height(texts))
            self.set_font(FONT, "", 9.5)
            for text in texts:
                self.set_x(x)
                self.multi_cell(block, 4.8, text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_xy(x, name_y)
            self.set_font(FONT, "BU", 9.5)
            name = signer.name or "(....................................)"
            self.multi_cell(block, 4.8, name, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            if signer.show_nip:
                self.set_x(x)
                self.set_font(FONT, "", 9.5)
                self.multi_cell(
                    block,
                    4.8,
                    fmt.nip_line(signer.nip),
                    align="C",
                    new_x=XPos.LMARGIN,
                    new_y=YPos.NEXT,
                )
            bottom = max(bottom, self.get_y())
        self.set_font(FONT, "", 9)
        self.set_y(max(bottom + 4, top + height))

    def output_bytes(self) -> bytes:
        return bytes(self.output())
