"""The layout checks of issue 12, shared by the layout tests: LibreOffice conversion, the
words of a PDF with their positions, and the detectors (split words and numbers, a page
holding only a signature block)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import uuid
from pathlib import Path
from xml.etree import ElementTree

from pypdf import PdfReader

from tests.tools import require_tool

PAGE_NUMBER = re.compile(r"Halaman\s+\d+\s+dari\s+\d+")
PLACE_DATE = re.compile(r"Binamu,\s+(\d{1,2}\s+[A-Z][a-z]+\s+\d{4})")
FURNITURE = [
    re.compile(p)
    for p in (
        r"Kode verifikasi:?\s*\S+",
        r"Periksa keaslian dokumen:?\s*\S+",
        r"Dibuat oleh Kinerja pada [^\n]*",
        r"Halaman\s+\d+\s+dari\s+\d+",
        r"https?://\S+",
        r"DRAF(\s*—\s*BELUM FINAL)?",
        r"\(\.+\)",
        r"NIP\.\s*[\d .]*",
    )
]
CAPTIONS = [
    "Mengetahui,",
    "Disusun oleh,",
    "Dibuat oleh,",
    "Penilai,",
    "PIHAK PERTAMA,",
    "PIHAK KEDUA,",
]
FULL_NUMBER = re.compile(r"^-?\d{1,3}(\.\d{3})*(,\d+)?%?$")
NUMBERISH = re.compile(r"^-?[\d.,]+%?$")


def convert(paths: list[Path], outdir: Path) -> dict[Path, Path]:
    """DOCX/XLSX -> PDF with LibreOffice headless, all files in one call."""
    binary = shutil.which("libreoffice") or require_tool(
        "soffice", package="libreoffice-core libreoffice-writer libreoffice-calc"
    )
    profile = f"file:///tmp/lo-{uuid.uuid4().hex}"
    command = [binary, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
    command += ["--outdir", str(outdir), *map(str, paths)]
    out = {p: outdir / (p.stem + ".pdf") for p in paths}
    for _attempt in range(2):  # a fresh profile's first start occasionally exits early
        subprocess.run(
            command, capture_output=True, timeout=300, env={**os.environ, "HOME": "/tmp"}
        )
        if all(pdf.exists() for pdf in out.values()):
            break
    missing = [p.name for p, pdf in out.items() if not pdf.exists()]
    assert not missing, f"LibreOffice did not convert {missing}"
    return out


def words_by_line(pdf: Path) -> list[list[list[tuple[str, float, float]]]]:
    """Per page, per block: the lines as (word, xMin, yMin) lists (poppler's bbox layout)."""
    binary = require_tool("pdftotext", package="poppler-utils")
    xml = subprocess.run(
        [binary, "-bbox-layout", str(pdf), "-"], capture_output=True, check=True, timeout=120
    ).stdout.decode()
    xml = re.sub(r"<!DOCTYPE[^>]*>", "", xml).replace('xmlns="http://www.w3.org/1999/xhtml"', "")
    root = ElementTree.fromstring(xml)
    pages = []
    for page in root.iter("page"):
        blocks = []
        for block in page.iter("block"):
            lines = []
            for line in block.iter("line"):
                words = [
                    (w.text or "", float(w.get("xMin")), float(w.get("yMin")))
                    for w in line.iter("word")
                ]
                if words:
                    lines.append(words)
            blocks.append(lines)
        pages.append(blocks)
    return pages


def clean(word: str) -> str:
    return word.strip(",.;:()\"'“”")


def split_words(pdf: Path, vocabulary: set[str]) -> list[str]:
    """Words and numbers broken across two lines of one cell (block). A break right after
    the hyphen of a compound or reduplicated word ("Rata-" / "rata") is a line break the
    word itself offers, as in print, not a split word."""
    found = []
    for number, blocks in enumerate(words_by_line(pdf), 1):
        for lines in blocks:
            for upper, lower in zip(lines, lines[1:], strict=False):
                head, tail = upper[-1][0], lower[0][0]
                joined = clean(head + tail)
                if NUMBERISH.match(head) and NUMBERISH.match(tail):
                    if not FULL_NUMBER.match(head.rstrip(",")) and FULL_NUMBER.match(head + tail):
                        found.append(f"page {number}: number {head}|{tail}")
                    continue
                if head.endswith("-") and head.rstrip("-"):
                    continue
                if clean(head) and clean(head) not in vocabulary and joined in vocabulary:
                    found.append(f"page {number}: word {head}|{tail}")
    return found


def signature_only_pages(pdf: Path, signature_texts: list[str], furniture: list[str]) -> list[int]:
    pages = []
    for number, page in enumerate(PdfReader(str(pdf)).pages, 1):
        text = page.extract_text() or ""
        if "NIP" not in text:
            continue
        rest = " ".join(text.split())
        for pattern in FURNITURE:
            rest = pattern.sub(" ", rest)
        for piece in sorted(signature_texts + furniture, key=len, reverse=True):
            rest = rest.replace(piece, " ")
        rest = PLACE_DATE.sub(" ", rest)
        if not re.sub(r"[\W_]+", "", rest):
            pages.append(number)
    return pages
