"""From credit percentage to money: period fee, the caps in contract order, the minimum credit.

Cap room is rounded down to the minor unit so no cap is ever exceeded; each stage's amount is
rounded half up, and later caps see issued (rounded) amounts (docs/measurement.md, section 9).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from slamodeler.domain.contract import Contract, Tier
from slamodeler.domain.money import minor_unit, round_down, round_half_up
from slamodeler.engine.fees import credited_fee, term_annual_fees, year_fees

if TYPE_CHECKING:
    from slamodeler.engine.horizon import Horizon


@dataclass(frozen=True)
class CreditItem:
    """What the caps need to know about one period: the fee its credit and per-period cap are a
    % of (``engine.fees.credited_fee``)."""

    fee: Fraction
    contract_year: int
    term: int
    credit_pct: Fraction


@dataclass(frozen=True)
class CreditOutcome:
    """A period's credit owed, what each cap took, and what is expected paid."""

    owed: Decimal
    after_caps: Decimal
    capped_by_period: Decimal
    capped_by_year: Decimal
    capped_by_liability: Decimal
    below_min_credit: Decimal
    expected_paid: Decimal
    late_forfeited: Decimal  # expected claims made after the claim deadline: not paid

    @property
    def capped_off(self) -> Decimal:
        return self.capped_by_period + self.capped_by_year + self.capped_by_liability


def lower_limit(amount: Decimal | None, percent: Decimal | None, annual_fees: Fraction) -> Fraction:
    """A cap given as an amount, a % of the annual fees, or both (the lower applies), exactly;
    validation makes sure one of them is given."""
    limits = [Fraction(amount)] if amount is not None else []
    if percent is not None:
        limits.append(annual_fees * Fraction(percent) / 100)
    return min(limits)


def liability_cap_amount(contract: Contract, tier: Tier, term: int) -> Fraction | None:
    """The liability cap of term number ``term``: a % of that term's fees as a year's worth."""
    cap = contract.liability_cap
    if cap is None:
        return None
    return lower_limit(
        cap.amount, cap.pct_of_annual_fees, term_annual_fees(contract.term, tier, term)
    )


def year_cap_amount(contract: Contract, tier: Tier, year: int) -> Fraction | None:
    """The yearly cap of contract year ``year``: a % of that year's 12 months' fees."""
    percent = tier.caps.per_year_pct_of_annual_fees
    if percent is None:
        return None
    return year_fees(contract.term, tier, year) * Fraction(percent) / 100


def tier_cap_ceilings(contract: Contract, tier: Tier, horizon: Horizon) -> dict[str, Fraction]:
    """The most each of the tier's caps lets its customers be paid over the horizon, all of them
    together, exactly: the cap for every period (contract year, term) of the horizon, times the
    customers and the claim rate (or all customers, when the share that claims varies). No
    trial's credits can pass these. Under a claim window a trial has as many rows as claims, so
    the per-period cap bounds no total."""
    claims = contract.claims
    # a share that varies by trial can reach 1 (claim_shares)
    scale = tier.customers * (
        1 if claims.claim_rate_sd is not None else Fraction(claims.claim_rate)
    )
    out: dict[str, Fraction] = {}
    window = contract.measurement.window
    claims_vary = window is not None and window.kind == "claim"  # rows per claim: no bound
    if tier.caps.per_period_pct is not None and not claims_vary:
        fees = sum((credited_fee(tier, p) for p in horizon.periods), Fraction(0))
        out["per-period cap"] = fees * Fraction(tier.caps.per_period_pct) / 100 * scale
    for name, cap_of, groups in (
        ("yearly cap", year_cap_amount, horizon.years),
        ("liability cap", liability_cap_amount, horizon.terms),
    ):
        caps = [cap_of(contract, tier, g) for g in sorted(set(groups))]
        if caps and caps[0] is not None:
            out[name] = sum((c for c in caps if c is not None), Fraction(0)) * scale
    return out


def cap_ceilings(contract: Contract, horizon: Horizon, series: str) -> dict[str, Fraction]:
    """A tier's cap ceilings (``tier_cap_ceilings``); for the portfolio (any other ``series``),
    the sum over tiers of each kind of cap that every tier has (a kind some tier lacks bounds
    nothing). A tier's alone are computed for a tier (the exposure panel asks at every move of
    a dragged point)."""
    for tier in contract.tiers:
        if tier.name == series:
            return tier_cap_ceilings(contract, tier, horizon)
    tiers = [tier_cap_ceilings(contract, t, horizon) for t in contract.tiers]
    kinds = [k for k in tiers[0] if all(k in caps for caps in tiers)]
    return {k: sum((caps[k] for caps in tiers), Fraction(0)) for k in kinds}


def issues_credit(contract: Contract) -> Callable[[Decimal], bool]:
    """Whether an amount after the caps clears the minimum credit: at least it, or more than it
    (``claims.min_credit_rule``)."""
    floor = contract.claims.min_credit
    if contract.claims.min_credit_rule == "more_than":
        return lambda amount: amount > floor
    return lambda amount: amount >= floor


def expected_claims(issued: Decimal, contract: Contract, unit: Decimal) -> dict[str, Decimal]:
    """The expected amount paid (claimed, and in time) and the expected amount claimed after
    the deadline: both rounded half up, the forfeited part as claimed minus paid so that the
    two add up to what was claimed."""
    claims = contract.claims
    paid = round_half_up(issued * claims.paid_share, unit)
    claimed = round_half_up(issued * claims.claim_rate, unit)
    return {"expected_paid": paid, "late_forfeited": claimed - paid}


def apply_caps(contract: Contract, tier: Tier, items: Iterable[CreditItem]) -> list[CreditOutcome]:
    """Price each period in time order; yearly and liability caps carry over between periods."""
    unit = minor_unit(contract.currency)
    reaches_min = issues_credit(contract)
    year_used: dict[int, Decimal] = defaultdict(Decimal)
    term_used: dict[int, Decimal] = defaultdict(Decimal)
    out = []
    for item in items:
        fee = item.fee
        year_cap = _rounded_down(year_cap_amount(contract, tier, item.contract_year), unit)
        term_cap = _rounded_down(liability_cap_amount(contract, tier, item.term), unit)
        exact = fee * item.credit_pct / 100
        owed = round_half_up(exact, unit)
        if tier.caps.per_period_pct is not None:
            exact = min(
                exact, Fraction(round_down(fee * Fraction(tier.caps.per_period_pct) / 100, unit))
            )
        after_period = round_half_up(exact, unit)
        if year_cap is not None:
            exact = min(exact, Fraction(year_cap - year_used[item.contract_year]))
        after_year = round_half_up(exact, unit)
        if term_cap is not None:
            exact = min(exact, Fraction(term_cap - term_used[item.term]))
        after_liability = round_half_up(exact, unit)
        issued = after_liability if reaches_min(after_liability) else Decimal(0) * unit
        year_used[item.contract_year] += issued
        term_used[item.term] += issued
        out.append(
            CreditOutcome(
                owed=owed,
                after_caps=issued,
                capped_by_period=owed - after_period,
                capped_by_year=after_period - after_year,
                capped_by_liability=after_year - after_liability,
                below_min_credit=after_liability - issued,
                **expected_claims(issued, contract, unit),
            )
        )
    return out


def _rounded_down(amount: Fraction | None, unit: Decimal) -> Decimal | None:
    return None if amount is None else round_down(amount, unit)
