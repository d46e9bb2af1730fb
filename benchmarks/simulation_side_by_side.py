"""A simulation's CPU time under two revisions, alternating in one process, against the floor.

``simulation_speed.py``'s model (the three-tier sample contract, its two processes, one year)
simulated in one process by the code of ``--before`` (exported from git into a temporary
folder) and by this checkout as it is, in turn, each round after drawing the floor (numpy's
variates alone, on one core): both meet the same machine load, so their CPU times compare
where wall times on a shared machine do not. Prints each round's CPU seconds, the ratios to
the floor, the load average, and whether both paid the same cents. glibc's thresholds are set
first (``engine/allocator.py``), for the floor and both revisions alike: the setting is the
process's, so a first run that set it would change the runs after it. The runs keep their
measured periods for re-pricing, as the desktop application's do; ``--priced-by-chunk``: they keep
none and are priced chunk by chunk, as ``slamodeler simulate`` runs them.

    python benchmarks/simulation_side_by_side.py --before 1386ecd [--trials N] [--rounds R]
        [--priced-by-chunk]
"""

from __future__ import annotations

import argparse
import importlib
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from types import ModuleType

import numpy as np

REPO = Path(__file__).resolve().parents[1]


def exported(revision: str, folder: Path) -> Path:
    """The files of ``revision``, written into ``folder`` (git archive: the repository's
    worktrees and branches are left as they are)."""
    archive = folder / "tree.tar"
    subprocess.run(["git", "-C", str(REPO), "archive", "-o", str(archive), revision], check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(folder / "tree", filter="data")
    return folder / "tree"


def loaded(tree: Path) -> tuple[ModuleType, ModuleType, object]:
    """The simulation module, the speed benchmark and the sample contract of ``tree``, imported
    afresh (each tree's own modules)."""
    for name in [n for n in sys.modules if n.split(".")[0] in ("slamodeler", "benchmarks")]:
        del sys.modules[name]
    sys.path.insert(0, str(tree))
    try:
        simulation = importlib.import_module("slamodeler.engine.simulation")
        bench = importlib.import_module("benchmarks.simulation_speed")
        files = importlib.import_module("slamodeler.io.contract_file")
    finally:
        sys.path.remove(str(tree))
    contract = files.load_contract(tree / "sample_contracts" / "three_tier_cloud.yaml")
    simulation.simulate(contract, bench.SCENARIO, 4000, seed=1)  # kernels loaded before timing
    return simulation, bench, contract


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, help="a git revision")
    parser.add_argument("--trials", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--priced-by-chunk", action="store_true", help="keep no measured periods (the CLI's runs)"
    )
    args = parser.parse_args()
    keep = not args.priced_by_chunk
    from slamodeler.engine.allocator import keep_big_arrays_on_the_heap

    keep_big_arrays_on_the_heap()
    with tempfile.TemporaryDirectory(prefix="side-by-side-") as folder:
        revisions = {
            args.before: loaded(exported(args.before, Path(folder))),
            "this checkout": loaded(REPO),
        }
        floor = revisions["this checkout"][1].floor_draws
        kept = "measured periods kept" if keep else "priced chunk by chunk"
        print(f"{args.trials:,} trials of simulation_speed.py's model, {kept}, CPU seconds")
        for round_ in range(1, args.rounds + 1):
            c0 = time.process_time()
            floor(args.trials)
            c_floor = time.process_time() - c0
            line = f"round {round_}: load {os.getloadavg()[0]:.1f}, floor {c_floor:.2f} s"
            paid = []
            for name, (simulation, bench, contract) in revisions.items():
                c0 = time.process_time()
                run = simulation.simulate(
                    contract, bench.SCENARIO, args.trials, seed=1, keep_periods=keep
                )
                seconds = time.process_time() - c0
                paid.append([run.pricing[t].paid for t in run.pricing])
                del run
                line += f"; {name} {seconds:.2f} s ({seconds / c_floor:.2f}x)"
            same = all(np.array_equal(a, b) for a, b in zip(*paid, strict=True))
            print(f"{line}; same cents: {same}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
