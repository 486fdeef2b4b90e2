"""DOCX building blocks: page set-up, letterhead, tables, signatures, table of contents."""

from __future__ import annotations

import io
from collections.abc import Sequence

from kinerja.core import formatting as fmt
from kinerja.organization.models import Agency

from ...pdf import DRAFT_TITLE, NUMERIC, Signer, Stamp


def docx_document(agency: Agency, stamp: Stamp, *, landscape: bool = False):
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(10.5)
    section = doc.sections[0]
    width, height = Mm(210), Mm(297)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
    section.page_width, section.page_height = width, height
    section.left_margin = Mm(30 if not landscape else 20)
    section.right_margin = Mm(20)
    section.top_margin = Mm(20)
    section.bottom_margin = Mm(20)
    doc._kinerja_stamp = stamp  # read by docx_title for the draft notice
    if stamp.is_draft:
        docx_watermark(section)
    footer = section.footer.paragraphs[0]
    footer.text = f"Kode verifikasi {stamp.short_code} · {stamp.verify_url}"
    footer.alignment = WD_ALIGN_PARAGRAPH.LEFT
    for run in footer.runs:
        run.font.size = Pt(7.5)
    pages = section.footer.add_paragraph()
    pages.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for part in ("Halaman ", "PAGE", " dari ", "NUMPAGES"):
        if part in ("PAGE", "NUMPAGES"):
            _field(pages, part)
        else:
            pages.add_run(part).font.size = Pt(7.5)
    return doc


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES, TOC …) in ``paragraph``, updated by Word/LibreOffice."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    def fld(kind: str):
        run = paragraph.add_run()
        run.font.size = Pt(7.5)
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)
        return run

    fld("begin")
    run = paragraph.add_run()
    run.font.size = Pt(7.5)
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run._r.append(text)
    fld("separate")
    paragraph.add_run("1").font.size = Pt(7.5)
    fld("end")


def docx_letterhead(doc, agency: Agency) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    for text, size, bold in (
        (agency.parent_name.upper(), 12, True),
        (agency.name.upper(), 15, True),
        (agency.address, 9, False),
    ):
        if not text:
            continue
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(0)
        run = p.add_run(text)
        run.bold = bold
        run.font.size = Pt(size)
    rule = doc.add_paragraph()
    _bottom_border(rule)


def _bottom_border(paragraph) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "thinThickSmallGap"), ("w:sz", "18"), ("w:space", "1")):
        bottom.set(qn(key), value)
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    ppr.append(borders)


def docx_note(doc, text: str) -> None:
    """A centred italic line under the title (e.g. the PK version of the targets)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run(text).italic = True


def docx_title(doc, title: str, *subtitles: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run(title.upper()).bold = True
    for sub in subtitles:
        if sub:
            q = doc.add_paragraph(sub)
            q.alignment = WD_ALIGN_PARAGRAPH.CENTER
    docx_draft_notice(doc)


def docx_draft_notice(doc) -> None:
    """Under the first title of a draft: why it is a draft, item by item (red, shaded)."""
    from docx.shared import Pt, RGBColor

    stamp = getattr(doc, "_kinerja_stamp", None)
    if stamp is None or not stamp.is_draft or getattr(doc, "_kinerja_draft_listed", False):
        return
    doc._kinerja_draft_listed = True
    red = RGBColor(0xC0, 0x00, 0x00)
    p = doc.add_paragraph()
    run = p.add_run(DRAFT_TITLE)
    run.bold = True
    run.font.color.rgb = red
    run.font.size = Pt(9)
    p.paragraph_format.space_after = Pt(0)
    for item in stamp.draft:
        q = doc.add_paragraph()
        q.paragraph_format.left_indent = Pt(12)
        q.paragraph_format.space_after = Pt(0)
        r = q.add_run(f"•  {item}")
        r.font.size = Pt(8.5)
        r.font.color.rgb = red
    doc.add_paragraph()


def docx_watermark(section) -> None:
    """A "DRAF" watermark behind every page: Word's own kind (a VML WordArt shape in the
    header, as Design > Watermark makes it), which LibreOffice shows too; plus a red
    "DRAF — BELUM FINAL" line in the header for viewers that ignore shapes."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.shared import Pt, RGBColor

    header = section.header
    p = header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run("DRAF — BELUM FINAL")
    run.bold = True
    run.font.size = Pt(11)
    run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    shape = (
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml" '
        'xmlns:o="urn:schemas-microsoft-com:office:office">'
        "<w:pict>"
        '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
        'path="m@7,l@8,m@5,21600l@6,21600e">'
        '<v:path textpathok="t" o:connecttype="custom"/>'
        '<v:textpath on="t" fitshape="t"/>'
        "</v:shapetype>"
        '<v:shape id="PowerPlusWaterMarkObject1" o:spid="_x0000_s2049" type="#_x0000_t136" '
        'style="position:absolute;margin-left:0;margin-top:0;width:420pt;height:140pt;'
        "rotation:315;z-index:-251654144;mso-position-horizontal:center;"
        "mso-position-horizontal-relative:margin;mso-position-vertical:center;"
        'mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="#d9d9d9" '
        'stroked="f">'
        '<v:fill opacity=".5"/>'
        '<v:textpath style="font-family:&quot;Arial&quot;;font-size:1pt;font-weight:bold" '
        'string="DRAF"/>'
        "</v:shape>"
        "</w:pict>"
        "</w:r>"
    )
    p._p.append(parse_xml(shape))


def docx_table(
    doc,
    headings: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    size: float = 8.5,
    keep_last: bool = False,
):
    """A bordered table: grey heading row repeated on every page (tblHeader), rows that
    never split across pages (cantSplit), column widths from the content (no column
    narrower than its longest word or number; numbers never wrap), fixed layout so Word
    and LibreOffice keep them. ``keep_last``: the last rows stay with what follows."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    section = doc.sections[-1]
    available = (section.page_width - section.left_margin - section.right_margin) / 36000
    widths, size = docx_column_widths(headings, rows, available, size)
    table = doc.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    _fixed_layout(table)
    for cell, text in zip(table.rows[0].cells, headings, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = Pt(size)
        _shade(cell, "DDDDDD")
    _repeat_header(table.rows[0])
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = ""
            run = cell.paragraphs[0].add_run(str(value))
            run.font.size = Pt(size)
            if NUMERIC.match(str(value)):  # numbers to the right
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in table.rows:
        _cant_split(row)
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.space_after = Pt(0)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)
    spacer = doc.add_paragraph()
    if keep_last:
        for row in table.rows[-2:]:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True
        spacer.paragraph_format.keep_with_next = True
    return table


_METRICS = None


def text_mm(text: str, size: float, *, bold: bool = False) -> float:
    """The printed width (mm) of ``text`` at ``size`` pt, the wider of Arial (the document's
    font: Helvetica's metrics from fpdf2's core fonts, as Word prints it) and DejaVu Sans
    (what LibreOffice prints Arial with where no metric-compatible font is installed)."""
    global _METRICS
    from fpdf import FPDF

    from ...pdf import font_dir

    if _METRICS is None:
        _METRICS = FPDF(unit="mm")
        directory = font_dir()
        _METRICS.add_font("DejaVu", "", f"{directory}/DejaVuSans.ttf")
        _METRICS.add_font("DejaVu", "B", f"{directory}/DejaVuSans-Bold.ttf")
    style = "B" if bold else ""
    _METRICS.set_font("DejaVu", style, size)
    wide = _METRICS.get_string_width(text)
    _METRICS.set_font("helvetica", style, size)
    latin = "".join(ch if ord(ch) < 256 else "M" for ch in text)
    return max(wide, _METRICS.get_string_width(latin))


def docx_column_widths(
    headings: Sequence[str], rows: Sequence[Sequence[str]], available_mm: float, size: float
) -> tuple[list[float], float]:
    """Widths (mm) from the content: each column at least its longest word (headings bold),
    the rest shared by how much text the column holds (wide names, narrow numbers)."""
    pad = 2 * 1.9 + 0.6  # Word's and LibreOffice's cell margins (0,19 cm a side) and a hair
    ncols = len(headings)
    while True:
        mins = [0.0] * ncols
        for i, head in enumerate(headings):
            for word in str(head).split():
                mins[i] = max(mins[i], text_mm(word, size, bold=True) + pad)
        for values in rows:
            for i, value in enumerate(values):
                for word in str(value).split():
                    mins[i] = max(mins[i], text_mm(word, size) + pad)
        if sum(mins) <= available_mm or size <= 6:
            break
        size -= 0.5
    weight = [
        max(
            [len(str(h)) * 0.3 for h in headings[i : i + 1]]
            + [len(str(v[i])) for v in rows if i < len(v)]
            + [1]
        )
        for i in range(ncols)
    ]
    spare = max(available_mm - sum(mins), 0)
    total_weight = sum(weight) or 1
    widths = [m + spare * w / total_weight for m, w in zip(mins, weight, strict=True)]
    if sum(widths) > available_mm:
        factor = available_mm / sum(widths)
        widths = [w * factor for w in widths]
    return widths, size


def _fixed_layout(table) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tblpr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblpr.append(layout)


def _cant_split(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:cantSplit")
    element.set(qn("w:val"), "true")
    trpr.append(element)


def _shade(cell, color: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), color)
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def docx_prompt(doc, text: str) -> None:
    """A part staff must write, highlighted yellow: ``[Diisi oleh staf: …]``."""
    from docx.enum.text import WD_COLOR_INDEX

    p = doc.add_paragraph()
    run = p.add_run(f"[Diisi oleh staf: {text}]")
    run.italic = True
    run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def docx_signatures(doc, signers: Sequence[Signer], *, closing: str = "") -> None:
    """The closing sentence and the signature blocks side by side in one borderless table
    (one column per signer; one signer on the right), names on the same line: blocks with
    fewer lines above are padded. Everything is kept on one page with what precedes it
    (keep-with-next, rows that cannot split)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    if closing:
        p = doc.add_paragraph(closing)
        p.paragraph_format.keep_with_next = True
    if not signers:
        return
    section = doc.sections[-1]
    available = (section.page_width - section.left_margin - section.right_margin) / 36000
    columns = list(signers) if len(signers) > 1 else [None, signers[0]]
    table = doc.add_table(rows=1, cols=len(columns))
    table.autofit = False
    _fixed_layout(table)
    _cant_split(table.rows[0])
    width = available / len(columns)
    above = [[t for t in (s.place_date, s.caption, s.position) if t] if s else [] for s in columns]
    tallest = max(len(lines) for lines in above)
    for cell, signer, lines in zip(table.rows[0].cells, columns, above, strict=True):
        cell.width = Mm(width)
        if signer is None:
            continue
        texts = [""] * (tallest - len(lines)) + lines + ["", "", ""]
        cell.text = ""
        first = cell.paragraphs[0]
        paragraphs = [first] + [cell.add_paragraph() for _ in texts[1:]]
        for paragraph, text in zip(paragraphs, texts, strict=True):
            paragraph.add_run(text)
        name = cell.add_paragraph()
        run = name.add_run(signer.name or "(.............................)")
        run.bold = True
        run.underline = True
        if signer.show_nip:
            cell.add_paragraph(fmt.nip_line(signer.nip))
        for paragraph in cell.paragraphs:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.space_after = Pt(0)
            paragraph.paragraph_format.keep_with_next = True
            paragraph.paragraph_format.keep_together = True
    for column in table.columns:
        column.width = Mm(width)


def docx_toc(doc):
    """A "DAFTAR ISI" page holding a real Word table-of-contents field (TOC \\o "1-2" \\h):
    Word updates it on opening (``updateFields``) with page numbers; its shown result is
    filled by :func:`docx_fill_toc` with the headings, so any viewer lists them."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run("DAFTAR ISI").bold = True
    paragraph = doc.add_paragraph()

    def fld(kind: str) -> None:
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            element.set(qn("w:dirty"), "true")
        run._r.append(element)

    fld("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = ' TOC \\o "1-2" \\h \\z \\u '
    run._r.append(instr)
    fld("separate")
    placeholder = paragraph.add_run("")
    fld("end")
    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)
    return placeholder


def docx_fill_toc(doc, placeholder) -> None:
    """The TOC field's shown result: the level 1-2 headings, one per line."""
    from docx.enum.text import WD_BREAK

    entries = [
        (p.style.name, p.text)
        for p in doc.paragraphs
        if p.style is not None and p.style.name in ("Heading 1", "Heading 2") and p.text
    ]
    for i, (style, text) in enumerate(entries):
        if i:
            placeholder.add_break(WD_BREAK.LINE)
        placeholder.add_text(("      " if style == "Heading 2" else "") + text)


def docx_image(doc, png: bytes, width_mm: float = 150) -> None:
    from docx.shared import Mm

    doc.add_picture(io.BytesIO(png), width=Mm(width_mm))


def docx_bytes(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
