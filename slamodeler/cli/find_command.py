"""``slamodeler find CONTRACT --scenario S --term PATH --statistic STAT --budget X``: the value
of one term that keeps a statistic within a budget, every value priced on the same simulated
incidents (docs/user-guide.md, "What can we afford?")."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from slamodeler.cli.export_command import add_report_options, wrote
from slamodeler.cli.options import add_simulation_options, input_files
from slamodeler.cli.progress import ProgressBar
from slamodeler.domain.simulation_request import FINDER_STATISTICS, SimulationRequest


def add_find_parser(sub: Any) -> None:
    cmd = sub.add_parser(
        "find",
        help="the value of one term (credit %%, band, cap, fee) that keeps a statistic "
        "within a budget",
    )
    cmd.add_argument("contract", type=Path, help="contract file")
    cmd.add_argument("--scenario", type=Path, required=True, help="outage scenario file")
    cmd.add_argument(
        "--term",
        required=True,
        metavar="PATH",
        help="the term to vary, by its path, such as tiers[Gold].credits.bands[0].credit_pct",
    )
    cmd.add_argument(
        "--statistic",
        required=True,
        choices=tuple(FINDER_STATISTICS),
        help="of credits paid per year (mean, p95, p99), or the expected margin per year",
    )
    cmd.add_argument(
        "--budget",
        required=True,
        type=float,
        help="credits per year at most this, or a margin per year at least this",
    )
    cmd.add_argument("--tier", help="the statistic of this tier (default: the portfolio)")
    cmd.add_argument(
        "--within",
        metavar="LOW:HIGH",
        help="the range of the term searched (default: 0:100 for a percentage, else 0 to 4x "
        "its value)",
    )
    add_simulation_options(cmd)
    add_report_options(
        cmd,
        "also write the exposure workbook of the contract at the answer, with a Finder sheet",
        json_alias=True,
    )


def run_find(args: argparse.Namespace) -> int:
    from slamodeler.services.finders import find_files, finding_json, finding_lines, parse_within

    within = None if args.within is None else parse_within(args.within)
    if args.xlsx is not None:
        from slamodeler.services.export import check_output

        check_output(args.xlsx, input_files(args), "--xlsx")
    found = find_files(
        args.contract,
        args.scenario,
        args.term,
        args.statistic,
        args.budget,
        SimulationRequest(args.trials, args.seed, args.years, args.start),
        tier=args.tier,
        within=within,
        workers=args.workers,
        progress=ProgressBar("trials"),
    )
    notes = [*(found.run.notes if found.run else []), *found.notes]
    for note in dict.fromkeys(notes):
        print(f"note: {note}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps(finding_json(found), indent=2))
    else:
        print("\n".join(finding_lines(found)))
    if args.xlsx is not None and found.run is not None:
        from slamodeler.services.export import save_workbook

        report = save_workbook(
            args.xlsx, simulation=found.run, finder=found, contract_label=args.contract.name
        )
        print(wrote(report, found.trials), file=sys.stderr)
    return 0
