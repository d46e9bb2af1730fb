"""What an either-or credit (docs/measurement.md, section 11) costs the simulation: the sample
contract's three band tiers priced as they are (by counting, engine/band_pricing.py) and with a
per-hour other credit on every tier (then priced period by period through the same rule as
replay). Measuring is the same in both; only pricing differs, so re-pricing shows the cost best.

    python benchmarks/either_or_cost.py [--trials N]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.simulation_speed import SCENARIO, new_percentages_and_caps  # noqa: E402
from slamodeler.domain.contract import Contract  # noqa: E402
from slamodeler.domain.either_or import EitherOr  # noqa: E402
from slamodeler.engine.simulation import reprice, simulate  # noqa: E402
from slamodeler.io.contract_file import load_contract  # noqa: E402

HOURLY = {"kind": "per_hour", "credit_pct_per_hour": 5, "hours": "started"}


def with_either_or(contract: Contract) -> Contract:
    other = EitherOr.model_validate({"name": "outage credit", "credits": HOURLY})
    tiers = [tier.model_copy(update={"either_or": other}) for tier in contract.tiers]
    return contract.model_copy(update={"tiers": tiers})


def timed(run) -> tuple[float, object]:
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--trials", type=int, default=200_000)
    args = parser.parse_args()
    plain = load_contract(ROOT / "sample_contracts" / "three_tier_cloud.yaml")
    either = with_either_or(plain)
    t_plain, run = timed(lambda: simulate(plain, SCENARIO, args.trials, seed=1))
    t_either, _ = timed(lambda: simulate(either, SCENARIO, args.trials, seed=1))
    # re-pricing the run under changed terms (unchanged ones are kept, not priced again)
    r_plain = min(timed(lambda: reprice(run, new_percentages_and_caps(plain)))[0] for _ in range(3))
    r_either = min(timed(lambda: reprice(run, either))[0] for _ in range(3))
    print(f"simulation, {args.trials:,} trials: plain {t_plain:.2f} s, either-or {t_either:.2f} s")
    print(
        f"re-pricing, best of 3:  new bands and caps {r_plain:.3f} s, "
        f"adding the either-or credit {r_either:.3f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
