"""Checking uploaded files (data dukung, bahan laporan) before anything is stored.

The type is decided by the file's content (``filetype``'s magic numbers), never by its
name or the browser's Content-Type: a text file named ``laporan.pdf`` is refused. Plain
text (CSV/TXT) has no magic number, so it is accepted only under a ``.csv``/``.txt`` name
and when it decodes as UTF-8 without NUL bytes. The file is stored under the extension of
the detected type; the original name is kept for display.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from kinerja.core.errors import ApplicationError

#: content type -> stored extension
ALLOWED: dict[str, str] = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls",
    "application/msword": "doc",
}
TEXT_TYPES = {".csv": "text/csv", ".txt": "text/plain"}
SNIFF_BYTES = 8192


@dataclass(frozen=True)
class CheckedFile:
    content: ContentFile
    original_name: str
    content_type: str
    size: int
    sha256: str


def max_bytes() -> int:
    return int(settings.KINERJA_MAX_UPLOAD_MB) * 1024 * 1024


def check_upload(upload: UploadedFile | ContentFile | bytes, *, name: str = "") -> CheckedFile:
    """Read and check one file; raise :class:`ApplicationError` when it may not be stored.

    ``upload`` is a Django (uploaded) file or raw bytes with ``name``. Reads the file once,
    in chunks, stopping as soon as it is over the size limit.
    """
    original = PurePath(name or getattr(upload, "name", "") or "berkas").name[:255]
    limit = max_bytes()
    hasher = hashlib.sha256()
    if isinstance(upload, bytes):
        data = upload
        if len(data) > limit:
            raise _too_big(original)
        hasher.update(data)
    else:
        declared = getattr(upload, "size", None)
        if declared is not None and declared > limit:
            raise _too_big(original)
        upload.seek(0)
        chunks, total = [], 0
        for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
            total += len(chunk)
            if total > limit:
                raise _too_big(original)
            hasher.update(chunk)
            chunks.append(chunk)
        data = b"".join(chunks)
    if not data:
        raise ApplicationError(_("Berkas %(name)s kosong.") % {"name": original}, code="empty_file")
    kind = filetype.guess(data[:SNIFF_BYTES]) if len(data) >= 4 else None
    if kind is not None and kind.mime in ALLOWED:
        content_type, extension = kind.mime, ALLOWED[kind.mime]
    elif kind is None and _is_text(data) and PurePath(original).suffix.lower() in TEXT_TYPES:
        suffix = PurePath(original).suffix.lower()
        content_type, extension = TEXT_TYPES[suffix], suffix.lstrip(".")
    else:
        raise ApplicationError(
            _(
                "Berkas %(name)s tidak dapat diterima: isinya bukan PDF, JPEG, PNG, XLSX, "
                "DOCX, XLS, DOC, CSV atau TXT."
            )
            % {"name": original},
            code="file_type",
        )
    stem = PurePath(original).stem or "berkas"
    return CheckedFile(
        content=ContentFile(data, name=f"{stem}.{extension}"),
        original_name=original,
        content_type=content_type,
        size=len(data),
        sha256=hasher.hexdigest(),
    )


def _is_text(data: bytes) -> bool:
    if b"\x00" in data[:SNIFF_BYTES]:
        return False
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return True


def _too_big(name: str) -> ApplicationError:
    return ApplicationError(
        _("Berkas %(name)s lebih besar dari batas %(mb)s MB.")
        % {"name": name, "mb": settings.KINERJA_MAX_UPLOAD_MB},
        code="file_too_large",
    )
