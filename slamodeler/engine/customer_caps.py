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
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from slamodeler.domain.contract import Contract, Tier
from slamodeler.domain.money import minor_unit, round_down
from slamodeler.domain.results import PeriodResult, TierReplay
from slamodeler.engine.caps import expected_claims, lower_limit
from slamodeler.engine.fees import term_annual_fees
from slamodeler.engine.horizon import Horizon
from slamodeler.engine.pricing import Amount, CreditTerms, least_issued, price_tier

if TYPE_CHECKING:
    from slamodeler.engine.claim_events import ClaimEvents

I64 = NDArray[np.int64]


def customer_cap_amount(contract: Contract, term: int) -> Fraction | None:
    """The cap on one customer's credits in term number ``term``, exact: the lower of ``amount``
    and ``pct_of_annual_fees`` % of a year's worth of the term's fees (engine/fees.py) of every
    tier held together."""
    cap = contract.customer_cap
    if cap is None:
        return None
    fees = sum(
        (term_annual_fees(contract.term, t, term) for t in contract.held_together()), Fraction(0)
    )
    return lower_limit(cap.amount, cap.pct_of_annual_fees, fees)


@dataclass(frozen=True)
class AcrossTiers:
    """What the walk needs: the cap of each term in minor units (rounded down), the term of each
    period and the least credit issued (minor units)."""

    caps: dict[int, int]
    terms: tuple[int, ...]
    least: int

    @classmethod
    def of(cls, contract: Contract, terms: list[int], least: int) -> AcrossTiers | None:
        if contract.customer_cap is None:
            return None
        unit = minor_unit(contract.currency)
        caps = {}
        for term in set(terms):
            amount = customer_cap_amount(contract, term)
            assert amount is not None  # a customer cap was given
            caps[term] = int(round_down(amount, unit) / unit)
        return cls(caps, tuple(terms), least)

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
                room = np.maximum(self.caps[term] - spent, 0)
                after[t, :, p] = np.minimum(issued[t, :, p], room)
                final[t, :, p] = np.where(after[t, :, p] >= self.least, after[t, :, p], 0)
                spent += final[t, :, p]
        return after, final

    def may_bind(self, issued_total: I64) -> NDArray[np.bool_]:
        """Rows whose credits over the whole horizon, all tiers together, pass the cap: only
        those can be cut (a term never holds more than the horizon, nor a cap less than the
        least term's)."""
        return issued_total > min(self.caps.values())


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
                note=f"customer cap ({' + '.join(held)}): "
                f"{Decimal(walk.caps[term]) * unit:,} a term, "
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
    claims = expected_claims(final_amount, contract, unit)
    return dataclasses.replace(
        period,
        credit_after_caps=final_amount,
        capped_by_customer=Decimal(cut) * unit,
        below_min_credit=period.below_min_credit + Decimal(below) * unit,
        expected_paid=claims["expected_paid"],
        late_forfeited=claims["late_forfeited"],
        customer_cap_note=note,
    )


@dataclass(frozen=True)
class HeldRows:
    """One tier held together, as the simulation measured and priced it: its rows (downtime,
    excluded, trial and customer, -1 on each trial's shared row), their issued totals, and the
    credits added before the tier's caps (``price_tier``'s ``incident_percent`` and ``support``;
    None: the tier has none)."""

    tier: Tier
    downtime: I64
    excluded: I64
    trial: I64
    customer: I64
    issued: I64
    incident_percent: I64 | None = None
    support: tuple[Amount, int] | None = None
    claims: I64 | None = None  # under a claim window, each row's claim instants
    events: ClaimEvents | None = None  # then: per-incident and support credits per claim


@dataclass(frozen=True)
class Cuts:
    """Per tier held together and per trial, for all its customers: what the customer cap took
    from the issued credits, from the paid ones, and how much of it was capped off (the rest fell
    below the minimum credit)."""

    issued: dict[str, I64]
    paid: dict[str, I64]
    capped_off: dict[str, I64]


def cut_trials(
    contract: Contract, horizon: Horizon, held: list[HeldRows], trials: int
) -> Cuts | None:
    """The customer cap over simulated trials. A customer is a trial's shared rows (standing for
    every customer that nothing of its own hit in any tier held) or, for a customer hit on its
    own in some tier, that customer's row where it has one and the shared row elsewhere. Only
    customers whose credits over the horizon pass the cap are priced period by period and cut."""
    unit = minor_unit(contract.currency)
    # a claim at the horizon's end may fall in the next term: its cap bounds what may bind too
    extra = [max(horizon.terms) + 1] if held and held[0].claims is not None else []
    walk = AcrossTiers.of(
        contract,
        list(horizon.terms) + extra,
        least_issued(contract.claims.min_credit / unit, contract),
    )
    if walk is None or not held:
        return None
    customers = held[0].tier.customers  # equal over the tiers held (validated)
    own_keys = [h.trial[h.customer >= 0] * customers + h.customer[h.customer >= 0] for h in held]
    pairs = np.unique(np.concatenate(own_keys)) if own_keys else np.zeros(0, np.int64)
    pair_trial = pairs // customers
    hit = np.bincount(pair_trial, minlength=trials)
    combo_trial = np.concatenate((np.arange(trials, dtype=np.int64), pair_trial))
    weight = np.concatenate((customers - hit, np.ones(len(pairs), np.int64)))
    rows = [_rows_of_combos(h, pairs, customers, trials) for h in held]
    total = np.sum([h.issued[r] for h, r in zip(held, rows, strict=True)], axis=0)
    binding = np.flatnonzero(walk.may_bind(total) & (weight > 0))
    empty = {h.tier.name: np.zeros(trials, np.int64) for h in held}
    cuts = Cuts(dict(empty), dict(empty), dict(empty))
    if not binding.size:
        return cuts
    if held[0].claims is None:
        by_period = np.stack(
            [
                _issued_by_period(contract, horizon, h, r[binding])
                for h, r in zip(held, rows, strict=True)
            ]
        )
        after, final = walk.cut(by_period)
    else:
        by_period, after, final = _cut_claims(
            contract, horizon, held, [r[binding] for r in rows], walk.least
        )
    at = combo_trial[binding]
    w = weight[binding]
    for t, h in enumerate(held):
        paid = CreditTerms.of(contract, h.tier, horizon).paid
        before = by_period[t]

        def per_trial(values: I64) -> I64:
            summed = np.bincount(at, weights=values.sum(axis=1) * w, minlength=trials)
            return np.rint(summed).astype(np.int64)

        name = h.tier.name
        cuts.issued[name] = per_trial(before - final[t])
        cuts.paid[name] = per_trial(paid(before) - paid(final[t]))
        cuts.capped_off[name] = per_trial(before - after[t])
    return cuts


def _rows_of_combos(held: HeldRows, pairs: I64, customers: int, trials: int) -> I64:
    """The row of this tier for each customer combination: the trial's shared row first, then
    each customer's own row where the tier has one, else the shared row."""
    shared = np.empty(trials, np.int64)
    mask = held.customer < 0
    shared[held.trial[mask]] = np.flatnonzero(mask)
    own = np.flatnonzero(~mask)
    pair_rows = shared[pairs // customers]
    if own.size:
        keys = held.trial[own] * customers + held.customer[own]
        order = np.argsort(keys)
        at = np.minimum(np.searchsorted(keys[order], pairs), len(own) - 1)
        pair_rows = np.where(keys[order][at] == pairs, own[order][at], pair_rows)
    return np.concatenate((shared, pair_rows))


def _cut_claims(
    contract: Contract, horizon: Horizon, held: list[HeldRows], rows: list[I64], least: int
) -> tuple[I64, I64, I64]:
    """``AcrossTiers.cut`` under a claim window: each customer walked over its own claims (its
    rows of every tier held file the same claims: each incident of its history, whatever the
    scope, its own in any tier held included: ``simulation.claim_holders``), in time order with
    their terms, as replay walks a history's claim rows. Arrays tiers x customers x claims, 0
    past a customer's last claim."""
    # the simulation's claim pricing, imported here: a replay never comes this way, and starts
    # sooner without it (tests/cli/test_startup_imports.py)
    from slamodeler.engine.claim_simulation import NO_CLAIM, claim_horizon

    issued = [_issued_by_claim(contract, horizon, h, r) for h, r in zip(held, rows, strict=True)]
    claims = [h.claims[r] for h, r in zip(held, rows, strict=True) if h.claims is not None]
    shape = (len(held), len(rows[0]), max(c.shape[1] for c in claims))
    before, after, final = (np.zeros(shape, np.int64) for _ in range(3))
    for i in range(shape[1]):
        k = int(np.count_nonzero(claims[0][i] != NO_CLAIM))
        assert all((c[i, :k] == claims[0][i, :k]).all() for c in claims)  # one history's
        walk = AcrossTiers.of(
            contract, claim_horizon(contract, horizon, claims[0][i, :k].tolist()).terms, least
        )
        assert walk is not None  # a customer cap was given
        customer = np.stack([by_claim[[i], :k] for by_claim in issued])
        cut, kept = walk.cut(customer)
        before[:, i, :k], after[:, i, :k], final[:, i, :k] = customer[:, 0], cut[:, 0], kept[:, 0]
    return before, after, final


def _issued_by_claim(contract: Contract, horizon: Horizon, held: HeldRows, rows: I64) -> I64:
    """Each of ``rows``' credit issued by claim, the rows priced together (they share the
    decisions of claims alike)."""
    from slamodeler.engine.claim_simulation import price_claims

    assert held.claims is not None
    priced = price_claims(
        contract,
        held.tier,
        horizon,
        held.downtime[rows],
        held.excluded[rows],
        held.claims[rows],
        keep_periods=True,
        events=None if held.events is None else held.events.rows(rows),
    )
    assert priced.issued_by_period is not None
    return priced.issued_by_period


def _issued_by_period(contract: Contract, horizon: Horizon, held: HeldRows, rows: I64) -> I64:
    per_incident, support = held.incident_percent, held.support
    priced = price_tier(
        contract,
        held.tier,
        horizon,
        held.downtime[rows],
        held.excluded[rows],
        keep_periods=True,
        incident_percent=None if per_incident is None else per_incident[rows],
        support=None if support is None else (support[0][rows], support[1]),
    )
    assert priced.issued_by_period is not None
    return priced.issued_by_period
