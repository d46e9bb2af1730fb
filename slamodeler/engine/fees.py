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
    """The fee of a period: its calendar months' fees, or for a claim's window of days each
    month's fee times the share of that month the window covers (``claim_window_fee``)."""
    if not tier.monthly_fees:
        return Fraction(tier.monthly_fee) * period.months
    if period.month_shares:
        return claim_window_fee(tier, period)
    return months_fees(tier, _index(period.first_day), int(period.months))


def claim_window_fee(tier: Tier, period: Period) -> Fraction:
    """The fee of a claim's window of days (Cloudflare R2: "the fees paid in the thirty days
    preceding" the claim): each day carries its month's fee over that month's days, so a window
    is the sum over its months of the month's fee x the share of the month it covers."""
    return sum(
        (month_fee(tier, index) * share for index, share, _ in period.month_shares), Fraction(0)
    )


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
    if tier.monthly_fees and period.month_shares:
        text += f" ({_window_months(tier, period)})"
    elif tier.monthly_fees and not isinstance(period.months, Fraction):
        first = _index(period.first_day)
        keys = [month_key(first + k) for k in range(period.months)]
        listed = [k for k in keys if k in tier.monthly_fees]
        text += f" ({', '.join(listed)} from monthly_fees)" if listed else " (monthly_fee)"
    if tier.affected_share != 1:
        text += f" x affected share {tier.affected_share} = {_money(credited_fee(tier, period))}"
    return text


def _window_months(tier: Tier, period: Period) -> str:
    """Each month of a claim's window: its fee, and the local days of it the window covers over
    the month's days ("2025-03 1,500 x 20/31 days"), exact also across a clock change."""
    parts = []
    for index, share, length in period.month_shares:
        fee = month_fee(tier, index)
        parts.append(f"{month_key(index)} {_money(fee)} x {_days(share * length)}/{length} days")
    return " + ".join(parts)


def _days(days: Fraction) -> str:
    """Days as a whole number when whole, else to two decimals."""
    return str(days.numerator) if days.denominator == 1 else f"{float(days):.2f}"


def _money(amount: Fraction) -> str:
    return f"{float(amount):,.2f}" if amount.denominator > 1 else f"{int(amount):,}"
