"""Chronic failure (docs/measurement.md, section 10): where a termination right holds, and the
fees it puts at risk. One rule for replay (one row of periods) and simulation (a row per trial).

The right holds at the end of a period when the target was missed in at least ``missed`` of the
last ``of`` periods of the measured range, that period included; periods before the range are
not known and count as met. What it puts at risk is the fees of the term's months that had not
started when the right first arose: a customer who terminates then pays none of them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

from slamodeler.domain.chronic_failure import ChronicFailure
from slamodeler.domain.contract import Contract, Tier
from slamodeler.domain.credit_schedules import boundary_of
from slamodeler.domain.results import TierReplay
from slamodeler.engine.fees import months_fees
from slamodeler.engine.horizon import Horizon
from slamodeler.engine.pricing import CHUNK_TRIALS, availability_of

I64 = NDArray[np.int64]


def right_holds(missed: NDArray[np.bool_], clause: ChronicFailure) -> NDArray[np.bool_]:
    """Per row and period (rows x periods): whether the right holds at the period's end."""
    counts = np.cumsum(missed, axis=1, dtype=np.int64)
    before = np.zeros_like(counts)
    before[:, clause.of :] = counts[:, : -clause.of]
    return (counts - before) >= clause.missed


def months_left(contract: Contract, horizon: Horizon) -> NDArray[np.int64]:
    """Per period: the months of its term that start at or after the period's end (periods
    end on the 1st of a month, so whole months from that day to the term's end)."""
    term = contract.term
    start = term.start.year * 12 + term.start.month - 1
    out = []
    for period, number in zip(horizon.periods, horizon.terms, strict=True):
        end = period.first_day.year * 12 + period.first_day.month - 1 + period.months
        out.append(max(0, (number + 1) * term.months - (end - start)))
    return np.array(out, dtype=np.int64)


def first_right(holds: NDArray[np.bool_]) -> NDArray[np.int64]:
    """Per row: the index of the first period at whose end the right holds, -1 if none."""
    found = holds.argmax(axis=1)
    return np.where(holds.any(axis=1), found, -1)


def fees_left(contract: Contract, tier: Tier, horizon: Horizon) -> list[Fraction]:
    """Per period: the tier's fees of the term's months left at its end (``months_left``),
    each month at its own fee where the fees vary (``monthly_fees``): what a termination right
    arising then puts at risk, per customer."""
    left = months_left(contract, horizon)
    return [
        months_fees(
            tier, period.first_day.year * 12 + period.first_day.month - 1 + int(period.months), n
        )
        for period, n in zip(horizon.periods, left.tolist(), strict=True)
    ]


def simulated_fees_at_risk(
    contract: Contract, tier: Tier, horizon: Horizon, downtime: I64, excluded: I64
) -> NDArray[np.float64] | None:
    """Per measured row (trial or customer): the fees at risk, per customer, when the
    termination right first arises in the horizon, -1 where it never does; None without a
    clause."""
    clause = contract.chronic_failure_of(tier)
    if clause is None:
        return None
    left = np.array([float(f) for f in fees_left(contract, tier, horizon)], dtype=np.float64)
    boundary = boundary_of(tier.credits)
    parts = []
    for i in range(0, len(downtime), CHUNK_TRIALS):
        rows = slice(i, i + CHUNK_TRIALS)
        missed = availability_of(contract, horizon, downtime[rows], excluded[rows]).misses(
            tier.target_pct, boundary
        )
        first = first_right(right_holds(missed, clause))
        parts.append(np.where(first >= 0, left[np.maximum(first, 0)], -1.0))
    return np.concatenate(parts) if parts else np.zeros(0, np.float64)


@dataclass(frozen=True)
class ChronicReplay:
    """A replayed tier's chronic failure: per period, the missed periods of the window when the
    right holds at its end (empty when it does not); the first such period; the fees at risk
    then, per customer."""

    clause: str
    triggers: list[tuple[str, ...]]
    first: str | None
    revenue_at_risk: Decimal


def replay_chronic(
    contract: Contract, tier: Tier, horizon: Horizon, missed: list[bool]
) -> ChronicReplay | None:
    """The chronic-failure findings of one replayed tier; None without a clause."""
    clause = contract.chronic_failure_of(tier)
    if clause is None:
        return None
    holds = right_holds(np.array([missed], dtype=bool), clause)[0]
    labels = [p.label for p in horizon.periods]
    triggers = [
        tuple(labels[j] for j in range(max(0, i - clause.of + 1), i + 1) if missed[j])
        if holds[i]
        else ()
        for i in range(len(labels))
    ]
    first = int(first_right(holds[None, :])[0])
    at_risk = fees_left(contract, tier, horizon)[first] if first >= 0 else Fraction(0)
    return ChronicReplay(
        clause=clause.words,
        triggers=triggers,
        first=labels[first] if first >= 0 else None,
        revenue_at_risk=Decimal(at_risk.numerator) / Decimal(at_risk.denominator),
    )


def with_chronic(result: TierReplay, chronic: ChronicReplay | None) -> TierReplay:
    """A replayed tier with its chronic-failure findings (as it is without a clause)."""
    if chronic is None:
        return result
    return replace(
        result,
        chronic_clause=chronic.clause,
        termination_right_from=chronic.first,
        revenue_at_risk=chronic.revenue_at_risk,
    )
