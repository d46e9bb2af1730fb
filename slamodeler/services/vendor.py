"""Hold a vendor to its SLA: the use case behind `slamodeler vendor` and the desktop's Vendor
dialog (engine/back_to_back.py). Our contract and the vendor's come from files or a workspace;
the vendor's incidents are replayed under both, and with a scenario simulated under both."""

from __future__ import annotations

import json
import math
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slamodeler.domain.contract import Contract
from slamodeler.domain.incidents import IncidentSet
from slamodeler.domain.money import minor_unit, round_half_up
from slamodeler.domain.scenario import Scenario
from slamodeler.domain.simulation_request import SimulationRequest
from slamodeler.engine.back_to_back import (
    BackToBack,
    replay_back_to_back,
    simulate_back_to_back,
)
from slamodeler.engine.simulation import CancelToken, Progress
from slamodeler.io.contract_file import load_contract
from slamodeler.io.scenario_file import load_scenario
from slamodeler.io.workbook import WorkbookContent, WorkbookReport, write_workbook
from slamodeler.services.redline import check_scenario
from slamodeler.services.replay import load_incident_file
from slamodeler.services.simulate import executor_for

if TYPE_CHECKING:
    from slamodeler.store.tables import ContractVersionRow
    from slamodeler.store.workspace import Workspace

__all__ = [  # with the engine's type the front ends hold
    "PERIOD_HEADERS",
    "SCORE_HEADERS",
    "SIMULATED_HEADERS",
    "BackToBack",
    "CancelToken",
    "contract_keys",
    "fitting_ours",
    "heading",
    "hold_vendor",
    "period_details",
    "period_rows",
    "received",
    "save_vendor_workbook",
    "score_rows",
    "simulated_lines",
    "simulated_period_rows",
    "vendor_files",
    "vendor_json",
    "vendor_workspace",
]

PERIOD_HEADERS = ["Period", "We owe", "Vendor owes", "Gap", "Vendor met"]
SIMULATED_HEADERS = ["Period", "We owe, mean", "Vendor owes, mean", "Gap, mean"]
SCORE_HEADERS = ["Vendor tier", "Target %", "Periods met", "Credits due", "Trend"]


def hold_vendor(
    ours: Contract,
    vendor: Contract,
    labels: tuple[str, str],
    incidents: IncidentSet,
    scenario: Scenario | None = None,
    request: SimulationRequest | None = None,
    *,
    workers: int = 1,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    periods: tuple[str | None, str | None] = (None, None),
) -> BackToBack:
    """``periods``: the first and last period replayed (None: those the incidents span)."""
    replayed = replay_back_to_back(ours, vendor, incidents.incidents, labels, *periods)
    simulated = None
    if scenario is not None:
        request = request or SimulationRequest()
        scenario = request.horizon_of(scenario)
        for label, terms in ((labels[0], replayed.ours_terms), (labels[1], vendor)):
            check_scenario(label, terms, scenario, request.trials)
        with executor_for(workers) as executor:
            simulated = simulate_back_to_back(
                ours,
                vendor,
                scenario,
                request.trials,
                request.seed,
                executor=executor,
                progress=progress,
                cancel=cancel,
                labels=labels,
            )
    return BackToBack(ours, vendor, labels, incidents, replayed, simulated)


def vendor_files(
    ours: str | Path,
    vendor: str | Path,
    incidents: str | Path,
    scenario: str | Path | None = None,
    request: SimulationRequest | None = None,
    *,
    mapping: str | Path | None = None,
    timezone: str | None = None,
    skip_bad_rows: bool = False,
    encoding: str | None = None,
    periods: tuple[str | None, str | None] = (None, None),
    workers: int = 1,
    progress: Progress | None = None,
) -> BackToBack:
    """Both contract files and the vendor's incident export (read as `replay` reads one)."""
    terms = load_contract(ours), load_contract(vendor)
    found = load_incident_file(
        incidents, mapping, timezone, skip_bad_rows, terms[1], encoding=encoding
    )
    return hold_vendor(
        *terms,
        (str(ours), str(vendor)),
        found,
        None if scenario is None else load_scenario(scenario),
        request,
        workers=workers,
        progress=progress,
        periods=periods,
    )


def vendor_workspace(
    ws: Workspace,
    ours: str,
    vendor: str,
    incidents: str,
    scenario: str | None = None,
    request: SimulationRequest | None = None,
    *,
    workers: int = 1,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    periods: tuple[str | None, str | None] = (None, None),
) -> BackToBack:
    """Both contracts at their latest versions, a stored incident set and scenario by name."""
    from slamodeler.services.incident_sets import read_incident_set

    versions = ws.version(ours), ws.version(vendor)
    return hold_vendor(
        ws.contract_of(versions[0]),
        ws.contract_of(versions[1]),
        (f"{ours}@{versions[0].number}", f"{vendor}@{versions[1].number}"),
        read_incident_set(ws, incidents),
        None if scenario is None else ws.scenario_of(ws.scenario(scenario)),
        request,
        workers=workers,
        progress=progress,
        cancel=cancel,
        periods=periods,
    )


def contract_keys(ws: Workspace) -> tuple[list[str], list[str]]:
    """The keys of the workspace's contracts whose latest version we give, and of those we
    receive (vendors' SLAs)."""
    ours: list[str] = []
    theirs: list[str] = []
    for row, versions in ws.contracts():
        if versions:
            (theirs if received(versions[-1]) else ours).append(row.key)
    return ours, theirs


def fitting_ours(ws: Workspace, vendor: str, ours: list[str]) -> list[str]:
    """Those of ``ours`` whose latest version has every tier the ``vendor``'s SLA reaches: the
    contracts it can be held back to back with (the Vendor tab offers the first)."""
    latest = {row.key: versions[-1] for row, versions in ws.contracts() if versions}
    if vendor not in latest:
        return []
    wanted = {t for r in json.loads(latest[vendor].body).get("reaches", []) for t in r["our_tiers"]}
    return [
        key
        for key in ours
        if key in latest
        and wanted <= {t["name"] for t in json.loads(latest[key].body).get("tiers", [])}
    ]


def received(version: ContractVersionRow) -> bool:
    """Whether a stored version is a vendor's SLA to us (``direction: received``)."""
    return bool(json.loads(version.body).get("direction") == "received")


def money(amount: Decimal, currency: str) -> Decimal:
    """Sums of credits rounded to the minor unit already: shown to it."""
    return round_half_up(amount, minor_unit(currency))


def heading(report: BackToBack) -> str:
    reach = "; ".join(
        f"{x.vendor_tier} reaches {', '.join(x.our_tiers)}" for x in report.vendor.reaches
    )
    r = report.replayed
    return (
        f"{report.vendor.name} ({report.labels[1]}) back to back with {report.ours.name} "
        f"({report.labels[0]}): {reach}. {len(report.incidents.incidents)} incident(s), "
        f"{r.vendor.first} to {r.vendor.last}; credits in {r.currency}, all customers, "
        "expected paid"
    )


def period_rows(report: BackToBack) -> list[list[str]]:
    """Per period: what we owe because of the vendor, what it owes us, the gap, whether every
    reached vendor tier met its target; and the totals."""
    cur = report.replayed.currency
    rows = [
        [
            p.period,
            f"{money(p.we_owe, cur):,}",
            f"{money(p.vendor_owes, cur):,}",
            f"{money(p.gap, cur):,}",
            "yes" if all(p.vendor_met.values()) else "no",
        ]
        for p in report.replayed.periods
    ]
    r = report.replayed
    rows.append(
        [
            "Total",
            f"{money(r.we_owe, cur):,}",
            f"{money(r.vendor_owes, cur):,}",
            f"{money(r.gap, cur):,}",
            "",
        ]
    )
    return rows


def period_details(report: BackToBack) -> list[str]:
    """Per period, each side by tier: what each of our tiers owes, and each vendor tier's
    availability and credit (the table's tooltips)."""
    cur = report.replayed.currency
    return [
        "We owe: "
        + ", ".join(f"{t} {money(v, cur):,}" for t, v in p.ours.items())
        + "\nThe vendor owes: "
        + ", ".join(
            f"{t} {money(v, cur):,} (availability {p.vendor_availability[t]:.4f}%)"
            for t, v in p.theirs.items()
        )
        for p in report.replayed.periods
    ]


def score_rows(report: BackToBack) -> list[list[str]]:
    cur = report.replayed.currency
    return [
        [
            s.tier,
            f"{s.target_pct.normalize():f}",
            f"{s.met} of {s.periods}",
            f"{money(s.credits_due, cur):,}",
            s.trend
            if s.change_points is None
            else f"{s.trend} ({s.change_points:+.4f} points, later half against earlier)",
        ]
        for s in report.replayed.scorecards
    ]


def simulated_lines(report: BackToBack) -> list[str]:
    """The annual gap's distribution in words, when simulated."""
    s = report.simulated
    if s is None:
        return []
    cur = report.replayed.currency
    q, ci = s.quantiles(), s.intervals()
    per = "a year" if s.years == 1 else f"a year, averaged over {s.years} years"
    return [
        f"Simulated: {s.trials:,} trials of {s.ours.scenario.name!r} (seed {s.ours.seed}), "
        f"one drawing priced under both contracts; money per {per.removeprefix('a ')} ({cur})",
        f"  we owe, mean {_f(float(s.we_owe.mean()))}; the vendor owes, mean "
        f"{_f(float(s.vendor_owes.mean()))}",
        f"  gap (we owe less the vendor owes): mean {_f(s.mean)} ± {_f(s.stderr)} (standard "
        f"error), P95 {_f(q['p95'])}, P99 {_f(q['p99'])}",
        f"  95% intervals: P95 {_f(ci['p95'][0])} to {_f(ci['p95'][1])}, P99 "
        f"{_f(ci['p99'][0])} to {_f(ci['p99'][1])}",
        f"  the vendor's credits fall short of ours in {s.p_uncovered:.1%} of trials",
    ]


def simulated_period_rows(report: BackToBack) -> list[list[str]]:
    """Per simulated period, the means over the trials of both sides and of the gap."""
    s = report.simulated
    if s is None:
        return []
    return [
        [label, _f(ours), _f(theirs), _f(ours - theirs)] for label, ours, theirs in s.by_period()
    ]


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _f(value: float) -> str:
    return "n/a" if not math.isfinite(value) else f"{value:,.2f}"


def vendor_json(report: BackToBack) -> dict[str, Any]:
    """The report as `vendor --format json` prints it; money as strings to the cent in the
    replay, floats in the simulation."""
    r, cur = report.replayed, report.replayed.currency
    out: dict[str, Any] = {
        "ours": report.labels[0],
        "vendor": report.labels[1],
        "currency": cur,
        "reaches": [
            {"vendor_tier": x.vendor_tier, "our_tiers": list(x.our_tiers)}
            for x in report.vendor.reaches
        ],
        "periods": [
            {
                "period": p.period,
                "we_owe": str(money(p.we_owe, cur)),
                "vendor_owes": str(money(p.vendor_owes, cur)),
                "gap": str(money(p.gap, cur)),
                "our_tiers": {k: str(money(v, cur)) for k, v in p.ours.items()},
                "vendor_tiers": {k: str(money(v, cur)) for k, v in p.theirs.items()},
                "vendor_availability_pct": {
                    k: f"{v:.6f}" for k, v in p.vendor_availability.items()
                },
                "vendor_met": p.vendor_met,
            }
            for p in r.periods
        ],
        "totals": {
            "we_owe": str(money(r.we_owe, cur)),
            "vendor_owes": str(money(r.vendor_owes, cur)),
            "gap": str(money(r.gap, cur)),
        },
        "scorecard": [
            {
                "vendor_tier": s.tier,
                "target_pct": str(s.target_pct),
                "periods": s.periods,
                "met": s.met,
                "credits_due": str(money(s.credits_due, cur)),
                "trend": s.trend,
                "change_points": None if s.change_points is None else float(s.change_points),
            }
            for s in r.scorecards
        ],
        "simulated": None,
    }
    s = report.simulated
    if s is not None:
        q, ci = s.quantiles(), s.intervals()
        out["simulated"] = {
            "scenario": s.ours.scenario.name,
            "trials": s.trials,
            "seed": s.ours.seed,
            "years": s.years,
            "we_owe_mean": float(s.we_owe.mean()),
            "vendor_owes_mean": float(s.vendor_owes.mean()),
            "gap_mean": s.mean,
            "gap_stderr": s.stderr if math.isfinite(s.stderr) else None,
            "gap_p95": q["p95"],
            "gap_p99": q["p99"],
            "gap_ci95": {k: [_finite(a), _finite(b)] for k, (a, b) in ci.items()},
            "p_uncovered": s.p_uncovered,
            "periods": [
                {
                    "period": label,
                    "we_owe_mean": ours,
                    "vendor_owes_mean": theirs,
                    "gap_mean": ours - theirs,
                }
                for label, ours, theirs in s.by_period()
            ],
        }
    return out


def save_vendor_workbook(out: str | Path, report: BackToBack) -> WorkbookReport:
    """The Vendor sheet, with the other sheets of our contract as the vendor's incidents reach
    it (its replay on them)."""
    r = report.replayed
    return write_workbook(
        out,
        WorkbookContent(
            r.ours_terms,
            contract_label=f"{report.labels[0]} (the tiers the vendor reaches)",
            replay=r.ours,
            incidents=report.incidents.incidents,
            import_report=report.incidents.report,
            simulation=None if report.simulated is None else report.simulated.ours,
            vendor=report,
        ),
    )
