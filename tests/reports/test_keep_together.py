"""A signature block never starts a page alone, and keeping it with the table moves only
what must move (issue 12): when the closing and the signatures do not fit under a table,
its last row goes with them to the next page and every other row stays where it is."""

from __future__ import annotations

import io

from pypdf import PdfReader

from kinerja.reports.pdf import OfficialPdf, Signer, Stamp

SIGNERS = [
    Signer(position="Sekretaris Camat", name="Andi Baso Tahir", nip="197805122006041009"),
    Signer(position="Kepala Seksi", name="Ahmad Fauzi", nip="198701202011011010"),
]


def pages_of(rows: int, *, filler: float) -> list[str]:
    """A landscape unit report's shape: ``filler`` mm of heading, a table of ``rows``
    rows, then the closing sentence and two signers kept with it."""
    pdf = OfficialPdf(stamp=Stamp("UJI", "http://x/v/UJI"), title="Uji", orientation="L")
    pdf.add_page()
    pdf.ln(filler)

    def close() -> None:
        pdf.paragraph("Demikian laporan ini dibuat.")
        pdf.signatures(SIGNERS)

    pdf.grid(
        [["No", "Indikator", "Kendala"]],
        [
            [str(i), f"Indikator baris{i}", "Sebagian data terlambat diterima. " * 3]
            for i in range(1, rows + 1)
        ],
        widths=[10, 80, 80],
        keep_with_next=close,
    )
    reader = PdfReader(io.BytesIO(pdf.output_bytes()))
    return [" ".join((p.extract_text() or "").split()) for p in reader.pages]


def rows_on(text: str, rows: int) -> list[int]:
    return [i for i in range(1, rows + 1) if f"baris{i}" in text]


def test_only_the_last_row_moves_with_the_signatures():
    for rows in (2, 3, 5):
        # room under the heading for every row but not for the closing and signatures too
        pages = pages_of(rows, filler=150 - 12 - 12 * rows)
        assert len(pages) == 2, (rows, len(pages))
        assert rows_on(pages[0], rows) == list(range(1, rows)), (rows, pages[0])
        assert rows_on(pages[1], rows) == [rows]
        assert "Andi Baso Tahir" in pages[1] and "Andi Baso Tahir" not in pages[0]
        assert "No Indikator Kendala" in pages[1]  # the heading repeats over the moved row


def test_a_table_that_fits_keeps_its_signatures_on_the_same_page():
    pages = pages_of(3, filler=0)
    assert len(pages) == 1
    assert rows_on(pages[0], 3) == [1, 2, 3] and "Andi Baso Tahir" in pages[0]
