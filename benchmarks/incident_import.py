"""Incident import: a CSV export of 1,000,000 incidents read, checked and replayed, against
reading the same file with ``csv.reader``.

The file (written to a temporary folder, the incidents of ``replay_speed.py`` over 5 years, times
as ``2024-03-01T14:05:00Z``) is replayed against the three-tier sample contract the way
``slamodeler replay`` does it (``services.replay.replay_files``). The two are timed alternately in
one run, medians of ``--repeat``, in CPU time and wall time, with the load average before and
after (other processes share this machine). Target (issue 18): within 3x of ``csv.reader``.

The import with the compiled CSV reader off (every file read by ``csv.reader``, as files under
``csv_cells.FAST_BYTES`` are) is timed in the same alternation, for the gain. The compiled
reader's first load (numba's import, and its kernels compiled or loaded from their cache) is
timed once before, and not counted in the medians.

With ``--quoted-titles`` the titles are free text as status pages word them (``TITLES``), which
``csv.writer`` quotes as the real exports in ../shared/data are written: every title here (three
in four for a comma, one in four for a quote, written twice), where the real exports have a
quoted cell in one row of five to eight; without it every title is ``synthetic`` and the file
holds no quote.

    python benchmarks/incident_import.py [--incidents N] [--years Y] [--repeat R]
                                         [--quoted-titles]
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.replay_speed import synthetic_incidents  # noqa: E402
from slamodeler.domain.contract import Contract  # noqa: E402
from slamodeler.engine import compiled_kernels  # noqa: E402
from slamodeler.engine.replay import replay  # noqa: E402
from slamodeler.io import csv_cells  # noqa: E402
from slamodeler.io.contract_file import load_contract  # noqa: E402
from slamodeler.services.replay import load_incident_file  # noqa: E402

CONTRACT = ROOT / "sample_contracts" / "three_tier_cloud.yaml"
Result = TypeVar("Result")
Times = tuple[float, float]
HEADER = ["id", "start", "end", "impact", "cause", "service", "region", "title"]
# Titles as status pages word them, in turn: three hold a comma, one a quote (written twice).
TITLES = (
    "Incident with Actions, Codespaces and Pages",
    'Degraded performance for "git push" over SSH',
    "Elevated error rates in us-east-1, eu-west-1",
    "Increased latency, some requests time out",
)


def write_export(path: Path, n: int, years: int, quoted_titles: bool = False) -> None:
    incidents = synthetic_incidents(n, years)
    titles = [
        TITLES[k % len(TITLES)] if quoted_titles else x.title for k, x in enumerate(incidents)
    ]

    def utc(seconds: list[int]) -> list[str]:
        return [f"{t}Z" for t in np.datetime_as_string(np.array(seconds, "datetime64[s]"))]

    starts, ends = utc([x.start for x in incidents]), utc([x.end for x in incidents])
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(
            (x.id, s, e, str(x.impact), x.cause, x.service, x.region, title)
            for x, s, e, title in zip(incidents, starts, ends, titles, strict=True)
        )


def read_with_csv_reader(path: Path) -> int:
    with path.open(newline="", encoding="utf-8") as f:
        return sum(1 for _ in csv.reader(f))


def import_per_row(path: Path, contract: Contract) -> None:
    """The import with the compiled CSV reader off: the file read by ``csv.reader``."""
    fast_bytes = csv_cells.FAST_BYTES
    csv_cells.FAST_BYTES = path.stat().st_size + 1
    try:
        load_incident_file(path, contract=contract)
    finally:
        csv_cells.FAST_BYTES = fast_bytes


def timed(fn: Callable[..., Result], *args: object, **kwargs: object) -> tuple[Times, Result]:
    """(CPU seconds, wall seconds) of ``fn(*args, **kwargs)``, and what it gave."""
    cpu, wall = time.process_time(), time.perf_counter()
    result = fn(*args, **kwargs)
    return (time.process_time() - cpu, time.perf_counter() - wall), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quoted-titles", action="store_true")
    args = parser.parse_args()
    contract = load_contract(CONTRACT)
    first, last = "2024-01", f"{2024 + args.years - 1}-12"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "incidents.csv"
        write_export(path, args.incidents, args.years, args.quoted_titles)
        size = path.stat().st_size / 1e6
        titles = "quoted titles" if args.quoted_titles else "no quote"
        print(f"{args.incidents:,} incidents over {args.years} years, {size:.0f} MB CSV ({titles})")
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        loaded = timed(compiled_kernels.compiled, "csv", csv_cells._load)
        print(f"compiled reader loaded in {loaded[0][0]:.2f} s CPU: {loaded[1] is not None}")
        base, imports, replays, per_row = [], [], [], []
        for _ in range(args.repeat):
            base.append(timed(read_with_csv_reader, path)[0])
            took, found = timed(load_incident_file, path, contract=contract)
            imports.append(took)
            replays.append(timed(replay, contract, found.incidents, first=first, last=last)[0])
            del found
            per_row.append(timed(import_per_row, path, contract)[0])
        print(f"load average after:  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for k, clock in enumerate(("CPU", "wall")):
        reader = statistics.median(t[k] for t in base)
        read = statistics.median(t[k] for t in imports)
        measured = statistics.median(t[k] for t in replays)
        total = statistics.median(i[k] + r[k] for i, r in zip(imports, replays, strict=True))
        ratio = total / reader
        rows = statistics.median(t[k] for t in per_row)
        print(
            f"{clock:>4}, median of {args.repeat}: csv.reader {reader:6.2f} s   read+check "
            f"{read:6.2f} s ({read / reader:4.1f}x)   replay {measured:6.2f} s   "
            f"read+check+replay {total:6.2f} s: {ratio:4.1f}x "
            f"(target within 3x: {'met' if ratio <= 3 else 'MISSED'})   "
            f"read+check by csv.reader {rows:6.2f} s ({rows / reader:4.1f}x)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
