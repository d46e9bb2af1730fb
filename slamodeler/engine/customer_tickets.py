"""Support tickets drawn for each customer on its own, under a scenario whose processes hit
customers one by one (``scope.independent``; docs/measurement.md, section 12).

There a tier is measured in rows per customer anyway (a shared row for the customers nothing of
their own hit, one row for each customer hit on its own), so each customer's misses are drawn
apart: Poisson(rate x months x p) per customer, period and priority, independent between
customers. A customer with any miss gets a row of its own (a copy of the shared row when no
incident of its own hit it), and the shared row stands for the customers with neither. The
draws come from a stream per block of trials and tier of their own, seeded from (seed, block,
``TICKET_STREAM``, tier, ``CUSTOMER_STREAM``), drawn ``TRIALS_AT_ONCE`` trials at a time
whatever the block's size, so a trial's misses depend on the seed and its number only.
Scenarios without independent processes draw one set of misses per tier and trial, shared by
its customers, as before (``ticket_draws``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from slamodeler.domain.scenario import Scenario
from slamodeler.engine.horizon import Horizon
from slamodeler.engine.ticket_draws import TICKET_STREAM

I64 = NDArray[np.int64]
CUSTOMER_STREAM = 0x63757374  # "cust": the spawn-key tag of the per-customer ticket streams
TRIALS_AT_ONCE = 64  # trials drawn per call: memory of 64 x customers x periods x priorities


@dataclass(frozen=True)
class CustomerMisses:
    """The (trial, customer) pairs of a block with any miss, and their misses per period and
    scenario ticket priority (in the scenario's order)."""

    trial: I64
    customer: I64
    misses: I64  # pairs x periods x priorities


def draw_customer_misses(
    scenario: Scenario,
    horizon: Horizon,
    tier_index: int,
    customers: int,
    seed: int,
    block: int,
    size: int,
) -> CustomerMisses:
    """Misses of each customer of a tier in the first ``size`` trials of ``block``."""
    assert scenario.tickets is not None
    rates = np.array([t.per_month * t.miss_probability for t in scenario.tickets])
    months = np.array([float(p.months) for p in horizon.periods])
    mean = months[:, None] * rates[None, :]
    stream = np.random.SeedSequence(
        seed, spawn_key=(block, TICKET_STREAM, tier_index, CUSTOMER_STREAM)
    )
    rng = np.random.default_rng(stream)
    trials, found_customers, found = [], [], []
    for first in range(0, size, TRIALS_AT_ONCE):
        drawn = rng.poisson(mean, size=(TRIALS_AT_ONCE, customers, *mean.shape))
        trial, customer = np.nonzero(drawn.any(axis=(2, 3)))
        keep = trial + first < size
        trials.append(trial[keep] + first)
        found_customers.append(customer[keep])
        found.append(drawn[trial[keep], customer[keep]])
    if not found:
        empty = np.zeros(0, np.int64)
        return CustomerMisses(empty, empty, np.zeros((0, *mean.shape), np.int64))
    return CustomerMisses(
        np.concatenate(trials).astype(np.int64),
        np.concatenate(found_customers).astype(np.int64),
        np.concatenate(found).astype(np.int64),
    )


def rows_for_misses(
    drawn: CustomerMisses, trial_of: I64, customer_of: I64, customers: int
) -> tuple[I64, I64]:
    """Which pairs need a new row (no incident of their own gave them one): their index in
    ``drawn``; and for every row (the existing ones, then the new), the index of its misses in
    ``drawn`` (-1: none, the shared rows among them)."""
    pair = drawn.trial * customers + drawn.customer  # ascending: drawn trial by trial
    if not len(pair):
        return np.zeros(0, np.int64), np.full(len(trial_of), -1, np.int64)
    key = np.where(customer_of >= 0, trial_of * customers + customer_of, -1)
    at = np.minimum(np.searchsorted(pair, key), len(pair) - 1)
    of_existing = np.where(pair[at] == key, at, -1)
    new = np.flatnonzero(~np.isin(pair, key))
    return new, np.concatenate((of_existing, new)).astype(np.int64)


def misses_of_rows(drawn: CustomerMisses, index: I64) -> I64:
    """Each row's misses (rows x periods x priorities), zero where ``index`` is -1."""
    out = np.zeros((len(index), *drawn.misses.shape[1:]), np.int64)
    has = index >= 0
    out[has] = drawn.misses[index[has]]
    return out


def one_customers_misses(
    scenario: Scenario,
    horizon: Horizon,
    tier_index: int,
    customers: int,
    seed: int,
    trials: list[int],
    per_block: int,
    customer: int | None,
) -> I64:
    """The misses of ``customer`` in each of ``trials`` (trials x periods x scenario
    priorities); none for a customer that drew none (``None``: the shared row's customers)."""
    assert scenario.tickets is not None
    out = np.zeros((len(trials), len(horizon.periods), len(scenario.tickets)), np.int64)
    if customer is None:
        return out
    for block in sorted({t // per_block for t in trials}):
        last = max(t for t in trials if t // per_block == block) - block * per_block
        found = draw_customer_misses(
            scenario, horizon, tier_index, customers, seed, block, last + 1
        )
        for row, trial in enumerate(trials):
            at = np.flatnonzero(
                (found.trial == trial - block * per_block) & (found.customer == customer)
            )
            if trial // per_block == block and at.size:
                out[row] = found.misses[at[0]]
    return out
