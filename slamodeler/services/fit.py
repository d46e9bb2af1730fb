"""Fit an outage scenario to an incident export: the use case behind `slamodeler fit`."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from slamodeler.domain.scenario import Scenario
from slamodeler.engine.fitting import FitReport, fit_incidents, report_to_scenario
from slamodeler.services.replay import load_incident_file


def fit_incident_file(
    path: str | Path,
    mapping: str | Path | None = None,
    timezone: str | None = None,
    skip_bad_rows: bool = False,
    service: str | None = None,
    start: str | None = None,
) -> tuple[FitReport, Scenario]:
    """Import the export (as `replay` does), fit frequency, durations and mixes, and build the
    scenario of the best families. Bad input raises InputError.

    Import has no notion of an incident still open (a row without end or duration is refused, or
    left out with ``skip_bad_rows``), so durations from a file are never censored here.
    """
    incidents = load_incident_file(path, mapping, timezone, skip_bad_rows)
    report = fit_incidents(incidents.incidents, source=Path(path).name, service=service)
    report = replace(report, import_summary=tuple(incidents.report.summary_lines()))
    return report, report_to_scenario(report, start=start)
