"""Tickets written as a ticket export that `slamodeler replay --tickets` reads as it is (the
simulation's dumped trials: docs/simulation-output.md)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from slamodeler.domain.support import Ticket
from slamodeler.io.formula_text import csv_text

COLUMNS = ("id", "priority", "opened", "first_response")


def _iso(epoch: int | None) -> str:
    if epoch is None:
        return ""
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_tickets_csv(path: Path, tickets: Iterable[Ticket]) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for t in tickets:
            writer.writerow(
                [csv_text(t.id), csv_text(t.priority), _iso(t.opened), _iso(t.first_response)]
            )
