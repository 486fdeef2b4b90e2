from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
SEED = Path(__file__).resolve().parents[2] / "src/kinerja/sop/library/pengumpulan-data-kinerja.yaml"


@pytest.fixture
def leave_text() -> str:
    return (DATA / "permohonan-cuti.yaml").read_text(encoding="utf-8")


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")
