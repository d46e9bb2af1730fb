"""``slamodeler report CONTRACT INCIDENTS --period P -o FILE.html``: the compliance report of
one customer's period, a printable HTML page rendered from the replay (docs/user-guide.md)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from slamodeler.cli.options import zone_name
from slamodeler.domain.errors import InputError


def add_report_parser(sub: Any) -> None:
    report = sub.add_parser(
        "report", help="a compliance report of one period to send a customer (printable HTML)"
    )
    report.add_argument("contract", type=Path, help="a contract file, or KEY@VERSION with --ws")
    report.add_argument(
        "incidents", type=Path, help="CSV or XLSX export of incidents, or a stored set with --ws"
    )
    report.add_argument(
        "--period", required=True, help="the period to report, YYYY-MM (YYYY-Qn for quarters)"
    )
    report.add_argument("--customer", default="", help="the customer's name, for the title")
    report.add_argument("--tier", help="the customer's tier (default: every tier)")
    report.add_argument(
        "-o", "--out", type=Path, required=True, metavar="FILE.html", help="where to write it"
    )
    report.add_argument(
        "--ws", type=Path, metavar="FILE", help="a stored version and a stored incident set"
    )
    report.add_argument("--mapping", type=Path, help="column mapping for the incident file")
    report.add_argument(
        "--timezone", type=zone_name, help="IANA time zone for times without an offset"
    )


def run_report(args: argparse.Namespace) -> int:
    from slamodeler.services.compliance import report_files, write_compliance_html

    if args.ws is not None:
        if args.mapping is not None or args.timezone is not None:
            raise InputError(
                "--mapping and --timezone work with files; with --ws the incident set is "
                "already imported"
            )
        from slamodeler.services.compliance import report_stored
        from slamodeler.services.workspaces import open_workspace

        opened = open_workspace(args.ws, readonly=True)
        try:
            found = report_stored(
                opened.workspace,
                str(args.contract),
                str(args.incidents),
                args.period,
                customer=args.customer,
                tier=args.tier,
            )
        finally:
            opened.workspace.close()
    else:
        from slamodeler.services.export import check_output

        check_output(
            args.out, {"contract file": args.contract, "incident file": args.incidents}, "-o"
        )
        found = report_files(
            args.contract,
            args.incidents,
            args.period,
            customer=args.customer,
            tier=args.tier,
            mapping=args.mapping,
            timezone=args.timezone,
        )
    path = write_compliance_html(args.out, found)
    for s in found.tiers:
        p = s.period
        print(
            f"{s.tier} {p.period}: availability {float(p.availability_pct):.4f}%, credit after "
            f"caps {p.credit_after_caps:,} {found.currency}, {len(s.incidents)} incident(s)"
        )
    print(f"wrote {path}", file=sys.stderr)
    return 0
