"""What a contract puts at stake beyond each tier's own credits, in the workbook: the chronic-
failure termination right (docs/measurement.md, section 10) and the customer cap across tiers
(section 9). Replay: a formula flags the periods at whose end the right holds; the customer
cap's cut is the engine's value (it walks every tier held together period by period). Exposure:
the simulated probability of the right, the fees it puts at risk and the customer cap's cut."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from slamodeler.domain.contract import Contract, Tier
from slamodeler.domain.money import minor_unit
from slamodeler.engine.exposure import Exposure
from slamodeler.engine.simulation import SimulationRun
from slamodeler.io.workbook.cells import STYLES as S

HOLDS = "holds"
Statistic = tuple[str, str, Callable[[Exposure], float]]


def termination_formula(contract: Contract, tier: Tier, r: int, first: int) -> str | None:
    """The Replay row ``r``'s flag: "holds" when at least ``missed`` of the tier's last ``of``
    rows (``first``: the tier's first row; earlier periods count as met) missed the target
    (column K); None without a clause."""
    clause = contract.chronic_failure_of(tier)
    if clause is None:
        return None
    start = max(first, r - clause.of + 1)
    return f'=IF(COUNTIF(K{start}:K{r},"missed")>={clause.missed},"{HOLDS}","")'


def exposure_statistics(contract: Contract, run: SimulationRun) -> list[Statistic]:
    """Rows for the Exposure sheet, each tier's and the portfolio's: the chronic-failure ones
    when some tier has a clause, the customer cap's when the contract has one."""
    stats: list[Statistic] = []
    if any(contract.chronic_failure_of(t) for t in contract.tiers):
        stats += [
            (
                "Probability of a termination right (chronic failure)",
                S.share,
                lambda e: e.p_termination_right,
            ),
            (
                "Revenue at risk from chronic failure (mean)",
                S.money,
                lambda e: e.revenue_at_risk_mean,
            ),
        ]
    if contract.customer_cap is not None:
        cut = _customer_cap_cuts(contract, run)
        stats += [
            (
                "Probability the customer cap bites",
                S.share,
                lambda e: float(np.mean(cut[e.name] > 0)) if len(cut[e.name]) else float("nan"),
            ),
            (
                "Cut by the customer cap (mean)",
                S.money,
                lambda e: float(np.mean(cut[e.name])) if len(cut[e.name]) else float("nan"),
            ),
        ]
    return stats


def _customer_cap_cuts(contract: Contract, run: SimulationRun) -> dict[str, np.ndarray]:
    """Per tier and the portfolio, per trial: the issued credits the customer cap took off
    (currency units; zeros for a tier not held under it)."""
    unit = float(minor_unit(contract.currency))
    out: dict[str, np.ndarray] = {}
    for tier in contract.tiers:
        totals = run.pricing[tier.name]
        taken = totals.cut_by_customer_cap
        out[tier.name] = (
            np.zeros(len(totals.issued)) if taken is None else taken.astype(np.float64) * unit
        )
    out["portfolio"] = np.sum(list(out.values()), axis=0)
    return out
