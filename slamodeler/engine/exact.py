"""The exact method (`simulate --method exact`, docs/statistics.md): credit distributions
computed, not sampled, where the contract and scenario allow it.

A qualifying scenario has one process, Poisson or negative binomial counts per month, incidents
hitting everyone (``scope: all``) at any time of the month (``start_profile: uniform``). A month's
downtime is then a compound sum: a count of incidents, each down for K slots of the contract's
grid, K drawn from the duration (rounded to the second, as the simulation draws it) and the
incident's uniform start within its first slot, under the contract's slot-counting rule and
minimum downtime. Panjer's recursion gives the sum's distribution on the slot lattice; months
are convolved into the contract's periods; each period's downtime is priced by the engine's own
per-period pricing (``pricing.period_amounts``), and the periods' credits, independent, are
convolved into the horizon's total.

"Exact" is the compound sum. The engine's rule differs in two ways: incidents whose slots overlap
or touch count their union (or one run, for the minimum downtime), not their sum, and an incident
running past the end of its month counts in the next. ``differ_bound`` bounds the expected number
of periods where either can happen; where it is small the two agree to within it (a measured
test compares them).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from slamodeler.domain.contract import Contract, Tier
from slamodeler.domain.credit_schedules import boundary_of
from slamodeler.domain.errors import InputError
from slamodeler.domain.money import minor_unit
from slamodeler.domain.scenario import (
    Duration,
    Empirical,
    Exponential,
    Gamma,
    Lognormal,
    NegativeBinomial,
    Process,
    Scenario,
    Uniform,
    Weibull,
)
from slamodeler.domain.validation import changed
from slamodeler.engine.exposure import QUANTILES, Exposure, revenue_and_cost
from slamodeler.engine.horizon import Horizon, aligned_start
from slamodeler.engine.outage_model import OutageModel, impact_weight
from slamodeler.engine.pricing import CreditTerms, availability_of, period_amounts
from slamodeler.engine.simulation import scenario_horizon
from slamodeler.engine.slot_rules import SlotRules

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
MAX_LATTICE = 2**23  # points of a total's lattice that are convolved; more: refused
SAMPLE_POINTS = 10_000  # quantile points standing for the distribution in charts (Exposure.paid)


@dataclass(frozen=True)
class ExactRun:
    """What ``exact`` found: each tier then the portfolio, as the simulation reports them."""

    contract: Contract
    scenario: Scenario
    horizon: Horizon
    exposures: list[Exposure]
    differ_bound: float  # expected periods of the horizon where the engine's rule may differ
    start_note: str = ""

    @property
    def notes(self) -> list[str]:
        return ([self.start_note] if self.start_note else []) + [
            "exact method: compound sums of incident slots, convolved over the periods; "
            f"overlapping or month-crossing incidents (where the engine's rule differs) are "
            f"expected in at most {self.differ_bound:.3g} period(s) of the horizon"
        ]


def refusal(contract: Contract, scenario: Scenario) -> str:
    """Why the exact method cannot price this contract under this scenario ("" when it can):
    the first term that makes a period's credit depend on more than its own downtime, or a
    month's downtime more than a compound sum."""
    m, x = contract.measurement, contract.exclusions
    if len(scenario.processes) != 1:
        return (
            f"the exact method needs a scenario with one process; this one has "
            f"{len(scenario.processes)} (processes): use --method monte-carlo"
        )
    checks = [
        (bool(scenario.catastrophes), "the scenario's catastrophes"),
        (scenario.tickets is not None, "the scenario's support tickets"),
        (m.window is not None, "measurement.window"),
        (m.service_hours is not None, "measurement.service_hours"),
        (bool(x.maintenance_windows), "exclusions.maintenance_windows"),
        (
            x.maintenance_allowance_minutes_per_year is not None,
            "exclusions.maintenance_allowance_minutes_per_year",
        ),
        (contract.liability_cap is not None, "liability_cap"),
        (contract.customer_cap is not None, "customer_cap"),
        (contract.chronic_failure is not None, "chronic_failure"),
        (contract.claims.claim_rate_sd is not None, "claims.claim_rate_sd"),
    ]
    for wrong, term in checks:
        if wrong:
            return _refused(term)
    for i, tier in enumerate(contract.tiers):
        for wrong, term in (
            (tier.caps.per_year_pct_of_annual_fees is not None, "caps.per_year_pct_of_annual_fees"),
            (tier.chronic_failure is not None, "chronic_failure"),
            (tier.support is not None, "support"),
            (tier.incident_credits is not None, "incident_credits"),
            (tier.scope.zones is not None, "scope.zones"),
        ):
            if wrong:
                return _refused(f"tiers[{i}].{term}")
    return _process_refusal(contract, scenario.processes[0])


def _refused(term: str) -> str:
    return (
        f"the exact method cannot price {term}: with it a period's credit is more than a "
        "function of that period's downtime from one process (docs/statistics.md, Exact "
        "method); leave it out or use --method monte-carlo"
    )


def _process_refusal(contract: Contract, process: Process) -> str:
    where = f"processes[0] ({process.name!r})"
    if process.scope != "all":
        return _refused(f"{where}.scope")
    if process.start_profile != "uniform":
        return _refused(f"{where}.start_profile")
    if process.zones is not None:
        return _refused(f"{where}.zones")
    excluded = set(contract.exclusions.causes) & set(process.cause)
    if excluded:
        return _refused(f"{where}.cause {sorted(excluded)[0]!r}, which the contract excludes")
    if len({w for w in _weights(contract, process) if w}) > 1:
        return _refused(f"{where}.impact with different weights")
    if isinstance(process.duration_minutes, Empirical) and process.duration_minutes.values is None:
        return _refused(f"{where}.duration_minutes from an incident file not loaded")
    return ""


def _weights(contract: Contract, process: Process) -> list[int]:
    """Each impact's weight in millionths, after the threshold rule (``down_above``)."""
    model_weights = []
    rules = SlotRules.of(contract.measurement)
    for label in process.impact:
        model_weights.append(impact_weight(label, contract, f"process {process.name!r}"))
    return rules.threshold(np.array(model_weights, np.int64)).tolist()


@dataclass(frozen=True)
class Downtimes:
    """Each period's downtime distribution: ``periods[p][k]`` is P(k slots down in period p),
    the last entry the whole period; a slot down is ``per_slot`` micro-minutes of downtime."""

    scenario: Scenario  # its start moved to a period's first month, as the simulation does
    start_note: str
    horizon: Horizon
    severity: F64  # P(an incident counts in k slots)
    month_slots: I64
    periods: list[F64]
    per_slot: int


def downtimes(contract: Contract, scenario: Scenario) -> Downtimes:
    """The periods' downtime distributions, or an InputError naming the term that prevents
    them."""
    problem = refusal(contract, scenario)
    if problem:
        raise InputError(problem)
    start, start_note = aligned_start(
        scenario.start, contract.measurement.period, contract.measurement.first_month
    )
    if start_note:
        scenario = changed(scenario, f"scenario {scenario.name!r}", start=start)
    horizon = scenario_horizon(contract, scenario)
    process = scenario.processes[0]
    slot = horizon.grid.slot_seconds
    month_slots = np.diff(OutageModel(scenario, contract, horizon).month_bounds) // slot
    severity = slot_pmf(
        process.duration_minutes,
        scenario.stress.duration,
        slot,
        int(month_slots.max()),
        SlotRules.of(contract.measurement).counting,
    )
    weights = _weights(contract, process)
    down_share = sum(p for p, w in zip(process.impact.values(), weights, strict=True) if w)
    severity = _thinned(
        _min_downtime(severity, slot, contract.measurement.min_downtime_minutes), down_share
    )
    months = _month_downtimes(process, scenario.stress.frequency, severity, month_slots)
    periods = _period_downtimes(months, [int(p.months) for p in horizon.periods])
    per_slot = slot // 60 * max(weights)  # micro-minutes: the weight of the incidents that count
    return Downtimes(scenario, start_note, horizon, severity, month_slots, periods, per_slot)


def exact(contract: Contract, scenario: Scenario) -> ExactRun:
    """The exact credit distributions, or an InputError naming the term that prevents them."""
    found = downtimes(contract, scenario)
    horizon, periods = found.horizon, found.periods
    tiers = [
        _tier_amounts(contract, tier, horizon, periods, found.per_slot) for tier in contract.tiers
    ]
    unit = float(minor_unit(contract.currency))
    out = [
        _exposure(tier.name, amounts, periods, unit, revenue_and_cost(tier, horizon.periods))
        for tier, amounts in zip(contract.tiers, tiers, strict=True)
    ]
    portfolio = _Amounts.total(tiers)
    revenue = sum(e.revenue for e in out)
    cost = sum(e.cost for e in out)
    out.append(_exposure("portfolio", portfolio, periods, unit, (revenue, cost)))
    process, stress = found.scenario.processes[0], found.scenario.stress.frequency
    bound = _differ_bound(process, stress, found.severity, found.month_slots)
    return ExactRun(contract, found.scenario, horizon, out, bound, found.start_note)


def duration_cdf(dist: Duration, stress: float, seconds: F64) -> F64:
    """P(an incident lasts at most ``seconds``, rounded to the second as drawn)."""
    from scipy import stats  # imported when used: the desktop application opens without scipy

    x = (seconds + 0.5) / 60.0 / stress
    if isinstance(dist, Exponential):
        return stats.expon(scale=dist.mean).cdf(x)
    if isinstance(dist, Lognormal):
        return stats.lognorm(s=dist.sigma, scale=dist.median).cdf(x)
    if isinstance(dist, Weibull):
        return stats.weibull_min(dist.shape, scale=dist.scale).cdf(x)
    if isinstance(dist, Gamma):
        return stats.gamma(dist.shape, scale=dist.scale).cdf(x)
    if isinstance(dist, Uniform):
        return stats.uniform(dist.low, dist.high - dist.low).cdf(x)
    assert isinstance(dist, Empirical) and dist.values is not None
    drawn = np.rint(np.asarray(dist.values, np.float64) * stress * 60)  # as the simulation does
    return np.searchsorted(np.sort(drawn), seconds, side="right") / len(drawn)


def slot_pmf(dist: Duration, stress: float, slot: int, most: int, counting: str) -> F64:
    """P(an incident counts in k slots), k = 0..most (the last: ``most`` or more), for a start
    uniform over the seconds of its first slot. Adding a slot's seconds to a duration adds one
    slot whatever the rule, so two slots' worth of durations give every count."""
    seconds = np.arange(-1, slot * (most + 2), dtype=np.float64)
    cdf = duration_cdf(dist, stress, seconds)
    cdf[0] = 0.0
    mass = np.diff(cdf)  # P(duration = s seconds), s = 0, 1, ...
    offset = np.arange(slot)
    table = np.array([_slots_counted(s, offset, slot, counting) for s in range(2 * slot)])
    pmf = np.zeros(most + 4)
    for s in range(slot):  # the shortest durations: their own counts
        np.add.at(pmf, table[s], mass[s] / slot)
    rest = mass[slot : slot * (most + 1)].reshape(most, slot)  # row q: s = (q + 1) slot + r
    for r in range(slot):
        for k in np.unique(table[slot + r]):
            share = np.mean(table[slot + r] == k)
            pmf[k : k + most] += rest[:, r] * share
    out = pmf[: most + 1].copy()
    out[most] += max(0.0, 1.0 - out.sum())  # the longest incidents fill a period or more
    return out


def _slots_counted(seconds: int, offset: I64, slot: int, counting: str) -> I64:
    """Slots an incident of ``seconds`` starting ``offset`` seconds into a slot counts in
    (``SlotRules.counted_range`` on one slot grid)."""
    if seconds == 0:
        return np.zeros(len(offset), np.int64)
    end = offset + seconds
    first, stop = np.zeros(len(offset), np.int64), -(-end // slot)
    if counting == "any":
        return stop - first

    def enough(k: I64) -> NDArray[np.bool_]:
        cover = np.minimum(end, (k + 1) * slot) - np.maximum(offset, k * slot)
        return cover >= slot if counting == "whole" else 2 * cover > slot

    first = np.where(enough(first), first, first + 1)
    stop = np.where(enough(stop - 1), stop, stop - 1)
    return np.maximum(stop, first) - first


def _min_downtime(severity: F64, slot: int, minimum: int) -> F64:
    """Incidents whose run of slots is shorter than the minimum downtime count nothing."""
    minutes = slot // 60
    if minimum <= minutes:
        return severity
    short = np.arange(len(severity)) * minutes < minimum
    out = np.where(short, 0.0, severity)
    out[0] += severity[short].sum()
    return out


def _thinned(severity: F64, share: float) -> F64:
    """Only ``share`` of the incidents weigh anything; the others count no slot."""
    out = severity * share
    out[0] += 1.0 - share
    return out


def _counts(process: Process, stress: float) -> tuple[float, float, float]:
    """Panjer's (a, b) and the mean count a month, stressed."""
    freq = process.frequency
    if isinstance(freq, NegativeBinomial):
        beta = freq.mean_per_month * stress / freq.dispersion
        a = beta / (1 + beta)
        return a, (freq.dispersion - 1) * a, freq.mean_per_month * stress
    return 0.0, freq.rate_per_month * stress, freq.rate_per_month * stress


def compound(a: float, b: float, severity: F64, p0: float) -> F64:
    """Panjer's recursion over the (a, b, 0) class: P(sum of the severities = t), t up to
    len(severity) - 1, given P(no incident counts) ``p0``."""
    n = len(severity)
    g = np.zeros(n)
    g[0] = p0
    last = int(np.flatnonzero(severity)[-1]) if severity[1:].any() else 0
    f, jf = severity, severity * np.arange(n, dtype=np.float64)
    scale = 1.0 / (1.0 - a * severity[0])
    for t in range(1, n):
        hi = min(t, last)  # severities above the largest possible one are 0
        past = g[t - hi : t][::-1]  # g[t - 1], ..., g[t - hi]
        g[t] = scale * (a * (f[1 : hi + 1] @ past) + b / t * (jf[1 : hi + 1] @ past))
    return g


def _month_downtimes(process: Process, stress: float, severity: F64, month_slots: I64) -> list[F64]:
    """Each month's downtime in slots (the last entry: the whole month or more)."""
    a, b, _ = _counts(process, stress)
    g = compound(a, b, severity, _none_counts(process, stress, severity[0]))
    out = []
    for slots in month_slots.tolist():
        month = g[: slots + 1].copy()
        month[slots] = max(0.0, 1.0 - g[:slots].sum())
        out.append(month)
    return out


def _none_counts(process: Process, stress: float, f0: float) -> float:
    """P(no incident of a month counts), given P(an incident counts in no slot) ``f0``."""
    _, _, mean = _counts(process, stress)
    freq = process.frequency
    if isinstance(freq, NegativeBinomial):
        p0 = (1 + mean / freq.dispersion * (1 - f0)) ** -freq.dispersion
    else:
        p0 = math.exp(-mean * (1 - f0))
    if p0 < 1e-250:
        raise InputError(
            f"processes[0] ({process.name!r}): {mean:g} incidents a month are too many for the "
            "exact recursion; use --method monte-carlo"
        )
    return p0


def first_slots(found: Downtimes, frequency: float, most: int) -> list[F64]:
    """Each period's P(k slots down) for k up to ``most`` only, under the frequency stress
    ``frequency``: the recursion's first terms depend on the severities up to them only, so they
    are exact and far cheaper than the whole lattice (``most`` must be under a month's slots)."""
    process = found.scenario.processes[0]
    severity = found.severity[: most + 1]
    a, b, _ = _counts(process, frequency)
    month = compound(a, b, severity, _none_counts(process, frequency, float(found.severity[0])))
    out = []
    for months in (int(p.months) for p in found.horizon.periods):
        dist = month
        for _ in range(months - 1):
            dist = np.clip(_fftconvolve(dist, month)[: most + 1], 0.0, None)
        out.append(dist)
    return out


def mean_slots(found: Downtimes, frequency: float) -> float:
    """Expected slots down a month under the frequency stress, the compound sum's mean."""
    _, _, mean = _counts(found.scenario.processes[0], frequency)
    return mean * float(found.severity @ np.arange(len(found.severity)))


def _period_downtimes(months: list[F64], lengths: list[int]) -> list[F64]:
    """Each period's downtime in slots: its months' downtimes convolved."""
    out, at = [], 0
    for n in lengths:
        dist = months[at]
        for month in months[at + 1 : at + n]:
            dist = np.clip(_fftconvolve(dist, month), 0.0, None)
        out.append(dist)
        at += n
    return out


@dataclass(frozen=True)
class _Amounts:
    """Per period, as functions of the period's downtime (index: slots down): paid, issued,
    owed and after the period cap (all customers, minor units), and whether it misses."""

    paid: list[I64]
    issued: list[I64]
    owed: list[I64]
    after_cap: list[I64]
    missed: list[NDArray[np.bool_]]

    @staticmethod
    def total(tiers: list[_Amounts]) -> _Amounts:
        def add(name: str) -> list[I64]:
            return [sum(parts) for parts in zip(*(getattr(t, name) for t in tiers), strict=True)]

        missed = [
            np.logical_or.reduce(parts) for parts in zip(*(t.missed for t in tiers), strict=True)
        ]
        return _Amounts(add("paid"), add("issued"), add("owed"), add("after_cap"), missed)


def _tier_amounts(
    contract: Contract, tier: Tier, horizon: Horizon, periods: list[F64], per_slot: int
) -> _Amounts:
    """The tier's per-period amounts for every downtime a period can have, priced by the
    engine's per-period rules: a row per number of slots down, the same in every period."""
    most = max(len(p) for p in periods)
    downtime = np.repeat(np.arange(most, dtype=np.int64)[:, None] * per_slot, len(periods), 1)
    downtime = np.minimum(downtime, horizon.period_micro[None, :])
    excluded = np.zeros_like(downtime)
    availability = availability_of(contract, horizon, downtime, excluded)
    terms = CreditTerms.of(contract, tier, horizon)
    _, _, owed, after_cap, issued = period_amounts(tier, horizon, availability, excluded, terms)
    paid = terms.paid(issued)
    missed = availability.misses(tier.target_pct, boundary_of(tier.credits))
    n = tier.customers

    def cols(values: NDArray, scale: int = 1) -> list:
        return [values[: len(p), k] * scale for k, p in enumerate(periods)]

    return _Amounts(cols(paid, n), cols(issued, n), cols(owed, n), cols(after_cap, n), cols(missed))


def _distribution(values: I64, probs: F64) -> tuple[I64, F64]:
    """Distinct values and their probabilities."""
    distinct, where = np.unique(values, return_inverse=True)
    counted = np.bincount(where, weights=probs, minlength=len(distinct))
    return distinct, counted.astype(np.float64)


def total_distribution(parts: list[tuple[I64, F64]]) -> tuple[I64, F64]:
    """The distribution of a sum of independent integer amounts, on the lattice of their
    greatest common divisor (convolved by FFT)."""
    step = math.gcd(*(int(v) for values, _ in parts for v in values)) or 1
    size = sum(int(values.max()) // step for values, _ in parts) + 1
    if size > MAX_LATTICE:
        raise InputError(
            f"the credits take {size:,} amounts apart by {step} minor unit(s) over the horizon, "
            f"more than the {MAX_LATTICE:,} the exact method adds up; use --method monte-carlo"
        )
    dist = np.ones(1)
    for values, probs in parts:
        lattice = np.zeros(int(values.max()) // step + 1)
        np.add.at(lattice, values // step, probs)
        dist = np.clip(_fftconvolve(dist, lattice), 0.0, None)
    keep = np.flatnonzero(dist > 0)
    return keep.astype(np.int64) * step, dist[keep] / dist.sum()


def quantile(values: I64, probs: F64, level: float) -> float:
    """The smallest value with at least ``level`` of the probability at or below it (the
    simulation's inverted-CDF quantile)."""
    at = int(np.searchsorted(np.cumsum(probs), level - 1e-12, side="left"))
    return float(values[min(at, len(values) - 1)])


def tail_mean(values: I64, probs: F64, level: float) -> float:
    """Mean of the worst (1 - level) of the probability (TVaR)."""
    share = 1.0 - level
    above = np.cumsum(probs[::-1])  # from the largest value down
    taken = np.minimum(probs[::-1], np.maximum(share - (above - probs[::-1]), 0.0))
    return float(np.sum(taken * values[::-1]) / share)


def _paid_distribution(amounts: _Amounts, periods: list[F64]) -> tuple[I64, F64]:
    """The distribution of the credits paid over the horizon (minor units)."""
    return total_distribution(
        [_distribution(paid, p) for paid, p in zip(amounts.paid, periods, strict=True)]
    )


def paid_distribution(contract: Contract, scenario: Scenario, series: str) -> tuple[F64, F64]:
    """The exact distribution of ``series``'s (a tier's name, or "portfolio") credits paid over
    the horizon: its values in currency units and their probabilities (for layers:
    ``engine.layers.distribution_layer``). InputError where the exact method does not apply."""
    found = downtimes(contract, scenario)
    tiers = {
        tier.name: _tier_amounts(contract, tier, found.horizon, found.periods, found.per_slot)
        for tier in contract.tiers
    }
    amounts = tiers[series] if series != "portfolio" else _Amounts.total(list(tiers.values()))
    values, probs = _paid_distribution(amounts, found.periods)
    return values.astype(np.float64) * float(minor_unit(contract.currency)), probs


def _exposure(
    name: str,
    amounts: _Amounts,
    periods: list[F64],
    unit: float,
    revenue_cost: tuple[float, float],
) -> Exposure:
    values, probs = _paid_distribution(amounts, periods)
    money = values * unit
    mean = float(probs @ money)

    def expected(columns: list[I64]) -> float:
        return sum(float(c @ p) for c, p in zip(columns, periods, strict=True)) * unit

    miss = [float(m @ p) for m, p in zip(amounts.missed, periods, strict=True)]
    capped = [
        float((o > c) @ p) for o, c, p in zip(amounts.owed, amounts.after_cap, periods, strict=True)
    ]
    points = (np.arange(SAMPLE_POINTS) + 0.5) / SAMPLE_POINTS
    at = np.minimum(np.searchsorted(np.cumsum(probs), points), len(values) - 1)
    revenue, cost = revenue_cost
    return Exposure(
        name=name,
        trials=0,
        mean=mean,
        stderr=0.0,
        quantiles={k: quantile(values, probs, q) * unit for k, q in QUANTILES.items()},
        tvar99=tail_mean(values, probs, 0.99) * unit,
        p_any_breach=1.0 - math.prod(1.0 - q for q in miss),
        expected_breach_periods=sum(miss),
        p_cap_hit={
            "per_period": 1.0 - math.prod(1.0 - q for q in capped),
            "per_year": 0.0,
            "liability": 0.0,
        },
        capped_off_mean=expected(amounts.owed) - expected(amounts.after_cap),
        issued_mean=expected(amounts.issued),
        revenue=revenue,
        cost=cost,
        margin_mean=revenue - cost - mean,
        paid=money[at].astype(np.float64),
    )


def _differ_bound(process: Process, stress: float, severity: F64, month_slots: I64) -> float:
    """Expected number of months, summed over the horizon, holding two incidents whose slots
    overlap or touch, or an incident that runs past the month's end: where the engine's union
    and month boundaries can differ from the compound sum (Markov's bound on the probability)."""
    _, _, mean = _counts(process, stress)
    freq = process.frequency
    pairs = mean**2 * (1 + 1 / freq.dispersion if isinstance(freq, NegativeBinomial) else 1)
    slots = float(np.arange(len(severity)) @ severity)
    per_month = [pairs * (2 * slots + 1) / (2 * n) + mean * slots / n for n in month_slots]
    return float(sum(min(1.0, q) for q in per_month))


def _fftconvolve(a: F64, b: F64) -> F64:
    """The convolution of two distributions by FFT (scipy, imported when used)."""
    from scipy import signal

    out: F64 = signal.fftconvolve(a, b)
    return out
