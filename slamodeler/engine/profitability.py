"""Tier profitability of a simulation (docs/profitability.md): revenue, cost to serve and credits
per tier and for the portfolio, the margin less a charge on the tail, and the monthly fee that
breaks even or reaches a target margin.

The fees are solved on the run's own trials: each candidate fee re-prices the same simulated
histories (``reprice``), so the answer moves only with the fee, never with fresh draws. Credits
are not always proportional to the fee (fixed-amount credits, caps in money, minimum credits,
monthly fee files), so the fee is found by bisection over whole minor units (cents) on the
re-priced expected margin, not by a formula.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal

import numpy as np
from numpy.typing import NDArray

from slamodeler.domain.contract import Contract, Tier
from slamodeler.domain.limits import DEFAULT_TAIL_CHARGE, DEFAULT_TARGET_MARGIN
from slamodeler.domain.money import minor_unit, round_half_up
from slamodeler.engine.exposure import Exposure, exposures, tail_mean, trial_quantiles
from slamodeler.engine.monotone_search import last_at_or_below
from slamodeler.engine.redline import paired_stderr
from slamodeler.engine.simulation import SimulationRun, customer_paid, reprice

MAX_FEE_MULTIPLE = 1024  # the search for a fee stops at this multiple of where it started


@dataclass(frozen=True)
class FeeAnswer:
    """A monthly fee per customer solved on the run's trials, or None with the reason."""

    fee: Decimal | None
    margin: float  # the expected margin priced back at ``fee`` (nan without one)
    margin_share: float  # of the revenue at ``fee``
    note: str  # how the fee was found, or why no fee reaches the goal
    repricings: int  # how many candidate fees were priced


@dataclass(frozen=True)
class Profit:
    """One tier, or the portfolio (no fee, no fee answers). Money over the horizon, for all
    of a tier's customers."""

    name: str
    customers: int
    monthly_fee: Decimal | None
    revenue: float
    cost: float
    credits_mean: float
    credits_stderr: float
    p95: float
    p99: float
    tvar99: float
    margin: float
    margin_share: float  # nan when there is no revenue
    tail_charge: float  # the rate x (TVaR99 - mean)
    risk_adjusted_margin: float
    paid: NDArray[np.float64] = field(repr=False, default_factory=lambda: np.zeros(0))
    # one customer's credits paid (a tier's customers are alike): its quantiles and TVaR99;
    # nan where they are not priced on their own (``customer_paid``), and for the portfolio
    customer_p95: float = math.nan
    customer_p99: float = math.nan
    customer_tvar99: float = math.nan
    break_even: FeeAnswer | None = None
    target: FeeAnswer | None = None

    @property
    def per_customer(self) -> dict[str, float]:
        """One customer's figures: the tier's revenue, cost, expected credits and margin over
        its customers (alike in terms and fee), and one customer's own tail."""
        c = self.customers
        return {
            "revenue": self.revenue / c,
            "cost": self.cost / c,
            "credits_mean": self.credits_mean / c,
            "margin": self.margin / c,
            "p95": self.customer_p95,
            "p99": self.customer_p99,
            "tvar99": self.customer_tvar99,
        }


@dataclass(frozen=True)
class Profitability:
    contract: Contract
    trials: int
    seed: int
    months: float  # a claim window's periods carry fractions of months
    tail_rate: float
    target_margin: float
    tiers: list[Profit]
    portfolio: Profit


def profit_of(e: Exposure, tail_rate: float, customers: int, fee: Decimal | None) -> Profit:
    """The margins of one tier's (or the portfolio's) exposure."""
    charge = tail_rate * max(0.0, e.tvar99 - e.mean)
    return Profit(
        name=e.name,
        customers=customers,
        monthly_fee=fee,
        revenue=e.revenue,
        cost=e.cost,
        credits_mean=e.mean,
        credits_stderr=e.stderr,
        p95=e.quantiles["p95"],
        p99=e.quantiles["p99"],
        tvar99=e.tvar99,
        margin=e.margin_mean,
        margin_share=e.margin_mean / e.revenue if e.revenue else math.nan,
        tail_charge=charge,
        risk_adjusted_margin=e.margin_mean - charge,
        paid=e.paid,
    )


def profitability(
    run: SimulationRun,
    tail_rate: float = DEFAULT_TAIL_CHARGE,
    target_margin: float = DEFAULT_TARGET_MARGIN,
    solve: bool = True,
) -> Profitability:
    """Each tier's and the portfolio's margins, and (``solve``) each tier's break-even and
    target-margin fees."""
    found = exposures(run)
    *tiers, portfolio = found
    rows = []
    for tier, e in zip(run.contract.tiers, tiers, strict=True):
        row = _with_customer(profit_of(e, tail_rate, tier.customers, tier.monthly_fee), run)
        if solve:
            row = _with_fees(row, run, tier.name, target_margin)
        rows.append(row)
    total = profit_of(portfolio, tail_rate, sum(t.customers for t in run.contract.tiers), None)
    return Profitability(
        contract=run.contract,
        trials=run.trials,
        seed=run.seed,
        months=float(sum(p.months for p in run.horizon.periods)),
        tail_rate=tail_rate,
        target_margin=target_margin,
        tiers=rows,
        portfolio=total,
    )


def _with_customer(row: Profit, run: SimulationRun) -> Profit:
    """One customer's tail, from customer 0's credits in each trial."""
    one = customer_paid(run, row.name)
    if one is None or not len(one):
        return row
    paid = one * np.float64(minor_unit(run.contract.currency))  # currency units, as Exposure
    found = trial_quantiles(paid)
    return replace(
        row,
        customer_p95=found["p95"],
        customer_p99=found["p99"],
        customer_tvar99=tail_mean(paid, 0.99),
    )


def _with_fees(row: Profit, run: SimulationRun, tier: str, target: float) -> Profit:
    priced = FeePricer(run, tier)
    return replace(row, break_even=priced.solve(0.0), target=priced.solve(target))


def with_fee(contract: Contract, tier_name: str, fee: Decimal) -> Contract:
    """The contract with ``tier_name``'s monthly fee set to ``fee``; the fees of single months
    (``monthly_fees``) scale with it, so a usage profile keeps its shape."""
    tiers = []
    for tier in contract.tiers:
        if tier.name == tier_name:
            tier = _scaled(tier, fee, contract.currency)
        tiers.append(tier)
    return contract.model_copy(update={"tiers": tiers})


def _scaled(tier: Tier, fee: Decimal, currency: str) -> Tier:
    months = tier.monthly_fees
    if months and tier.monthly_fee:
        ratio = fee / tier.monthly_fee
        unit = minor_unit(currency)
        months = {k: round_half_up(v * ratio, unit) for k, v in months.items()}
    return tier.model_copy(update={"monthly_fee": fee, "monthly_fees": months})


class FeePricer:
    """A tier's exposure at candidate monthly fees, each priced once on the run's trials."""

    def __init__(self, run: SimulationRun, tier: str) -> None:
        self.run, self.tier = run, tier
        self.unit = minor_unit(run.contract.currency)
        index = [t.name for t in run.contract.tiers].index(tier)
        self.current = run.contract.tiers[index].monthly_fee
        # where the search starts: the fee, or the cost to serve when the tier is free
        self.start = max(self.current, run.contract.tiers[index].cost_to_serve_monthly)
        self.variable_months = bool(run.contract.tiers[index].monthly_fees)
        self._index = index
        self._priced: dict[int, Exposure] = {}
        self._before = 0  # fees priced before the solve under way

    def exposure(self, units: int) -> Exposure:
        """The tier's exposure at a monthly fee of ``units`` minor units."""
        if units not in self._priced:
            fee = self.unit * units
            if fee == self.current:
                contract, run = self.run.contract, self.run
            else:
                contract = with_fee(self.run.contract, self.tier, fee)
                run = reprice(self.run, contract)
            self._priced[units] = exposures(run)[self._index]
        return self._priced[units]

    def solve(self, target: float) -> FeeAnswer:
        """The lowest monthly fee (in whole minor units) whose expected margin is at least
        ``target`` x revenue (0: break-even), by doubling from the current fee to bracket it,
        then bisection. None when no fee up to MAX_FEE_MULTIPLE x the current one (or the cost
        to serve, if more) reaches it."""
        goal = "break even" if target == 0 else f"a margin of {target:.1%}"
        self._before = len(self._priced)
        if self.current == 0 and self.variable_months:
            return self._none(
                "the fees are those of single months (monthly_fees) with a monthly_fee of 0; "
                "set monthly_fee to scale them"
            )
        if target >= 1:
            return self._none(f"no fee gives {goal}: the margin is less than the revenue")

        def short(units: int) -> float:
            e = self.exposure(units)
            return e.margin_mean - target * e.revenue

        now = max(1, int(self.start / self.unit))
        if short(0) >= 0:
            return self._answer(0, f"a fee of 0 already gives {goal} (no cost to serve)")
        lo, hi, limit = 0, now, now * MAX_FEE_MULTIPLE
        while short(hi) < 0:
            if hi >= limit:
                e = self.exposure(hi)
                share = e.mean / e.revenue if e.revenue else math.nan
                return self._none(
                    f"no fee up to {self._money(hi)} gives {goal}: there the margin is "
                    f"{_percent(e.margin_mean, e.revenue)} of revenue, with expected credits taking "
                    f"{share:.1%} of it; credits grow with the fee",
                )
            lo, hi = hi, hi * 2
        return self._bisect(lo, hi, short, goal)

    def _bisect(self, lo: int, hi: int, short: Callable[[int], float], goal: str) -> FeeAnswer:
        """Between a fee short of the goal (``lo``) and one that reaches it (``hi``), by false
        position (``last_at_or_below``): the margin is nearly linear in the fee."""
        hi = last_at_or_below(short, lo, hi, strict=True) + 1
        return self._answer(hi, f"gives {goal} on these trials, and {self._money(1)} less does not")

    def _answer(self, units: int, note: str) -> FeeAnswer:
        e = self.exposure(units)
        return FeeAnswer(
            fee=self.unit * units,
            margin=e.margin_mean,
            margin_share=e.margin_mean / e.revenue if e.revenue else math.nan,
            note=note,
            repricings=len(self._priced) - self._before,
        )

    def _none(self, note: str) -> FeeAnswer:
        return FeeAnswer(None, math.nan, math.nan, note, len(self._priced) - self._before)

    def _money(self, units: int) -> str:
        return f"{self.unit * units:,} {self.run.contract.currency}"


def _percent(part: float, whole: float) -> str:
    return f"{part / whole:.1%}" if whole else "undefined (no revenue)"


@dataclass(frozen=True)
class Difference:
    """One tier (or the portfolio) of version B less version A, trial by trial on the same
    draws: the mean difference of margins has the standard error of the paired differences."""

    name: str
    revenue: float
    cost: float
    credits_mean: float
    credits_stderr: float
    margin: float
    risk_adjusted_margin: float
    break_even_fee: Decimal | None
    target_fee: Decimal | None


def differences(a: Profitability, b: Profitability) -> list[Difference]:
    """B less A for the tiers both have (by name), then the portfolio."""
    rows_a = {p.name: p for p in [*a.tiers, a.portfolio]}
    out = []
    for p in [*b.tiers, b.portfolio]:
        q = rows_a.get(p.name)
        if q is None:
            continue
        if len(p.paid) != len(q.paid):
            raise ValueError(f"{p.name}: the two were priced on different trials")
        diff = p.paid - q.paid
        n = len(diff)
        out.append(
            Difference(
                name=p.name,
                revenue=p.revenue - q.revenue,
                cost=p.cost - q.cost,
                credits_mean=float(diff.mean()) if n else math.nan,
                credits_stderr=paired_stderr(diff),
                margin=p.margin - q.margin,
                risk_adjusted_margin=p.risk_adjusted_margin - q.risk_adjusted_margin,
                break_even_fee=_fee_change(p.break_even, q.break_even),
                target_fee=_fee_change(p.target, q.target),
            )
        )
    return out


def _fee_change(new: FeeAnswer | None, old: FeeAnswer | None) -> Decimal | None:
    if new is None or old is None or new.fee is None or old.fee is None:
        return None
    return new.fee - old.fee
