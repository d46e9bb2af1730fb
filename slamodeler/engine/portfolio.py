"""The whole book: several contracts priced on one drawing of a scenario (common random numbers,
``simulate_together``), so that their credits add up trial by trial to the company's total
(docs/user-guide.md, "What is the whole book's exposure?").

Each contract's share of the tail is its Euler contribution to the portfolio's TVaR99: its mean
credits over the trials the portfolio's TVaR99 averages (the worst ceil(1% n) trials of the
total, ``exposure.tail_mean``'s), so the contributions add up to the portfolio's TVaR99. The
diversification benefit is the sum of the contracts' own TVaR99s less the portfolio's: never
negative (TVaR is subadditive), zero when the contracts' credits rise and fall together.

Distinct contracts have distinct customers, and the drawing gives every contract the same
incidents: right for incidents on a shared scope (platform, region, service), wrong for a process
that hits customers one by one, which would hand each contract's customers the same incidents of
their own. Such scenarios, contracts in other currencies, and periods that start the years in
other months are refused (``why_not_together``), naming the contract and the field.

Contracts in other time zones share the first contract's drawing: its incidents, drawn over its
months, are measured by each contract in its own periods. A contract's credits are then those of
the same incidents in its own calendar, not those its own ``simulate`` draws (which places the
months, and an hour-of-week profile, in its zone); where two zones' years start hours apart, the
hours of the later zone's year beyond the first's hold no incidents, a shortfall of those hours
in a year (a few hundredths of a percent for an ocean between them).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from slamodeler.domain.contract import Contract
from slamodeler.domain.errors import InputError
from slamodeler.domain.scenario import Scenario
from slamodeler.engine.exposure import Exposure, exposures, tail_mean, trial_quantiles
from slamodeler.engine.horizon import aligned_start
from slamodeler.engine.redline import same_draws
from slamodeler.engine.simulation import CancelToken, Progress, SimulationRun
from slamodeler.engine.tail_intervals import tail_intervals
from slamodeler.engine.tail_shares import share_intervals

F64 = NDArray[np.float64]
LEVEL = 0.99  # TVaR99


@dataclass(frozen=True)
class Member:
    """One contract of the portfolio: its own statistics (``simulate``'s, on the shared trials)
    and its contribution to the portfolio's TVaR99. Money in currency units for the horizon."""

    label: str  # where it came from: KEY@VERSION (and which version), or a file
    run: SimulationRun = field(repr=False)
    exposure: Exposure = field(repr=False)  # the contract's whole (all its tiers)
    contribution: float  # its mean credits over the portfolio's worst trials
    share: float  # contribution / the portfolio's TVaR99

    @property
    def name(self) -> str:
        return self.run.contract.name


@dataclass(frozen=True)
class Portfolio:
    members: list[Member]
    trials: int
    seed: int
    scenario: Scenario
    currency: str
    years: int
    mean: float
    stderr: float
    quantiles: dict[str, float]  # QUANTILES of the total, as exposure.py takes them
    tvar99: float
    tail_trials: int  # how many worst trials TVaR99 and the contributions average
    paid: F64 = field(repr=False)  # the total, per trial
    measured: int = 1  # contracts measured on the drawing; the others re-priced from one

    @cached_property
    def intervals(self) -> dict[str, tuple[float, float]]:
        """95% confidence intervals of the total's P95, P99 and TVaR99 (``tail_intervals``)."""
        return tail_intervals(self.paid)

    @cached_property
    def share_intervals(self) -> tuple[list[tuple[float, float]], tuple[float, float]]:
        """95% confidence intervals of each contract's contribution to TVaR99, in the order
        of ``members``, and of the diversification benefit (``tail_shares``)."""
        return share_intervals(np.vstack([m.exposure.paid for m in self.members]))

    @property
    def standalone_tvar99(self) -> float:
        """The sum of the contracts' own TVaR99s: the tail if they all went bad together."""
        return sum(m.exposure.tvar99 for m in self.members)

    @property
    def diversification(self) -> float:
        """Never below zero on the same trials (each contract's mean over the portfolio's worst
        trials is at most its own worst trials' mean); below zero only by rounding."""
        return max(0.0, self.standalone_tvar99 - self.tvar99)

    @property
    def diversification_share(self) -> float:
        whole = self.standalone_tvar99
        return self.diversification / whole if whole else math.nan


def why_not_together(
    contracts: Sequence[Contract], labels: Sequence[str], scenario: Scenario
) -> str:
    """Why ``contracts`` cannot be priced on one drawing of ``scenario`` ("" when they can),
    naming the contract, the field that differs from the first contract's, and the fix."""
    first, label = contracts[0], labels[0]
    start = _start(first, scenario)
    for terms, name in zip(contracts[1:], labels[1:], strict=True):
        if terms.currency != first.currency:
            return (
                f"{name}: currency is {terms.currency}, {label}'s is {first.currency}; a portfolio "
                "adds credits trial by trial, in one currency: price contracts of each currency "
                "as a portfolio of their own"
            )
        other = _start(terms, scenario)
        if other != start:
            which = (
                "measurement.period"
                if terms.measurement.period != first.measurement.period
                else "measurement.first_month"
            )
            return (
                f"{name}: {which} starts the simulation in {other}, {label}'s in {start}, so "
                f"their years do not line up; give a start where both periods begin "
                f"(--start {max(start, other)}) or set the scenario's start"
            )
    if len(contracts) > 1:
        for process in scenario.processes:
            if not isinstance(process.scope, str) and process.scope.independent is not None:
                return (
                    f"scenario {scenario.name!r}: process {process.name!r} hits customers one by "
                    "one, and one drawing for every contract would give each contract's "
                    "customers the same incidents of their own: give the process a shared "
                    "scope, or price the contracts one by one (`slamodeler simulate`)"
                )
    return ""


def _start(terms: Contract, scenario: Scenario) -> str:
    return aligned_start(scenario.start, terms.measurement.period, terms.measurement.first_month)[0]


def price_portfolio(
    contracts: Sequence[Contract],
    labels: Sequence[str],
    scenario: Scenario,
    trials: int,
    seed: int,
    *,
    executor: Executor | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> Portfolio:
    """Every contract on the same ``trials`` of ``scenario``: each one's own statistics, the
    total's, and each one's contribution to the total's TVaR99."""
    if not contracts:
        raise InputError("a portfolio needs at least one contract")
    problem = why_not_together(contracts, labels, scenario)
    if problem:
        raise InputError(problem)

    runs = same_draws(
        scenario, trials, seed, executor, progress, cancel, "the portfolio run was cancelled"
    )
    runs.measure(contracts)  # one drawing; contracts alike in measurement are re-priced
    priced = [runs.of(c) for c in contracts]
    wholes = [exposures(run)[-1] for run in priced]
    return portfolio_of(list(labels), priced, wholes, len(runs.simulated))


def portfolio_of(
    labels: list[str], runs: list[SimulationRun], wholes: list[Exposure], measured: int = 1
) -> Portfolio:
    """The total of runs on the same trials and each one's Euler contribution to its TVaR99:
    the mean of each over the total's worst k = ceil(1% n) trials (ties at the edge taken in
    trial order), the trials ``tail_mean`` averages, so the contributions add up to it."""
    total = np.sum([w.paid for w in wholes], axis=0)
    n = len(total)
    k = max(1, math.ceil((1 - LEVEL) * n - 1e-9)) if n else 0
    worst = np.argsort(-total, kind="stable")[:k]
    tvar = tail_mean(total, LEVEL)
    members = []
    for label, run, whole in zip(labels, runs, wholes, strict=True):
        part = float(whole.paid[worst].mean()) if n else math.nan
        members.append(Member(label, run, whole, part, part / tvar if tvar else math.nan))
    first = runs[0]
    return Portfolio(
        members=members,
        trials=n,
        seed=first.seed,
        scenario=first.scenario,
        currency=first.contract.currency,
        years=first.scenario.years,
        mean=float(total.mean()) if n else math.nan,
        stderr=float(total.std(ddof=1) / math.sqrt(n)) if n > 1 else math.nan,
        quantiles=trial_quantiles(total),
        tvar99=tvar,
        tail_trials=k,
        paid=total,
        measured=measured,
    )
