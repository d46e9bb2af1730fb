"""Options shared by the commands that read an incident export, and the files a command reads
(which its outputs must not replace)."""

from __future__ import annotations

import argparse
from pathlib import Path

from slamodeler.domain.import_mapping import AUTO_ENCODING, ENCODINGS

START_HELP = (
    "first month simulated (default: the scenario's); a quarterly contract starts at the first "
    "month of the next quarter, with a note"
)


def add_incident_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--mapping", type=Path, help="column mapping (docs/incident-import.md)")
    parser.add_argument("--timezone", help="IANA zone for timestamps without an offset")
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


INPUT_OPTIONS = {
    "contract": "contract file",
    "incidents": "incident file",
    "mapping": "column mapping",
    "scenario": "scenario file",
}


def input_files(args: argparse.Namespace) -> dict[str, Path | None]:
    """The files the command reads, by what they are, for :func:`check_output`."""
    return {what: getattr(args, name, None) for name, what in INPUT_OPTIONS.items()}
