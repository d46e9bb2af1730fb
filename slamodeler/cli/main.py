"""``slamodeler``: validate contracts, print schemas, replay incident history.

Bad input exits with code 2 and a message on stderr naming the file, row or field; an internal
error exits 1 with the traceback written to a log file, never to the terminal.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slamodeler import __version__
from slamodeler.cli.lean_process import exit_without_collecting, import_numpy_without_blas_threads
from slamodeler.domain.errors import InputError
from slamodeler.domain.simulation_request import SettingError

if TYPE_CHECKING:
    from slamodeler.domain.scenario import Scenario
    from slamodeler.domain.simulation_request import SimulationRequest

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT = 0, 1, 2

# Each command: the module that holds it, the function there that adds its parser and the one
# that runs it, in the order `slamodeler --help` lists them. A command's module is imported only
# when that command is parsed or run, and each imports what it runs on (the engine, the workbook,
# scipy, Dask, the workspace's SQL) when it runs, so that `validate` and a small `replay` start
# at once (benchmarks/cli_startup.py, tests/cli/test_startup_imports.py).
COMMANDS: dict[str, tuple[str, str, str]] = {
    "validate": (__name__, "add_validate_parser", "_validate"),
    "schema": (__name__, "add_schema_parser", "_schema"),
    "replay": (__name__, "add_replay_parser", "_replay"),
    "fit": ("slamodeler.cli.fit_command", "add_fit_parser", "run_fit"),
    "ws": ("slamodeler.cli.ws_commands", "add_ws_parser", "run_ws"),
    "simulate": (__name__, "add_simulate_parser", "_simulate"),
    "export": ("slamodeler.cli.export_command", "add_export_parser", "run_export"),
    "baseline": ("slamodeler.cli.baseline_command", "add_baseline_parser", "run_baseline"),
    "profitability": (
        "slamodeler.cli.profitability_command",
        "add_profitability_parser",
        "run_profitability",
    ),
    "compare": ("slamodeler.cli.compare_command", "add_compare_parser", "run_compare"),
    "portfolio": ("slamodeler.cli.portfolio_command", "add_portfolio_parser", "run_portfolio"),
    "reprice": ("slamodeler.cli.reprice_command", "add_reprice_parser", "run_reprice"),
    "find": ("slamodeler.cli.find_command", "add_find_parser", "run_find"),
    "sensitivity": (
        "slamodeler.cli.sensitivity_command",
        "add_sensitivity_parser",
        "run_sensitivity",
    ),
    "dispute": ("slamodeler.cli.dispute_command", "add_dispute_parser", "run_dispute"),
    "report": ("slamodeler.cli.report_command", "add_report_parser", "run_report"),
    "slo": ("slamodeler.cli.slo_command", "add_slo_parser", "run_slo"),
    "memos": ("slamodeler.cli.memos_command", "add_memos_parser", "run_memos"),
    "layers": ("slamodeler.cli.layers_command", "add_layers_parser", "run_layers"),
    "vendor": ("slamodeler.cli.vendor_command", "add_vendor_parser", "run_vendor"),
}
Subparsers = argparse._SubParsersAction


def _command_function(command: str, which: int) -> Callable[..., Any]:
    """The function that adds ``command``'s parser (``which`` 1) or runs it (2), its module
    imported."""
    module = COMMANDS[command][0]
    return getattr(importlib.import_module(module), COMMANDS[command][which])


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The command line's parser: every command's, or when ``argv`` starts with a command's
    name, only that one's (the others' modules stay unloaded; what it parses and prints, its
    help and its errors, are the same)."""
    parser = argparse.ArgumentParser(
        prog="slamodeler", description=__doc__.splitlines()[0] if __doc__ else None
    )
    parser.add_argument("--version", action="version", version=f"slamodeler {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    named = [argv[0]] if argv and argv[0] in COMMANDS else list(COMMANDS)
    for command in named:
        _command_function(command, 1)(sub)
    return parser


def add_validate_parser(sub: Subparsers) -> None:
    validate = sub.add_parser("validate", help="check a contract file and report every problem")
    validate.add_argument("contract", type=Path)


def add_schema_parser(sub: Subparsers) -> None:
    schema = sub.add_parser("schema", help="print the JSON Schema of the contract file")
    which = schema.add_mutually_exclusive_group()
    which.add_argument(
        "--mapping", action="store_true", help="the schema of an incident column mapping instead"
    )
    which.add_argument(
        "--scenario", action="store_true", help="the schema of an outage scenario instead"
    )


def add_replay_parser(sub: Subparsers) -> None:
    from slamodeler.cli.export_command import workbook_path
    from slamodeler.cli.options import add_fee_option, add_incident_options, add_ticket_options

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


def add_simulate_parser(sub: Subparsers) -> None:
    from slamodeler.cli.export_command import workbook_path
    from slamodeler.cli.options import add_fee_option, add_simulation_options
    from slamodeler.domain.simulation_request import METHODS

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


def _validate(args: argparse.Namespace) -> int:
    from slamodeler.domain.period_words import period_words
    from slamodeler.services.contract_files import contract_band_warnings, validate_contract

    exit_without_collecting()
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
    if args.ws is None and args.xlsx is None:  # printed: no matrix product, no file written
        import_numpy_without_blas_threads()
        exit_without_collecting()
    from slamodeler.cli.export_command import wrote
    from slamodeler.cli.options import input_files
    from slamodeler.cli.tables import replay_table
    from slamodeler.services.replay import replay_csv, replay_files, replay_json

    _no_xlsx_with_ws(args)
    if args.ws is not None:
        from slamodeler.cli.ws_commands import replay_in_workspace

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
    from slamodeler.cli.export_command import wrote
    from slamodeler.cli.options import input_files
    from slamodeler.cli.progress import ProgressBar
    from slamodeler.cli.tables import simulation_table
    from slamodeler.domain.simulation_request import SimulationRequest
    from slamodeler.services.export import save_workbook
    from slamodeler.services.simulate import check_outputs, dump_trials, simulate_files
    from slamodeler.services.simulation_session import exposures, simulation_json
    from slamodeler.services.ticket_dump import dump_tickets

    _no_xlsx_with_ws(args)
    if args.ws is not None:
        from slamodeler.cli.ws_commands import simulate_in_workspace

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
    from slamodeler.cli.export_command import wrote
    from slamodeler.cli.tables import exact_table
    from slamodeler.services.exact_method import exact_files, exact_json
    from slamodeler.services.export import save_workbook

    drawn = [
        name
        for name, given in (
            ("--dump-trials", args.dump_trials),
            ("--workers", args.workers != 1),
            ("--dask", args.dask is not None),
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


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_OK
    try:
        result: int = _command_function(args.command, 2)(args)
        return result
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
