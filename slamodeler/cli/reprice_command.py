"""``slamodeler reprice RUN CONTRACT``: a stored simulation priced under other terms, without
simulating them again (docs/workspace.md#re-pricing-a-stored-simulation)."""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

from slamodeler.cli.export_command import workbook_path, wrote
from slamodeler.cli.tables import render, simulation_table


def add_reprice_parser(subparsers: Any) -> None:
    reprice = subparsers.add_parser(
        "reprice",
        help="price a stored simulation under other terms, on the same simulated incidents",
    )
    reprice.add_argument("run", type=int, help="the stored simulation's id, as `ws list` shows")
    reprice.add_argument("contract", help="a contract file, or KEY@VERSION of the workspace")
    reprice.add_argument(
        "--ws",
        type=Path,
        metavar="FILE",
        help="the workspace holding the run (default: default.slamws in your data folder)",
    )
    reprice.add_argument("--author", help="who does this (default: $SLAMODELER_AUTHOR or login)")
    reprice.add_argument("--format", choices=("table", "json"), default="table")
    reprice.add_argument(
        "--xlsx",
        type=workbook_path,
        metavar="OUT",
        help="also write the exposure workbook of the re-priced run",
    )


def run_reprice(args: argparse.Namespace) -> int:
    # The workspace's SQL loads only for this command, not with the command line.
    from slamodeler.services.export import check_output, save_workbook
    from slamodeler.services.repricing import reprice_stored_run
    from slamodeler.services.workspaces import author_name, open_workspace

    opened = open_workspace(args.ws, author=args.author, readonly_if_locked=True)
    ws = opened.workspace
    try:
        if args.xlsx is not None:
            check_output(
                args.xlsx, {"workspace": ws.path, "contract": Path(args.contract)}, "--xlsx"
            )
        done = reprice_stored_run(ws, args.run, args.contract, author_name(args.author))
    finally:
        ws.close()
    for note in done.simulation.notes:
        print(f"note: {note}", file=sys.stderr)
    how = (
        f"measured again ({', '.join(done.remeasured)} differ)" if done.remeasured else "re-priced"
    )
    print(f"run {done.source.id} ({done.source_label}) {how} under {done.terms}", file=sys.stderr)
    if done.stored is not None:
        print(
            f"stored as run {done.stored.id}; `slamodeler ws rerun {done.stored.id}` reproduces it",
            file=sys.stderr,
        )
    else:
        print(f"not stored: {done.not_stored}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps(done.json(), indent=2))
    else:
        print(simulation_table(done.simulation, done.exposures))
        print()
        print(comparison_table(done.source.id, done.comparison()))
    if args.xlsx is not None:
        report = save_workbook(
            args.xlsx,
            simulation=done.simulation,
            exposures=done.exposures,
            contract_label=args.contract,
        )
        print(wrote(report, done.simulation.trials), file=sys.stderr)
    return 0


def comparison_table(run_id: int | None, rows: list[dict[str, Any]]) -> str:
    """The stored run's mean, P95 and P99 against the re-priced ones, with the change."""

    def money(x: float | None) -> str:
        return "-" if x is None or math.isnan(x) else f"{x:,.0f}"

    def change(pair: list[float | None]) -> str:
        before, after = pair
        return "-" if before is None or after is None else f"{after - before:+,.0f}"

    headers = [""]
    for name in ("mean", "P95", "P99"):
        headers += [f"{name} stored", f"{name} now", "change"]
    body = [
        [
            row["series"],
            *(
                cell
                for k in ("mean", "p95", "p99")
                for cell in (money(row[k][0]), money(row[k][1]), change(row[k]))
            ),
        ]
        for row in rows
    ]
    title = f"Stored run {run_id} against the terms now (credits paid over the horizon):"
    return title + "\n" + render(headers, body, right=set(range(1, len(headers))))
