from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from tests.conftest import wita
from tests.tools import require_tool

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "reports"


@pytest.fixture
def perf_office(office):
    from tests.reports.data import build_performance

    build_performance(office.agency)
    return office


@pytest.fixture
def run_case(two_unit_office):
    """Q3 2026 run through the engine for two units: dispositions of steps 1, 2 and 5 (one
    return), and completed tasks, one of them late."""
    from kinerja.workflow.models import Task
    from kinerja.workflow.services import case_open, task_complete

    office = two_unit_office
    u = office.users

    def active(case, step, unit=None):
        qs = Task.objects.filter(case=case, step=step, status=Task.Status.ACTIVE)
        if unit is not None:
            qs = qs.filter(unit=unit)
        return qs.get()

    case, _ = case_open(
        sop_code="pengumpulan-data-kinerja",
        agency=office.agency,
        period="2026-Q3",
        now=wita(2026, 10, 12, 7, 30),
    )
    at = wita(2026, 10, 12, 8, 0)
    task_complete(
        actor=u["sekcam"],
        task_id=active(case, 1).pk,
        data={"instruction": "Segera susun laporan."},
        now=at,
    )
    for unit_code, kasi, analyst in [
        ("pemerintahan", "kasi_pemerintahan", "analis_1"),
        ("trantib", "kasi_trantib", "analis_2"),
    ]:
        unit = office.units[unit_code]
        at += dt.timedelta(minutes=5)
        task_complete(
            actor=u[kasi],
            task_id=active(case, 2, unit).pk,
            assignee=u[analyst],
            data={"instruction": "Kumpulkan bahan."},
            now=at,
        )
        at += dt.timedelta(hours=2)
        task_complete(
            actor=u[analyst],
            task_id=active(case, 3, unit).pk,
            now=at,
            data={"no_materials_reason": "Tidak ada bahan triwulan ini."},
        )
        at += dt.timedelta(hours=1)
        task_complete(actor=u[kasi], task_id=active(case, 4, unit).pk, now=at)
        if unit_code == "pemerintahan":
            at += dt.timedelta(minutes=30)
            task_complete(
                actor=u["sekcam"],
                task_id=active(case, 5, unit).pk,
                outcome="returned",
                comment="Lengkapi data dukung.",
                now=at,
            )
            at += dt.timedelta(days=3)  # late
            task_complete(actor=u[kasi], task_id=active(case, 4, unit).pk, now=at)
        at += dt.timedelta(minutes=20)
        task_complete(
            actor=u["sekcam"], task_id=active(case, 5, unit).pk, outcome="approved", now=at
        )
    office.case = case
    return office


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def soffice_to_pdf(path: Path, outdir: Path) -> Path:
    """Convert with LibreOffice headless on a private profile (missing: fails in CI, skips
    on a bare machine; see tests/tools.py)."""
    binary = shutil.which("libreoffice") or require_tool(
        "soffice", package="libreoffice-core libreoffice-writer libreoffice-calc"
    )
    profile = f"file:///tmp/lo-{uuid.uuid4().hex}"
    out = outdir / (path.stem + ".pdf")
    out.unlink(missing_ok=True)
    command = [
        binary,
        f"-env:UserInstallation={profile}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(outdir),
        str(path),
    ]
    # A fresh profile's first start occasionally exits before converting: try twice.
    for _attempt in range(2):
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=180, env={**os.environ, "HOME": "/tmp"}
        )
        if out.exists():
            break
    assert out.exists(), f"LibreOffice failed on {path.name}: {result.stdout} {result.stderr}"
    return out


def png_of(pdf: Path, outstem: Path, *, dpi: int = 60) -> Path:
    """Page 1 of ``pdf`` as PNG (poppler's pdftoppm; missing: fails in CI, skips on a bare
    machine; see tests/tools.py)."""
    binary = require_tool("pdftoppm", package="poppler-utils")
    outstem.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [binary, "-png", "-r", str(dpi), "-f", "1", "-l", "1", str(pdf), str(outstem)],
        check=True,
        timeout=60,
    )
    matches = sorted(outstem.parent.glob(outstem.name + "*.png"))
    assert matches
    return matches[0]
