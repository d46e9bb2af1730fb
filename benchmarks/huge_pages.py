"""Transparent huge pages for the run's big arrays, or not: CPU time of the same simulation,
alternating in one process between numpy's default (on Linux 4.6 and later it asks for huge pages,
``madvise(MADV_HUGEPAGE)``, on every array of 4 MiB or more) and 4 KiB pages, with the page
faults taken and the kernel's huge-page counters (/proc/vmstat: huge pages handed out, faults
that fell back to small pages, stalls to compact memory) over each run. Where the system's
policy is ``madvise`` and its defragmentation ``madvise`` (the default of many distributions), a
fault in such an array may stop the process while the kernel compacts memory for a huge page.

    python benchmarks/huge_pages.py [--trials N] [--rounds R] [--keep]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from numpy._core import multiarray  # noqa: E402

from benchmarks.machine import free_cores  # noqa: E402
from benchmarks.simulation_speed import SCENARIO  # noqa: E402
from slamodeler.engine.simulation import simulate  # noqa: E402
from slamodeler.io.contract_file import load_contract  # noqa: E402

COUNTERS = ("thp_fault_alloc", "thp_fault_fallback", "compact_stall")


def vmstat() -> dict[str, int]:
    found = {}
    with open("/proc/vmstat") as lines:
        for line in lines:
            name, value = line.split()
            if name in COUNTERS:
                found[name] = int(value)
    return found


def policy() -> str:
    folder = Path("/sys/kernel/mm/transparent_hugepage")
    try:
        return ", ".join(
            f"{name} {(folder / name).read_text().strip()}" for name in ("enabled", "defrag")
        )
    except OSError:
        return "no transparent huge pages"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the measured periods")
    args = parser.parse_args()
    sample = load_contract(ROOT / "sample_contracts" / "three_tier_cloud.yaml")
    simulate(sample, SCENARIO, 4000, 1)  # kernels loaded
    kept = "periods kept" if args.keep else "priced chunk by chunk"
    print(f"{args.trials:,} trials of the sample, {kept}; {policy()}; {free_cores()}")
    modes = {"huge pages asked": True, "4 KiB pages": False}
    cpu: dict[str, list[float]] = {mode: [] for mode in modes}
    for r in range(args.rounds):
        for mode, huge in modes.items():
            multiarray._set_madvise_hugepage(huge)
            before, faults = vmstat(), resource.getrusage(resource.RUSAGE_SELF).ru_minflt
            start = time.process_time()
            simulate(sample, SCENARIO, args.trials, 7 + r, keep_periods=args.keep)
            cpu[mode].append(time.process_time() - start)
            after = vmstat()
            taken = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults
            counts = ", ".join(f"{n} {after[n] - before[n]}" for n in COUNTERS if n in after)
            print(f"round {r + 1} {mode:>16}: CPU {cpu[mode][-1]:.2f} s, faults {taken}, {counts}")
    ratios = [h / s for h, s in zip(cpu["huge pages asked"], cpu["4 KiB pages"], strict=True)]
    print("huge / 4 KiB per round: " + ", ".join(f"{x:.2f}x" for x in ratios))
    print(f"after: {free_cores()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
