"""``slamodeler``: validate contracts, print schemas, replay incident history.

Bad input exits with code 2 and a message on stderr naming the file, row or field; an internal
error exits 1 with the traceback written to a log file, never to the terminal.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from slamodeler import __version__
from slamodeler.cli.baseline_command import add_baseline_parser, run_baseline
from slamodeler.cli.compare_command import add_compare_parser, run_compare
from slamodeler.cli.dispute_command import add_dispute_parser, run_dispute
from slamodeler.cli.export_command import add_export_parser, run_export, workbook_path, wrote
from slamodeler.cli.find_command import add_find_parser, run_find
from slamodeler.cli.fit_command import add_fit_parser, run_fit
from slamodeler.cli.layers_command import add_layers_parser, run_layers
from slamodeler.cli.memos_command import add_memos_parser, run_memos
from slamodeler.cli.options import (
    add_fee_option,
    add_incident_options,
    add_simulation_options,
    add_ticket_options,
    input_files,
)
from slamodeler.cli.portfolio_command import add_portfolio_parser, run_portfolio
from slamodeler.cli.profitability_command import add_profitability_parser, run_profitability
from slamodeler.cli.progress import ProgressBar
from slamodeler.cli.report_command import add_report_parser, run_report
from slamodeler.cli.reprice_command import add_reprice_parser, run_reprice
from slamodeler.cli.sensitivity_command import add_sensitivity_parser, run_sensitivity
from slamodeler.cli.slo_command import add_slo_parser, run_slo
from slamodeler.cli.vendor_command import add_vendor_parser, run_vendor
from slamodeler.cli.ws_commands import (
    add_ws_parser,
    replay_in_workspace,
    run_ws,
    simulate_in_workspace,
)
from slamodeler.domain.errors import InputError
from slamodeler.domain.simulation_request import METHODS, SettingError, SimulationRequest

if TYPE_CHECKING:
    from slamodeler.domain.scenario import Scenario

# Each command imports what it runs on when it runs (the engine, the workbook, scipy, Dask, the
# workspace's SQL): building the parser loads none of them, so that `validate` and a small
# `replay` start at once (benchmarks/cli_startup.py, tests/cli/test_startup_imports.py).

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="slamodeler", description=__doc__.splitlines()[0] if __doc__ else None
    )
    parser.add_argument("--version", action="version", version=f"slamodeler {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    validate = sub.add_parser("validate", help="check a contract file and report every problem")
    validate.add_argument("contract", type=Path)

    schema = sub.add_parser("schema", help="print the JSON Schema of the contract file")
    which = schema.add_mutually_exclusive_group()
    which.add_argument(
        "--mapping", action="store_true", help="the schema of an incident column mapping instead"
    )
    which.add_argument(
        "--scenario", action="store_true", help="the schema of an outage scenario instead"
    )

    rep = sub.add_parser("replay", help="replay incident history against a contract")
    rep.add_argument("contract", type=Path, help="a contract file, or KEY@VERSION with --ws")
    rep.add_argument(
        "incidents", type=Path, help="CSV or XLSX export of incidents, or a stored set with --ws"
    )
    rep.add_argument(
        "--ws",
        type=Path,
        metavar="FILE",
        help="from this workspace, storing the run (docs/workspace.md)",
    )
    add_incident_options(rep)
    add_ticket_options(rep)
    add_fee_option(rep)
    rep.add_argument("--tier", action="append", help="only this tier (repeatable)")
    rep.add_argument("--from", dest="first", metavar="PERIOD", help="first period, YYYY-MM")
    rep.add_argument("--to", dest="last", metavar="PERIOD", help="last period, YYYY-MM")
    rep.add_argument("--format", choices=("table", "json", "csv"), default="table")
    rep.add_argument(
        "--explain",
        action="store_true",
        help="table: list each period's incidents, exclusions and caps",
    )
    rep.add_argument(
        "--xlsx", type=workbook_path, metavar="OUT", help="also write the exposure workbook"
    )
    add_fit_parser(sub)
    add_ws_parser(sub)
    simulate = sub.add_parser("simulate", help="Monte Carlo exposure under an outage scenario")
    simulate.add_argument("contract", type=Path, help="a contract file, or KEY@VERSION with --ws")
    simulate.add_argument(
        "--ws",
        type=Path,
        metavar="FILE",
        help="from this workspace, storing the run (docs/workspace.md)",
    )
    source = simulate.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--scenario", type=Path, help="outage scenario file, or a stored scenario's name with --ws"
    )
    source.add_argument(
        "--incidents",
        type=Path,
        help="an incident history: fit a scenario to it (as `slamodeler fit`)",
    )
    add_fee_option(simulate)
    simulate.add_argument("--mapping", type=Path, help="column mapping for --incidents")
    add_simulation_options(simulate)
    simulate.add_argument("--dask", metavar="ADDRESS", help="a Dask scheduler, tcp://HOST:PORT")
    simulate.add_argument("--format", choices=("table", "json"), default="table")
    simulate.add_argument(
        "--method",
        choices=METHODS,
        default=METHODS[0],
        help="monte-carlo (default), or exact: the distributions computed where the contract "
        "and scenario allow it (docs/statistics.md, Exact method)",
    )
    simulate.add_argument(
        "--dump-trials",
        type=int,
        default=0,
        metavar="K",
        help="write the incidents of the first K trials, one CSV per trial",
    )
    simulate.add_argument(
        "--dump-dir",
        type=Path,
        default=Path("simulated-trials"),
        help="folder for --dump-trials (default: simulated-trials)",
    )
    simulate.add_argument(
        "--xlsx", type=workbook_path, metavar="OUT", help="also write the exposure workbook"
    )
    add_export_parser(sub)
    add_baseline_parser(sub)
    add_profitability_parser(sub)
    add_compare_parser(sub)
    add_portfolio_parser(sub)
    add_reprice_parser(sub)
    add_find_parser(sub)
    add_sensitivity_parser(sub)
    add_dispute_parser(sub)
    add_report_parser(sub)
    add_slo_parser(sub)
    add_memos_parser(sub)
    add_layers_parser(sub)
    add_vendor_parser(sub)
    return parser


def _validate(args: argparse.Namespace) -> int:
    from slamodeler.domain.period_words import period_words
    from slamodeler.services.contract_files import contract_band_warnings, validate_contract

    contract = validate_contract(args.contract)
    tiers = ", ".join(t.name for t in contract.tiers)
    print(
        f"{args.contract}: valid. {contract.name}: {len(contract.tiers)} tier(s) ({tiers}), "
        f"{period_words(contract.measurement)} in {contract.timezone}; "
        f"hash {contract.content_hash()[:12]}"
    )
    for warning in contract_band_warnings(contract):
        print(f"warning: {args.contract}: {warning}")
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    from slamodeler.services.contract_files import json_schema

    print(json_schema("mapping" if args.mapping else "scenario" if args.scenario else "contract"))
    return EXIT_OK


def _no_xlsx_with_ws(args: argparse.Namespace) -> None:
    if args.ws is not None and args.xlsx is not None:
        raise InputError(
            "--xlsx works with files; for a run stored in a workspace, use "
            "`slamodeler ws export RUN_ID --out FILE.xlsx` (the run's id is printed when it is stored)"
        )


def _replay(args: argparse.Namespace) -> int:
    from slamodeler.cli.tables import replay_table
    from slamodeler.services.replay import replay_csv, replay_files, replay_json

    _no_xlsx_with_ws(args)
    if args.ws is not None:
        return replay_in_workspace(args)
    if args.xlsx is not None:
        from slamodeler.services.export import check_output

        check_output(args.xlsx, input_files(args), "--xlsx")
    run = replay_files(
        args.contract,
        args.incidents,
        mapping=args.mapping,
        timezone=args.timezone,
        skip_bad_rows=args.skip_bad_rows,
        tiers=args.tier,
        first=args.first,
        last=args.last,
        encoding=args.encoding,
        tickets=args.tickets,
        tickets_mapping=args.tickets_mapping,
        fees=args.fees,
    )
    print("\n".join(run.incidents.report.summary_lines()), file=sys.stderr)
    if run.tickets is not None:
        print("\n".join(run.tickets.report.summary_lines()), file=sys.stderr)
    for note in run.result.notes:
        print(f"note: {note}", file=sys.stderr)
    if args.format == "json":
        tickets = run.tickets.report if run.tickets else None
        print(json.dumps(replay_json(run.result, run.incidents.report, tickets), indent=2))
    elif args.format == "csv":
        sys.stdout.write(replay_csv(run.result))
    else:
        print(replay_table(run.result, explain=args.explain))
    if args.xlsx is not None:
        from slamodeler.services.export import save_workbook

        report = save_workbook(args.xlsx, replay=run, contract_label=args.contract.name)
        print(wrote(report), file=sys.stderr)
    return EXIT_OK


def _simulate(args: argparse.Namespace) -> int:
    from slamodeler.cli.tables import simulation_table
    from slamodeler.services.export import save_workbook
    from slamodeler.services.simulate import check_outputs, dump_trials, simulate_files
    from slamodeler.services.simulation_session import exposures, simulation_json
    from slamodeler.services.ticket_dump import dump_tickets

    _no_xlsx_with_ws(args)
    if args.ws is not None:
        return simulate_in_workspace(args)
    request = SimulationRequest(args.trials, args.seed, args.years, args.start)
    if args.dump_trials < 0 or args.dump_trials > args.trials:
        raise InputError("--dump-trials must be between 0 and --trials")
    if args.mapping is not None and args.incidents is None:
        raise InputError("--mapping goes with --incidents (a scenario file needs no mapping)")
    check_outputs(input_files(args), args.xlsx, args.dump_trials, args.dump_dir)
    if args.incidents is not None:
        from slamodeler.services.fit import fit_incident_file  # scipy only when fitting

        fitted, scenario = fit_incident_file(args.incidents, mapping=args.mapping)
        print(
            f"fitted from {args.incidents}: {fitted.frequency.chosen.family} frequency, "
            f"{fitted.durations.chosen.family} durations (`slamodeler fit` shows the details)",
            file=sys.stderr,
        )
    else:
        scenario = args.scenario
    if args.method == "exact":
        return _exact(args, scenario, request)
    run = simulate_files(
        args.contract,
        scenario,
        request,
        workers=args.workers,
        dask=args.dask,
        progress=ProgressBar("trials"),
        fees=args.fees,
    )
    found = exposures(run)
    for note in run.notes:
        print(f"note: {note}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps(simulation_json(run, found), indent=2))
    else:
        print(simulation_table(run, found))
    if args.dump_trials:
        written = dump_trials(run, args.dump_trials, args.dump_dir)
        tickets = dump_tickets(run, args.dump_trials, args.dump_dir)
        print(
            f"wrote {len(written)} trial file(s) to {args.dump_dir}/; replay one with: "
            f"slamodeler replay {args.contract} {written[0]} --from "
            f"{run.horizon.periods[0].label} --to {run.horizon.periods[-1].label}{tickets}",
            file=sys.stderr,
        )
    if args.xlsx is not None:
        report = save_workbook(
            args.xlsx, simulation=run, exposures=found, contract_label=args.contract.name
        )
        print(wrote(report, run.trials), file=sys.stderr)
    return EXIT_OK


def _exact(args: argparse.Namespace, scenario: Scenario | Path, request: SimulationRequest) -> int:
    """`simulate --method exact`: the same table or JSON, computed instead of sampled."""
    from slamodeler.cli.tables import exact_table
    from slamodeler.services.exact_method import exact_files, exact_json
    from slamodeler.services.export import save_workbook

    drawn = [
        name
        for name, given in (
            ("--dump-trials", args.dump_trials),
            ("--workers", args.workers != 1),
            ("--dask", args.dask),
        )
        if given
    ]
    if drawn:
        raise InputError(
            f"{drawn[0]} goes with --method monte-carlo: the exact method draws no trials "
            "to dump or share out; leave it out or use --method monte-carlo"
        )
    run = exact_files(args.contract, scenario, request, fees=args.fees)
    for note in run.notes:
        print(f"note: {note}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps(exact_json(run), indent=2))
    else:
        print(exact_table(run))
    if args.xlsx is not None:
        report = save_workbook(args.xlsx, exact=run, contract_label=args.contract.name)
        print(wrote(report, computed=True), file=sys.stderr)
    return EXIT_OK


COMMANDS = {
    "validate": _validate,
    "schema": _schema,
    "replay": _replay,
    "simulate": _simulate,
    "fit": run_fit,
    "export": run_export,
    "ws": run_ws,
    "baseline": run_baseline,
    "profitability": run_profitability,
    "compare": run_compare,
    "portfolio": run_portfolio,
    "reprice": run_reprice,
    "find": run_find,
    "sensitivity": run_sensitivity,
    "dispute": run_dispute,
    "report": run_report,
    "slo": run_slo,
    "memos": run_memos,
    "layers": run_layers,
    "vendor": run_vendor,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_OK
    try:
        return COMMANDS[args.command](args)
    except SettingError as exc:  # the option that gave the setting
        print(f"slamodeler: --{exc.field} must be {exc.need}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except InputError as exc:
        print(f"slamodeler: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("slamodeler: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (e.g. `| head`) stopped early: not an error. Point stdout at devnull so that
        # the interpreter's final flush does not complain either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception:
        return _internal_error(traceback.format_exc())


def _internal_error(details: str) -> int:
    """The one-line message, and the details in a new log of the user's own (never a traceback
    on the terminal, also when the log cannot be written)."""
    from slamodeler.services.error_log import log_folder, write_error_log

    try:
        where = f"details were written to {write_error_log(details)}"
    except OSError as exc:
        where = f"the details could not be written to {log_folder()} ({exc.strerror or exc})"
    print(
        f"slamodeler: internal error; {where}. Please report it with the files that caused it.",
        file=sys.stderr,
    )
    return EXIT_INTERNAL
