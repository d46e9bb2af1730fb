"""Support tickets in the Monte Carlo (docs/measurement.md, section 12; docs/scenario-format.md,
``tickets``): each trial's misses per period and priority, and their credit as a % of the
period's credited fee, by replay's rule (``support_credits.miss_credit_percent``, each
priority's ``max_pct_per_period``), for pricing to add before the tier's caps.

Misses are drawn as Poisson(rate x months x p): the misses among Poisson(rate x months) tickets
that each miss with probability p independently (Binomial(Poisson, p)) are exactly that
Poisson (thinning), and one draw per cell is cheaper than two. Tickets have their own random
stream per block of trials and tier, seeded from (seed, block, ``TICKET_STREAM``, tier), so the
outage draws, and every result of a scenario without tickets, do not move.

One draw per trial and tier: every customer of the tier has the same misses in a trial, and
customers' support credits move together. Under a scenario whose processes hit customers one
by one, each customer draws its own instead (customer_tickets.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

from slamodeler.domain.contract import Contract, Tier
from slamodeler.domain.scenario import Scenario
from slamodeler.domain.support import Ticket
from slamodeler.engine.billing_rows import billing_periods
from slamodeler.engine.fees import credited_fee
from slamodeler.engine.horizon import Horizon, priced_horizon
from slamodeler.engine.support_credits import miss_credit_percent, support_not_simulated

I64 = NDArray[np.int64]
TICKET_STREAM = 0x7469636B  # "tick": the spawn-key tag of the ticket streams
_EXACT = 2**53


@dataclass(frozen=True)
class SupportPercent:
    """Per row and period, the support credit as a % of the period's credited fee:
    ``values / den`` (integers, exact) or floats over 1 where a common denominator is too big."""

    values: NDArray[np.int64] | NDArray[np.float64]
    den: int


def drawn_priorities(tier: Tier, scenario: Scenario) -> list[tuple[str, float]]:
    """The scenario's (priority, misses a month) the tier has a target for."""
    if tier.support is None or scenario.tickets is None:
        return []
    return [
        (rate.priority, rate.per_month * rate.miss_probability)
        for rate in scenario.tickets
        if tier.support.target(rate.priority) is not None
    ]


def tier_columns(tier: Tier, scenario: Scenario) -> list[int]:
    """Where ``drawn_priorities`` are among the scenario's tickets (misses drawn for every
    scenario priority, customer_tickets.py)."""
    named = {p for p, _ in drawn_priorities(tier, scenario)}
    return [k for k, rate in enumerate(scenario.tickets or []) if rate.priority in named]


def draw_misses(
    scenario: Scenario,
    horizon: Horizon,
    tier_index: int,
    tier: Tier,
    seed: int,
    trials: I64,
    per_block: int,
) -> I64:
    """Misses of each row's trial (``trials``), per row, period and drawn priority: a block's
    draws come from its own stream whatever the block's size, so a trial's tickets depend on
    the seed and its number only."""
    rates = [r for _, r in drawn_priorities(tier, scenario)]
    months = np.array([float(p.months) for p in horizon.periods])
    mean = months[:, None] * np.array(rates)[None, :]
    out = np.zeros((len(trials), *mean.shape), np.int64)
    blocks = trials // per_block
    for block in np.unique(blocks).tolist():
        stream = np.random.SeedSequence(seed, spawn_key=(block, TICKET_STREAM, tier_index))
        drawn = np.random.default_rng(stream).poisson(mean, size=(per_block, *mean.shape))
        at = blocks == block
        out[at] = drawn[trials[at] - block * per_block]
    return out


def support_percent(
    contract: Contract, tier: Tier, horizon: Horizon, misses: I64, scenario: Scenario
) -> SupportPercent:
    """Each row's support credit per period: per priority, misses x the credit per miss (a % of
    the period's credited fee), cut to the priority's cap, summed over priorities."""
    assert tier.support is not None
    targets = [tier.support.target(p) for p, _ in drawn_priorities(tier, scenario)]
    per_miss = [
        [miss_credit_percent(t, credited_fee(tier, period)) for t in targets if t is not None]
        for period in horizon.periods
    ]
    caps = [
        None if t is None or t.max_pct_per_period is None else Fraction(t.max_pct_per_period)
        for t in targets
    ]
    den = math.lcm(
        1,
        *(f.denominator for row in per_miss for f in row),
        *(c.denominator for c in caps if c is not None),
    )
    most = max((f for row in per_miss for f in row), default=Fraction(0))
    if int(misses.max(initial=0)) * most * den * max(len(targets), 1) < _EXACT:
        credit = np.array([[int(f * den) for f in row] for row in per_miss], np.int64)
        cap = np.array([-1 if c is None else int(c * den) for c in caps], np.int64)
        owed = misses * credit[None, :, :]
        owed = np.where(cap >= 0, np.minimum(owed, cap), owed)
        return SupportPercent(owed.sum(axis=2), den)
    credit_f = np.array([[float(f) for f in row] for row in per_miss])
    cap_f = np.array([np.inf if c is None else float(c) for c in caps])
    return SupportPercent(np.minimum(misses * credit_f[None, :, :], cap_f).sum(axis=2), 1)


def ticket_notes(contract: Contract, scenario: Scenario) -> list[str]:
    """What a simulation says of support: tiers with targets the scenario draws no tickets for
    (their credits leave support out), and ticket priorities no tier's target names."""
    if scenario.tickets is None:
        return support_not_simulated(contract)
    out = [
        f"tier {tier.name}: the scenario's tickets name none of its support priorities: its "
        "credits leave out support credits"
        for tier in contract.tiers
        if tier.support is not None and not drawn_priorities(tier, scenario)
    ]
    named = {t.priority for tier in contract.tiers if tier.support for t in tier.support.targets}
    unknown = [t.priority for t in scenario.tickets if t.priority not in named]
    if unknown:
        out.append(
            f"scenario tickets of priorities {', '.join(repr(p) for p in unknown)}: no tier has a "
            "support target for them, so they credit nothing; name a priority of the contract's "
            "support targets"
        )
    return out


def drawn_tier_misses(
    contract: Contract,
    tier_index: int,
    horizon: Horizon,
    trials: I64,
    scenario: Scenario | None,
    seed: int,
    per_block: int,
    own: I64 | None = None,
) -> I64 | None:
    """The tier's misses for rows of trials ``trials``, per row, period and ``drawn_priorities``;
    None when the scenario draws no tickets the tier has a target for. ``own``: each row's
    misses per scenario priority, drawn for its customer (customer_tickets.py), instead of its
    trial's."""
    tier = contract.tiers[tier_index]
    if scenario is None or not drawn_priorities(tier, scenario):
        return None
    if own is not None:
        return own[:, :, tier_columns(tier, scenario)]
    return draw_misses(scenario, horizon, tier_index, tier, seed, trials, per_block)


def trial_tickets(
    contract: Contract,
    scenario: Scenario,
    horizon: Horizon,
    tier_index: int,
    seed: int,
    trials: list[int],
    per_block: int,
    own: I64 | None = None,
) -> dict[int, list[Ticket]]:
    """The missed tickets of some trials for one tier, as a ticket export would hold them:
    each opened at its billing period's start and answered at its end (a miss for any target
    shorter than the period on the support clock). Replaying them with the trial's incidents
    gives the credits the simulation counted. Tickets in time are not drawn, so not listed.
    ``own``: one customer's misses in those trials per scenario priority (customer_tickets.py),
    instead of the trials' shared ones."""
    tier = contract.tiers[tier_index]
    names = [p for p, _ in drawn_priorities(tier, scenario)]
    wanted = np.asarray(trials, np.int64)
    if own is not None:
        misses = own[:, :, tier_columns(tier, scenario)]
    else:
        misses = draw_misses(
            scenario, priced_horizon(horizon), tier_index, tier, seed, wanted, per_block
        )
    billed = billing_periods(horizon)  # a rolling window's row bills its calendar period
    out: dict[int, list[Ticket]] = {}
    for row, trial in enumerate(trials):
        found: list[Ticket] = []
        for p, k in zip(*np.nonzero(misses[row]), strict=True):
            period = billed[int(p)]
            for n in range(int(misses[row, p, k])):
                ident = f"T{trial}-{period.label}-{names[int(k)].upper()}-{n + 1}"
                found.append(Ticket(ident, names[int(k)], period.start, period.end, len(found) + 2))
        out[trial] = found
    return out
