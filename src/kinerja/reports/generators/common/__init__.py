"""Shared pieces of the generators: who signs, the letterhead, and the XLSX/DOCX/chart
building blocks, so every document of an agency looks the same."""

from .charts import (  # noqa: F401
    HATCHES,
    Series,
    bar_chart,
)
from .docx import (  # noqa: F401
    docx_bytes,
    docx_column_widths,
    docx_document,
    docx_draft_notice,
    docx_fill_toc,
    docx_image,
    docx_letterhead,
    docx_note,
    docx_prompt,
    docx_signatures,
    docx_table,
    docx_title,
    docx_toc,
    docx_watermark,
)
from .people import (  # noqa: F401
    dec,
    head_signer,
    letterhead,
    place_date,
    place_name,
    signer_for,
    today_in,
)
from .xlsx import (  # noqa: F401
    NUM0,
    NUM2,
    PCT,
    money_format,
    row_height,
    xlsx_bytes,
    xlsx_draft_note,
    xlsx_heading,
    xlsx_sheet,
    xlsx_signature,
    xlsx_table,
)
