"""Either this credit or that one (docs/measurement.md, section 11): one rule for replay (exact
percentages, with the period's explanation) and simulation (owed amounts per trial and period).
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from slamodeler.domain.contract import Tier
from slamodeler.domain.either_or import Pick
from slamodeler.engine.credits import CreditDecision, decide_credit

Amount = NDArray[np.int64] | NDArray[np.float64]
_SAFE = 2**62


def decide_tier_credit(
    tier: Tier,
    availability: Fraction,
    downtime_minutes: Fraction,
    period_minutes: Fraction,
    excluded_minutes: Fraction = Fraction(0),
) -> CreditDecision:
    """The period's credit under the tier's schedule, or under its ``either_or`` credit when
    that one is paid instead; the rule says which was paid and which was not."""
    measured = (availability, downtime_minutes, period_minutes, excluded_minutes)
    own = decide_credit(tier.credits, tier.target_pct, *measured)
    other_tier = tier.other_credit()
    if other_tier is None or tier.either_or is None:
        return own
    other = decide_credit(other_tier.credits, other_tier.target_pct, *measured)
    name = tier.either_or.name
    if takes_other(tier.either_or.pick, own.percent, other.percent):
        why = "it is greater" if tier.either_or.pick == "greater" else "the tier's credit is 0%"
        rule = f"{name} paid ({why}): {_said(other)}; not paid: the tier's credit {_said(own)}"
        return CreditDecision(other.percent, rule, None, other.escalation)
    if not other.percent:
        return own
    rule = f"{own.rule}; not paid: {name} {_said(other)}"
    return CreditDecision(own.percent, rule, own.band, own.escalation)


def _said(decision: CreditDecision) -> str:
    """A decision's rule ending in its percentage ("... -> 20%")."""
    percent = f"{float(decision.percent):g}%"
    return (
        decision.rule if decision.rule.endswith(f" {percent}") else f"{decision.rule} -> {percent}"
    )


def combine_owed(
    pick: Pick, own: tuple[Amount, int], other: tuple[Amount, int]
) -> tuple[Amount, int]:
    """Per trial and period, the owed amount (numerator, denominator) the period pays: the
    same choice as replay's, exactly where both are exact integers, else in floats."""
    (a, da), (b, db) = own, other
    if a.dtype.kind == "i" and b.dtype.kind == "i":
        den = math.lcm(da, db)
        big = max(
            int(np.abs(a).max(initial=0)) * (den // da), int(np.abs(b).max(initial=0)) * (den // db)
        )
        if big < _SAFE:
            a, b = a * (den // da), b * (den // db)
            return np.where(takes_other(pick, a, b), b, a), den
    fa, fb = a / da, b / db
    return np.where(takes_other(pick, fa, fb), fb, fa), 1


def takes_other(pick: Pick, own: Any, other: Any) -> Any:
    """Whether a period pays the other credit (per element for arrays): the greater, the
    tier's own on a tie; or the first that gives anything."""
    if pick == "greater":
        return other > own
    return (own == 0) & (other > 0)
