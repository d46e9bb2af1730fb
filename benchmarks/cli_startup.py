"""Start-up of the command line: `slamodeler validate` and `slamodeler replay` of a small file,
each against ``python -c "import numpy, yaml, pydantic"`` timed in the same run (issue 18).

Each run launches ``python -m slamodeler`` in a fresh process (the real launcher,
``slamodeler.launcher.main``) from this checkout; runs alternate with the baseline, so that
another process busy on the machine slows both alike. Reports each command's median wall time
and median CPU time (user + system, of the process alone: what other work on the machine moves
least), each as a ratio to the baseline's median. Target: both commands within 2x the baseline.

The baseline's CPU time includes what numpy's OpenBLAS threads spin at start (about 0.1 s each
on a machine with a core free) and a printed replay no longer starts (cli/lean_process.py): the
baseline is also timed with ``OPENBLAS_NUM_THREADS=1`` and each command's CPU time is shown as a
ratio to that too, the stricter figure.

Python's bytecode is cached as on an installed copy (in a temporary PYTHONPYCACHEPREFIX, filled
by a first run that is not counted), also where PYTHONDONTWRITEBYTECODE is set; ``--no-cache``
compiles every module on every run instead, as a checkout with that variable set does.

    python benchmarks/cli_startup.py [--runs N] [--root CHECKOUT] [--before CHECKOUT] [--no-cache]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 2.0
BASELINE = "import numpy, yaml, pydantic"
ONE_BLAS_THREAD = {"OPENBLAS_NUM_THREADS": "1"}
CONTRACT = "sample_contracts/three_tier_cloud.yaml"
COMMANDS = {
    "validate": ["validate", CONTRACT],
    "replay": ["replay", CONTRACT, "sample_contracts/incidents_sample.csv"],
}


def timed(argv: list[str], root: Path, env: dict[str, str]) -> tuple[float, float]:
    """Seconds from the launch of ``python argv`` in the checkout ``root`` to its end, and the
    CPU seconds it used."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, *argv],
        cwd=root,
        env={**env, "PYTHONPATH": str(root)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    error = child.stderr.read() if child.stderr else b""
    if child.returncode != 0:
        raise SystemExit(f"python {' '.join(argv)} failed:\n{error.decode(errors='replace')}")
    return wall, usage.ru_utime + usage.ru_stime


def free_cores() -> float:
    """Cores not busy over the last minute, by the load average."""
    return max(0.0, (os.cpu_count() or 1) - os.getloadavg()[0])


def report(label: str, times: dict[str, list[tuple[float, float]]]) -> float:
    """Prints each command's medians and ratios to the baseline; returns the worse ratio."""
    wall = {name: statistics.median(w for w, _ in runs) for name, runs in times.items()}
    cpu = {name: statistics.median(c for _, c in runs) for name, runs in times.items()}
    print(
        f"{label}\nbaseline (python -c {BASELINE!r}), medians: "
        f"{wall['baseline'] * 1000:4.0f} ms wall, {cpu['baseline'] * 1000:4.0f} ms CPU; "
        f"with one BLAS thread {wall['one BLAS thread'] * 1000:4.0f} ms wall, "
        f"{cpu['one BLAS thread'] * 1000:4.0f} ms CPU"
    )
    worst = 0.0
    for name, command in COMMANDS.items():
        ratios = wall[name] / wall["baseline"], cpu[name] / cpu["baseline"]
        worst = max(worst, *ratios)
        fastest = min(w for w, _ in times[name])
        print(
            f"slamodeler {' '.join(command)}\n"
            f"  medians {wall[name] * 1000:4.0f} ms wall ({ratios[0]:4.2f}x the baseline), "
            f"{cpu[name] * 1000:4.0f} ms CPU ({ratios[1]:4.2f}x; "
            f"{cpu[name] / cpu['one BLAS thread']:4.2f}x the one-thread baseline); "
            f"fastest {fastest * 1000:.0f} ms"
        )
    return worst


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="launches of each kind (default 21)")
    parser.add_argument(
        "--root", type=Path, default=ROOT, help="the checkout to launch (default this one)"
    )
    parser.add_argument(
        "--before",
        type=Path,
        metavar="CHECKOUT",
        help="another checkout launched in the same alternation, e.g. from "
        "`git archive COMMIT | tar -x -C DIR`, to compare with",
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="compile every module on every run (no bytecode)"
    )
    args = parser.parse_args()
    roots = {"": args.root.resolve()}
    if args.before is not None:
        roots["before: "] = args.before.resolve()
    runs = [
        (["-c", BASELINE], {}),
        (["-c", BASELINE], ONE_BLAS_THREAD),
        *((["-m", "slamodeler", *a], {}) for a in COMMANDS.values()),
    ]
    names = ("baseline", "one BLAS thread", *COMMANDS)
    times = {label: {n: [] for n in names} for label in roots}
    print(
        f"{args.runs} runs of each, alternating, "
        f"{'no bytecode cache' if args.no_cache else 'bytecode cached'}; "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} "
        f"({free_cores():.1f} free) at the start"
    )
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ)
        if args.no_cache:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        else:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = cache
        for root in roots.values():
            for argv, extra in runs:
                timed(argv, root, {**env, **extra})  # fills the file cache and the bytecode's
        for _ in range(args.runs):
            for label, root in roots.items():
                for name, (argv, extra) in zip(times[label], runs, strict=True):
                    times[label][name].append(timed(argv, root, {**env, **extra}))
    worst = report(str(roots[""]), times[""])
    if args.before is not None:
        report(f"before: {roots['before: ']}", times["before: "])
    verdict = "met" if worst <= TARGET else "NOT met"
    print(f"worse ratio, wall or CPU: {worst:.2f}x   target at most {TARGET:g}x: {verdict}")
    print(f"load average at the end: {os.getloadavg()[0]:.2f} ({free_cores():.1f} free)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
