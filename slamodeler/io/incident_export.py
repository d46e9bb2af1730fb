"""Incidents written back as a CSV export that `slamodeler replay` reads as it is."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from slamodeler.domain.incidents import Incident

COLUMNS = ("id", "start", "end", "impact", "cause", "service", "region", "title")


def _iso(stamp: datetime) -> str:
    return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")


def write_incidents_csv(path: Path, incidents: Iterable[Incident]) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for i in incidents:
            writer.writerow(
                [
                    i.id,
                    _iso(i.start_utc),
                    _iso(i.end_utc),
                    str(i.impact),
                    i.cause,
                    i.service,
                    i.region,
                    i.title,
                ]
            )
