"""``slamodeler memos``: the credit memos of a replay, one per customer and period with a credit,
as CSV (docs/user-guide.md, Book the credits)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from slamodeler.cli.export_command import workbook_path
from slamodeler.cli.options import (
    add_fee_option,
    add_incident_options,
    add_ticket_options,
    input_files,
    no_incident_file_options,
)
from slamodeler.domain.errors import InputError


def add_memos_parser(sub: argparse._SubParsersAction) -> None:
    memos = sub.add_parser(
        "memos",
        help="credit memos of a replay: one per customer and period with a credit (CSV)",
    )
    memos.add_argument("contract", type=Path, help="a contract file, or KEY@VERSION with --ws")
    memos.add_argument(
        "incidents", type=Path, help="CSV or XLSX export of incidents, or a stored set with --ws"
    )
    memos.add_argument("--ws", type=Path, metavar="FILE", help="a stored version and set from here")
    add_incident_options(memos)
    add_ticket_options(memos)
    add_fee_option(memos)
    memos.add_argument("--tier", action="append", help="only this tier (repeatable)")
    memos.add_argument("--from", dest="first", metavar="PERIOD", help="first period, YYYY-MM")
    memos.add_argument("--to", dest="last", metavar="PERIOD", help="last period, YYYY-MM")
    memos.add_argument(
        "-o", "--out", type=Path, metavar="FILE.csv", help="write the CSV here (default: stdout)"
    )
    memos.add_argument(
        "--xlsx", type=workbook_path, metavar="OUT", help="also write the workbook (Credit memos)"
    )


def run_memos(args: argparse.Namespace) -> int:
    from slamodeler.services.credit_memos import (
        check_memos_path,
        check_memos_workbook,
        memos_csv,
        memos_total,
        write_memos_csv,
    )
    from slamodeler.services.export import check_output

    if args.ws is not None and args.xlsx is not None:
        raise InputError(
            "--xlsx works with files; with --ws write the CSV with -o, or export the stored "
            "run with `slamodeler ws export`"
        )
    if args.out is not None:
        check_memos_path(args.out)
    inputs = input_files(args)
    for option, out in (("-o", args.out), ("--xlsx", args.xlsx)):
        if out is not None:
            check_output(out, inputs, option)
    if args.ws is not None:
        result, memos, run = *_stored(args), None
    else:
        from slamodeler.services.credit_memos import memos_files

        run, memos = memos_files(
            args.contract,
            args.incidents,
            mapping=args.mapping,
            timezone=args.timezone,
            skip_bad_rows=args.skip_bad_rows,
            encoding=args.encoding,
            tickets=args.tickets,
            tickets_mapping=args.tickets_mapping,
            fees=args.fees,
            tiers=args.tier,
            first=args.first,
            last=args.last,
        )
        result = run.result
        print("\n".join(run.incidents.report.summary_lines()), file=sys.stderr)
        if run.tickets is not None:
            print("\n".join(run.tickets.report.summary_lines()), file=sys.stderr)
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    if args.xlsx is not None:
        check_memos_workbook(memos)
    if args.out is not None:
        write_memos_csv(args.out, memos)
    else:
        sys.stdout.write(memos_csv(memos))
    print(
        f"{len(memos):,} credit memo(s), {memos_total(memos):,} {result.currency}: the replay's "
        f"credits after caps for all customers, {result.first} to {result.last}",
        file=sys.stderr,
    )
    if args.xlsx is not None:
        from slamodeler.cli.export_command import wrote
        from slamodeler.services.credit_memos import save_memos_workbook

        assert run is not None  # --xlsx with --ws was refused above
        print(wrote(save_memos_workbook(args.xlsx, run, memos)), file=sys.stderr)
    return 0


def _stored(args: argparse.Namespace) -> tuple:
    from slamodeler.services.credit_memos import memos_stored
    from slamodeler.services.workspaces import open_workspace

    no_incident_file_options(args)
    if args.tickets or args.tickets_mapping or args.fees:
        raise InputError(
            "--tickets, --tickets-mapping and --fees are for files; with --ws replay the files "
            "without --ws, or store the run with `slamodeler ws replay`"
        )
    opened = open_workspace(args.ws, readonly=True)
    try:
        return memos_stored(
            opened.workspace,
            str(args.contract),
            str(args.incidents),
            first=args.first,
            last=args.last,
            tiers=args.tier,
        )
    finally:
        opened.workspace.close()
