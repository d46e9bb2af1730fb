"""Workbook export speed: 100,000 incidents and a 100,000-trial result in one exposure workbook.

Reports, in one run on this machine, the time to write the workbook (docs/workbook.md) beside the
time to write the same tables as CSV files (incidents with what each counted for, the replay per
tier and period, the exposure statistics, histograms and convergence), and optionally the time
openpyxl's own write-only mode takes for the Incidents sheet alone (why that sheet is streamed).
Target (issue 5): the workbook in under 10 s.

    python benchmarks/workbook_export.py [--incidents N] [--trials T] [--openpyxl-baseline]
"""

from __future__ import annotations

import argparse
import csv
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from replay_speed import synthetic_incidents  # noqa: E402

from slamodeler.engine.exposure import exposures  # noqa: E402
from slamodeler.engine.periods import parse_label, periods_between  # noqa: E402
from slamodeler.engine.replay import replay  # noqa: E402
from slamodeler.engine.simulation import simulate  # noqa: E402
from slamodeler.io.contract_file import load_contract  # noqa: E402
from slamodeler.io.scenario_file import load_scenario  # noqa: E402
from slamodeler.io.workbook import (  # noqa: E402
    WorkbookContent,
    convergence,
    histogram,
    write_workbook,
)
from slamodeler.io.workbook.incidents import incident_rows  # noqa: E402

SAMPLES = ROOT / "sample_contracts"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def span(contract, result) -> tuple[int, int]:
    kind = contract.measurement.period
    periods = periods_between(
        parse_label(result.first, kind),
        parse_label(result.last, kind),
        kind,
        ZoneInfo(contract.timezone),
    )
    return periods[0].start, periods[-1].end


def write_csv(folder: Path, content: WorkbookContent) -> None:
    """The workbook's tables as CSV: the baseline for the same data in the simplest format."""
    contract, result = content.contract, content.replay
    assert result is not None
    zone = ZoneInfo(contract.timezone)
    with open(folder / "incidents.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(
            [
                "row",
                "id",
                "start",
                "end",
                "minutes",
                "impact",
                "cause",
                "service",
                "region",
                "title",
                "tiers",
                "periods",
                "counted",
                "below_minimum",
                "excluded",
                "reasons",
                "status",
            ]
        )
        for row in incident_rows(contract, content.incidents, result, span(contract, result)):
            w.writerow(row.cells(zone))
    with open(folder / "replay.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(
            [
                "tier",
                "period",
                "year",
                "minutes",
                "excluded",
                "downtime",
                "availability",
                "credit_pct",
                "owed",
                "capped_period",
                "capped_year",
                "capped_liability",
                "below_min",
                "issued",
                "paid",
                "rule",
            ]
        )
        for t in result.tiers:
            for p in t.periods:
                w.writerow(
                    [
                        t.tier,
                        p.period,
                        p.contract_year,
                        p.period_minutes,
                        p.excluded_minutes,
                        p.downtime_minutes,
                        float(p.availability_pct),
                        float(p.credit_pct),
                        p.credit_owed,
                        p.capped_by_period,
                        p.capped_by_year,
                        p.capped_by_liability,
                        p.below_min_credit,
                        p.credit_after_caps,
                        p.expected_paid,
                        p.rule,
                    ]
                )
    with open(folder / "exposure.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        for e in content.exposures or ():
            w.writerow(
                [
                    e.name,
                    e.trials,
                    e.mean,
                    e.stderr,
                    *e.quantiles.values(),
                    e.tvar99,
                    e.p_any_breach,
                    e.expected_breach_periods,
                    *e.p_cap_hit.values(),
                    e.capped_off_mean,
                    e.issued_mean,
                    e.revenue,
                    e.cost,
                    e.margin_mean,
                ]
            )
            w.writerows([e.name, "bin", *b] for b in histogram(e.paid))
            w.writerows([e.name, "mean", *c] for c in convergence(e.paid))


def openpyxl_write_only(path: Path, content: WorkbookContent) -> None:
    """The Incidents sheet alone, through openpyxl's write-only worksheet (styled date cells)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    contract, result = content.contract, content.replay
    assert result is not None
    zone = ZoneInfo(contract.timezone)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Incidents")
    for row in incident_rows(contract, content.incidents, result, span(contract, result)):
        cells = row.cells(zone)
        for k in (2, 3):  # start and end: styled as date-times, as the workbook shows them
            cell = WriteOnlyCell(ws, cells[k])
            cell.number_format = "yyyy-mm-dd hh:mm"
            cells[k] = cell
        ws.append(cells)
    wb.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--trials", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--openpyxl-baseline", action="store_true")
    args = parser.parse_args()

    contract = load_contract(SAMPLES / "three_tier_cloud.yaml")
    incidents = synthetic_incidents(args.incidents, args.years)
    t0 = time.perf_counter()
    result = replay(contract, incidents)
    t_replay = time.perf_counter() - t0
    scenario = load_scenario(SAMPLES / "scenarios" / "baseline.yaml")
    t0 = time.perf_counter()
    run = simulate(contract, scenario, args.trials, 1)
    found = exposures(run)
    t_sim = time.perf_counter() - t0
    content = WorkbookContent(
        contract, "three_tier_cloud.yaml", result, incidents, simulation=run, exposures=found
    )
    print(
        f"{args.incidents:,} incidents over {args.years} years, {len(contract.tiers)} tiers; "
        f"{args.trials:,} trials (replay {t_replay:.2f} s, simulation {t_sim:.2f} s, not counted)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        times, size = [], 0
        for k in range(args.repeat):
            path = folder / f"bench{k}.xlsx"
            t0 = time.perf_counter()
            report = write_workbook(path, content)
            times.append(time.perf_counter() - t0)
            size = path.stat().st_size
        t_xlsx = statistics.median(times)
        print(
            f"workbook (.xlsx), median of {args.repeat}:  {t_xlsx:6.2f} s   "
            f"{size / 1e6:.1f} MB, {report.incident_rows:,} incident rows, "
            f"{report.replay_rows} replay rows, {report.formulas:,} formulas   peak RSS {rss_mb():,.0f} MB"
        )
        print(f"  target under 10 s: {'met' if t_xlsx < 10 else 'MISSED'}")
        times = []
        for k in range(args.repeat):
            sub = folder / f"csv{k}"
            sub.mkdir()
            t0 = time.perf_counter()
            write_csv(sub, content)
            times.append(time.perf_counter() - t0)
        t_csv = statistics.median(times)
        csv_size = sum(p.stat().st_size for p in sub.iterdir())
        print(
            f"same tables as CSV, median of {args.repeat}: {t_csv:6.2f} s   "
            f"{csv_size / 1e6:.1f} MB   workbook / CSV: {t_xlsx / t_csv:.2f}x"
        )
        if args.openpyxl_baseline:
            t0 = time.perf_counter()
            openpyxl_write_only(folder / "wo.xlsx", content)
            t_wo = time.perf_counter() - t0
            print(
                f"openpyxl write-only, Incidents sheet alone, 1 run: {t_wo:6.2f} s "
                f"({t_wo / t_xlsx:.1f}x the whole workbook)"
            )


if __name__ == "__main__":
    main()
