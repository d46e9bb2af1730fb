"""``slamodeler profitability``: margins and fees per tier, and against another version
(docs/profitability.md)."""

from __future__ import annotations

import argparse
import json
import math
import sys
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slamodeler.cli.export_command import add_report_options, wrote
from slamodeler.cli.options import add_simulation_options, input_files
from slamodeler.cli.progress import ProgressBar
from slamodeler.cli.tables import render
from slamodeler.domain.limits import DEFAULT_TAIL_CHARGE, DEFAULT_TARGET_MARGIN
from slamodeler.domain.simulation_request import SimulationRequest

if TYPE_CHECKING:
    from slamodeler.services.profitability import FeeAnswer, Profit, ProfitabilityRun, Version


def add_profitability_parser(sub: Any) -> None:
    cmd = sub.add_parser(
        "profitability",
        help="margins, risk-adjusted margins and break-even and target fees per tier",
    )
    cmd.add_argument("contract", type=Path, help="a contract file, or KEY@VERSION with --ws")
    cmd.add_argument(
        "--scenario",
        type=Path,
        required=True,
        help="outage scenario file (a stored name with --ws)",
    )
    cmd.add_argument(
        "--against",
        type=Path,
        metavar="OTHER",
        help="another version (a file, or KEY@VERSION with --ws) priced on the same draws",
    )
    cmd.add_argument(
        "--ws", type=Path, metavar="FILE", help="contracts and scenario from this workspace"
    )
    cmd.add_argument(
        "--fees",
        type=Path,
        help="CSV tier,month,fee for the first contract; with --ws, or a stored fee set's name",
    )
    cmd.add_argument(
        "--tail-charge",
        type=float,
        default=DEFAULT_TAIL_CHARGE,
        metavar="RATE",
        help=f"charge on the tail: RATE x (TVaR99 - mean), default {DEFAULT_TAIL_CHARGE} (10%%)",
    )
    cmd.add_argument(
        "--target-margin",
        type=float,
        default=DEFAULT_TARGET_MARGIN,
        metavar="SHARE",
        help=f"margin %% of revenue the target fee reaches, default {DEFAULT_TARGET_MARGIN}",
    )
    add_simulation_options(cmd)
    add_report_options(cmd, "also write the exposure workbook of the first contract, with its fees")


def run_profitability(args: argparse.Namespace) -> int:
    from slamodeler.services.export import check_output, save_workbook
    from slamodeler.services.profitability import (
        profitability_files,
        profitability_json,
        profitability_stored,
    )
    from slamodeler.services.simulation_session import exposures

    request = SimulationRequest(args.trials, args.seed, args.years, args.start)
    rates = {"tail_charge": args.tail_charge, "target_margin": args.target_margin}
    if args.xlsx is not None:  # before any work; nor over the workspace
        inputs = {**input_files(args), "other contract": args.against, "workspace": args.ws}
        check_output(args.xlsx, inputs, "--xlsx")
    if args.ws is not None:
        from slamodeler.services.workspaces import open_workspace

        opened = open_workspace(args.ws, readonly=True)
        try:
            found = profitability_stored(
                opened.workspace,
                str(args.contract),
                str(args.scenario),
                request,
                against=None if args.against is None else str(args.against),
                fees=args.fees,
                workers=args.workers,
                progress=ProgressBar("trials"),
                **rates,
            )
        finally:
            opened.workspace.close()
    else:
        found = profitability_files(
            args.contract,
            args.scenario,
            request,
            against=args.against,
            fees=args.fees,
            workers=args.workers,
            progress=ProgressBar("trials"),
            **rates,
        )
    for note in found.main.simulation.notes + found.notes:
        print(f"note: {note}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps(profitability_json(found), indent=2))
    else:
        print(profitability_text(found))
    if args.xlsx is not None:
        run = found.main.simulation
        report = save_workbook(
            args.xlsx,
            simulation=run,
            exposures=exposures(run),
            profitability=found.main.result,
            contract_label=found.main.label,
        )
        print(wrote(report, run.trials), file=sys.stderr)
    return 0


def _money(x: float) -> str:
    return "-" if math.isnan(x) else f"{x:,.0f}"


def _percent(x: float) -> str:
    return "-" if math.isnan(x) else f"{x:.1%}"


def _fee(answer: FeeAnswer | None) -> str:
    if answer is None:
        return ""
    return "none" if answer.fee is None else f"{answer.fee:,}"


def _signed(x: float) -> str:
    return "-" if math.isnan(x) else f"{x:+,.0f}"


def _version_text(v: Version) -> str:
    from slamodeler.services.profitability import ONE_CUSTOMER

    r = v.result
    run = v.simulation
    periods = run.horizon.periods
    head = (
        f"{v.label} ({run.contract.name}): scenario {run.scenario.name!r}, {periods[0].label} "
        f"to {periods[-1].label} ({r.months:g} months), {r.trials:,} trial(s) (seed {r.seed}); "
        f"{run.contract.currency}, all customers"
    )
    headers = [
        "",
        "revenue",
        "cost",
        "credits",
        "P95",
        "P99",
        "margin",
        "margin %",
        "tail charge",
        "risk-adj. margin",
        "fee now",
        "break-even fee",
        f"fee for {r.target_margin:.0%}",
    ]
    rows = [_row(p) for p in [*r.tiers, r.portfolio]]
    parts = [head, render(headers, rows, right=set(range(1, len(headers))))]
    several = [p for p in r.tiers if p.customers > 1]
    if several:
        parts.append(
            "Per customer: the tier's figures over its customers; P95 and P99 of one "
            "customer's own credits."
        )
        parts.append(
            render(
                ["", "customers", *ONE_CUSTOMER.values()],
                [
                    [p.name, f"{p.customers:,}", *(_money(p.per_customer[k]) for k in ONE_CUSTOMER)]
                    for p in several
                ],
                right=set(range(1, 8)),
            )
        )
    notes = [
        f"{p.name}: {what} fee: {a.note}"
        for p in r.tiers
        for what, a in (("break-even", p.break_even), ("target", p.target))
        if a is not None and a.fee is None
    ]
    return "\n".join(parts + notes)


def _row(p: Profit) -> list[str]:
    fees = (
        [f"{p.monthly_fee:,}", _fee(p.break_even), _fee(p.target)]
        if p.monthly_fee is not None
        else []
    )
    return [
        p.name,
        *(_money(x) for x in (p.revenue, p.cost, p.credits_mean, p.p95, p.p99, p.margin)),
        _percent(p.margin_share),
        _money(p.tail_charge),
        _money(p.risk_adjusted_margin),
        *(fees or ["", "", ""]),
    ]


def profitability_text(found: ProfitabilityRun) -> str:
    r = found.main.result
    legend = (
        "Credits: expected paid over the horizon. Risk-adjusted margin: margin less "
        f"{r.tail_rate:g} x (TVaR99 - mean). Fees: monthly, per customer, solved on these trials "
        "to the minor unit."
    )
    parts = [_version_text(found.main)]
    if found.against is not None:
        parts += ["", _version_text(found.against), "", _differences_text(found)]
    return "\n".join([*parts, legend])


def _differences_text(found: ProfitabilityRun) -> str:
    assert found.against is not None

    def fee(x: Decimal | None) -> str:
        return "-" if x is None else f"{x:+,}"

    rows = [
        [
            d.name,
            _signed(d.revenue),
            _signed(d.cost),
            _signed(d.credits_mean),
            _money(d.credits_stderr),
            _signed(d.margin),
            _signed(d.risk_adjusted_margin),
            fee(d.break_even_fee),
            fee(d.target_fee),
        ]
        for d in found.differences
    ]
    headers = [
        "",
        "revenue",
        "cost",
        "credits",
        "± stderr",
        "margin",
        "risk-adj. margin",
        "break-even fee",
        "target fee",
    ]
    return "\n".join(
        [
            f"{found.against.label} less {found.main.label} ({found.how}):",
            render(headers, rows, right=set(range(1, len(headers)))),
        ]
    )
