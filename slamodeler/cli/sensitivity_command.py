"""``slamodeler sensitivity CONTRACT --scenario S --term PATH=LOW:HIGH ...``: which term moves
the exposure most (a tornado), or one term across its range (``--spider``), on common random
numbers (docs/user-guide.md, docs/cli.md)."""

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
from slamodeler.domain.simulation_request import SENSITIVITY_ORDERS, SimulationRequest

if TYPE_CHECKING:
    from slamodeler.services.sensitivity import Sensitivity, Spider


def add_sensitivity_parser(sub: Any) -> None:
    cmd = sub.add_parser(
        "sensitivity",
        help="which term moves the exposure most: a tornado over terms, or a spider of one",
    )
    cmd.add_argument("contract", type=Path, help="a contract file")
    cmd.add_argument("--scenario", type=Path, required=True, help="outage scenario file")
    cmd.add_argument(
        "--term",
        action="append",
        default=[],
        metavar="PATH=LOW:HIGH",
        help="a contract term or scenario parameter by path and its range (repeat for more); "
        "paths as `slamodeler sensitivity ... --list-terms` shows them",
    )
    cmd.add_argument(
        "--spider",
        metavar="PATH=LOW:HIGH:STEPS",
        help="one term at STEPS values across its range, instead of a tornado",
    )
    cmd.add_argument(
        "--list-terms", action="store_true", help="list the terms that can be varied, and stop"
    )
    cmd.add_argument(
        "--tier",
        action="append",
        metavar="NAME",
        help="count only this tier's credits (repeat for more; default: every tier)",
    )
    cmd.add_argument(
        "--order",
        choices=SENSITIVITY_ORDERS,
        default="mean",
        help="order bars by the mean or P99 moved",
    )
    add_simulation_options(cmd)
    add_report_options(cmd, "also write the base's exposure workbook, with the Sensitivity sheet")


def run_sensitivity(args: argparse.Namespace) -> int:
    from slamodeler.services.sensitivity import (
        load_inputs,
        parse_range,
        parse_spider,
        sensitivity_json,
        sensitivity_of,
        spider_json,
        spider_of,
        terms_to_vary,
        value_text,
    )

    if args.list_terms:
        contract, scenario = load_inputs(args.contract, args.scenario)
        rows = [[p, s, value_text(v)] for p, s, v in terms_to_vary(contract, scenario)]
        print(render(["term", "of", "value"], rows, {2}))
        return 0
    if bool(args.term) == bool(args.spider):
        raise InputError(
            "give the terms to vary with --term PATH=LOW:HIGH (a tornado) or one --spider "
            "PATH=LOW:HIGH:STEPS, not both; --list-terms lists the paths"
        )
    ranges = [parse_range(t) for t in args.term]
    spider_term = parse_spider(args.spider) if args.spider else None
    if args.xlsx is not None:
        from slamodeler.services.export import check_output

        check_output(args.xlsx, input_files(args), "--xlsx")
    contract, scenario = load_inputs(args.contract, args.scenario)
    request = SimulationRequest(args.trials, args.seed, args.years, args.start)
    common: dict[str, Any] = {
        "tiers": args.tier,
        "workers": args.workers,
        "progress": ProgressBar("trials"),
        "label": str(args.contract),
    }
    found: Sensitivity | Spider
    if spider_term is not None:
        found = spider_of(contract, scenario, *spider_term, request, **common)
        text, data = spider_table(found), spider_json(found)
    else:
        found = sensitivity_of(contract, scenario, ranges, request, order=args.order, **common)
        text, data = sensitivity_table(found), sensitivity_json(found)
    for note in found.base.notes:
        print(f"note: {note}", file=sys.stderr)
    print(json.dumps(data, indent=2) if args.format == "json" else text)
    if args.xlsx is not None:
        from slamodeler.services.export import save_workbook

        report = save_workbook(
            args.xlsx, simulation=found.base, sensitivity=found, contract_label=args.contract.name
        )
        print(wrote(report, found.trials), file=sys.stderr)
    return 0


def sensitivity_table(found: Sensitivity) -> str:
    from slamodeler.services.sensitivity import BAR_HEADERS, bar_cells, sensitivity_heading

    return "\n".join(
        [
            sensitivity_heading(found),
            "",
            render(BAR_HEADERS, [bar_cells(b) for b in found.bars], set(range(1, 10))),
        ]
    )


def spider_table(found: Spider) -> str:
    from slamodeler.services.sensitivity import POINT_HEADERS, point_cells, spider_heading

    return "\n".join(
        [
            spider_heading(found),
            "",
            render(POINT_HEADERS, [point_cells(p) for p in found.points], set(range(6))),
        ]
    )
