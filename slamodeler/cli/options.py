"""Options shared by the commands that read an incident export or run a simulation, and the
files a command reads (which its outputs must not replace)."""

from __future__ import annotations

import argparse
from pathlib import Path

from slamodeler.domain.errors import InputError
from slamodeler.domain.import_mapping import AUTO_ENCODING, ENCODINGS
from slamodeler.domain.simulation_request import SimulationRequest

START_HELP = (
    "first month simulated (default: the scenario's); a quarterly contract starts at the first "
    "month of the next quarter, with a note"
)


def zone_name(text: str) -> str:
    """``--timezone``'s value: a name, for an empty one would be taken for no option at all
    (the mapping's zone, or none) rather than for the zone the user meant to give."""
    if not text.strip():
        raise argparse.ArgumentTypeError(
            "is empty; give an IANA zone name such as UTC or Europe/Berlin, or leave it out"
        )
    return text.strip()


def add_incident_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--mapping", type=Path, help="column mapping (docs/incident-import.md)")
    parser.add_argument(
        "--timezone", type=zone_name, help="IANA zone for timestamps without an offset"
    )
    parser.add_argument(
        "--encoding",
        type=str.lower,
        choices=(AUTO_ENCODING, *ENCODINGS),
        help="text encoding of a CSV (default: the mapping's, else auto: a byte-order mark, "
        "else UTF-8, else Windows-1252)",
    )
    parser.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="leave out unusable rows (listed on stderr) instead of stopping",
    )


def no_incident_file_options(args: argparse.Namespace) -> None:
    """With --ws the incident set is stored already: the options that read a file are refused."""
    unused = [f for f, v in (("--mapping", args.mapping), ("--timezone", args.timezone)) if v]
    if unused or args.encoding or args.skip_bad_rows:
        raise InputError(
            "--mapping, --timezone, --encoding and --skip-bad-rows are for incident files; with "
            "--ws the incident set is already imported"
        )


def add_ticket_options(parser: argparse.ArgumentParser) -> None:
    """The support ticket export replayed against the tiers' response targets."""
    parser.add_argument(
        "--tickets",
        type=Path,
        metavar="FILE",
        help="CSV or XLSX export of support tickets, for the tiers' response targets",
    )
    parser.add_argument(
        "--tickets-mapping", type=Path, metavar="FILE", help="column mapping for --tickets"
    )


INPUT_OPTIONS = {
    "contract": "contract file",
    "incidents": "incident file",
    "mapping": "column mapping",
    "tickets": "ticket file",
    "tickets_mapping": "ticket mapping",
    "scenario": "scenario file",
    "fees": "fee file",
    "ws": "workspace",
}


def add_fee_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--fees",
        type=Path,
        help="CSV tier,month,fee: the fees of single months (docs/contract-format.md); with "
        "--ws, or the name of a stored fee set (`ws add-fees`)",
    )


def add_simulation_options(parser: argparse.ArgumentParser) -> None:
    """What `simulate` and `ws simulate` ask of a run: trials, seed, horizon, worker processes;
    the defaults are the domain's (``SimulationRequest``)."""
    asked = SimulationRequest()
    parser.add_argument(
        "--trials", type=int, default=asked.trials, help=f"default {asked.trials:,}"
    )
    parser.add_argument("--seed", type=int, default=asked.seed, help=f"default {asked.seed}")
    parser.add_argument("--years", type=int, help="horizon in years (default: the scenario's)")
    parser.add_argument("--start", metavar="YYYY-MM", help=START_HELP)
    parser.add_argument("--workers", type=int, default=1, help="local worker processes")


def input_files(args: argparse.Namespace) -> dict[str, Path | None]:
    """The files the command reads, by what they are, for :func:`check_output`."""
    return {what: getattr(args, name, None) for name, what in INPUT_OPTIONS.items()}
