"""``slamodeler baseline``: the target an incident history would have met in a share of periods,
and what each candidate target would have cost (docs/baseline.md)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from slamodeler.cli.export_command import add_report_options, wrote
from slamodeler.cli.options import add_incident_options, input_files, no_incident_file_options
from slamodeler.cli.tables import render
from slamodeler.domain.limits import DEFAULT_TARGETS

if TYPE_CHECKING:
    from slamodeler.services.baseline import BaselineRun, TierBaseline


def add_baseline_parser(sub: argparse._SubParsersAction) -> None:
    base = sub.add_parser(
        "baseline",
        help="the target a history would have met in a share of periods, and each target's cost",
    )
    base.add_argument(
        "incidents", type=Path, help="CSV or XLSX export of incidents, or a stored set with --ws"
    )
    base.add_argument(
        "--contract",
        type=Path,
        help="the template: its measurement, period, scope, exclusions and schedule (a file, or "
        "KEY@VERSION with --ws; default: monthly, 99.9%% with bands 10/25/100%%)",
    )
    base.add_argument("--ws", type=Path, metavar="FILE", help="a stored incident set from here")
    add_incident_options(base)
    base.add_argument(
        "--share", default="0.95", help="share of periods the target must be met in (default 0.95)"
    )
    base.add_argument(
        "--targets",
        nargs="+",
        metavar="PCT",
        default=[str(t) for t in DEFAULT_TARGETS],
        help="candidate targets to price (default: 99.0 99.5 99.9 99.95 99.99)",
    )
    base.add_argument("--from", dest="first", metavar="PERIOD", help="first period, YYYY-MM")
    base.add_argument("--to", dest="last", metavar="PERIOD", help="last period, YYYY-MM")
    add_report_options(base, "also write the workbook (Baseline sheet)")


def run_baseline(args: argparse.Namespace) -> int:
    from slamodeler.services.baseline import (
        baseline_files,
        baseline_json,
        parse_share,
        parse_targets,
        save_baseline_workbook,
    )
    from slamodeler.services.export import check_output

    share, targets = parse_share(args.share), parse_targets(args.targets)
    if args.ws is not None:
        run = _stored(args, share, targets)
    else:
        if args.xlsx is not None:
            check_output(args.xlsx, input_files(args), "--xlsx")
        run = baseline_files(
            args.incidents,
            args.contract,
            mapping=args.mapping,
            timezone=args.timezone,
            skip_bad_rows=args.skip_bad_rows,
            encoding=args.encoding,
            share=share,
            targets=targets,
            first=args.first,
            last=args.last,
        )
        print("\n".join(run.incidents.report.summary_lines()), file=sys.stderr)
    for note in run.result.notes:
        print(f"note: {note}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps(baseline_json(run), indent=2))
    else:
        print(baseline_table(run))
    if args.xlsx is not None:
        print(wrote(save_baseline_workbook(args.xlsx, run)), file=sys.stderr)
    return 0


def _stored(args: argparse.Namespace, share: Fraction, targets: Sequence[Decimal]) -> BaselineRun:
    from slamodeler.services.baseline import baseline_stored
    from slamodeler.services.export import check_output
    from slamodeler.services.workspaces import open_workspace

    no_incident_file_options(args)
    if args.xlsx is not None:
        check_output(args.xlsx, {}, "--xlsx")
    opened = open_workspace(args.ws, readonly=True)
    try:
        return baseline_stored(
            opened.workspace,
            str(args.incidents),
            None if args.contract is None else str(args.contract),
            share=share,
            targets=targets,
            first=args.first,
            last=args.last,
        )
    finally:
        opened.workspace.close()


def baseline_table(run: BaselineRun) -> str:
    result = run.result
    lines = [
        f"Baseline from {result.first} to {result.last} ({result.period_kind}ly periods), "
        f"measured by {run.contract_label} ({result.contract_name})",
        "A candidate target moves the tier's schedule with it: every band end or curve point "
        "shifts by the target's change.",
    ]
    if result.measured.window:  # a row is a window (a claim's, or a period's trailing days)
        lines.append(f"Measured over {result.measured.window}: each of those counts as a period.")
    for tier in result.tiers:
        lines += ["", *_tier_lines(tier, result.currency)]
    return "\n".join(lines)


def _tier_lines(tier: TierBaseline, currency: str) -> list[str]:
    from slamodeler.services.baseline import tier_summary

    lines = [*tier_summary(tier), ""]
    rows = [
        [
            f"{c.target_pct}%" + (" (suggested)" if c.suggested else ""),
            f"{len(c.missed)}",
            f"{float(c.met_share):.1%}",
            f"{c.credit_per_customer:,}",
            f"{c.credit_all_customers:,}",
        ]
        for c in tier.candidates
    ]
    table = render(
        [
            "Target",
            "Periods missed",
            "Met",
            f"Credits per customer ({currency})",
            f"All {tier.customers} customer(s)",
        ],
        rows,
        {1, 2, 3, 4},
    )
    return lines + ["  " + line for line in table.splitlines()]
