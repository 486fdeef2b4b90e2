"""SOPs: the library (newest version of each), one definition (the same JSON as
``kinerja sop show --json``), loading a YAML text (every problem with its line and path),
the SOP document drawn as SVG."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from kinerja.reports.generators.sop import render_sop_svg
from kinerja.sop.loader import SopLoadError
from kinerja.sop.models import SopVersion
from kinerja.sop.permissions import may_load_sop
from kinerja.sop.selectors import sop_list, sop_version
from kinerja.sop.services import sop_load

from ..errors import ApiError, Error
from .common import READ, WRITE

router = Router(tags=["sops"])

SopCode = Annotated[str, Field(max_length=80, pattern=r"^[-a-zA-Z0-9_]+$")]


class SopOut(Schema):
    code: str
    version: int
    title: str
    sha256: str
    loaded_at: dt.datetime


class SopDefinitionOut(SopOut):
    definition: dict[str, Any] = Field(..., description="as `kinerja sop show CODE --json`")


class VersionQuery(Schema):
    version: int | None = Field(None, ge=1, le=32767)


class SopUpload(Schema):
    yaml: str = Field("", max_length=1_000_000, description="the SOP file's text (YAML)")
    source_name: str = Field("api.yaml", max_length=200, description="named in problems")


class SopLoaded(SopOut):
    created: bool = Field(..., description="false: the same content as an existing version")


def _out(version: SopVersion) -> dict:
    return {
        "code": version.code,
        "version": version.version,
        "title": version.title,
        "sha256": version.sha256,
        "loaded_at": version.loaded_at,
    }


def _version(code: str, number: int | None) -> SopVersion:
    try:
        return sop_version(code, number)
    except SopVersion.DoesNotExist:
        raise Http404 from None


@router.get("", response={200: list[SopOut], **READ}, url_name="sop_list")
def sop_index(request: HttpRequest):
    """The newest version of every SOP, by code. Everyone signed in."""
    return [_out(v) for v in sop_list()]


@router.post(
    "",
    response={201: SopLoaded, 200: SopLoaded, **WRITE},
    url_name="sop_load",
)
def sop_upload(request: HttpRequest, body: SopUpload):
    """Load an SOP definition (YAML text) as the next version of its code (superusers).
    An invalid file changes nothing and is answered 400 with every problem (line, path,
    message) in ``error.problems``; the same content as an existing version answers 200
    with that version."""
    if not may_load_sop(request.user):
        raise ApiError(403, "permission_denied", _("Hanya superuser yang dapat memuat SOP."))
    try:
        version, created = sop_load(
            source=body.yaml, source_name=body.source_name, actor=request.user
        )
    except SopLoadError as exc:
        problems = [{"line": p.line, "path": p.path, "message": str(p.message)} for p in exc.errors]
        fields: dict[str, str] = {}
        for p in exc.errors:
            fields.setdefault(p.path or "-", f"{p.line}: {p.message}")
        raise ApiError(400, "sop_invalid", _("Berkas SOP tidak valid"), fields, problems) from None
    return Status(201 if created else 200, {**_out(version), "created": created})


@router.get(
    "/{code}",
    response={200: SopDefinitionOut, **READ},
    url_name="sop_show",
)
def sop_show(request: HttpRequest, code: SopCode, query: Query[VersionQuery]):
    """One SOP's normalised definition (newest version, or ``?version=N``)."""
    version = _version(code, query.version)
    return {**_out(version), "definition": version.spec.model_dump(mode="json")}


@router.get(
    "/{code}/document.svg",
    response={200: None, 400: Error, 401: Error, 404: Error},
    url_name="sop_svg",
    openapi_extra={
        "responses": {
            200: {
                "description": "the SOP document (PermenPAN-RB 35/2012) drawn as SVG",
                "content": {"image/svg+xml": {"schema": {"type": "string"}}},
            }
        }
    },
)
def sop_document_svg(request: HttpRequest, code: SopCode, query: Query[VersionQuery]):
    """The SOP document with its flowchart, as SVG (the same drawing as the pages)."""
    version = _version(code, query.version)
    response = HttpResponse(render_sop_svg(version.spec), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=300"
    return response
