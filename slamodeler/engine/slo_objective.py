"""The internal objective that keeps the probability of an SLA breach under a chosen level, and
the MTTR and MTBF a scenario implies (docs/user-guide.md, "What internal objective keeps us
safe?").

An objective ``o`` is the availability operations run the service at on average: its budget,
``1 - o``, is spent at a burn rate of 1 over a period. Under a scenario the incidents keep their
pattern (durations, clustering, impacts) and their frequency is scaled until the mean period
availability is ``o``; the breach probability is then P(a period's availability misses the
tier's target, by the schedule's boundary rule). The answer is the lowest objective whose breach
probability is at most the level asked: run at or above it and breaches are at least that rare.

The exact method (one process hitting everyone, docs/statistics.md) gives each probability to
rounding; the simulation estimates it, and the search then asks that the estimate plus 1.96
standard errors stays under the level, so that the objective it returns is safe at 97.5%
confidence for the trials run. Both report the breach probability at the answer with its error.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from numpy.typing import NDArray

from slamodeler.domain.contract import Contract, Tier
from slamodeler.domain.credit_schedules import boundary_of
from slamodeler.domain.errors import InputError
from slamodeler.domain.limits import MAX_STRESS
from slamodeler.domain.scenario import (
    Duration,
    Empirical,
    Exponential,
    Gamma,
    Lognormal,
    NegativeBinomial,
    Scenario,
    Uniform,
    Weibull,
)
from slamodeler.engine.pricing import Availability, availability_of

Z_SAFE = 1.96  # standard errors added to a simulated estimate before comparing it to the level
STEPS = 40  # halvings of the frequency scale's bracket (log scale): far under any shown digit
Stop = Callable[[], bool] | None


@dataclass(frozen=True)
class BreachPoint:
    """The tier under the scenario with its frequency scaled by ``scale``."""

    scale: float
    mean_availability: float  # the objective this scale runs at (a share)
    mean_se: float  # its standard error (0: exact)
    breach: float  # P(a period misses the target)
    breach_se: float


@dataclass(frozen=True)
class InternalObjective:
    tier: str
    target_pct: Decimal
    level: float
    method: str  # exact or monte-carlo
    trials: int  # 0 for exact
    seed: int | None
    at_scenario: BreachPoint  # the scenario as written
    answer: BreachPoint

    @property
    def objective_percent(self) -> float:
        """The answer, rounded up to 4 decimals: never below the safe objective found."""
        return math.ceil(self.answer.mean_availability * 1e6 - 1e-6) / 1e4

    @property
    def budget_ratio(self) -> float:
        """The internal budget over the contract's: 0.4 means 40% of the SLA's downtime."""
        return (100 - self.objective_percent) / (100 - float(self.target_pct))


def check_level(level: float, field: str = "--breach") -> None:
    if not (math.isfinite(level) and 0 < level < 1):
        raise InputError(
            f"{field}: {level:g} is not a probability above 0 and below 1; give one such as 0.05"
        )


def one_tier(contract: Contract, tier: Tier) -> Contract:
    """The contract with this tier alone: the objective concerns one tier's periods."""
    return contract.model_copy(update={"tiers": [tier]})


def scaled(scenario: Scenario, scale: float) -> Scenario:
    """The scenario with every frequency (processes and catastrophes) times ``scale``."""
    stress = scenario.stress.model_copy(update={"frequency": scenario.stress.frequency * scale})
    return scenario.model_copy(update={"stress": stress})


def search(
    point: Callable[[float], BreachPoint],
    level: float,
    safe: Callable[[BreachPoint], bool],
    most: float,
) -> tuple[BreachPoint, BreachPoint]:
    """The scenario's own point and the highest frequency scale (at most ``most``) that is
    still ``safe``: the breach probability rises with the frequency, so a bracket is halved in
    log scale."""
    base = point(1.0)
    lo, hi = (base, None) if safe(base) else (None, base)
    while lo is None:
        assert hi is not None
        trial = point(hi.scale / 4)
        if safe(trial):
            lo = trial
        elif trial.scale < 1e-9:
            raise InputError(
                f"even with its incidents a billion times rarer the scenario breaches more often "
                f"than {level:g}: check the scenario and the tier's target"
            )
        else:
            hi = trial
    while hi is None:
        if lo.scale >= most:
            raise InputError(
                f"even {most:g} times as frequent, the scenario's incidents make the tier breach "
                f"less often than {level:g}: any objective they allow is safe (check that the "
                "scenario reaches the tier's scope, and its causes and impacts count)"
            )
        trial = point(min(lo.scale * 4, most))
        if not safe(trial):
            hi = trial
        else:
            lo = trial
    for _ in range(STEPS):
        if hi.scale / lo.scale < 1 + 1e-7:
            break
        mid = point(math.sqrt(lo.scale * hi.scale))
        lo, hi = (mid, hi) if safe(mid) else (lo, mid)
    return base, lo


def _most(scenario: Scenario) -> float:
    """The largest frequency scale a scenario's stress may take (the domain's limit)."""
    return MAX_STRESS / max(scenario.stress.frequency, 1e-12)


def _checked(point: Callable[[float], BreachPoint], stop: Stop) -> Callable[[float], BreachPoint]:
    """``point``, refusing to go on once ``stop`` says so (a cancel from the desktop)."""

    def checked(scale: float) -> BreachPoint:
        if stop is not None and stop():
            raise InputError("cancelled")
        return point(scale)

    return checked


def internal_objective_exact(
    contract: Contract, tier_name: str, scenario: Scenario, level: float, stop: Stop = None
) -> InternalObjective:
    from slamodeler.engine.exact import downtimes, first_slots, mean_slots

    check_level(level)
    tier = contract.tier(tier_name)
    alone = one_tier(contract, tier)
    found = downtimes(alone, scenario)
    horizon, per_slot = found.horizon, found.per_slot
    period_micro = horizon.period_micro
    most = int(period_micro.max() // per_slot) + 1 if per_slot else 0
    most = min(most, int(found.month_slots.min()) - 1)
    down = np.arange(most + 1, dtype=np.int64)[:, None] * per_slot
    down = np.minimum(np.repeat(down, len(period_micro), 1), period_micro[None, :])
    missed = availability_of(alone, horizon, down, np.zeros_like(down)).misses(
        tier.target_pct, boundary_of(tier.credits)
    )
    # the first k that misses in each period: below it none does (availability falls with k)
    first_miss = np.where(missed.any(axis=0), missed.argmax(axis=0), most + 1)
    keep = int(first_miss.max())
    months = np.array([int(p.months) for p in horizon.periods], dtype=np.float64)
    base = found.scenario.stress.frequency

    def point(scale: float) -> BreachPoint:
        dists = first_slots(found, base * scale, max(keep - 1, 0))
        met = np.array([d[: int(k)].sum() for d, k in zip(dists, first_miss, strict=True)])
        mean_down = mean_slots(found, base * scale) * months * per_slot
        availability = float(np.mean(1 - mean_down / period_micro))
        return BreachPoint(scale, availability, 0.0, float(np.mean(1 - np.clip(met, 0, 1))), 0.0)

    at, answer = search(_checked(point, stop), level, lambda p: p.breach <= level, _most(scenario))
    return InternalObjective(tier.name, tier.target_pct, level, "exact", 0, None, at, answer)


def internal_objective_simulated(
    contract: Contract,
    tier_name: str,
    scenario: Scenario,
    level: float,
    trials: int,
    seed: int,
    stop: Stop = None,
) -> InternalObjective:
    from slamodeler.engine.simulation import simulate

    check_level(level)
    tier = contract.tier(tier_name)
    alone = one_tier(contract, tier)
    boundary = boundary_of(tier.credits)

    def point(scale: float) -> BreachPoint:
        run = simulate(alone, scaled(scenario, scale), trials, seed)
        rows = run.measured.whole_rows(next(iter(run.measured.units)))
        availability = availability_of(alone, run.horizon, rows.downtime, rows.excluded)
        breach = _per_customer(
            rows.trial,
            rows.customer,
            availability.misses(tier.target_pct, boundary),
            tier.customers,
            run.trials,
        )
        share = _per_customer(
            rows.trial, rows.customer, _shares(availability), tier.customers, run.trials
        )
        return BreachPoint(
            scale, float(share.mean()), _se(share), float(breach.mean()), _se(breach)
        )

    at, answer = search(
        _checked(point, stop),
        level,
        lambda p: p.breach + Z_SAFE * p.breach_se <= level,
        _most(scenario),
    )
    return InternalObjective(
        tier.name, tier.target_pct, level, "monte-carlo", trials, seed, at, answer
    )


def _shares(availability: Availability) -> NDArray[np.float64]:
    base = availability.base.astype(np.float64)
    return np.where(base > 0, 1 - availability.down / np.maximum(base, 1), 1.0)


def _per_customer(
    trial: NDArray[np.int64],
    customer: NDArray[np.int64],
    values: NDArray,
    customers: int,
    trials: int,
) -> NDArray[np.float64]:
    """Per trial, the value averaged over the tier's customers and the periods: the shared row
    stands for every customer no incident of its own hit, the others for themselves."""
    per_row = values.astype(np.float64).mean(axis=1)
    shared = customer < 0
    out = np.zeros(trials)
    own = np.zeros(trials)
    hit = np.zeros(trials)
    out[trial[shared]] = per_row[shared]
    np.add.at(own, trial[~shared], per_row[~shared])
    np.add.at(hit, trial[~shared], 1)
    return (out * (customers - hit) + own) / customers


def _se(values: NDArray[np.float64]) -> float:
    return float(values.std(ddof=1) / math.sqrt(len(values))) if len(values) > 1 else 0.0


@dataclass(frozen=True)
class ScenarioReliability:
    """MTTR, MTBF and availability a scenario implies for a tier; per incident (overlapping
    incidents are not merged), wall-clock, incidents of weight above 0 that count in scope."""

    method: str  # "exact" (from the parameters) or "monte-carlo"
    incidents_per_month: float
    mttr_minutes: float
    mttr_se: float
    month_minutes: float

    @property
    def mtbf_minutes(self) -> float:
        return self.month_minutes / self.incidents_per_month - self.mttr_minutes

    @property
    def availability(self) -> float:
        return self.mtbf_minutes / (self.mtbf_minutes + self.mttr_minutes)


def duration_mean(dist: Duration) -> float | None:
    """The mean of a duration distribution in minutes, in closed form; None for durations
    from an incident file that is not loaded."""
    if isinstance(dist, Exponential):
        return dist.mean
    if isinstance(dist, Lognormal):
        return dist.median * math.exp(dist.sigma**2 / 2)
    if isinstance(dist, Weibull):
        return dist.scale * math.gamma(1 + 1 / dist.shape)
    if isinstance(dist, Gamma):
        return dist.shape * dist.scale
    if isinstance(dist, Uniform):
        return (dist.low + dist.high) / 2
    if isinstance(dist, Empirical) and dist.values:
        return sum(dist.values) / len(dist.values)
    return None


def scenario_reliability(
    contract: Contract, tier_name: str, scenario: Scenario, trials: int = 2000, seed: int = 1
) -> ScenarioReliability:
    """From the parameters when every process and catastrophe hits everyone at once (no
    independent or zone scope): the rate of incidents that count times their mean duration;
    else estimated from ``trials`` drawn trials."""
    from slamodeler.engine.horizon import scope_key
    from slamodeler.engine.interval_measure import COUNTS
    from slamodeler.engine.outage_model import OutageModel
    from slamodeler.engine.simulation import block_rng, scenario_horizon

    tier = contract.tier(tier_name)
    horizon = scenario_horizon(contract, scenario)
    model = OutageModel(scenario, contract, horizon)
    month_minutes = (model.end - model.start) / 60 / (scenario.years * 12)
    key = scope_key(tier)
    counts = {c: k == COUNTS for c, k in zip(model.causes, model.cause_class, strict=True)}
    weighs = dict(zip(model.impacts, (w > 0 for w in model.impact_micro), strict=True))
    means = [duration_mean(p.duration_minutes) for p in scenario.processes]
    means += [duration_mean(c.minutes) for c in scenario.catastrophes]
    exact = (
        not model.hits_customers_one_by_one
        and all(p.zones is None for p in scenario.processes)
        and tier.scope.zones is None
        and None not in means
    )
    if exact:
        rate = duration = 0.0
        stress = scenario.stress
        for process, (indexes, shares), mean in zip(
            scenario.processes, model.process_sources, means[: len(scenario.processes)], strict=True
        ):
            freq = process.frequency
            per_month = (
                freq.mean_per_month if isinstance(freq, NegativeBinomial) else freq.rate_per_month
            )
            reach = sum(
                float(s)
                for i, s in zip(indexes, shares, strict=True)
                if model.sources[i].reaches(key)
            )
            impact = sum(v for k, v in process.impact.items() if weighs[k])
            cause = sum(v for k, v in process.cause.items() if counts[k])
            r = per_month * stress.frequency * reach * impact * cause
            rate, duration = rate + r, duration + r * float(mean or 0) * stress.duration
        for c, mean in zip(scenario.catastrophes, means[len(scenario.processes) :], strict=True):
            if weighs[c.impact] and counts[c.cause]:
                r = c.rate_per_year / 12 * stress.frequency
                rate, duration = rate + r, duration + r * float(mean or 0) * stress.duration
        if rate <= 0:
            raise InputError(_none_reach(tier))
        return ScenarioReliability("exact", rate, duration / rate, 0.0, month_minutes)
    drawn = model.draw(block_rng(seed, 0), trials)
    reaches = np.array([s.reaches(key) for s in model.sources])
    keep = (
        reaches[drawn.source]
        & (model.impact_micro[drawn.impact] > 0)
        & (model.cause_class[drawn.cause] == COUNTS)
        & ((drawn.tier < 0) | ((drawn.tier == contract.tiers.index(tier)) & (drawn.customer == 0)))
    )
    minutes = (drawn.end[keep] - drawn.start[keep]) / 60
    if not len(minutes):
        raise InputError(_none_reach(tier))
    rate = len(minutes) / trials / (scenario.years * 12)
    return ScenarioReliability(
        "monte-carlo", rate, float(minutes.mean()), _se(minutes), month_minutes
    )


def _none_reach(tier: Tier) -> str:
    return (
        f"tier {tier.name}: no incident of the scenario counts in its scope; check the scenario's "
        "regions and services, causes and impacts"
    )


__all__ = [
    "BreachPoint",
    "InternalObjective",
    "ScenarioReliability",
    "check_level",
    "duration_mean",
    "internal_objective_exact",
    "internal_objective_simulated",
    "scenario_reliability",
]
