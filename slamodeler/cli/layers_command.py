"""``slamodeler layers``: layers of simulated credits, ``L xs R``, for a reserve or an insurance
cover (docs/user-guide.md, Set a reserve or buy cover). A command of its own rather than an
option of `simulate`: it prints its own table and JSON, and `simulate`'s stay as they are."""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from slamodeler.cli.export_command import add_report_options, wrote
from slamodeler.cli.options import add_fee_option, add_simulation_options, input_files
from slamodeler.cli.progress import ProgressBar
from slamodeler.cli.tables import render
from slamodeler.domain.errors import InputError
from slamodeler.domain.layers import LAYER_EXAMPLE, LAYER_OPTION
from slamodeler.domain.simulation_request import METHODS, SimulationRequest

if TYPE_CHECKING:
    from slamodeler.services.layers import Layer, LayerSet
    from slamodeler.services.simulation_session import SimulationRun


def add_layers_parser(sub: argparse._SubParsersAction) -> None:
    layers = sub.add_parser(
        "layers",
        help="layers L xs R of simulated credits: expected in the layer, P(attach), P(exhaust)",
    )
    layers.add_argument("contract", type=Path, help="a contract file, or KEY@VERSION with --ws")
    layers.add_argument(
        "--scenario",
        type=Path,
        required=True,
        help="outage scenario file (a stored name with --ws)",
    )
    layers.add_argument(
        "--ws", type=Path, metavar="FILE", help="the contract, scenario and fees from here"
    )
    layers.add_argument(
        LAYER_OPTION,
        dest="layers",
        action="append",
        default=[],
        metavar="LxsR",
        help=f"a layer, LIMITxsRETENTION in the contract's currency (e.g. {LAYER_EXAMPLE}, "
        "50kxs10k, unlimitedxs10000); repeatable",
    )
    layers.add_argument(
        "--tier", default="portfolio", help="the tier whose credits are layered (default: all)"
    )
    add_fee_option(layers)
    add_simulation_options(layers)
    layers.add_argument(
        "--method",
        choices=METHODS,
        default=METHODS[0],
        help="monte-carlo (default), or exact: the layers of the computed distribution where "
        "the contract and scenario allow it (standard errors 0; docs/statistics.md)",
    )
    add_report_options(layers, "also write the exposure workbook (Layers sheet)")


def run_layers(args: argparse.Namespace) -> int:
    from slamodeler.services.export import check_output
    from slamodeler.services.layers import (
        check_layers_workbook,
        layers_json,
        parse_layers,
        save_layers_workbook,
    )

    wanted = parse_layers(args.layers)
    request = SimulationRequest(args.trials, args.seed, args.years, args.start)
    if args.method == "exact":
        drawn = [
            n for n, given in (("--workers", args.workers != 1), ("--xlsx", args.xlsx)) if given
        ]
        if drawn:
            raise InputError(
                f"{drawn[0]} goes with --method monte-carlo: the exact method draws no trials "
                "to share out or to write in a sheet; leave it out or use --method monte-carlo"
            )
    elif args.xlsx is not None:  # before any work; nor over the workspace
        check_output(args.xlsx, input_files(args), "--xlsx")
        check_layers_workbook(request.trials)
    found, run, notes = _priced(args, request, wanted)
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps(layers_json(found), indent=2))
    else:
        print(layers_table(found))
    if args.xlsx is not None and run is not None:
        print(wrote(save_layers_workbook(args.xlsx, run, found), run.trials), file=sys.stderr)
    return 0


def _priced(
    args: argparse.Namespace, request: SimulationRequest, wanted: list[Layer]
) -> tuple[LayerSet, SimulationRun | None, list[str]]:
    """The layers from files or, with --ws, from stored inputs; simulated (with the run, for the
    workbook) or, with --method exact, computed (no run)."""
    from slamodeler.services import layers as priced

    exact = args.method == "exact"
    if args.ws is None:
        if exact:
            found, notes = priced.exact_layers_files(
                args.contract, args.scenario, request, wanted, args.tier, fees=args.fees
            )
            return found, None, notes
        from slamodeler.services.simulate import simulate_files

        run = simulate_files(
            args.contract,
            args.scenario,
            request,
            workers=args.workers,
            progress=ProgressBar("trials"),
            fees=args.fees,
        )
        return priced.layer_set(run, wanted, args.tier), run, run.notes
    from slamodeler.services.workspaces import open_workspace

    opened = open_workspace(args.ws, readonly=True)
    ref, scenario = str(args.contract), str(args.scenario)
    try:
        if exact:
            found, notes = priced.exact_layers_stored(
                opened.workspace, ref, scenario, request, wanted, args.tier, fees=args.fees
            )
            return found, None, notes
        found, run = priced.layers_stored(
            opened.workspace,
            ref,
            scenario,
            request,
            wanted,
            args.tier,
            fees=args.fees,
            workers=args.workers,
            progress=ProgressBar("trials"),
        )
        return found, run, run.notes
    finally:
        opened.workspace.close()


def _pm(value: float, se: float, fmt: str) -> str:
    return "n/a" if math.isnan(value) else f"{value:{fmt}} ± {se:{fmt}}"


def layers_table(found: LayerSet) -> str:
    span = "a year" if found.years == 1 else f"{found.years} years"
    drawn = f"{found.trials:,} trials" if found.trials else "computed by the exact method"
    lines = [
        f"Layers of {found.series} credits over {span}, {drawn} "
        f"(mean {found.mean:,.2f} {found.currency}); ± one standard error",
        "",
    ]
    rows = [
        [
            f.layer.label,
            _pm(f.expected, f.expected_se, ",.2f"),
            _pm(f.p_attach, f.p_attach_se, ".2%"),
            "never" if math.isinf(f.layer.limit) else _pm(f.p_exhaust, f.p_exhaust_se, ".2%"),
        ]
        for f in found.figures
    ]
    head = ["Layer", f"Expected in layer ({found.currency})", "P(attach)", "P(exhaust)"]
    return "\n".join(lines) + render(head, rows, {1, 2, 3})
