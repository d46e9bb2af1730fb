"""The whole book's exposure: the use case behind `slamodeler portfolio` (every contract of a
workspace, or contract files) and the desktop's Portfolio tab (engine/portfolio.py).

From a workspace, each contract is taken at its approved version, else at its latest version
(a draft or one in review): what the company has signed, or is about to. The label says which
(``KEY@N (approved)``, ``KEY@N (latest, draft)``), in every output.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slamodeler.domain.contract import Contract
from slamodeler.domain.errors import InputError
from slamodeler.domain.scenario import Scenario
from slamodeler.domain.simulation_request import SimulationRequest
from slamodeler.engine.portfolio import Member, Portfolio, price_portfolio
from slamodeler.engine.simulation import CancelToken, Progress, book_notes
from slamodeler.io.contract_file import load_contract
from slamodeler.io.scenario_file import load_scenario
from slamodeler.io.workbook import WorkbookContent, WorkbookReport, write_workbook
from slamodeler.services.redline import check_scenario
from slamodeler.services.simulate import executor_for
from slamodeler.services.vendor import received

if TYPE_CHECKING:
    from slamodeler.store.workspace import Workspace

__all__ = [  # with the engine's types the front ends hold and pass back
    "INTERVAL_HEADERS",
    "MEMBER_HEADERS",
    "CancelToken",
    "Portfolio",
    "contribution_interval",
    "diversification_line",
    "interval_rows",
    "largest",
    "member_cells",
    "portfolio_cells",
    "portfolio_contracts",
    "portfolio_heading",
    "portfolio_json",
    "price_contracts",
    "price_files",
    "price_workspace",
    "save_portfolio_workbook",
]


def price_contracts(
    contracts: Sequence[Contract],
    labels: Sequence[str],
    scenario: Scenario,
    request: SimulationRequest,
    *,
    workers: int = 1,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> Portfolio:
    """The contracts on one drawing of ``scenario`` as ``request`` asks; a problem of one
    contract with the scenario names which one (``labels``)."""
    if not contracts:
        raise InputError("a portfolio needs at least one contract")
    scenario = request.horizon_of(scenario)
    for label, terms in zip(labels, contracts, strict=True):
        check_scenario(label, terms, scenario, request.trials)
    with executor_for(workers) as executor:
        return price_portfolio(
            contracts,
            labels,
            scenario,
            request.trials,
            request.seed,
            executor=executor,
            progress=progress,
            cancel=cancel,
        )


def price_files(
    paths: Sequence[str | Path],
    scenario_path: str | Path,
    request: SimulationRequest,
    *,
    workers: int = 1,
    progress: Progress | None = None,
) -> Portfolio:
    return price_contracts(
        [load_contract(p) for p in paths],
        [str(p) for p in paths],
        load_scenario(scenario_path),
        request,
        workers=workers,
        progress=progress,
    )


def portfolio_contracts(
    ws: Workspace, keys: Sequence[str] | None = None
) -> list[tuple[str, Contract]]:
    """Every contract of the workspace (or those named by ``keys``) at its approved version,
    else its latest, labelled with the version and why it was taken."""
    from slamodeler.store.tables import APPROVED

    everything = [(row, versions) for row, versions in ws.contracts() if versions]
    vendors = {row.key for row, versions in everything if received(versions[-1])}
    stored = [(row, versions) for row, versions in everything if row.key not in vendors]
    if keys is not None and not keys:
        raise InputError("choose at least one contract of the workspace for the portfolio")
    if keys is not None:
        known = {row.key for row, _ in stored}
        unknown = [k for k in keys if k not in known]
        if unknown and unknown[0] in vendors:  # not ours to pay: held with `vendor`
            raise InputError(
                f"{unknown[0]} is a vendor's SLA to us (direction: received), not in our book: "
                "hold it to ours with `slamodeler vendor`"
            )
        if unknown:
            raise InputError(
                f"{ws.path.name} holds no contract {unknown[0]!r}: its contracts are "
                + ", ".join(sorted(known))
            )
        stored = [(row, versions) for row, versions in stored if row.key in keys]
    out = []
    for row, versions in stored:
        approved = [v for v in versions if v.status == APPROVED]
        taken = approved[-1] if approved else versions[-1]
        why = "approved" if approved else f"latest, {taken.status.replace('_', ' ')}"
        out.append((f"{row.key}@{taken.number} ({why})", ws.contract_of(taken)))
    if not out:
        raise InputError(
            f"{ws.path.name} holds no contracts: import one with `slamodeler ws import-contract "
            "FILE`, or give contract files"
        )
    return out


def price_workspace(
    ws: Workspace,
    scenario: str,
    request: SimulationRequest,
    *,
    workers: int = 1,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    keys: Sequence[str] | None = None,
) -> Portfolio:
    """Every contract of the workspace, or those named by ``keys`` (``portfolio_contracts``),
    under a stored scenario."""
    found = portfolio_contracts(ws, keys)
    return price_contracts(
        [c for _, c in found],
        [label for label, _ in found],
        ws.scenario_of(ws.scenario(scenario)),
        request,
        workers=workers,
        progress=progress,
        cancel=cancel,
    )


def portfolio_notes(found: Portfolio) -> list[str]:
    """What the members' runs note, once each; a process that reaches no tier of one contract
    is noted only when it reaches none of the book's."""
    return book_notes([m.run for m in found.members])


def portfolio_json(found: Portfolio) -> dict[str, Any]:
    """The portfolio as `portfolio --format json` prints it (docs/simulation-output.md); a share
    of nothing (no credits in the tail) is null."""
    return _finite(
        {
            "scenario": found.scenario.name,
            "trials": found.trials,
            "seed": found.seed,
            "years": found.years,
            "currency": found.currency,
            "tail_trials": found.tail_trials,
            "contracts": [
                {
                    "contract": m.label,
                    "name": m.name,
                    "mean": m.exposure.mean,
                    "stderr": m.exposure.stderr,
                    "p95": m.exposure.quantiles["p95"],
                    "p99": m.exposure.quantiles["p99"],
                    "tvar99": m.exposure.tvar99,
                    "tvar99_contribution": m.contribution,
                    "tvar99_share": m.share,
                    "ci95": _ci(m.exposure.intervals),
                    "tvar99_contribution_ci95": list(shares),
                }
                for m, shares in zip(found.members, found.share_intervals[0], strict=True)
            ],
            "portfolio": {
                "mean": found.mean,
                "stderr": found.stderr,
                "p95": found.quantiles["p95"],
                "p99": found.quantiles["p99"],
                "tvar99": found.tvar99,
                "ci95": _ci(found.intervals),
            },
            "standalone_tvar99_sum": found.standalone_tvar99,
            "diversification_benefit": found.diversification,
            "diversification_share": found.diversification_share,
            "diversification_ci95": list(found.share_intervals[1]),
        }
    )


def _ci(intervals: dict[str, tuple[float, float]]) -> dict[str, list[float]]:
    return {k: [low, high] for k, (low, high) in intervals.items()}


def _finite(value: Any) -> Any:
    """NaN (a share of zero, a statistic of no trials) as null: JSON has no NaN."""
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return None if isinstance(value, float) and not math.isfinite(value) else value


MEMBER_HEADERS = [
    "contract",
    "mean",
    "P95",
    "P99",
    "TVaR99 alone",
    "TVaR99 contribution",
    "share of TVaR99",
]


def _money(value: float) -> str:
    return f"{value:,.0f}"


def member_cells(m: Member) -> list[str]:
    """A contract's row as the table and the desktop show it (``MEMBER_HEADERS``)."""
    e = m.exposure
    return [
        m.label,
        _money(e.mean),
        _money(e.quantiles["p95"]),
        _money(e.quantiles["p99"]),
        _money(e.tvar99),
        _money(m.contribution),
        f"{m.share:.1%}",
    ]


def contribution_interval(found: Portfolio, index: int) -> str:
    """The 95% interval of member ``index``'s contribution, in words (a cell's tooltip)."""
    low, high = found.share_intervals[0][index]
    if math.isnan(low):
        return "too few trials for an interval"
    return f"95% interval {_money(low)} to {_money(high)} (bootstrap over the trials)"


def portfolio_cells(found: Portfolio) -> list[str]:
    """The total's row (``MEMBER_HEADERS``): its contributions are its TVaR99."""
    return [
        "portfolio",
        _money(found.mean),
        _money(found.quantiles["p95"]),
        _money(found.quantiles["p99"]),
        _money(found.tvar99),
        _money(found.tvar99),
        f"{1:.1%}",
    ]


INTERVAL_HEADERS = ["95% confidence intervals", "P95", "P99", "TVaR99", "TVaR99 contribution"]


def interval_rows(found: Portfolio) -> list[list[str]]:
    """Each contract's and the portfolio's 95% intervals of the tail (``INTERVAL_HEADERS``)."""

    def interval(low: float, high: float) -> str:
        return "too few trials" if math.isnan(low) else f"{_money(low)} to {_money(high)}"

    shares = found.share_intervals[0]
    series = [
        (m.label, {**m.exposure.intervals, "share": share})
        for m, share in zip(found.members, shares, strict=True)
    ]
    whole = {**found.intervals, "share": found.intervals["tvar99"]}  # all of it is its own
    return [
        [name, *(interval(*ci[k]) for k in ("p95", "p99", "tvar99", "share"))]
        for name, ci in [*series, ("portfolio", whole)]
    ]


def portfolio_heading(found: Portfolio) -> str:
    """What the figures are: the horizon, the run, how the tail is shared out."""
    per = "over 1 year" if found.years == 1 else f"over {found.years} years"
    return (
        f"{len(found.members)} contract{'s' if len(found.members) != 1 else ''} on the same "
        f"simulated incidents: credits paid {per}, "
        f"{found.currency}; {found.trials:,} trials, seed {found.seed}, scenario "
        f"{found.scenario.name}. TVaR99 contribution = the contract's mean credits in the "
        f"portfolio's worst {found.tail_trials:,} trials (1%); the contributions add up to "
        "the portfolio's TVaR99."
    )


def diversification_line(found: Portfolio) -> str:
    low, high = found.share_intervals[1]
    return (
        f"Diversification benefit: {_money(found.diversification)} "
        f"({found.diversification_share:.1%} of {_money(found.standalone_tvar99)}, the sum "
        f"of the contracts' own TVaR99s, against the portfolio's {_money(found.tvar99)}); "
        f"95% interval {_money(low)} to {_money(high)}"
    )


def largest(found: Portfolio) -> Member:
    """The contract with the largest share of the tail (the first of equals)."""
    return max(found.members, key=lambda m: m.contribution)


def save_portfolio_workbook(out: str | Path, found: Portfolio) -> WorkbookReport:
    """The Portfolio sheet, with the exposure sheets of the contract with the largest share of
    the tail (a workbook's other sheets hold one contract's terms)."""
    top = largest(found)
    return write_workbook(
        out,
        WorkbookContent(
            top.run.contract, contract_label=top.label, simulation=top.run, portfolio=found
        ),
    )
