"""Benchmark: what a `kinerja` command costs before it does anything.

Measures, in one run and on the same machine state, the floor ``python -c "import django"``
and two everyday commands, ``kinerja calendar due …`` and ``kinerja sop show …``, each run
several times as a fresh process (as a user or cron starts them). Prints the machine, the
median CPU time (user + system of the child) and wall time per command, and the ratio of each
command to the floor. The commands run on a throw-away SQLite database (migrated and with
the built-in SOP loaded once, not measured).

    uv run python benchmarks/startup.py [--runs 7] [--baseline /path/to/other/checkout/src]

``--baseline`` also runs the two commands with another checkout's ``src`` first on the path
(say, ``main`` before a change), interleaved with the others: before and after in one run.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOP_FILE = ROOT / "src/kinerja/sop/library/pengumpulan-data-kinerja.yaml"


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{platform.system()} {platform.release()}, {os.cpu_count()} CPU ({model or '?'}), "
        f"Python {platform.python_version()}, load average {load}"
    )


def run(argv: list[str], env: dict[str, str], cwd: str) -> tuple[float, float]:
    """(cpu seconds, wall seconds) of one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{result.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--baseline", type=Path, help="another checkout's src folder, measured alongside"
    )
    options = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="kinerja-startup-")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KINERJA_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(KINERJA_DATA_DIR=data_dir, KINERJA_SECRET_KEY="benchmark-only-" + "x" * 40)
    kinerja = [sys.executable, "-m", "kinerja"]
    for setup in (["migrate", "--verbosity", "0"], ["sop", "load", str(SOP_FILE)]):
        run(kinerja + setup, env, data_dir)

    everyday = {
        'kinerja calendar due 2026-12-23T15:30+08:00 "1 day"': kinerja
        + ["calendar", "due", "2026-12-23T15:30+08:00", "1 day"],
        "kinerja sop show pengumpulan-data-kinerja": kinerja
        + ["sop", "show", "pengumpulan-data-kinerja"],
    }
    commands = {'python -c "import django"': ([sys.executable, "-c", "import django"], env)}
    commands.update({name: (argv, env) for name, argv in everyday.items()})
    if options.baseline:
        baseline_env = dict(env, PYTHONPATH=str(options.baseline.resolve()))
        commands.update(
            {f"{name} [baseline]": (argv, baseline_env) for name, argv in everyday.items()}
        )
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    # Interleaved, so a change in the machine's load hits every command alike.
    for _ in range(options.runs):
        for name, (argv, command_env) in commands.items():
            samples[name].append(run(argv, command_env, data_dir))

    print(f"machine: {machine()}")
    print(f"runs per command: {options.runs} (median)")
    floor_cpu = statistics.median(cpu for cpu, _ in samples[next(iter(commands))])
    floor_wall = statistics.median(wall for _, wall in samples[next(iter(commands))])
    if options.baseline:
        print(f"baseline: {options.baseline.resolve()}")
    print(f"{'command':<66} {'CPU s':>7} {'wall s':>7} {'CPU x':>6} {'wall x':>6}")
    for name in commands:
        cpu = statistics.median(c for c, _ in samples[name])
        wall = statistics.median(w for _, w in samples[name])
        print(f"{name:<66} {cpu:7.3f} {wall:7.3f} {cpu / floor_cpu:6.1f} {wall / floor_wall:6.1f}")


if __name__ == "__main__":
    main()
