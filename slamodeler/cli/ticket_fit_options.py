"""``slamodeler fit --tickets FILE|KEY --contract FILE [--tier NAME] [--ws FILE]``: the
scenario's ``tickets`` fitted to a ticket export, or a ticket set stored in a workspace, beside
its incident processes (docs/fitting.md)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slamodeler.cli.options import add_ticket_options
from slamodeler.cli.tables import render
from slamodeler.domain.errors import InputError
from slamodeler.domain.validation import changed

if TYPE_CHECKING:
    from slamodeler.domain.scenario import Scenario
    from slamodeler.services.ticket_fit import TicketFit


def add_ticket_fit_options(parser: argparse.ArgumentParser) -> None:
    add_ticket_options(parser)
    parser.add_argument(
        "--contract",
        type=Path,
        metavar="FILE",
        help="with --tickets: the contract whose support targets say which tickets were late",
    )
    parser.add_argument(
        "--tier", help="with --tickets: the tier whose targets apply (default: the first with any)"
    )
    parser.add_argument(
        "--ws",
        type=Path,
        metavar="FILE",
        help="with --tickets: a workspace whose stored ticket set (`ws add-tickets`) --tickets "
        "may name instead of a file",
    )


def fitted_tickets(args: argparse.Namespace) -> TicketFit | None:
    """The ticket export's fit (None without --tickets), before the incidents are read: a bad
    option stops the command before any work."""
    from slamodeler.services.ticket_fit import fit_ticket_file

    if args.tickets is None:
        if args.tickets_mapping or args.contract or args.tier or args.ws:
            raise InputError(
                "--tickets-mapping, --contract, --tier and --ws go with --tickets FILE (or "
                "--tickets KEY with --ws)"
            )
        return None
    fit = fit_ticket_file(
        args.tickets,
        args.contract,
        args.tier,
        args.tickets_mapping,
        args.timezone,
        args.skip_bad_rows,
        args.ws,
    )
    print("\n".join(fit.import_summary), file=sys.stderr)
    for note in fit.notes:
        print(f"note: {note}", file=sys.stderr)
    return fit


def with_fitted_tickets(
    fit: TicketFit | None, scenario: Scenario
) -> tuple[Scenario, str, list[dict[str, Any]] | None]:
    """The scenario with its ``tickets`` fitted (unchanged without a fit), the table that
    shows them ("" then) and their JSON (None then)."""
    if fit is None:
        return scenario, "", None
    rates = [p.rate for p in fit.priorities]
    fitted = changed(scenario, "scenario", tickets=[r.model_dump() for r in rates] or None)
    rows = [
        [
            p.priority.upper(),
            f"{p.tickets:,}",
            f"{p.months}",
            f"{p.rate.per_month:g}",
            f"{p.late:,} of {p.judged:,}",
            f"{p.rate.miss_probability:g}",
        ]
        for p in fit.priorities
    ]
    table = f"\n\nSupport tickets ({fit.source}, targets of tier {fit.tier}):\n" + render(
        ["priority", "tickets", "months", "per_month", "late", "miss_probability"],
        rows,
        right={1, 2, 3, 4, 5},
    )
    data = [
        {
            **p.rate.model_dump(mode="json"),
            "tickets": p.tickets,
            "months": p.months,
            "late": p.late,
            "judged": p.judged,
        }
        for p in fit.priorities
    ]
    return fitted, table, data
