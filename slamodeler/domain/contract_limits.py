"""The limits that involve several fields of a contract at once (domain/limits.py says why each
exists): the thresholds a byte code counts (checked with the contract), and, at simulation
time, the money a simulation of so many years adds exactly and what a run holds in memory."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from slamodeler.domain.credit_schedules import (
    BandSchedule,
    FeeMultipleSchedule,
    LinearSchedule,
    PerHourSchedule,
    schedule_tests,
)
from slamodeler.domain.limits import (
    EXACT_MINOR_UNITS,
    LONGEST_PERIOD_HOURS,
    MAX_INCIDENTS_PER_MONTH,
    MAX_THRESHOLDS,
    MAX_TRIAL_YEARS,
    PRICED_NUMERATOR,
)
from slamodeler.domain.money import minor_unit, scale_of

if TYPE_CHECKING:
    from slamodeler.domain.contract import Contract, Tier
    from slamodeler.domain.scenario import Scenario

PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}


def too_many_thresholds(contract: Contract) -> str | None:
    """Band tiers measured alike share one code per period: how many of their distinct
    thresholds (targets and bands' ends, with the boundary rule) it misses, 0 to 255."""
    tests = {
        test
        for tier in contract.tiers
        if isinstance(tier.credits, BandSchedule)
        for test in [(tier.target_pct, tier.credits.boundary), *schedule_tests(tier.credits)]
    }
    if len(tests) <= MAX_THRESHOLDS:
        return None
    return (
        f"the band tiers have {len(tests)} distinct thresholds (targets and bands); at most "
        f"{MAX_THRESHOLDS} can be simulated: merge bands or tiers"
    )


def money_too_large(contract: Contract, tier: Tier, years: int) -> str | None:
    """For a simulation over ``years``, the tier's largest credit must price exactly: one
    period's credit as an integer fraction below 2**62, and a trial's total for all its
    customers over the horizon below 2**53 minor units, what float64 adds exactly. (Replay
    prices in exact fractions and has no such bound: a contract in a currency of large numbers
    is valid however long its simulation could not be.)"""
    unit = minor_unit(contract.currency)
    period = contract.measurement.period
    months = PERIOD_MONTHS[period]
    most = max([tier.monthly_fee, *tier.monthly_fees.values()])  # the dearest month's
    fee = Fraction(most) * months / Fraction(unit)  # minor units
    percent, scale = _largest_percent(tier, LONGEST_PERIOD_HOURS[period])
    periods = -(-years * 12 // months)
    total = fee * percent / 100 * periods * tier.customers
    exact = percent * scale * fee.numerator < PRICED_NUMERATOR
    if exact and total < EXACT_MINOR_UNITS:
        return None
    most = Decimal(EXACT_MINOR_UNITS - 1) * unit
    return (
        f"the largest credit ({_percent_text(percent)}% of the {period}'s fee) for {tier.customers:,} "
        f"customer(s) over a {years}-year simulation comes to {_amount(total, unit)} "
        f"{contract.currency}, above the {most:,} {contract.currency} the simulation adds "
        "exactly to the minor unit (2**53 minor units); lower the monthly fee, the credits or "
        "the customers, or simulate fewer years"
        + ("" if exact else ", or write the credit percentages with fewer decimals")
    )


def run_too_large(contract: Contract, scenario: Scenario, trials: int) -> str | None:
    """Trials times years, and incidents drawn a month (a process hitting each customer on its own
    draws for every customer of the largest tier), within what a run can hold in memory. (At
    least one trial: ``simulation_request.check_trials``.)"""
    if trials * scenario.years > MAX_TRIAL_YEARS:
        return (
            f"{trials:,} trials over {scenario.years} year(s): at most {MAX_TRIAL_YEARS:,} "
            f"trial-years can be simulated at once, so at most "
            f"{MAX_TRIAL_YEARS // scenario.years:,} trials over this horizon"
        )
    for tier in contract.tiers:
        problem = money_too_large(contract, tier, scenario.years)
        if problem:
            return f"tier {tier.name!r}: {problem}"
    customers = max(tier.customers for tier in contract.tiers)
    rate = scenario.incidents_per_month(customers)
    if rate > MAX_INCIDENTS_PER_MONTH:
        return (
            f"scenario {scenario.name!r} draws {rate:,g} incidents a month for "
            f"{customers:,} customer(s) (processes with scope: independent draw for each); at "
            f"most {MAX_INCIDENTS_PER_MONTH:,g} can be simulated: lower the rates or the "
            "independent probability"
        )
    return None


def _largest_percent(tier: Tier, hours: int) -> tuple[Fraction, int]:
    """The largest credit one period can owe, in percent of its fee, and the scale the engine
    multiplies the percentages by to price them in integers."""
    schedule = tier.credits
    if isinstance(schedule, BandSchedule):
        values = [band.credit_pct for band in schedule.bands]
        return Fraction(max(values)), scale_of(values)
    if isinstance(schedule, LinearSchedule):
        return Fraction(max(p.credit_pct for p in schedule.points)), 1
    if isinstance(schedule, PerHourSchedule):
        percent = schedule.credit_pct_per_hour
        return Fraction(percent) * hours, scale_of([percent])
    assert isinstance(schedule, FeeMultipleSchedule)
    return Fraction(schedule.multiple) * 100, 1


def _percent_text(value: Fraction) -> str:
    return f"{float(value):,g}"


def _amount(minor: Fraction, unit: Decimal) -> str:
    return f"{Decimal(int(minor)) * unit:,}"
