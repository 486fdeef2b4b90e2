"""Benchmark: the office's quarterly report (laporan-triwulan) on a kabupaten-size dataset.

30 agencies x 8 units x 10 indicators (2,400 indicators, 3 years of quarter targets and
realisations), in a throw-away SQLite database unless KINERJA_DATABASE_URL is set. Generates
the report for one agency in each format through the real service (render + archive) and
prints seconds and peak Python memory (tracemalloc) per format.

    uv run python benchmarks/reports.py
"""

from __future__ import annotations

import os
import platform
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

AGENCIES, UNITS, INDICATORS = 30, 8, 10


def main() -> None:
    data_dir = tempfile.mkdtemp(prefix="kinerja-bench-")
    os.environ["KINERJA_DATA_DIR"] = data_dir
    os.environ.setdefault("KINERJA_SECRET_KEY", "benchmark-only-" + "x" * 40)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinerja.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from tests.reports.data import build_performance

    from kinerja.organization.models import Agency, Unit
    from kinerja.reports.services import document_generate
    from kinerja.sop.services import sop_load_builtin

    sop_load_builtin()
    started = time.perf_counter()
    for a in range(AGENCIES):
        agency = Agency.objects.create(
            code=f"opd-{a:02d}",
            name=f"Kantor Kecamatan Contoh {a:02d}",
            parent_name="Pemerintah Kabupaten Contoh",
            address="Jl. Contoh No. 1",
            head_title="Camat",
        )
        units = [
            Unit.objects.create(agency=agency, code=f"u{u}", name=f"Seksi Contoh {u}", order=u)
            for u in range(UNITS)
        ]
        build_performance(agency, per_unit=INDICATORS, units=units, quarters=3, history_years=2)
    build_s = time.perf_counter() - started

    from kinerja.performance.models import Indicator, QuarterTarget, Realisation

    print(
        f"machine: {platform.platform()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, database {connection.vendor}"
    )
    print(
        f"dataset: {AGENCIES} agencies x {UNITS} units x {INDICATORS} indicators = "
        f"{Indicator.objects.count()} indicators, {QuarterTarget.objects.count()} quarter "
        f"targets, {Realisation.objects.count()} realisations (built in {build_s:.1f} s)"
    )
    print("report: laporan-triwulan, one agency (80 indicators, 3 programmes), 2026-Q3")
    print("seconds: wall time of document_generate (collect + render + archive); 'first' includes")
    print("lazy imports (matplotlib, python-docx); peak: tracemalloc peak of a separate run")
    print(f"{'format':8} {'first s':>8} {'again s':>8} {'peak MiB':>9} {'size KiB':>9}")

    def generate(fmt: str):
        return document_generate(
            actor=None, code="laporan-triwulan", fmt=fmt, agency="opd-07", period="2026-Q3"
        )

    profile = os.environ.get("BENCH_PROFILE")
    for fmt in ("xlsx", "docx", "pdf"):
        if profile and fmt != profile:
            continue
        timings = []
        for _ in range(2):
            t0 = time.perf_counter()
            doc = generate(fmt)
            timings.append(time.perf_counter() - t0)
        tracemalloc.start()
        generate(fmt)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"{fmt:8} {timings[0]:8.2f} {timings[1]:8.2f} {peak / 2**20:9.1f} "
            f"{doc.size / 1024:9.1f}"
        )
    usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS: {usage:.0f} MiB (includes building the dataset)")


if __name__ == "__main__":
    main()
