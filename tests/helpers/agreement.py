"""The two agreements every measurement or credit rule is held to, written once:

- replay agrees with the plain per-minute reference (tests/helpers/reference_replay.py) on every
  field of every period, and each period's incidents add up to its minutes;
- a simulated trial, dumped as incidents and replayed, gives the credits the simulation counted.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal

from slamodeler.domain.contract import Contract
from slamodeler.domain.incidents import Incident
from slamodeler.domain.results import ReplayResult
from slamodeler.domain.scenario import Scenario
from slamodeler.domain.support import Ticket
from slamodeler.engine.replay import replay
from slamodeler.engine.simulation import period_credits, simulate, trial_incidents
from tests.helpers.reference_replay import reference_replay
from tests.helpers.replay_results import assert_agrees
from tests.helpers.strategies import float_priced

MINOR_UNITS = {"JPY": Decimal(1), "KWD": Decimal("0.001")}


def replay_agrees_with_reference(
    terms: Contract,
    incidents: Sequence[Incident],
    first: str,
    last: str,
    tickets: Sequence[Ticket] = (),
) -> ReplayResult:
    """Replay ``first``..``last`` (with ``tickets`` for support targets) and hold every period
    to the reference (``assert_agrees``); the replay, for the caller's own checks of the rule
    under test."""
    engine = replay(terms, list(incidents), first=first, last=last, tickets=tickets)
    assert_agrees(engine, reference_replay(terms, incidents, first, last, tickets))
    return engine


def monthly(terms: Contract) -> Contract:
    """The contract measured by month: short simulations then still have several periods."""
    if terms.measurement.period != "quarter":
        return terms
    return terms.model_copy(
        update={"measurement": terms.measurement.model_copy(update={"period": "month"})}
    )


def trials_replay_to_their_credits(
    terms: Contract, scen: Scenario, seed: int, trials: int, sampled: Sequence[int]
) -> None:
    """Simulate, dump the ``sampled`` trials' incidents and replay each: every period's credit
    after caps equals the simulated one in minor units (within one where the contract prices
    in floats, see slamodeler/engine/pricing.py)."""
    run = simulate(terms, scen, trials, seed)
    found = trial_incidents(terms, scen, seed, trials, list(sampled))
    first, last = run.horizon.periods[0].label, run.horizon.periods[-1].label
    unit = MINOR_UNITS.get(terms.currency, Decimal("0.01"))
    tolerance = 1 if float_priced(terms) else 0
    for trial in sampled:
        replayed = replay(terms, found[trial], first=first, last=last)
        for tier in replayed.tiers:
            simulated = period_credits(run, tier.tier, [trial])[0]
            for p, period in enumerate(tier.periods):
                expected = int(period.credit_after_caps / unit)
                assert abs(int(simulated[p]) - expected) <= tolerance, (trial, period.period)


@dataclasses.dataclass(frozen=True)
class Agreed:
    """What the customers of the checked trials were issued, and what the customer cap cut
    from it (currency units, every tier held together): for a caller's check that the cap
    bound."""

    issued: Decimal
    cut: Decimal


def customer_history(
    terms: Contract, scen: Scenario, seed: int, trials: int, trial: int, customer: int
) -> list[Incident]:
    """A customer's whole history in one trial: the shared incidents (as ``--dump-trials``
    writes them) and its own incidents in each tier held together, each given that tier's name
    as its service, so that in a contract whose tiers are scoped to their own names (a test's
    ``scoped``) replay counts it in that tier alone, as the simulation does."""
    shared = trial_incidents(terms, scen, seed, trials, [trial])[trial]
    out = list(shared)
    for tier in terms.held_together():
        left = Counter(_signature(i) for i in shared)
        dumped = trial_incidents(terms, scen, seed, trials, [trial], (tier.name, customer))
        for incident in dumped[trial]:
            if left[_signature(incident)]:
                left[_signature(incident)] -= 1
            else:
                out.append(
                    dataclasses.replace(
                        incident, id=f"{tier.name}-{incident.id}", service=tier.name
                    )
                )
    return out


def _signature(incident: Incident) -> tuple:
    return incident.start, incident.end, incident.impact, incident.cause, incident.region


def held_customers_replay_to_their_credits(
    terms: Contract, scen: Scenario, seed: int, trials: int, sampled: Iterable[int]
) -> Agreed:
    """Simulate, and replay each customer's whole history (``customer_history``) in each of the
    ``sampled`` trials: each tier's credits issued, capped off and paid, summed over the
    customers, are the trial's simulated totals to the minor unit."""
    run = simulate(terms, scen, trials, seed)
    first, last = run.horizon.periods[0].label, run.horizon.periods[-1].label
    unit = MINOR_UNITS.get(terms.currency, Decimal("0.01"))
    issued = cut = Decimal(0)
    customers = terms.tiers[0].customers
    for trial in sampled:
        sums = {t.name: [Decimal(0)] * 3 for t in terms.tiers}
        for customer in range(customers):
            history = customer_history(terms, scen, seed, trials, trial, customer)
            for tier in replay(terms, history, first=first, last=last).tiers:
                fields = ("credit_after_caps", "capped_off", "expected_paid")
                for k, name in enumerate(fields):
                    sums[tier.tier][k] += tier.total(name)
                issued += tier.total("credit_after_caps")
                cut += tier.total("capped_by_customer")
        for name, (after_caps, capped_off, paid) in sums.items():
            totals = run.pricing[name]
            simulated = [totals.issued[trial], totals.capped_off[trial], totals.paid[trial]]
            expected = [int(after_caps / unit), int(capped_off / unit), int(paid / unit)]
            assert simulated == expected, (trial, name)
    return Agreed(issued, cut)
