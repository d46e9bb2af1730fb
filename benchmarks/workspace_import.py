"""Workspace import speed: 100,000 incident rows into a workspace.

Reports, in one run on this machine:
- the whole import of a 100,000-row CSV (`slamodeler ws import-incidents`: read, check, store),
- the store's part alone (one transaction, rows inserted with executemany, hashed, audited),
- the baseline: one SQLModel object per row, added and flushed row by row (in one transaction,
  so that it is not simply the cost of 100,000 commits), on a smaller sample, scaled,
and the ratio of the store's bulk insert to the baseline. Target (issue 4): under 5 s.

    python benchmarks/workspace_import.py [--rows N] [--baseline-rows M]
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402, TID251 (the baseline is SQL on purpose)
from sqlmodel import Session, create_engine  # noqa: E402, TID251

from slamodeler.services.incident_sets import import_incidents  # noqa: E402
from slamodeler.services.replay import load_incident_file  # noqa: E402
from slamodeler.store.tables import IncidentRow, IncidentSetRow  # noqa: E402
from slamodeler.store.workspace import Workspace  # noqa: E402


def write_csv(path: Path, rows: int) -> None:
    start = datetime(2020, 1, 1, tzinfo=UTC)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["id", "start", "end", "impact", "cause", "service", "region", "title"])
        for k in range(rows):
            s = start + timedelta(minutes=17 * k)
            e = s + timedelta(minutes=3 + k % 90)
            out.writerow(
                [
                    f"INC-{k}",
                    s.isoformat().replace("+00:00", "Z"),
                    e.isoformat().replace("+00:00", "Z"),
                    ("full", "partial", "degraded", "0.35")[k % 4],
                    ("", "", "maintenance", "customer", "")[k % 5],
                    ("Compute", "Storage")[k % 2],
                    ("us-east-1", "eu-west-1", "")[k % 3],
                    f"synthetic incident {k}",
                ]
            )


def orm_row_by_row(path: Path, incidents: list) -> float:
    """The baseline: what the ORM does when used naively, one object and one flush per row."""
    Workspace.create(path, "benchmark").close()
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi, _record):  # as the workspace sets them
        cursor = dbapi.cursor()
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    t0 = time.perf_counter()
    with Session(engine) as session:
        head = IncidentSetRow(
            key="baseline",
            source="baseline.csv",
            imported_at="",
            author="benchmark",
            rows_read=len(incidents),
            used=len(incidents),
            report="{}",
            content_hash="",
        )
        session.add(head)
        session.flush()
        for k, i in enumerate(incidents):
            session.add(
                IncidentRow(
                    set_id=head.id,
                    seq=k,
                    ident=i.id,
                    start_ts=i.start,
                    end_ts=i.end,
                    impact=str(i.impact),
                    impact_is_share=not isinstance(i.impact, str),
                    cause=i.cause,
                    service=i.service,
                    region=i.region,
                    title=i.title,
                    row=i.row,
                )
            )
            session.flush()
        session.commit()
    elapsed = time.perf_counter() - t0
    engine.dispose()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--baseline-rows", type=int, default=5_000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        source = tmp / "incidents.csv"
        write_csv(source, args.rows)
        print(f"{args.rows:,} incident rows, CSV {source.stat().st_size / 1e6:.1f} MB")

        with Workspace.create(tmp / "whole.slamws", "benchmark") as ws:
            t0 = time.perf_counter()
            row, _ = import_incidents(ws, source, "benchmark")
            whole = time.perf_counter() - t0
        assert row.used == args.rows
        verdict = "met" if whole < 5 else "MISSED"
        print(
            f"ws import-incidents (read + check + store): {whole:7.2f} s   target under 5 s: {verdict}"
        )

        t0 = time.perf_counter()
        incidents = load_incident_file(source)
        reading = time.perf_counter() - t0
        print(f"  of which reading and checking the CSV:      {reading:7.2f} s")
        with Workspace.create(tmp / "store.slamws", "benchmark") as ws:
            t0 = time.perf_counter()
            ws.add_incident_set("bulk", incidents, "benchmark")
            bulk = time.perf_counter() - t0
        print(f"store only (executemany, hash, audit, commit): {bulk:6.2f} s")

        sample = list(incidents.incidents[: args.baseline_rows])
        baseline = orm_row_by_row(tmp / "orm.slamws", sample)
        scaled = baseline * args.rows / len(sample)
        print(
            f"baseline, ORM row by row, {len(sample):,} rows: {baseline:6.2f} s, scaled to "
            f"{args.rows:,}: {scaled:7.2f} s"
        )
        print(f"speed-up of the store's bulk insert over the baseline: {scaled / bulk:.1f}x")


if __name__ == "__main__":
    main()
