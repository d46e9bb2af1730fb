"""Simulation memory: peak resident memory of `slamodeler simulate --format json` (the three-tier
sample contract under simulation_speed.py's scenario, one process) at several trials x years.

Each size runs in a fresh interpreter, which reports its own peak RSS (``ru_maxrss``), so one
size's memory does not hide another's. A run keeps its measured periods for re-pricing up to
``simulation.KEEP_CELLS`` and is priced chunk by chunk above it; ``--reference`` runs the sizes
named again with everything kept (the path every run took before), and prints the ratio measured
in the same run. Target: issue 18 item 2 (at most 1 GB at 1M x 20 years and at 100k x 50 years).

    python benchmarks/simulation_memory.py [--sizes 1000000x1 100000x20 ...]
        [--reference 1000000x1 100000x20 ...]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.machine import free_cores  # noqa: E402

SIZES = ["1000000x1", "100000x20", "100000x50", "1000000x20"]
TARGET_MB = 1024


def one(trials: int, years: int, keep_all: bool, scenario: str) -> dict:
    """One size in this interpreter: its peak RSS, wall and CPU seconds, and the mean credit of
    the first tier (the same kept or not)."""
    from slamodeler.cli.main import main
    from slamodeler.engine import simulation

    if keep_all:
        simulation.KEEP_CELLS = 10**15
    contract = ROOT / "sample_contracts" / "three_tier_cloud.yaml"
    argv = [str(contract), "--scenario", scenario, "--trials", str(trials), "--years", str(years)]
    out = io.StringIO()
    wall, cpu = time.perf_counter(), time.process_time()
    with contextlib.redirect_stdout(out):
        code = main(["simulate", *argv, "--format", "json", "--seed", "1"])
    assert code == 0
    mean = json.loads(out.getvalue())["tiers"][0]["mean"]
    return {
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "wall": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
        "mean": mean,
    }


def measured(size: str, keep_all: bool, scenario: str) -> dict:
    trials, years = (int(n) for n in size.split("x"))
    argv = [sys.executable, __file__, "--one", size, "--scenario-file", scenario]
    found = subprocess.run(
        argv + (["--keep-all"] if keep_all else []), capture_output=True, text=True, check=True
    )
    return {"trials": trials, "years": years, **json.loads(found.stdout)}


def line(label: str, size: str, found: dict) -> str:
    return (
        f"{size:>11} {label:<18} peak RSS {found['peak_mb']:7,.0f} MB   {found['wall']:7.1f} s "
        f"wall {found['cpu']:7.1f} s CPU   Bronze mean {found['mean']:,.2f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="*", default=SIZES, help="TRIALSxYEARS")
    parser.add_argument("--reference", nargs="*", default=[], help="TRIALSxYEARS, all kept")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--keep-all", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--scenario-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        trials, years = (int(n) for n in args.one.split("x"))
        print(json.dumps(one(trials, years, args.keep_all, args.scenario_file)))
        return 0
    from benchmarks.simulation_speed import SCENARIO

    with tempfile.TemporaryDirectory() as folder:
        scenario = str(Path(folder) / "scenario.yaml")
        Path(scenario).write_text(yaml.safe_dump(SCENARIO.model_dump(mode="json")))
        for size in args.sizes:
            print(f"before {size}: {free_cores()}", flush=True)
            found = measured(size, False, scenario)
            verdict = ""
            if size in ("1000000x20", "100000x50"):
                met = found["peak_mb"] <= TARGET_MB
                verdict = f"   (target at most {TARGET_MB:,} MB: {'met' if met else 'MISSED'})"
            print(line("as simulate runs", size, found) + verdict, flush=True)
            if size in args.reference:
                print(f"before {size} kept: {free_cores()}", flush=True)
                kept = measured(size, True, scenario)
                print(line("everything kept", size, kept), flush=True)
                print(
                    f"{size:>11} peak {found['peak_mb'] / kept['peak_mb']:.2f}x the kept run's, "
                    f"time {found['wall'] / kept['wall']:.2f}x; means "
                    f"{'equal' if found['mean'] == kept['mean'] else 'DIFFER'}",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
