"""``slamodeler compare A B --scenario S``: what the redline B costs against the base A, priced
on the same simulated incidents (docs/cli.md, docs/user-guide.md)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slamodeler.cli.export_command import add_report_options, wrote
from slamodeler.cli.options import add_simulation_options, input_files
from slamodeler.cli.progress import ProgressBar
from slamodeler.cli.tables import render
from slamodeler.domain.errors import InputError
from slamodeler.domain.simulation_request import SimulationRequest

if TYPE_CHECKING:
    from slamodeler.services.redline import Redline


def add_compare_parser(sub: Any) -> None:
    compare = sub.add_parser(
        "compare",
        help="what a redline costs: two contracts priced on the same simulated incidents",
    )
    compare.add_argument("contract", type=Path, help="the base: a contract file, or KEY@VERSION")
    compare.add_argument(
        "redline", type=Path, help="the redline: a contract file, or KEY@VERSION (or VERSION)"
    )
    compare.add_argument(
        "--scenario",
        type=Path,
        required=True,
        help="outage scenario file, or a stored scenario's name with --ws",
    )
    compare.add_argument(
        "--ws", type=Path, metavar="FILE", help="compare two versions stored in this workspace"
    )
    add_simulation_options(compare)
    add_report_options(
        compare, "also write the redline's exposure workbook, with the Redline sheet"
    )


def run_compare(args: argparse.Namespace) -> int:
    from slamodeler.services.redline import compare_files, compare_versions, redline_json

    request = SimulationRequest(args.trials, args.seed, args.years, args.start)
    progress = ProgressBar("trials")
    if args.ws is not None:
        if args.xlsx is not None:
            raise InputError(
                "--xlsx works with files; export the two versions with `slamodeler ws "
                "export-contract` and compare the files"
            )
        from slamodeler.services.workspaces import open_workspace

        opened = open_workspace(args.ws, readonly=True)
        try:
            found = compare_versions(
                opened.workspace,
                str(args.contract),
                str(args.redline),
                str(args.scenario),
                request,
                workers=args.workers,
                progress=progress,
            )
        finally:
            opened.workspace.close()
    else:
        if args.xlsx is not None:
            from slamodeler.services.export import check_output

            check_output(
                args.xlsx, {**input_files(args), "redline contract file": args.redline}, "--xlsx"
            )
        found = compare_files(
            args.contract,
            args.redline,
            args.scenario,
            request,
            workers=args.workers,
            progress=progress,
        )
    for note in dict.fromkeys([*found.base.notes, *found.redline.notes]):
        print(f"note: {note}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps(redline_json(found), indent=2))
    else:
        print(redline_table(found))
    if args.xlsx is not None:
        from slamodeler.services.export import save_workbook

        report = save_workbook(
            args.xlsx,
            simulation=found.redline,
            redline=found,
            contract_label=args.redline.name,
        )
        print(wrote(report, found.trials), file=sys.stderr)
    return 0


def redline_table(found: Redline) -> str:
    """The difference per tier and portfolio, then each change's share in both orders."""
    from slamodeler.services.redline import (
        DIFFERENCE_HEADERS,
        STEP_HEADERS,
        difference_cells,
        redline_heading,
        step_cells,
    )

    lines = [
        redline_heading(found),
        "",
        render(
            DIFFERENCE_HEADERS,
            [difference_cells(d) for d in [*found.tiers, found.portfolio]],
            set(range(1, len(DIFFERENCE_HEADERS))),
        ),
    ]
    for names, where in ((found.only_base, "the base"), (found.only_redline, "the redline")):
        if names:
            lines.append(f"only in {where} (in the portfolio, not matched): {', '.join(names)}")
    if found.steps:
        lines += [
            "",
            "Each change's share of the mean difference, applied to the base one at a time in "
            "the order `ws diff` lists them, and in reverse; spread = how much the order moves it:",
            "",
            render(
                STEP_HEADERS,
                [step_cells(step) for step in found.steps],
                set(range(1, len(STEP_HEADERS))),
            ),
        ]
    elif len(found.changes) == 1:
        lines += ["", f"One change: {found.changes[0]}"]
    elif not found.changes:
        lines += ["", "The two contracts have the same terms."]
    return "\n".join(lines)
