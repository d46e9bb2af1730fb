"""What a redline costs: a base contract and a redline priced on the same simulated incidents
(common random numbers), the distribution of the difference trial by trial, and the share of it
due to each changed term (docs/user-guide.md, "What does this redline cost?").

The simulation draws each block of trials from its own stream of the seed, and the draws depend
only on the scenario, the horizon's first month and time zone, and (for incidents that hit
customers one by one) the tiers' customers. Two contracts that agree on those see the same
incidents trial by trial: the redline is re-priced when only credit terms differ, and measured
again on the same draws when measurement terms differ. The difference of two such runs varies
far less than that of two independent runs, so a small mean difference is resolved with few
trials; its standard error is that of the paired differences.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from slamodeler.domain.applied_changes import changes_between, with_changes
from slamodeler.domain.contract import Contract
from slamodeler.domain.contract_changes import Change
from slamodeler.domain.errors import InputError
from slamodeler.domain.money import minor_unit
from slamodeler.domain.scenario import Scenario
from slamodeler.engine.horizon import aligned_start
from slamodeler.engine.simulation import (
    CancelToken,
    Progress,
    SimulationRun,
    measurement_terms,
    reprice,
    simulate_together,
    why_not_repriced,
)

DIFF_QUANTILES = {"p5": 0.05, "p50": 0.50, "p95": 0.95, "p99": 0.99}
F64 = NDArray[np.float64]


@dataclass(frozen=True)
class Difference:
    """Redline minus base, credits paid per year (currency units), for one tier or all."""

    name: str
    trials: int
    base_mean: float
    redline_mean: float
    mean: float
    stderr: float  # of the mean difference, from the paired trials
    quantiles: dict[str, float]
    p_costs_more: float
    p_costs_less: float
    per_trial: F64 = field(repr=False)


@dataclass(frozen=True)
class Step:
    """One change (or changes that only stand together), and the portfolio's mean difference it
    makes applied in the diff's order and in the reverse order."""

    changes: tuple[Change, ...]
    forward: float
    forward_stderr: float
    reverse: float
    reverse_stderr: float

    @property
    def spread(self) -> float:
        """The order effect: how much the step's share depends on when it is applied."""
        return abs(self.forward - self.reverse)

    @property
    def label(self) -> str:
        return "; ".join(f"{c.what}: {c.values}" for c in self.changes)


@dataclass(frozen=True)
class Redline:
    base: SimulationRun
    redline: SimulationRun
    how: str  # "re-priced" or "measured on the same draws"
    years: int
    tiers: list[Difference]
    portfolio: Difference
    only_base: list[str]  # tiers of the base the redline does not have
    only_redline: list[str]
    changes: list[Change]
    steps: list[Step]
    simulations: int  # how many simulations it took (the rest was re-priced)
    labels: tuple[str, str] = ("base", "redline")  # what a front end calls them (files, versions)

    @property
    def trials(self) -> int:
        return self.portfolio.trials


def why_not_aligned(base: Contract, redline: Contract, scenario: Scenario) -> str:
    """Why the two contracts cannot see the same draws of ``scenario`` ("" when they can),
    naming the field that differs."""
    if base.timezone != redline.timezone:
        return (
            f"timezone: the base is in {base.timezone}, the redline in {redline.timezone}; "
            "incidents are drawn by month in the contract's time zone, so the two cannot be "
            "priced on the same draws: compare versions in one time zone"
        )
    starts = [
        aligned_start(scenario.start, c.measurement.period, c.measurement.first_month)[0]
        for c in (base, redline)
    ]
    if starts[0] != starts[1]:
        field = (
            "measurement.period"
            if base.measurement.period != redline.measurement.period
            else "measurement.first_month"
        )
        return (
            f"{field}: the base's periods start the simulation in {starts[0]}, the redline's in "
            f"{starts[1]}, so their years do not line up; give a start where both periods begin "
            f"(--start {max(starts)}) or set the scenario's start"
        )
    one_by_one = [
        p.name
        for p in scenario.processes
        if not isinstance(p.scope, str) and p.scope.independent is not None
    ]
    customers = [[(t.name, t.customers) for t in c.tiers] for c in (base, redline)]
    if one_by_one and customers[0] != customers[1]:
        return (
            f"tiers: the scenario's process {one_by_one[0]!r} hits customers one by one, so both "
            "versions need the same tiers, in the same order, with the same customers "
            f"(base: {_words(customers[0])}; redline: {_words(customers[1])})"
        )
    return ""


def _words(tiers: list[tuple[str, int]]) -> str:
    return ", ".join(f"{name} {n}" for name, n in tiers)


class SameDraws:
    """Runs on one seed's draws: each contract re-priced from a run whose measurement it
    shares, else measured on the same draws (``simulate_together``: one drawing for all)."""

    def __init__(self, simulate_all: Callable[[list[Contract]], list[SimulationRun]]):
        self._simulate = simulate_all
        self.simulated: list[SimulationRun] = []
        self._done: dict[str, SimulationRun] = {}

    def measure(self, contracts: Sequence[Contract]) -> None:
        """Simulate together one contract of each measurement that no run has yet."""
        new: list[Contract] = []
        for contract in contracts:
            if not any(not why_not_repriced(r, contract) for r in self.simulated) and not any(
                measurement_terms(c) == measurement_terms(contract)
                and len(c.tiers) == len(contract.tiers)
                for c in new
            ):
                new.append(contract)
        if new:
            self.simulated += self._simulate(new)

    def of(self, contract: Contract) -> SimulationRun:
        key = contract.model_dump_json()
        if key not in self._done:
            self.measure([contract])
            near = next(r for r in self.simulated if not why_not_repriced(r, contract))
            self._done[key] = near if near.contract == contract else reprice(near, contract)
        return self._done[key]


def compare(
    base: Contract,
    redline: Contract,
    scenario: Scenario,
    trials: int,
    seed: int,
    *,
    executor: Executor | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    attribute: bool = True,
) -> Redline:
    """The redline against the base on the same draws; with ``attribute``, each change's share
    of the difference (``Step``) where several terms differ."""
    problem = why_not_aligned(base, redline, scenario)
    if problem:
        raise InputError(problem)

    changes = changes_between(base, redline)
    plan = _plan(base, redline, changes, scenario) if attribute and len(changes) > 1 else None
    runs = same_draws(scenario, trials, seed, executor, progress, cancel)
    runs.measure([base, redline, *(plan[1] + plan[2] if plan else [])])  # on one drawing
    a, b = runs.of(base), runs.of(redline)
    years = scenario.years
    common = [t.name for t in base.tiers if t.name in {u.name for u in redline.tiers}]
    steps = _steps(plan, runs, years) if plan else []
    return Redline(
        base=a,
        redline=b,
        how="re-priced" if b.measured is a.measured else "measured on the same draws",
        years=years,
        tiers=[
            difference(name, paid_per_year(a, [name], years), paid_per_year(b, [name], years))
            for name in common
        ],
        portfolio=difference(
            "portfolio", paid_per_year(a, None, years), paid_per_year(b, None, years)
        ),
        only_base=[t.name for t in base.tiers if t.name not in common],
        only_redline=[t.name for t in redline.tiers if t.name not in common],
        changes=changes,
        steps=steps,
        simulations=len(runs.simulated),
    )


def same_draws(
    scenario: Scenario,
    trials: int,
    seed: int,
    executor: Executor | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    cancelled: str = "the comparison was cancelled",
) -> SameDraws:
    """Runs of any contracts on one drawing of ``scenario`` (the contracts must line up with
    its draws: ``why_not_aligned``); a cancelled simulation raises InputError(``cancelled``)."""

    def measured(contracts: list[Contract]) -> list[SimulationRun]:
        found = simulate_together(
            contracts, scenario, trials, seed, executor, progress=progress, cancel=cancel
        )
        if found[0].cancelled:
            raise InputError(cancelled)
        return found

    return SameDraws(measured)


def paid_per_year(run: SimulationRun, tiers: Sequence[str] | None, years: int) -> F64:
    """Credits paid per trial and year, in currency units, summed over ``tiers`` (None: all)."""
    unit = float(minor_unit(run.contract.currency))
    names = [t.name for t in run.contract.tiers] if tiers is None else tiers
    total = np.zeros(run.trials, dtype=np.int64)
    for name in names:
        total = total + run.pricing[name].paid
    return total * unit / years


def difference(name: str, base: F64, redline: F64) -> Difference:
    """The statistics of ``redline - base`` trial by trial (quantiles as exposure.py takes them:
    the smallest value with at least that share of trials at or below it)."""
    d = redline - base
    n = len(d)
    found = (
        np.quantile(d, list(DIFF_QUANTILES.values()), method="inverted_cdf")
        if n
        else [math.nan] * len(DIFF_QUANTILES)
    )
    return Difference(
        name=name,
        trials=n,
        base_mean=float(base.mean()) if n else math.nan,
        redline_mean=float(redline.mean()) if n else math.nan,
        mean=float(d.mean()) if n else math.nan,
        stderr=paired_stderr(d),
        quantiles={k: float(v) for k, v in zip(DIFF_QUANTILES, found, strict=True)},
        p_costs_more=float(np.mean(d > 0)) if n else math.nan,
        p_costs_less=float(np.mean(d < 0)) if n else math.nan,
        per_trial=d,
    )


def paired_stderr(d: F64) -> float:
    """The standard error of the mean of per-trial differences (NaN under two trials)."""
    return float(d.std(ddof=1) / math.sqrt(len(d))) if len(d) > 1 else math.nan


Plan = tuple[list[list[Change]], list[Contract], list[Contract]]  # groups, both orders' states


def _plan(base: Contract, redline: Contract, changes: list[Change], scenario: Scenario) -> Plan:
    """Changes applied to the base one group at a time, in the diff's order and in reverse.
    A group is one change, or changes merged because the terms between them are not a valid
    contract or do not line up with the base's draws (``with_changes``, ``why_not_aligned``)."""
    groups = [[c] for c in changes]
    while True:
        forward = _states(base, redline, groups, scenario)
        backward = _states(base, redline, groups[::-1], scenario)
        bad = next((i for i, s in enumerate(forward) if s is None), None)
        if bad is None:
            bad_back = next((i for i, s in enumerate(backward) if s is None), None)
            if bad_back is None:
                return groups, [s for s in forward if s], [s for s in backward if s]
            bad = len(groups) - bad_back  # the group applied last in reverse, as numbered forward
        groups[bad - 1 : bad + 1] = [groups[bad - 1] + groups[bad]]


def _steps(plan: Plan, runs: SameDraws, years: int) -> list[Step]:
    groups, forward, backward = plan
    ahead = _effects(forward, runs, years)
    behind = _effects(backward, runs, years)[::-1]
    return [
        Step(tuple(g), f.mean, f.stderr, r.mean, r.stderr)
        for g, f, r in zip(groups, ahead, behind, strict=True)
    ]


def _states(
    base: Contract, redline: Contract, groups: list[list[Change]], scenario: Scenario
) -> list[Contract | None]:
    """The base, then with each group more applied; the last is the redline itself."""
    out: list[Contract | None] = [base]
    applied: list[Change] = []
    for group in groups[:-1]:
        applied += group
        state = with_changes(base, redline, applied)
        if state is not None and why_not_aligned(base, state, scenario):
            state = None
        out.append(state)
    out.append(redline)
    return out


def _effects(states: list[Contract], runs: SameDraws, years: int) -> list[Difference]:
    paid = [paid_per_year(runs.of(s), None, years) for s in states]
    return [difference("step", paid[i], paid[i + 1]) for i in range(len(paid) - 1)]
