"""Contract parsing: the cost per tier of reading a contract file with 1,000 and 10,000 tiers.

Each tier is written as the sample contract writes one (target, fee, cost, customers, scope, three
bands, caps). Reports, for each size: CPU time per tier (median of 3) and peak traced memory per
tier, then the ratio of the per-tier time at 10,000 tiers to that at 1,000: parsing is linear when
it stays near 1. Before the change (issue 14) a contract cost about 1.4 s and 26 MB per 1,000 tiers:
the YAML was scanned twice, in pure Python (once for the line numbers of the node tree, once for
the data).

    python benchmarks/contract_parsing.py [--sizes 1000 10000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from slamodeler.io.contract_file import load_contract  # noqa: E402

TIER = """\
  - name: Tier {k}
    target_pct: 99.9
    monthly_fee: 4000
    cost_to_serve_monthly: 1800
    customers: 60
    scope: {{services: [Compute], regions: [us-east-1]}}
    credits:
      kind: bands
      boundary: below
      bands:
        - {{below: 99.9, credit_pct: 10}}
        - {{below: 99.0, credit_pct: 25}}
        - {{below: 95.0, credit_pct: 100}}
    caps: {{per_period_pct: 100, per_year_pct_of_annual_fees: 50}}
"""
HEAD = """\
format: slamodeler/v1
name: Many tiers
currency: USD
timezone: UTC
term: {start: 2024-01-01}
tiers:
"""


def measure(path: Path, tiers: int) -> tuple[float, float]:
    """(CPU seconds per tier, median of 3; peak traced bytes per tier)."""
    times = []
    for _ in range(3):
        start = time.process_time()
        load_contract(path)
        times.append(time.process_time() - start)
    tracemalloc.start()
    load_contract(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(times) / tiers, peak / tiers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[1000, 10000])
    args = parser.parse_args()
    per_tier = []
    with tempfile.TemporaryDirectory() as folder:
        for tiers in args.sizes:
            path = Path(folder) / f"tiers-{tiers}.yaml"
            path.write_text(HEAD + "".join(TIER.format(k=k) for k in range(tiers)))
            seconds, memory = measure(path, tiers)
            per_tier.append(seconds)
            print(
                f"{tiers:>6,} tiers: {seconds * 1e3:.3f} ms per tier ({seconds * tiers:.2f} s), "
                f"peak {memory / 1e3:.1f} KB per tier ({memory * tiers / 1e6:.0f} MB)"
            )
    ratio = per_tier[1] / per_tier[0]
    verdict = "met" if ratio < 1.3 else "NOT met"
    print(f"per-tier time at {args.sizes[1]:,} / at {args.sizes[0]:,}: {ratio:.2f}")
    print(f"  target near 1 (linear; under 1.3): {verdict}")


if __name__ == "__main__":
    main()
