"""``slamodeler vendor OUR VENDOR INCIDENTS [--scenario S]``: hold a vendor to its SLA, back to
back with ours: per period the credits we owe because of its incidents against those it owes
us, the gap, its scorecard, and with a scenario the annual gap's distribution
(docs/user-guide.md, "Hold a vendor to its SLA")."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slamodeler.cli.export_command import add_report_options, wrote
from slamodeler.cli.options import add_incident_options, add_simulation_options
from slamodeler.cli.progress import ProgressBar
from slamodeler.cli.tables import render
from slamodeler.domain.simulation_request import SimulationRequest

if TYPE_CHECKING:
    from slamodeler.services.vendor import BackToBack


def add_vendor_parser(sub: Any) -> None:
    cmd = sub.add_parser(
        "vendor",
        help="hold a vendor to its SLA: the credits we owe because of its incidents against "
        "those it owes us, the gap and its scorecard",
    )
    cmd.add_argument("ours", type=Path, metavar="OUR", help="our contract file (key with --ws)")
    cmd.add_argument(
        "vendor",
        type=Path,
        metavar="VENDOR",
        help="the vendor's contract file, marked direction: received, with reaches (key with --ws)",
    )
    cmd.add_argument(
        "incidents",
        type=Path,
        metavar="INCIDENTS",
        help="the vendor's incident export (a stored incident set's name with --ws)",
    )
    add_incident_options(cmd)
    cmd.add_argument("--from", dest="first", metavar="PERIOD", help="first period, YYYY-MM")
    cmd.add_argument("--to", dest="last", metavar="PERIOD", help="last period, YYYY-MM")
    cmd.add_argument(
        "--ws", type=Path, metavar="FILE", help="take contracts, incidents and scenario from here"
    )
    cmd.add_argument(
        "--scenario",
        type=Path,
        help="also simulate: an outage scenario of the vendor's incidents (a stored one's name "
        "with --ws), priced under both contracts on one drawing",
    )
    add_simulation_options(cmd)
    add_report_options(cmd, "also write the workbook: the Vendor sheet and our side's replay")


def run_vendor(args: argparse.Namespace) -> int:
    from slamodeler.services.vendor import save_vendor_workbook, vendor_files, vendor_json

    request = SimulationRequest(args.trials, args.seed, args.years, args.start)
    progress = ProgressBar("trials") if args.scenario is not None else None
    if args.xlsx is not None:
        from slamodeler.services.export import check_output

        inputs = (
            {"workspace": args.ws}
            if args.ws
            else {
                f"contract file {args.ours}": args.ours,
                f"contract file {args.vendor}": args.vendor,
                "incident file": args.incidents,
            }
        )
        check_output(args.xlsx, {**inputs, "scenario file": args.scenario}, "--xlsx")
    if args.ws is not None:
        from slamodeler.services.vendor import vendor_workspace
        from slamodeler.services.workspaces import open_workspace

        opened = open_workspace(args.ws, readonly=True)
        try:
            found = vendor_workspace(
                opened.workspace,
                str(args.ours),
                str(args.vendor),
                str(args.incidents),
                None if args.scenario is None else str(args.scenario),
                request,
                workers=args.workers,
                progress=progress,
                periods=(args.first, args.last),
            )
        finally:
            opened.workspace.close()
    else:
        found = vendor_files(
            args.ours,
            args.vendor,
            args.incidents,
            args.scenario,
            request,
            mapping=args.mapping,
            timezone=args.timezone,
            skip_bad_rows=args.skip_bad_rows,
            encoding=args.encoding,
            periods=(args.first, args.last),
            workers=args.workers,
            progress=progress,
        )
    print("\n".join(found.incidents.report.summary_lines()), file=sys.stderr)
    notes = [*found.replayed.ours.notes, *found.replayed.vendor.notes]
    for note in dict.fromkeys(notes):
        print(f"note: {note}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps(vendor_json(found), indent=2))
    else:
        print(vendor_table(found))
    if args.xlsx is not None:
        trials = None if found.simulated is None else found.simulated.trials
        print(wrote(save_vendor_workbook(args.xlsx, found), trials), file=sys.stderr)
    return 0


def vendor_table(found: BackToBack) -> str:
    """Per period, the scorecard and the simulated gap, as `vendor` prints them."""
    from slamodeler.services.vendor import (
        PERIOD_HEADERS,
        SCORE_HEADERS,
        SIMULATED_HEADERS,
        heading,
        period_rows,
        score_rows,
        simulated_lines,
        simulated_period_rows,
    )

    parts = [
        heading(found),
        "",
        render(PERIOD_HEADERS, period_rows(found), {1, 2, 3}),
        "",
        render(SCORE_HEADERS, score_rows(found), {1, 3}),
    ]
    sim = simulated_lines(found)
    if sim:
        table = render(SIMULATED_HEADERS, simulated_period_rows(found), {1, 2, 3})
        parts += ["", *sim, "", table]
    return "\n".join(parts)
