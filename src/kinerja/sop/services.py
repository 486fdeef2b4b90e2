"""Writes of the SOP app: loading SOP definitions as new, immutable versions."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction

from kinerja.core.services import audit

from .loader import parse_sop
from .models import SopVersion
from .schema import SopDefinition

LIBRARY_DIR = Path(__file__).resolve().parent / "library"

_ATTEMPTS = 3


def sop_hash(definition: dict[str, Any]) -> str:
    """SHA-256 of the normalized definition (canonical JSON), so reformatting or re-commenting
    a YAML file does not make a new version."""
    canonical = json.dumps(definition, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def sop_load(*, source: str, source_name: str, actor: Any = None) -> tuple[SopVersion, bool]:
    """Validate SOP YAML and store it as the next version of its code.

    Returns ``(version, created)``. The same content (same normalized JSON) as an existing
    version of the code returns that version with ``created=False``. Raises
    :class:`~kinerja.sop.loader.SopLoadError` listing every problem before touching the
    database. Existing versions are never changed: running cases keep theirs.

    Any admin or the CLI may call it. Locks the code's versions (``select_for_update``) while
    numbering; two first loads racing on one code meet the unique constraints and the loser
    retries. Side effect: one ``sop.loaded`` audit event per created version.
    """
    sop = parse_sop(source, source_name)
    definition = sop.model_dump(mode="json")
    digest = sop_hash(definition)
    for attempt in range(_ATTEMPTS):
        try:
            with transaction.atomic():
                return _store(sop, definition, digest, source, source_name, actor)
        except IntegrityError:
            if attempt == _ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _store(
    sop: SopDefinition,
    definition: dict[str, Any],
    digest: str,
    source: str,
    source_name: str,
    actor: Any,
) -> tuple[SopVersion, bool]:
    # Lock the code's versions so that two loads of new content number one after the other.
    locked = list(
        SopVersion.objects.select_for_update().filter(code=sop.code).only("version", "sha256")
    )
    for existing in locked:
        if existing.sha256 == digest:
            return SopVersion.objects.get(pk=existing.pk), False
    latest = max((v.version for v in locked), default=0)
    version = SopVersion.objects.create(
        code=sop.code,
        version=latest + 1,
        title=sop.title,
        definition=definition,
        source=source,
        source_name=source_name[:250],
        sha256=digest,
        loaded_by=actor if getattr(actor, "pk", None) else None,
    )
    audit(
        actor=actor,
        action="sop.loaded",
        obj=version,
        after={
            "code": version.code,
            "version": version.version,
            "title": version.title,
            "sha256": digest,
            "source_name": version.source_name,
            "steps": len(sop.steps),
        },
    )
    return version, True


def sop_load_file(*, path: str | Path, actor: Any = None) -> tuple[SopVersion, bool]:
    """:func:`sop_load` for a file on disk (UTF-8)."""
    path = Path(path)
    return sop_load(source=path.read_text(encoding="utf-8"), source_name=path.name, actor=actor)


def sop_load_builtin(*, actor: Any = None) -> list[tuple[SopVersion, bool]]:
    """Load every SOP of the built-in library (``kinerja/sop/library/*.yaml``). Idempotent:
    unchanged files return their existing versions. Called by the demo and by tests."""
    return [sop_load_file(path=path, actor=actor) for path in sorted(LIBRARY_DIR.glob("*.yaml"))]
