"""What the tail's confidence intervals and `slamodeler reprice` cost, against the simulation they
come from, in one run: the sample contract under the baseline scenario, 100,000 trials.

- the intervals of every series (order statistics for P95 and P99, TVaR99's bootstrap) against
  the simulation and its exposure statistics;
- `reprice` of the stored run under a redline (its draws drawn again from the seed, checked
  against the stored result, then re-priced) against `ws simulate` of the redline's version.

No target is set (issue 17 names none): the ratios say what each costs.

    python benchmarks/tail_and_reprice.py [--trials N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# ruff: noqa: E402
from slamodeler.engine.exposure import exposures
from slamodeler.engine.simulation import simulate
from slamodeler.engine.tail_intervals import tail_intervals
from slamodeler.io.contract_file import load_contract
from slamodeler.io.scenario_file import load_scenario
from slamodeler.services.repricing import reprice_stored_run
from slamodeler.services.runs import simulate_stored
from slamodeler.services.versions import import_contract
from slamodeler.services.workspaces import init_workspace

SAMPLES = ROOT / "sample_contracts"


def timed(work, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--trials", type=int, default=100_000)
    trials = parser.parse_args().trials
    contract = load_contract(SAMPLES / "three_tier_cloud.yaml")
    scenario = load_scenario(SAMPLES / "scenarios" / "baseline.yaml")
    print(f"sample contract, baseline scenario, {trials:,} trials, median of 3")

    run = simulate(contract, scenario, trials, 7)
    simulation = timed(lambda: simulate(contract, scenario, trials, 7))
    found = exposures(run)
    summary = timed(lambda: exposures(run))  # the tiers' summaries are kept: the portfolio's
    intervals = timed(lambda: [tail_intervals(e.paid) for e in found])
    print(f"simulation:                       {simulation:8.3f} s")
    print(f"exposure statistics (portfolio):  {summary:8.3f} s")
    print(f"tail intervals, all series:       {intervals:8.3f} s")
    print(f"  intervals / simulation: {intervals / simulation:.3f}")

    with tempfile.TemporaryDirectory() as tmp:
        ws = init_workspace(Path(tmp) / "b.slamws", "bench", samples=True).workspace
        redline = Path(tmp) / "three_tier_cloud.yaml"
        text = (SAMPLES / "three_tier_cloud.yaml").read_text()
        redline.write_text(text.replace("credit_pct: 25", "credit_pct: 30"))
        import_contract(ws, redline, "bench", "redline")
        stored = simulate_stored(
            ws, "three_tier_cloud@1", "baseline", "bench", trials=trials, seed=7
        )
        assert stored.run.id is not None
        ident = stored.run.id
        again = timed(
            lambda: simulate_stored(
                ws, "three_tier_cloud@2", "baseline", "bench", trials=trials, seed=7
            )
        )
        repriced = timed(lambda: reprice_stored_run(ws, ident, "three_tier_cloud@2", "bench"))
        ws.close()
    print(f"ws simulate of the redline:       {again:8.3f} s")
    print(f"reprice of the stored run:        {repriced:8.3f} s")
    print(f"  reprice / simulate: {repriced / again:.2f}")


if __name__ == "__main__":
    main()
