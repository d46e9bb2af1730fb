"""The cap per customer across tiers (``customer_cap``): the last cap, after each tier's own.

One customer holds one subscription of each tier held together; the credits each tier issued to
that customer (after the tier's period, yearly and liability caps and the minimum credit) are
walked period by period in time order, tiers in contract order within a period, and each is cut
to the room left in the term. A credit cut below the minimum credit is not issued. The same
integer walk serves replay (one row) and the simulation (many), so both cut alike.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

from slamodeler.domain.contract import Contract
from slamodeler.domain.money import minor_unit, round_down, round_half_up
from slamodeler.domain.results import PeriodResult, TierReplay
from slamodeler.engine.horizon import Horizon
from slamodeler.engine.pricing import least_issued

I64 = NDArray[np.int64]


def customer_cap_amount(contract: Contract) -> Fraction | None:
    """The cap on one customer's credits per term, exact: the lower of ``amount`` and
    ``pct_of_annual_fees`` % of 12 monthly fees of every tier held together."""
    cap = contract.customer_cap
    if cap is None:
        return None
    limits = []
    if cap.amount is not None:
        limits.append(Fraction(cap.amount))
    if cap.pct_of_annual_fees is not None:
        fees = sum((Fraction(t.monthly_fee) * 12 for t in contract.held_together()), Fraction(0))
        limits.append(fees * Fraction(cap.pct_of_annual_fees) / 100)
    return min(limits)


@dataclass(frozen=True)
class AcrossTiers:
    """What the walk needs: the cap in minor units (rounded down), the term of each period and
    the least credit issued (minor units)."""

    cap: int
    terms: tuple[int, ...]
    least: int

    @classmethod
    def of(cls, contract: Contract, terms: list[int], least: int) -> AcrossTiers | None:
        amount = customer_cap_amount(contract)
        if amount is None:
            return None
        unit = minor_unit(contract.currency)
        return cls(int(round_down(amount, unit) / unit), tuple(terms), least)

    def cut(self, issued: I64) -> tuple[I64, I64]:
        """``issued`` (tiers x rows x periods, minor units, tiers in contract order): per entry,
        the credit after the cap and the credit issued (zero when the cut left it below the
        minimum credit)."""
        after = np.empty_like(issued)
        final = np.empty_like(issued)
        used: dict[int, I64] = {}
        for p, term in enumerate(self.terms):
            spent = used.setdefault(term, np.zeros(issued.shape[1], np.int64))
            for t in range(issued.shape[0]):
                after[t, :, p] = np.minimum(issued[t, :, p], np.maximum(self.cap - spent, 0))
                final[t, :, p] = np.where(after[t, :, p] >= self.least, after[t, :, p], 0)
                spent += final[t, :, p]
        return after, final

    def may_bind(self, issued_total: I64) -> NDArray[np.bool_]:
        """Rows whose credits over the whole horizon, all tiers together, pass the cap: only
        those can be cut (a term never holds more than the horizon)."""
        return issued_total > self.cap


def minor(amount: Decimal, unit: Decimal) -> int:
    return int(amount / unit)


def cap_replayed(contract: Contract, horizon: Horizon, tiers: list[TierReplay]) -> list[TierReplay]:
    """Replayed tiers with the customer cap applied to the tiers held together (all periods of
    the horizon, tiers in contract order); each period of those tiers explains the cap."""
    unit = minor_unit(contract.currency)
    least = least_issued(contract.claims.min_credit / unit, contract)
    walk = AcrossTiers.of(contract, list(horizon.terms), least)
    held = [t.name for t in contract.held_together()]
    together = [r for r in tiers if r.tier in held]
    if walk is None or not together:
        return tiers
    issued = np.array(
        [[[minor(p.credit_after_caps, unit) for p in r.periods]] for r in together], np.int64
    )
    after, final = walk.cut(issued)
    cap_text = f"{Decimal(walk.cap) * unit:,}"
    used: dict[int, int] = {}
    capped: dict[str, TierReplay] = {}
    rows = [list(r.periods) for r in together]
    for p, term in enumerate(horizon.terms):
        for t in range(len(together)):
            before = used.get(term, 0)
            used[term] = before + int(final[t, 0, p])
            rows[t][p] = _capped_period(
                rows[t][p],
                int(issued[t, 0, p]) - int(after[t, 0, p]),
                int(after[t, 0, p]) - int(final[t, 0, p]),
                final_amount=Decimal(int(final[t, 0, p])) * unit,
                note=f"customer cap ({' + '.join(held)}): {cap_text} a term, "
                f"{Decimal(before) * unit:,} used before this credit",
                contract=contract,
            )
    for replayed, periods in zip(together, rows, strict=True):
        capped[replayed.tier] = dataclasses.replace(replayed, periods=tuple(periods))
    return [capped.get(r.tier, r) for r in tiers]


def _capped_period(
    period: PeriodResult, cut: int, below: int, final_amount: Decimal, note: str, contract: Contract
) -> PeriodResult:
    unit = minor_unit(contract.currency)
    return dataclasses.replace(
        period,
        credit_after_caps=final_amount,
        capped_by_customer=Decimal(cut) * unit,
        below_min_credit=period.below_min_credit + Decimal(below) * unit,
        expected_paid=round_half_up(final_amount * contract.claims.claim_rate, unit),
        customer_cap_note=note,
    )
