"""The fee of a tier in a period, the one rule every money rule uses (docs/measurement.md,
section 9a): each calendar month costs its entry in ``monthly_fees``, else ``monthly_fee``.

A credit and the per-period cap are a % of the *credited* fee: the period's fee times the tier's
``affected_share``. The yearly cap is a % of the fees of the contract year's 12 months; the
liability and customer caps a % of the fees of the term's months, as a year's worth (times 12
over the term's months). With one fee for every month these are the fixed fee's numbers exactly.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from slamodeler.domain.contract import Term, Tier
from slamodeler.domain.fees import month_key
from slamodeler.engine.periods import Period


def _index(day: date) -> int:
    return day.year * 12 + day.month - 1


def month_fee(tier: Tier, index: int) -> Fraction:
    """The fee of calendar month ``index`` (year x 12 + month - 1)."""
    return Fraction(tier.monthly_fees.get(month_key(index), tier.monthly_fee))


def months_fees(tier: Tier, first: int, count: int) -> Fraction:
    """The fees of ``count`` calendar months from month index ``first``."""
    if not tier.monthly_fees:
        return Fraction(tier.monthly_fee) * count
    return sum((month_fee(tier, first + k) for k in range(count)), Fraction(0))


def period_fee(tier: Tier, period: Period) -> Fraction:
    """The fee of a period: its calendar months' fees (a claim window's fraction of months at
    the fixed fee; validation refuses monthly fees with claim windows)."""
    if not tier.monthly_fees:
        return Fraction(tier.monthly_fee) * period.months
    return months_fees(tier, _index(period.first_day), int(period.months))


def credited_fee(tier: Tier, period: Period) -> Fraction:
    """What a credit and the per-period cap are a % of: the period's fee x ``affected_share``."""
    return period_fee(tier, period) * Fraction(tier.affected_share)


def year_fees(term: Term, tier: Tier, year: int) -> Fraction:
    """The fees of contract year ``year``: the 12 calendar months from the one it starts in."""
    return months_fees(tier, _index(term.start) + 12 * year, 12)


def term_annual_fees(term: Term, tier: Tier, number: int) -> Fraction:
    """A year's worth of the fees of term ``number``: its months' fees x 12 / its months."""
    first = _index(term.start) + term.months * number
    return months_fees(tier, first, term.months) * 12 / term.months


def fee_note(tier: Tier, period: Period) -> str:
    """The fee a period's credit is a % of, in words, when it is not simply the monthly fee
    times the period's months ("" then): which months' fees, and the affected share."""
    if not tier.monthly_fees and tier.affected_share == 1:
        return ""
    fee = period_fee(tier, period)
    text = f"fee {_money(fee)}"
    if tier.monthly_fees and not isinstance(period.months, Fraction):
        first = _index(period.first_day)
        keys = [month_key(first + k) for k in range(period.months)]
        listed = [k for k in keys if k in tier.monthly_fees]
        text += f" ({', '.join(listed)} from monthly_fees)" if listed else " (monthly_fee)"
    if tier.affected_share != 1:
        text += f" x affected share {tier.affected_share} = {_money(credited_fee(tier, period))}"
    return text


def _money(amount: Fraction) -> str:
    return f"{float(amount):,.2f}" if amount.denominator > 1 else f"{int(amount):,}"
