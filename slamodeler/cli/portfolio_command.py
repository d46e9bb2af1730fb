"""``slamodeler portfolio --ws WS --scenario S`` (or contract files): the whole book's exposure,
every contract on the same simulated incidents, each one's share of the tail and the
diversification benefit (docs/cli.md, docs/user-guide.md)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slamodeler.cli.export_command import add_report_options, wrote
from slamodeler.cli.options import add_simulation_options
from slamodeler.cli.progress import ProgressBar
from slamodeler.cli.tables import render
from slamodeler.domain.errors import InputError
from slamodeler.domain.simulation_request import SimulationRequest

if TYPE_CHECKING:
    from slamodeler.services.portfolio import Portfolio


def add_portfolio_parser(sub: Any) -> None:
    cmd = sub.add_parser(
        "portfolio",
        help="the whole book: every contract on the same simulated incidents, each one's "
        "share of the tail (TVaR99) and the diversification benefit",
    )
    cmd.add_argument(
        "contracts",
        type=Path,
        nargs="*",
        metavar="CONTRACT",
        help="contract files; with --ws, the keys of the workspace's contracts to take (all "
        "when none is given)",
    )
    cmd.add_argument(
        "--ws",
        type=Path,
        metavar="FILE",
        help="the contracts of this workspace, each at its approved version, else its latest",
    )
    cmd.add_argument(
        "--scenario",
        type=Path,
        required=True,
        help="outage scenario file, or a stored scenario's name with --ws",
    )
    add_simulation_options(cmd)
    add_report_options(
        cmd,
        "also write the workbook: the Portfolio sheet, and the exposure of the contract "
        "with the largest share of the tail",
    )


def run_portfolio(args: argparse.Namespace) -> int:
    from slamodeler.services.portfolio import (
        portfolio_json,
        portfolio_notes,
        price_files,
        price_workspace,
        save_portfolio_workbook,
    )

    request = SimulationRequest(args.trials, args.seed, args.years, args.start)
    progress = ProgressBar("trials")
    if args.ws is None and not args.contracts:
        raise InputError(
            "give the contract files of the portfolio, or --ws WORKSPACE for every contract "
            "stored in it"
        )
    if args.xlsx is not None:
        from slamodeler.services.export import check_output

        inputs = {} if args.ws else {f"contract file {p}": p for p in args.contracts}
        check_output(
            args.xlsx, {**inputs, "workspace": args.ws, "scenario file": args.scenario}, "--xlsx"
        )
    if args.ws is not None:
        from slamodeler.services.workspaces import open_workspace

        opened = open_workspace(args.ws, readonly=True)
        try:
            found = price_workspace(
                opened.workspace,
                str(args.scenario),
                request,
                workers=args.workers,
                progress=progress,
                keys=[str(key) for key in args.contracts] or None,
            )
        finally:
            opened.workspace.close()
    else:
        found = price_files(
            args.contracts, args.scenario, request, workers=args.workers, progress=progress
        )
    for note in portfolio_notes(found):
        print(f"note: {note}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps(portfolio_json(found), indent=2))
    else:
        print(portfolio_table(found))
    if args.xlsx is not None:
        print(wrote(save_portfolio_workbook(args.xlsx, found), found.trials), file=sys.stderr)
    return 0


def portfolio_table(found: Portfolio) -> str:
    """Each contract and the portfolio, the diversification benefit, and the 95% intervals of
    the tail (docs/statistics.md)."""
    from slamodeler.services.portfolio import (
        INTERVAL_HEADERS,
        MEMBER_HEADERS,
        diversification_line,
        interval_rows,
        member_cells,
        portfolio_cells,
        portfolio_heading,
    )

    return "\n".join(
        [
            portfolio_heading(found),
            "",
            render(
                MEMBER_HEADERS,
                [*(member_cells(m) for m in found.members), portfolio_cells(found)],
                set(range(1, len(MEMBER_HEADERS))),
            ),
            "",
            diversification_line(found),
            "",
            render(INTERVAL_HEADERS, interval_rows(found), {1, 2, 3}),
        ]
    )
