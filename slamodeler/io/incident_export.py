"""Incidents written back as a CSV export that `slamodeler replay` reads as it is: text that
starts like a formula gets the apostrophe that keeps it text in a spreadsheet, and the import
drops it again (:mod:`slamodeler.io.formula_text`)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from slamodeler.domain.incidents import Incident
from slamodeler.io.formula_text import csv_text

COLUMNS = ("id", "start", "end", "impact", "cause", "service", "region", "title")


def _iso(stamp: datetime) -> str:
    return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")


def write_incidents_csv(path: Path, incidents: Iterable[Incident]) -> None:
    """A ``zone`` column is added when an incident has a zone (for k-of-n contracts)."""
    rows = list(incidents)
    zoned = any(i.zone for i in rows)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS + ("zone",) * zoned)
        for i in rows:
            writer.writerow(
                [
                    csv_text(i.id),
                    _iso(i.start_utc),
                    _iso(i.end_utc),
                    csv_text(str(i.impact)),
                    csv_text(i.cause),
                    csv_text(i.service),
                    csv_text(i.region),
                    csv_text(i.title),
                ]
                + [csv_text(i.zone)] * zoned
            )
