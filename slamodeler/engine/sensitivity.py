"""Which term moves our exposure most: a tornado of the mean and P99 of credits paid per year
over contract terms and scenario parameters, each moved alone to a low and a high value, and a
spider of one term across its range (docs/user-guide.md, "Which term moves our exposure most?").

Every variant is priced on common random numbers. A contract term's variants all see one
drawing of the scenario (``same_draws``): re-priced when only credit terms move, measured again
on the same draws otherwise. A scenario parameter changes what is drawn, so each of its variants
is a new drawing on the same seed: the same stream of random numbers feeds a changed model, which
keeps the two runs close (a longer median stretches the same incidents) but not identical in
what they draw; the paired standard error of each change says how well it is resolved.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Literal

import numpy as np

from slamodeler.domain.contract import Contract
from slamodeler.domain.contract_limits import run_too_large
from slamodeler.domain.errors import InputError
from slamodeler.domain.limits import PCT_DECIMALS
from slamodeler.domain.scenario import Scenario
from slamodeler.domain.simulation_request import SENSITIVITY_ORDERS as ORDERS
from slamodeler.domain.term_paths import Number, numeric_terms, term_value, with_term
from slamodeler.engine.exposure import trial_quantiles
from slamodeler.engine.redline import (
    F64,
    SameDraws,
    paid_per_year,
    paired_stderr,
    same_draws,
    why_not_aligned,
)
from slamodeler.engine.simulation import CancelToken, Progress, SimulationRun

Side = Literal["contract", "scenario"]
MAX_SPIDER_STEPS = 21
# Decimal terms are percentages (PCT_DECIMALS) or money (more decimals): the fewer fits both.
STEP = Decimal(1).scaleb(-PCT_DECIMALS)


@dataclass(frozen=True)
class TermRange:
    """A term by path and the values it is moved to (low <= high)."""

    path: str
    low: float
    high: float


@dataclass(frozen=True)
class Point:
    """The statistics with the term at ``value``, and their change from the base's."""

    value: Number
    mean: float
    p99: float
    mean_change: float
    mean_stderr: float  # of the mean's change, from the paired trials
    p99_change: float


@dataclass(frozen=True)
class Bar:
    """One term of the tornado: its base value and the point at each end of its range."""

    path: str
    side: Side
    base_value: Number
    low: Point
    high: Point

    def width(self, by: str = "mean") -> float:
        """How far the statistic moves across the range."""
        attr = f"{by}_change"
        return abs(getattr(self.high, attr) - getattr(self.low, attr))


@dataclass(frozen=True)
class Sensitivity:
    """The base run's statistics and the bars, widest first (by ``order``)."""

    base: SimulationRun
    tiers: list[str] | None  # None: every tier
    years: int
    base_mean: float
    base_p99: float
    bars: list[Bar]
    order: str
    simulations: int

    @property
    def trials(self) -> int:
        return self.base.trials


@dataclass(frozen=True)
class Spider:
    """One term at several values across its range."""

    base: SimulationRun
    path: str
    side: Side
    tiers: list[str] | None
    years: int
    base_value: Number
    base_mean: float
    base_p99: float
    points: list[Point]
    simulations: int

    @property
    def trials(self) -> int:
        return self.base.trials


def side_of(contract: Contract, scenario: Scenario, path: str) -> tuple[Side, Number]:
    """Whether ``path`` is a contract term or a scenario parameter, and its value; an unknown
    path is an InputError naming it and the terms near it (of the model its first key names)."""
    if path in numeric_terms(contract):
        return "contract", term_value(contract, path)
    if path in numeric_terms(scenario):
        return "scenario", term_value(scenario, path)
    head = path.split("[", 1)[0].split(".", 1)[0]
    model = scenario if head in type(scenario).model_fields else contract
    term_value(model, path)  # raises, naming the near terms
    raise AssertionError(path)  # pragma: no cover


def rounded(old: Number, value: float) -> Number:
    """``value`` written as the term allows: whole for a count, PCT_DECIMALS for a Decimal."""
    if isinstance(old, int):
        return round(float(value))
    if isinstance(old, Decimal):
        written = Decimal(repr(float(value)))
        try:
            exact = written.quantize(STEP, rounding=ROUND_HALF_EVEN)
        except InvalidOperation:  # too large to write so: the term's own limit refuses it
            return written
        return old if exact == old else Decimal(f"{exact.normalize():f}")  # 12.5000 -> 12.5
    return float(value)


class _Runner:
    """Prices variants of one contract and scenario on common random numbers and measures the
    statistics of credits paid per year (``tiers``, or all)."""

    def __init__(
        self,
        contract: Contract,
        scenario: Scenario,
        trials: int,
        seed: int,
        tiers: Sequence[str] | None,
        draws: Callable[[Scenario], SameDraws],
        variants: Sequence[Contract | Scenario],
    ):
        """The base and every contract variant that needs measuring again are simulated
        together, on one drawing of the scenario."""
        self.contract, self.scenario = contract, scenario
        self.trials, self.seed, self.tiers = trials, seed, tiers
        self._draws = draws
        self.runs = draws(scenario)
        self.drawings = 1
        self.runs.measure([contract, *(v for v in variants if isinstance(v, Contract))])
        self.base = self.runs.of(contract)
        self.base_paid = self._paid(self.base, scenario)

    def _paid(self, run: SimulationRun, scenario: Scenario) -> F64:
        return paid_per_year(run, self.tiers, scenario.years)

    def point(self, value: Number, variant: Contract | Scenario) -> Point:
        """The statistics of the base contract under ``variant`` (a contract on the base's
        draws, or a scenario drawn on the same seed)."""
        if isinstance(variant, Contract):
            paid = self._paid(self.runs.of(variant), self.scenario)
        elif variant == self.scenario:
            paid = self.base_paid
        else:
            self.drawings += 1
            paid = self._paid(self._draws(variant).of(self.contract), variant)
        return _point(value, self.base_paid, paid)

    @property
    def simulations(self) -> int:
        return len(self.runs.simulated) + self.drawings - 1


def _point(value: Number, base: F64, paid: F64) -> Point:
    base_p99, p99 = _p99(base), _p99(paid)
    return Point(
        value=value,
        mean=float(paid.mean()),
        p99=p99,
        mean_change=float((paid - base).mean()),
        mean_stderr=paired_stderr(paid - base),
        p99_change=p99 - base_p99,
    )


def _p99(paid: F64) -> float:
    """As exposure.py takes quantiles: the smallest value with 99% of trials at or below it."""
    return trial_quantiles(paid)["p99"]


def variant(
    contract: Contract, scenario: Scenario, side: Side, path: str, value: Number, trials: int
) -> Contract | Scenario:
    """The contract or the scenario with the term at ``value``: refused (naming the term) if
    the term does not allow it, if a contract's draws would no longer line up with the base's,
    or if the run would be too large to hold (more years or customers)."""
    moved: Contract | Scenario
    if side == "scenario":
        moved = with_term(scenario, path, value)
        problem = run_too_large(contract, moved, trials)
    else:
        moved = with_term(contract, path, value)
        problem = why_not_aligned(contract, moved, scenario) or run_too_large(
            moved, scenario, trials
        )
    if problem:
        raise InputError(f"{path} = {value}: {problem}")
    return moved


def _runner(
    contract: Contract,
    scenario: Scenario,
    trials: int,
    seed: int,
    tiers: Sequence[str] | None,
    executor: Executor | None,
    progress: Progress | None,
    cancel: CancelToken | None,
    variants: Sequence[Contract | Scenario],
) -> _Runner:
    unknown = [t for t in tiers or [] if t not in {x.name for x in contract.tiers}]
    if unknown:
        raise InputError(
            f"tier {unknown[0]!r}: the contract has no such tier; its tiers are "
            + ", ".join(t.name for t in contract.tiers)
        )
    return _Runner(
        contract,
        scenario,
        trials,
        seed,
        tiers,
        lambda s: same_draws(s, trials, seed, executor, progress, cancel),
        variants,
    )


def check_range(contract: Contract, scenario: Scenario, term: TermRange) -> tuple[Side, Number]:
    """The term's side and base value; InputError if the path is unknown or low > high."""
    side, base = side_of(contract, scenario, term.path)
    if not (math.isfinite(term.low) and math.isfinite(term.high)):
        raise InputError(f"{term.path}: the range needs two finite numbers")
    if term.low > term.high:
        raise InputError(
            f"{term.path}: low {term.low:g} is above high {term.high:g}; give LOW:HIGH"
        )
    return side, base


def tornado(
    contract: Contract,
    scenario: Scenario,
    ranges: Sequence[TermRange],
    trials: int,
    seed: int,
    *,
    tiers: Sequence[str] | None = None,
    order: str = "mean",
    executor: Executor | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> Sensitivity:
    """Each term moved alone to its low and its high value, the rest at the base; the bars
    ordered by how far they move the ``order`` statistic ("mean" or "p99"), widest first."""
    if order not in ORDERS:
        raise InputError(f"order {order!r}: give one of {', '.join(ORDERS)}")
    if not ranges:
        raise InputError("no terms to vary: give at least one PATH=LOW:HIGH")
    ends = []  # each term's side, base value, and its two ends as values and variants
    for r in ranges:
        side, base = check_range(contract, scenario, r)
        values = (rounded(base, r.low), rounded(base, r.high))
        models = [variant(contract, scenario, side, r.path, v, trials) for v in values]
        ends.append((r.path, side, base, list(zip(values, models, strict=True))))
    run = _runner(
        contract, scenario, trials, seed, tiers, executor, progress, cancel,
        [m for *_, pair in ends for _, m in pair],
    )  # fmt: skip
    bars = [
        Bar(path, side, base, run.point(*pair[0]), run.point(*pair[1]))
        for path, side, base, pair in ends
    ]
    bars.sort(key=lambda b: b.width(order), reverse=True)
    return Sensitivity(
        base=run.base,
        tiers=list(tiers) if tiers else None,
        years=scenario.years,
        base_mean=float(run.base_paid.mean()),
        base_p99=_p99(run.base_paid),
        bars=bars,
        order=order,
        simulations=run.simulations,
    )


def spider_values(base: Number, low: float, high: float, steps: int) -> list[Number]:
    """``steps`` values evenly across [low, high] as the term writes them, without repeats."""
    if not 2 <= steps <= MAX_SPIDER_STEPS:
        raise InputError(f"steps {steps}: give 2 to {MAX_SPIDER_STEPS} values across the range")
    return list(dict.fromkeys(rounded(base, v) for v in np.linspace(low, high, steps)))


def spider(
    contract: Contract,
    scenario: Scenario,
    term: TermRange,
    steps: int,
    trials: int,
    seed: int,
    *,
    tiers: Sequence[str] | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> Spider:
    """The statistics with ``term`` at ``steps`` values across its range, the rest at the base."""
    side, base = check_range(contract, scenario, term)
    values = spider_values(base, term.low, term.high, steps)
    models = [variant(contract, scenario, side, term.path, v, trials) for v in values]
    run = _runner(
        contract, scenario, trials, seed, tiers, executor, progress, cancel, models
    )  # fmt: skip
    return Spider(
        base=run.base,
        path=term.path,
        side=side,
        tiers=list(tiers) if tiers else None,
        years=scenario.years,
        base_value=base,
        base_mean=float(run.base_paid.mean()),
        base_p99=_p99(run.base_paid),
        points=[run.point(v, m) for v, m in zip(values, models, strict=True)],
        simulations=run.simulations,
    )
