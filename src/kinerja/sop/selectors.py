"""Reads of the SOP app."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery

from .models import SopVersion


def sop_latest(code: str) -> SopVersion:
    """The newest version of an SOP; raises ``SopVersion.DoesNotExist``. Anyone may call it."""
    return SopVersion.objects.latest_for(code)


def sop_version(code: str, version: int | None = None) -> SopVersion:
    """One version of an SOP, the newest when ``version`` is None; raises
    ``SopVersion.DoesNotExist``."""
    if version is None:
        return sop_latest(code)
    return SopVersion.objects.get(code=code, version=version)


def sop_list() -> list[SopVersion]:
    """The newest version of every SOP code, ordered by code (one query)."""
    newest = (
        SopVersion.objects.filter(code=OuterRef("code")).order_by("-version").values("version")[:1]
    )
    return list(
        SopVersion.objects.filter(version=Subquery(newest))
        .select_related("loaded_by")
        .order_by("code")
    )
