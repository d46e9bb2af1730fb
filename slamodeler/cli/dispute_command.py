"""``slamodeler dispute CONTRACT OURS THEIRS``: a customer's claim against our incident record,
replayed on the same contract, per period where they disagree (docs/user-guide.md)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slamodeler.cli.export_command import add_report_options, wrote
from slamodeler.cli.options import zone_name
from slamodeler.cli.tables import render
from slamodeler.domain.errors import InputError

if TYPE_CHECKING:
    from slamodeler.services.dispute import Dispute


def add_dispute_parser(sub: Any) -> None:
    dispute = sub.add_parser(
        "dispute",
        help="answer a claim: our incidents and the customer's, replayed and reconciled",
    )
    dispute.add_argument("contract", type=Path, help="a contract file, or KEY@VERSION with --ws")
    dispute.add_argument("ours", type=Path, help="our incident export, or a stored set with --ws")
    dispute.add_argument(
        "theirs", type=Path, help="the customer's incident list, or a stored set with --ws"
    )
    dispute.add_argument(
        "--ws", type=Path, metavar="FILE", help="a stored version and two stored incident sets"
    )
    dispute.add_argument("--mapping", type=Path, help="column mapping for both incident files")
    dispute.add_argument(
        "--timezone",
        type=zone_name,
        help="IANA time zone for times without an offset, in both files",
    )
    add_report_options(dispute, "also write the workbook of our replay, with the Dispute sheet")


def run_dispute(args: argparse.Namespace) -> int:
    import sys

    from slamodeler.services.dispute import dispute_files, dispute_json

    if args.ws is not None:
        if args.xlsx is not None or args.mapping is not None or args.timezone is not None:
            raise InputError(
                "--xlsx, --mapping and --timezone work with files; with --ws the sets are "
                "already imported (export the version with `slamodeler ws export-contract`)"
            )
        from slamodeler.services.dispute import dispute_stored
        from slamodeler.services.workspaces import open_workspace

        opened = open_workspace(args.ws, readonly=True)
        try:
            contract, ours, found = dispute_stored(
                opened.workspace, str(args.contract), str(args.ours), str(args.theirs)
            )
        finally:
            opened.workspace.close()
    else:
        if args.xlsx is not None:
            from slamodeler.services.export import check_output

            check_output(
                args.xlsx,
                {
                    "contract file": args.contract,
                    "our incidents": args.ours,
                    "their incidents": args.theirs,
                },
                "--xlsx",
            )
        contract, ours, found = dispute_files(
            args.contract, args.ours, args.theirs, mapping=args.mapping, timezone=args.timezone
        )
    if args.format == "json":
        print(json.dumps(dispute_json(found), indent=2))
    else:
        print(dispute_table(found))
    if args.xlsx is not None:
        from slamodeler.services.dispute import save_dispute_workbook

        report = save_dispute_workbook(args.xlsx, contract, ours, found, args.contract.name)
        print(wrote(report), file=sys.stderr)
    return 0


def dispute_table(found: Dispute) -> str:
    """The heading, the disagreeing periods, and under each the incidents that explain it."""
    from slamodeler.services.dispute import (
        PERIOD_HEADERS,
        dispute_heading,
        explaining_line,
        period_cells,
    )

    lines = [dispute_heading(found), ""]
    if not found.periods:
        lines.append("The two sets give the same minutes and credits in every period.")
    else:
        lines.append(
            render(PERIOD_HEADERS, [period_cells(p) for p in found.periods], set(range(2, 8)))
        )
        lines += ["", "Explained by (minutes each replay counted for the incident):"]
        lines += [
            f"  {p.tier} {p.period}: {explaining_line(e)}"
            for p in found.periods
            for e in p.explaining
        ]
    lines.append("")
    for tier in found.ours.tiers:
        lines.append(
            f"{tier.tier}: credit at stake {found.at_stake(tier.tier):+,} {found.ours.currency} "
            "per customer"
        )
    return "\n".join(lines)
