"""Transparent huge pages for a run's big arrays, or not: CPU time of the same simulation in fresh
processes, alternating between numpy asking for huge pages (``madvise(MADV_HUGEPAGE)`` on every
array of 4 MiB or more: numpy's default on Linux 4.6 and later) and 4 KiB pages, each told by
``NUMPY_MADVISE_HUGEPAGE`` (which a simulating process leaves as the user set it:
engine/allocator.py). Prints each process's user and system seconds and page faults, and the
ratio of their CPU times round by round. Only arrays of 4 MiB or more are concerned: per-trial
totals from 524,288 trials on, a kept run's periods from about 44,000 trials of 12 periods.

    python benchmarks/huge_pages.py [--trials N] [--rounds R] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.machine import free_cores  # noqa: E402

CHILD = """
import json, resource, sys
from benchmarks.simulation_speed import SCENARIO
from slamodeler.engine.simulation import simulate
from slamodeler.io.contract_file import load_contract

sample = load_contract("sample_contracts/three_tier_cloud.yaml")
simulate(sample, SCENARIO, 4000, 1)  # kernels loaded, the process tuned
before = resource.getrusage(resource.RUSAGE_SELF)
simulate(sample, SCENARIO, int(sys.argv[1]), 7, keep_periods=sys.argv[2] == "keep")
after = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps([after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime,
                  after.ru_minflt - before.ru_minflt]))
"""


def policy() -> str:
    folder = Path("/sys/kernel/mm/transparent_hugepage")
    try:
        return ", ".join(
            f"{name}: {(folder / name).read_text().strip()}" for name in ("enabled", "defrag")
        )
    except OSError:
        return "no transparent huge pages"


def run(trials: int, keep: bool, huge: bool) -> tuple[float, float, int]:
    env = {**os.environ, "NUMPY_MADVISE_HUGEPAGE": "1" if huge else "0"}
    kept = "keep" if keep else "chunk"
    found = subprocess.run(
        [sys.executable, "-c", CHILD, str(trials), kept],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    user, system, faults = json.loads(found.stdout)
    return user, system, faults


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--keep", action="store_true", help="keep the measured periods")
    args = parser.parse_args()
    kept = "periods kept" if args.keep else "priced chunk by chunk"
    print(f"{args.trials:,} trials of the sample, {kept}; {policy()}; {free_cores()}")
    ratios = []
    for r in range(args.rounds):
        cpu = {}
        for huge in (r % 2 == 0, r % 2 == 1):  # each mode first in every other round
            user, system, faults = run(args.trials, args.keep, huge)
            cpu[huge] = user + system
            mode = "huge pages asked" if huge else "4 KiB pages"
            print(
                f"round {r + 1} {mode:>16}: user {user:.2f} s, system {system:.2f} s, "
                f"page faults {faults}"
            )
        ratios.append(cpu[True] / cpu[False])
    print("huge / 4 KiB CPU per round: " + ", ".join(f"{x:.2f}x" for x in ratios))
    print(f"after: {free_cores()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
