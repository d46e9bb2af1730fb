"""``slamodeler export``: replay (and optionally simulate) and write the exposure workbook."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from slamodeler.cli.options import add_incident_options, input_files
from slamodeler.cli.progress import ProgressBar
from slamodeler.domain.errors import InputError
from slamodeler.domain.limits import DEFAULT_TRIALS
from slamodeler.domain.simulation_request import SimulationRequest

if TYPE_CHECKING:
    from slamodeler.services.export import WorkbookReport


def add_export_parser(sub: argparse._SubParsersAction) -> None:
    export = sub.add_parser(
        "export",
        help="write the exposure workbook (.xlsx): replay, and a simulation with --scenario",
    )
    export.add_argument("contract", type=Path)
    export.add_argument("incidents", type=Path, help="CSV or XLSX export of incidents")
    add_incident_options(export)
    export.add_argument("--scenario", type=Path, help="outage scenario file: add a simulation")
    export.add_argument("--trials", type=int, help=f"simulated trials (default {DEFAULT_TRIALS:,})")
    export.add_argument("--seed", type=int, help="random seed (default 1)")
    export.add_argument("--years", type=int, help="horizon in years (default: the scenario's)")
    export.add_argument("--workers", type=int, default=1, help="local worker processes")
    export.add_argument("--out", type=workbook_path, required=True, metavar="FILE.xlsx")


def workbook_path(text: str) -> Path:
    """argparse type of --out and --xlsx: checked before any work is done."""
    from slamodeler.services.export import check_workbook_path

    try:
        return check_workbook_path(text)
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_report_options(
    parser: argparse.ArgumentParser, workbook: str, json_alias: bool = False
) -> None:
    """An analysis's outputs: ``--format table|json`` (with ``json_alias``, ``--json`` too) and
    ``--xlsx OUT``, the workbook ``workbook`` says."""
    parser.add_argument("--format", choices=("table", "json"), default="table")
    if json_alias:
        parser.add_argument(
            "--json",
            dest="format",
            action="store_const",
            const="json",
            help="same as --format json",
        )
    parser.add_argument("--xlsx", type=workbook_path, metavar="OUT", help=workbook)


def run_export(args: argparse.Namespace) -> int:
    from slamodeler.services.export import check_output, export_files

    if args.scenario is None and (args.trials is not None or args.seed is not None):
        raise InputError("--trials and --seed go with --scenario")
    request = SimulationRequest(
        DEFAULT_TRIALS if args.trials is None else args.trials,
        1 if args.seed is None else args.seed,
        args.years,
    )
    check_output(args.out, input_files(args), "--out")
    replayed, run, report = export_files(
        args.out,
        args.contract,
        args.incidents,
        mapping=args.mapping,
        timezone=args.timezone,
        skip_bad_rows=args.skip_bad_rows,
        encoding=args.encoding,
        scenario=args.scenario,
        request=request,
        workers=args.workers,
        progress=ProgressBar("trials") if args.scenario else None,
    )
    print("\n".join(replayed.incidents.report.summary_lines()), file=sys.stderr)
    for note in (*replayed.result.notes, *(run.notes if run else ())):
        print(f"note: {note}", file=sys.stderr)
    print(wrote(report, run.trials if run else None), file=sys.stderr)
    return 0


def wrote(report: WorkbookReport, trials: int | None = None, computed: bool = False) -> str:
    parts = ["the exact method's computed figures (no trials)"] if computed else []
    if report.replay_rows:
        parts += [
            f"{report.replay_rows} replay row(s)",
            f"{report.incident_rows:,} incident row(s)",
        ]
    if trials is not None:
        parts.append(f"{trials:,} simulated trials")
    return f"wrote {report.path}: {', '.join(parts)}, {report.formulas:,} formulas"
