"""The printed page every PDF of Kinerja shares: paper sizes, margins, fonts, letterhead
(kop), footer with the verification QR code and short link, signature blocks and tables.

Fonts are DejaVu Sans/Serif from matplotlib's package data (a PyPI wheel), so rendering needs
no system fonts and Indonesian text (and any other Unicode) prints correctly everywhere.
"""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Sequence
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
        self.multi_cell(0, 5.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
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
            self.multi_cell(0, 5, value or "-", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def grid(
        self,
        headings: Sequence[Sequence[str | tuple[str, int]]],
        rows: Sequence[Sequence[str]],
        *,
        widths: Sequence[float],
        align: Sequence[str] | None = None,
        font_size: float = 8,
        bold_rows: Sequence[int] = (),
    ) -> None:
        """A bordered table with grey headings repeated on each page. A heading cell may be
        ``(text, colspan)``; several heading rows are allowed."""
        self.set_font(FONT, "", font_size)
        self.set_fill_color(255, 255, 255)  # body cells are never tinted by earlier fills
        total = sum(widths)
        scale = self.content_width / total if total > self.content_width else 1.0
        col_widths = tuple(w * scale for w in widths)
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
        self.ln(3)
        self.set_font(FONT, "", 9)

    def signatures(self, signers: Sequence[Signer], *, height: float = 52) -> None:
        """Signature blocks side by side (right-aligned when there is one), kept together on
        one page."""
        if self.get_y() > self.h - BOTTOM - height:
            self.add_page()
        self.ln(4)
        top = self.get_y()
        n = len(signers)
        block = min(80.0, self.content_width / max(n, 1))
        for i, signer in enumerate(signers):
            if n == 1:
                x = self.w - self.r_margin - block
            else:
                x = self.l_margin + i * (self.content_width / n)
            self.set_xy(x, top)
            self.set_font(FONT, "", 9.5)
            for text in (signer.place_date, signer.caption, signer.position):
                if text:
                    self.set_x(x)
                    self.multi_cell(
                        block, 4.8, text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT
                    )
            self.set_x(x)
            self.ln(20)
            self.set_x(x)
            self.set_font(FONT, "BU", 9.5)
            name = signer.name or "(....................................)"
            self.multi_cell(block, 4.8, name, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_x(x)
            self.set_font(FONT, "", 9.5)
            self.multi_cell(
                block, 4.8, fmt.nip_line(signer.nip), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
        self.set_y(top + height)

    def output_bytes(self) -> bytes:
        return bytes(self.output())
