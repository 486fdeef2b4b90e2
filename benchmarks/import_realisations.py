"""Benchmark: import a 10,000-row realisations XLSX through the real import.

Dataset: ONE agency (the demo office, 7 units) with 10,000 active indicators spread over its
units, and a quarter (2026-Q3) with no realisations yet, so every row creates a realisation
and an audit event. A realisations file is per agency and quarter, so 10,000 rows means
10,000 indicators of one agency: far more than a real kecamatan (about 20) or a whole
kabupaten (a few thousand), i.e. a worst case for one file. Rows mix plain numbers,
Indonesian-format text ("1.234,5", "12,5%"), "N/A" with a reason, and kendala/upaya text.

The import runs as the agency administrator, in a throw-away SQLite database under a temp
KINERJA_DATA_DIR (migrated here), and prints the machine, the dataset, seconds for
read/check/write, rows/second and peak memory (tracemalloc peak and ru_maxrss).

    uv run python benchmarks/import_realisations.py [ROWS]
"""

from __future__ import annotations

import io
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


def build(rows: int):
    from kinerja.demo.office import build_office
    from kinerja.performance.models import Indicator, Objective, RenstraPlan

    office = build_office()
    plan = RenstraPlan.objects.create(
        agency=office.agency, title="Renstra", start_year=2022, end_year=2026
    )
    objective = Objective.objects.create(plan=plan, code="SS-1", name="Sasaran", order=1)
    units = list(office.units.values())
    Indicator.objects.bulk_create(
        Indicator(
            agency=office.agency,
            objective=objective,
            code=f"IKU-{n:05d}",
            name=f"Indikator uji {n}",
            unit_of_measure="%",
            owner_unit=units[n % len(units)],
            order=n % 30000,
        )
        for n in range(rows)
    )
    return office


def workbook(rows: int, period: str = "2026-Q3") -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Realisasi 2026-Q3")
    ws.append(
        [
            "Periode",
            "Kode Indikator",
            "Realisasi",
            "Alasan Tidak Tersedia",
            "Kendala",
            "Upaya / Solusi",
        ]
    )
    for n in range(rows):
        kind = n % 4
        value = (n % 97) + 0.5 if kind == 0 else ("1.234,5" if kind == 1 else "12,5%")
        if kind == 3:
            value = "N/A"
        ws.append(
            [
                period,
                f"IKU-{n:05d}",
                value,
                "Data belum dirilis" if kind == 3 else "",
                "Anggaran terlambat cair" if n % 5 == 0 else "",
                "Koordinasi" if n % 5 == 0 else "",
            ]
        )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    os.environ["KINERJA_DATA_DIR"] = tempfile.mkdtemp(prefix="kinerja-bench-")
    os.environ.pop("KINERJA_DATABASE_URL", None)
    os.environ.setdefault("KINERJA_SECRET_KEY", "benchmark-only-" + "x" * 40)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinerja.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from kinerja.core.models import AuditEvent
    from kinerja.core.periods import Period
    from kinerja.performance.models import Realisation
    from kinerja.performance.spreadsheets import import_realisations
    from kinerja.sop.services import sop_load_builtin

    sop_load_builtin()
    office = build(rows)
    data = workbook(rows)
    print(
        f"machine: {platform.platform()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, {platform.processor() or platform.machine()}"
    )
    print(
        f"dataset: 1 agency, {len(office.units)} units, {rows:,} indicators; "
        f"file {rows:,} rows, {len(data) / 1024:,.0f} KiB XLSX; database SQLite"
    )
    started = time.perf_counter()
    result = import_realisations(
        actor=office.users["admin"],
        agency=office.agency,
        period=Period(2026, 3),
        data=data,
        name="realisasi.xlsx",
    )
    total = time.perf_counter() - started
    # Memory is measured on a second, identical import (of 2026-Q4) under tracemalloc, which
    # slows Python down about twofold and so would distort the timing above.
    q4 = workbook(rows, "2026-Q4")
    tracemalloc.start()
    again = import_realisations(
        actor=office.users["admin"],
        agency=office.agency,
        period=Period(2026, 4),
        data=q4,
        name="realisasi.xlsx",
    )
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert again.ok, again.errors[:5]
    if not result.ok:
        print("errors:", *result.errors[:10], sep="\n  ")
        raise SystemExit(1)
    t = result.timings
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    maxrss_mb = maxrss / (1024 * 1024) if sys.platform == "darwin" else maxrss / 1024
    print(f"result: {result.summary_text()}")
    print(
        f"stored: {Realisation.objects.count():,} realisations, "
        f"{AuditEvent.objects.filter(action='realisation.saved').count():,} audit events"
    )
    print(
        f"read (parse) {t['read']:.2f} s, check (validate) {t['check']:.2f} s, "
        f"write {t['write']:.2f} s; total {total:.2f} s"
    )
    print(f"rows/second: {rows / total:,.0f}")
    print(f"peak memory: tracemalloc {peak / 1024 / 1024:.1f} MiB, ru_maxrss {maxrss_mb:.1f} MiB")
    print("target < 5 s:", "met" if total < 5 else "NOT met")


if __name__ == "__main__":
    main()
