"""``caps.apply_caps`` for one row of credits, in whole minor units and Python integers: the
same steps (the credit owed, then the per-period, yearly and liability caps in time order, the
minimum credit, the share paid), each rounding done on the exact quotient as
``money.round_half_up`` and ``round_down`` do, without building a Fraction or Decimal per step.
The simulation prices claim windows row by row through it (claim_simulation.py); apply_caps
stays the reference it is tested against."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

from slamodeler.domain.contract import Contract, Tier
from slamodeler.domain.money import minor_unit, round_down
from slamodeler.engine.caps import CreditItem, liability_cap_amount, year_cap_amount
from slamodeler.engine.pricing import least_issued


def _half_up(num: int, den: int) -> int:
    """num/den (den > 0, num >= 0) rounded half up to a whole number."""
    return (2 * num + den) // (2 * den)


def _within(num: int, den: int, cap: int | None, used: int) -> tuple[int, int]:
    """The credit num/den held to the room a cap (None: none) has left once ``used`` is spent."""
    if cap is not None and num > (cap - used) * den:
        return cap - used, 1
    return num, den


@dataclass(frozen=True)
class RowTotals:
    """One row's sums, minor units, and whether each cap bit."""

    owed: int = 0
    issued: int = 0
    paid: int = 0
    capped_off: int = 0
    hit_period_cap: bool = False
    hit_year_cap: bool = False
    hit_liability_cap: bool = False
    issued_by_item: list[int] = field(default_factory=list)


@dataclass
class MinorCaps:
    """A tier's caps in minor units, each year's and term's found once (``apply_caps`` finds
    them per period: the same amounts, rounded down)."""

    contract: Contract
    tier: Tier
    _years: dict[int, int | None] = field(default_factory=dict)
    _terms: dict[int, int | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unit = Fraction(minor_unit(self.contract.currency))
        self.unit = unit
        percent = self.tier.caps.per_period_pct
        self.period_percent = None if percent is None else Fraction(percent)
        claims = self.contract.claims
        self.least = least_issued(
            claims.min_credit / minor_unit(self.contract.currency), self.contract
        )
        self.paid_share = Fraction(claims.paid_share).as_integer_ratio()

    def _cap(self, found: Fraction | None) -> int | None:
        if found is None:
            return None
        return int(
            round_down(found, minor_unit(self.contract.currency))
            / minor_unit(self.contract.currency)
        )

    def year_cap(self, year: int) -> int | None:
        return self._found(self._years, year, year_cap_amount)

    def term_cap(self, term: int) -> int | None:
        return self._found(self._terms, term, liability_cap_amount)

    def _found(
        self,
        found: dict[int, int | None],
        key: int,
        amount: Callable[[Contract, Tier, int], Fraction | None],
    ) -> int | None:
        """The cap of contract year or term ``key`` in minor units, found once."""
        if key not in found:
            found[key] = self._cap(amount(self.contract, self.tier, key))
        return found[key]

    def row(self, items: list[CreditItem]) -> RowTotals:
        """``apply_caps`` on ``items`` (time order), summed."""
        u = self.unit
        year_used: dict[int, int] = {}
        term_used: dict[int, int] = {}
        owed_sum = issued_sum = paid_sum = capped_sum = 0
        hit = [False, False, False]
        by_item = []
        pn, pd = self.paid_share
        for item in items:
            # the exact credit in minor units, num / den
            num = item.fee.numerator * item.credit_pct.numerator * u.denominator
            den = item.fee.denominator * item.credit_pct.denominator * 100 * u.numerator
            owed = _half_up(num, den)
            if self.period_percent is not None:
                cap_num = item.fee.numerator * self.period_percent.numerator * u.denominator
                cap_den = item.fee.denominator * self.period_percent.denominator * 100 * u.numerator
                cap = cap_num // cap_den
                if num > cap * den:
                    num, den = cap, 1
            after_period = _half_up(num, den)
            year = item.contract_year
            num, den = _within(num, den, self.year_cap(year), year_used.get(year, 0))
            after_year = _half_up(num, den)
            num, den = _within(num, den, self.term_cap(item.term), term_used.get(item.term, 0))
            after = _half_up(num, den)
            issued = after if after >= self.least else 0
            year_used[item.contract_year] = year_used.get(item.contract_year, 0) + issued
            term_used[item.term] = term_used.get(item.term, 0) + issued
            owed_sum += owed
            issued_sum += issued
            paid_sum += _half_up(issued * pn, pd)
            capped_sum += owed - after
            hit[0] |= owed > after_period
            hit[1] |= after_period > after_year
            hit[2] |= after_year > after
            by_item.append(issued)
        return RowTotals(
            owed=owed_sum,
            issued=issued_sum,
            paid=paid_sum,
            capped_off=capped_sum,
            hit_period_cap=hit[0],
            hit_year_cap=hit[1],
            hit_liability_cap=hit[2],
            issued_by_item=by_item,
        )
