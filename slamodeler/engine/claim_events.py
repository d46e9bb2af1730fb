"""Per-incident credits and support misses on the claims of the simulation's rows under a claim
window, by replay's rule (docs/measurement.md, section 1b; ``billing_rows``): each is counted
where it falls and credited once, to the claim that bills that instant, the first of its row's
claims after it (a claim bills the time since the previous claim); after a row's last claim, no
claim credits it. An incident falls at its first counted slot in service hours
(``incident_credits.measure``); a drawn support miss at the start of the month it is drawn in,
where a dumped trial's ticket is opened (``ticket_draws.trial_tickets``): the simulation draws
a month's misses, not their instants.
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

from slamodeler.domain.incident_credits import IncidentCredits
from slamodeler.domain.support import ResponseTarget
from slamodeler.engine import incident_credits
from slamodeler.engine.slots import SlotGrid
from slamodeler.engine.support_credits import miss_credit_percent

I64 = NDArray[np.int64]
NO_CLAIM = -1  # as claim_simulation pads each row's claims
_SPAN = 2**34  # past every instant (epoch seconds): one row's claims apart from the next's


def claim_columns(claims: I64, row: I64, instant: I64) -> I64:
    """The claim (column of ``claims``, rows x claims in time order, ``NO_CLAIM`` past a row's
    last) that credits each event at ``instant`` on row ``row``: the number of the row's claims
    at or before it; -1 when none is after it."""
    rows, width = claims.shape
    if not width or not len(row):
        return np.full(len(row), -1, np.int64)
    keyed = np.where(claims == NO_CLAIM, _SPAN - 1, claims) + np.arange(rows)[:, None] * _SPAN
    at = np.searchsorted(keyed.ravel(), row * _SPAN + instant, side="right") - row * width
    filed = np.count_nonzero(claims != NO_CLAIM, axis=1)
    return np.where(at < filed[row], at, -1).astype(np.int64)


def incidents_by_claim(
    terms: IncidentCredits, found: incident_credits.Measured, row: I64, claims: I64, grid: SlotGrid
) -> I64:
    """Per row and claim (the shape of ``claims``), the sum of the numerators
    (``incident_credits.percent``'s denominator) of the per-incident credits it takes: each
    incident ``found`` on its ``row``."""
    num, _ = incident_credits.percent(terms, found.counted)
    column = claim_columns(claims, row, grid.origin + found.slot * grid.slot_seconds)
    return _summed(claims.shape, row, column, num)


def misses_by_claim(misses: I64, month_starts: I64, claims: I64) -> I64:
    """Per row, claim and priority, the support misses it takes: ``misses`` is per row, month
    (starting at ``month_starts``) and priority."""
    rows, months, priorities = misses.shape
    row = np.repeat(np.arange(rows, dtype=np.int64), months)
    column = claim_columns(claims, row, np.tile(month_starts, rows))
    out = np.zeros((*claims.shape, priorities), np.int64)
    for k in range(priorities):
        out[:, :, k] = _summed(claims.shape, row, column, misses[:, :, k].ravel())
    return out


def _summed(shape: tuple[int, ...], row: I64, column: I64, values: I64) -> I64:
    """``values`` summed per (row, column) into ``shape``; column -1: left out."""
    billed = column >= 0
    key = row[billed] * shape[1] + column[billed]
    weights = values[billed].astype(np.float64)
    summed = np.bincount(key, weights=weights, minlength=shape[0] * shape[1])
    if summed.size and summed.max() >= 2**52:
        raise OverflowError("per-claim credits too large to sum exactly")
    return np.rint(summed).astype(np.int64).reshape(shape)


@dataclasses.dataclass(frozen=True)
class ClaimEvents:
    """A tier's credits added to each claim's before its caps (rows x claims): per-incident
    credits as numerators over ``incident_den``, support misses per priority of ``targets``."""

    incident_num: I64 | None = None
    incident_den: int = 1
    misses: I64 | None = None  # rows x claims x priorities
    targets: tuple[ResponseTarget, ...] = ()

    def credited(self, shape: tuple[int, ...]) -> NDArray[np.bool_]:
        """The claims these add a credit to."""
        out = np.zeros(shape, bool)
        if self.incident_num is not None:
            out |= self.incident_num > 0
        if self.misses is not None:
            out |= self.misses.sum(axis=2) > 0
        return out

    def percent(self, row: int, column: int, fee: Fraction) -> Fraction:
        """What they add to a claim's credit, % of its credited fee ``fee``: its per-incident
        credits, and per priority its misses' credits cut to the priority's cap per period,
        as replay's ``support_credits`` counts a claim's row."""
        total = Fraction(0)
        if self.incident_num is not None:
            total += Fraction(int(self.incident_num[row, column]), self.incident_den)
        if self.misses is None:
            return total
        for k, target in enumerate(self.targets):
            count = int(self.misses[row, column, k])
            if count:
                owed = count * miss_credit_percent(target, fee)
                cap = target.max_pct_per_period
                total += owed if cap is None else min(owed, Fraction(cap))
        return total

    def rows(self, picked: I64 | slice | list[int]) -> ClaimEvents:
        """The same on some rows."""
        return dataclasses.replace(
            self,
            incident_num=None if self.incident_num is None else self.incident_num[picked],
            misses=None if self.misses is None else self.misses[picked],
        )
