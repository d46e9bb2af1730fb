"""Exposure statistics of a simulation, per tier and for the portfolio (docs/statistics.md).

The distribution is of credits paid over the whole horizon, for all of a tier's customers: after
caps and the minimum credit, times the claim rate. Quantiles are empirical (the smallest value
with at least that share of trials at or below it); TVaR99 is the mean of the worst 1% of trials.
"""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray

from slamodeler.domain.contract import Tier
from slamodeler.domain.money import minor_unit
from slamodeler.engine.fees import period_fee
from slamodeler.engine.periods import Period
from slamodeler.engine.simulation import SimulationRun, TierTotals
from slamodeler.engine.tail_intervals import percentile_intervals, tail_mean_interval

QUANTILES = {"p50": 0.50, "p90": 0.90, "p95": 0.95, "p99": 0.99}


@dataclass(frozen=True)
class Exposure:
    """One tier, or the portfolio. Money in currency units for the horizon."""

    name: str
    trials: int
    mean: float
    stderr: float
    quantiles: dict[str, float]
    tvar99: float
    p_any_breach: float
    expected_breach_periods: float
    p_cap_hit: dict[str, float]
    capped_off_mean: float
    issued_mean: float
    revenue: float
    cost: float
    margin_mean: float
    paid: NDArray[np.float64]  # per trial, for histograms and convergence
    p_termination_right: float = 0.0  # chronic failure: share of trials with a right
    revenue_at_risk_mean: float = 0.0  # the term's fees left when it arises, mean over trials

    @cached_property
    def percentile_intervals(self) -> dict[str, tuple[float, float]]:
        """95% confidence intervals of P95 and P99 (``tail_intervals``), computed when first
        asked for: analyses that summarise many runs, and re-pricing, do not need them. None
        (NaN) for a computed distribution (no trials: the exact method), which has no sampling
        error."""
        if not self.trials:
            return dict.fromkeys(("p95", "p99"), (math.nan, math.nan))
        return percentile_intervals(self.paid)

    @cached_property
    def intervals(self) -> dict[str, tuple[float, float]]:
        """95% confidence intervals of P95, P99 and TVaR99 (TVaR99's a bootstrap: dearer)."""
        if not self.trials:
            return {**self.percentile_intervals, "tvar99": (math.nan, math.nan)}
        tvar = tail_mean_interval(np.sort(self.paid))
        return {**self.percentile_intervals, "tvar99": tvar}


def tail_mean(values: NDArray[np.float64], level: float) -> float:
    """Mean of the worst (1 - level) share of values: the worst ceil((1 - level) n) of them."""
    if not len(values):
        return math.nan
    k = max(1, math.ceil((1 - level) * len(values) - 1e-9))
    return float(np.mean(np.partition(values, len(values) - k)[-k:]))


def trial_quantiles(paid: NDArray[np.float64]) -> dict[str, float]:
    """All of QUANTILES from one selection over the trials (each on its own is a pass)."""
    if not len(paid):
        return dict.fromkeys(QUANTILES, math.nan)
    found = np.quantile(paid, list(QUANTILES.values()), method="inverted_cdf")
    return {k: float(v) for k, v in zip(QUANTILES, found, strict=True)}


def _summary(
    name: str,
    paid: NDArray[np.float64],
    issued: NDArray[np.float64],
    capped: NDArray[np.float64],
    breaches: NDArray[np.number[Any]],
    any_breach: NDArray[np.bool_],
    hits: dict[str, NDArray[np.bool_]],
    revenue: float,
    cost: float,
    termination_right: NDArray[np.bool_],
    revenue_at_risk: NDArray[np.float64],
) -> Exposure:
    n = len(paid)
    mean = float(paid.mean()) if n else math.nan
    return Exposure(
        name=name,
        trials=n,
        mean=mean,
        stderr=float(paid.std(ddof=1) / math.sqrt(n)) if n > 1 else math.nan,
        quantiles=trial_quantiles(paid),
        tvar99=tail_mean(paid, 0.99),
        p_any_breach=float(np.mean(any_breach)) if n else math.nan,
        expected_breach_periods=float(breaches.mean()) if n else math.nan,
        p_cap_hit={k: float(v.mean()) if n else math.nan for k, v in hits.items()},
        capped_off_mean=float(capped.mean()) if n else math.nan,
        issued_mean=float(issued.mean()) if n else math.nan,
        revenue=revenue,
        cost=cost,
        margin_mean=revenue - cost - mean,
        paid=paid,
        p_termination_right=float(termination_right.mean()) if n else math.nan,
        revenue_at_risk_mean=float(revenue_at_risk.mean()) if n else math.nan,
    )


def exposures(run: SimulationRun) -> list[Exposure]:
    """Each tier, then the portfolio (the sum over tiers, trial by trial)."""
    unit = float(minor_unit(run.contract.currency))
    out = []
    totals = None
    for tier in run.contract.tiers:
        pr = run.pricing[tier.name]
        revenue, cost = revenue_and_cost(tier, run.horizon.periods)
        combined, summary = _tier_exposure(tier.name, pr, unit, revenue, cost)
        out.append(summary)
        totals = combined if totals is None else _add(totals, combined)
    assert totals is not None  # a contract has at least one tier
    out.append(_summary("portfolio", *totals))
    return out


def revenue_and_cost(tier: Tier, periods: list[Period]) -> tuple[float, float]:
    """A tier's fees and cost to serve over ``periods``, all its customers (currency units)."""
    fees = sum((period_fee(tier, p) for p in periods), Fraction(0))
    months = sum(p.months for p in periods)
    return float(fees) * tier.customers, float(tier.cost_to_serve_monthly) * months * tier.customers


_Memo = tuple[weakref.ref, tuple, tuple, Exposure]
_memo: dict[int, _Memo] = {}


def _tier_exposure(
    name: str, pr: TierTotals, unit: float, revenue: float, cost: float
) -> tuple[tuple, Exposure]:
    """A tier's columns in currency units and its summary. Re-pricing keeps the totals of a
    tier whose terms did not change, so they are summarised once for as long as they live."""
    key = (name, unit, revenue, cost)
    memo = _memo.get(id(pr))
    if memo is not None and memo[0]() is pr and memo[1] == key:
        return memo[2], memo[3]
    hits = {
        "per_period": pr.hit_period_cap,
        "per_year": pr.hit_year_cap,
        "liability": pr.hit_liability_cap,
    }
    scale = np.float64(unit)  # the same double; typed so the columns are float64 arrays
    parts = (pr.paid * scale, pr.issued * scale, pr.capped_off * scale)
    chronic = (pr.termination_right, pr.revenue_at_risk)
    combined = (*parts, pr.breach_periods, pr.any_breach, hits, revenue, cost, *chronic)
    summary = _summary(name, *combined)
    ident = id(pr)
    _memo[ident] = (weakref.ref(pr, lambda _: _memo.pop(ident, None)), key, combined, summary)
    return combined, summary


def _add(a: tuple, b: tuple) -> tuple:
    paid, issued, capped, breaches, any_breach, hits, revenue, cost, right, at_risk = a
    return (
        paid + b[0],
        issued + b[1],
        capped + b[2],
        breaches + b[3],  # tier-periods below target (per customer of each tier)
        any_breach | b[4],
        {k: v | b[5][k] for k, v in hits.items()},
        revenue + b[6],
        cost + b[7],
        right | b[8],  # any tier's customers may terminate
        at_risk + b[9],
    )
