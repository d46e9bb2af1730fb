"""What the analyses' benchmarks share: an analysis (a comparison, a tornado, a finder, a book)
timed against one simulation of the sample contract under the baseline scenario, alternating in
one run (same trials and seed), medians of the rounds, wall and CPU seconds (this process, all
threads); the ratio is judged on CPU time, which other work on this shared 2-core machine
disturbs less than the wall clock, and the load average is printed beside it."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from slamodeler.domain.contract import Contract  # noqa: E402
from slamodeler.domain.scenario import Scenario  # noqa: E402
from slamodeler.engine.simulation import simulate  # noqa: E402
from slamodeler.io.contract_file import load_contract  # noqa: E402
from slamodeler.io.scenario_file import load_scenario  # noqa: E402

Seconds = tuple[float, float]  # wall, CPU


def options(doc: str | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    parser.add_argument("--trials", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    return parser.parse_args()


def sample() -> tuple[Contract, Scenario]:
    """The sample contract and the baseline scenario."""
    return (
        load_contract(ROOT / "sample_contracts" / "three_tier_cloud.yaml"),
        load_scenario(ROOT / "sample_contracts" / "scenarios" / "baseline.yaml"),
    )


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def seconds(work: Callable[[], object]) -> tuple[float, float, object]:
    """Wall and CPU seconds of ``work()``, and what it returned."""
    wall, cpu = time.perf_counter(), time.process_time()
    found = work()
    return time.perf_counter() - wall, time.process_time() - cpu, found


def against_one_simulation(
    base: Contract,
    scenario: Scenario,
    trials: int,
    rounds: int,
    analyses: dict[str, Callable[[], object]],
) -> tuple[Seconds, dict[str, Seconds], dict[str, object]]:
    """One simulation of ``base`` before each analysis, every round: the medians of both, and
    each analysis's last result."""
    print(f"load average at the start: {load()}")
    simulate(base, scenario, 1000, 1)  # warm up: imports, tables of the horizon
    plain: list[Seconds] = []
    timed: dict[str, list[Seconds]] = {name: [] for name in analyses}
    last: dict[str, object] = {}
    for _ in range(rounds):
        for name, analysis in analyses.items():
            wall, cpu, _ = seconds(lambda: simulate(base, scenario, trials, 1))
            plain.append((wall, cpu))
            wall, cpu, last[name] = seconds(analysis)
            timed[name].append((wall, cpu))
    print(f"load average at the end: {load()}")
    return _median(plain), {name: _median(t) for name, t in timed.items()}, last


def ratio_line(label: str, took: Seconds, one: Seconds, target: float | None = None) -> str:
    """``label``: its seconds and its ratios to one simulation, and the target's verdict."""
    wall, cpu = took[0] / one[0], took[1] / one[1]
    verdict = (
        ""
        if target is None
        else (f"   target within {target:g}x (CPU): {'met' if cpu <= target else 'NOT met'}")
    )
    return (
        f"{label} {took[0]:.3f} s   CPU {took[1]:.3f} s   {wall:.2f}x one simulation "
        f"(CPU {cpu:.2f}x){verdict}"
    )


def _median(times: list[Seconds]) -> Seconds:
    return statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)
