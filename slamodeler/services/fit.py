"""Fit an outage scenario to an incident export: the use case behind `slamodeler fit` and the
GUI's fit view. The front ends take from here what they show of a fit: the report's types, the
tables' rows and texts (io/fit_text.py), and the fitted distributions the charts draw."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from slamodeler.domain.incidents import IncidentSet
from slamodeler.domain.scenario import Scenario
from slamodeler.domain.validation import changed
from slamodeler.engine.fitted_scenario import report_to_scenario
from slamodeler.engine.fitting import (
    DurationFit,
    FitReport,
    FrequencyReport,
    Mix,
    count_pmf,
    fit_incidents,
    fitted_distribution,
    merge_same_id,
)
from slamodeler.io.fit_text import (
    dispersion_verdict,
    duration_rows,
    frequency_rows,
    p_text,
    scope_text,
)
from slamodeler.io.scenario_file import scenario_to_yaml
from slamodeler.services.replay import load_incident_file

__all__ = [  # what the fit view and `slamodeler fit` show, besides this module's own
    "DurationFit",
    "FitReport",
    "FrequencyReport",
    "Mix",
    "SetFit",
    "count_pmf",
    "dispersion_verdict",
    "duration_rows",
    "fit_incident_file",
    "fit_incident_set",
    "fitted_distribution",
    "frequency_rows",
    "p_text",
    "scenario_to_yaml",
    "scope_text",
    "store_fitted_scenario",
]

if TYPE_CHECKING:  # `slamodeler fit` does not load the workspace store
    from slamodeler.store.tables import ScenarioRow
    from slamodeler.store.workspace import Workspace


def fit_incident_file(
    path: str | Path,
    mapping: str | Path | None = None,
    timezone: str | None = None,
    skip_bad_rows: bool = False,
    service: str | None = None,
    start: str | None = None,
    as_of: str | None = None,
    encoding: str | None = None,
) -> tuple[FitReport, Scenario]:
    """Import the export (as `replay` does), fit frequency, durations and mixes, and build the
    scenario of the best families. Bad input raises InputError.

    Rows with a start but neither end nor duration are incidents still open when the export was
    taken: at ``as_of`` (ISO time), by default the latest start or end in the file. Their
    durations so far are right-censored in the fit, not dropped (docs/fitting.md).
    """
    incidents = load_incident_file(
        path, mapping, timezone, skip_bad_rows, open_until=as_of or "latest", encoding=encoding
    )
    return _fit(incidents, Path(path).name, service, start)


def _fit(
    incidents: IncidentSet, source: str, service: str | None, start: str | None
) -> tuple[FitReport, Scenario]:
    report = fit_incidents(
        incidents.incidents, censored=incidents.still_open(), source=source, service=service
    )
    report = replace(report, import_summary=tuple(incidents.report.summary_lines()))
    return report, report_to_scenario(report, start=start)


@dataclass(frozen=True)
class SetFit:
    """The fit of a stored incident set, with the durations its charts draw."""

    incident_set: str
    report: FitReport
    scenario: Scenario
    durations: NDArray[np.float64]  # minutes of the incidents fitted (ended, positive), sorted


def fit_incident_set(
    incidents: IncidentSet, service: str | None = None, start: str | None = None
) -> SetFit:
    """Fit a stored incident set (``ws.load_incidents``) as `slamodeler fit` fits a file; pure,
    so it can run off the GUI thread. Bad input raises InputError."""
    report, scenario = _fit(incidents, incidents.name, service, start)
    wanted = service.strip().lower() if service is not None else None
    chosen = [x for x in incidents.incidents if wanted in (None, x.service.strip().lower())]
    merged, _ = merge_same_id(chosen)
    minutes = np.sort(np.array([(x.end - x.start) / 60 for x in merged], dtype=np.float64))
    return SetFit(incidents.name, report, scenario, minutes[minutes > 0])


def store_fitted_scenario(
    ws: Workspace, fit: SetFit, key: str, author: str
) -> tuple[ScenarioRow, bool]:
    """The fitted scenario stored under ``key`` (its name too), so a simulation can use it;
    False when the same scenario is already stored under that key."""
    scenario = changed(fit.scenario, f"scenario {key.strip()!r}", name=key.strip())
    source = f"fitted from incident set {fit.incident_set}"
    return ws.add_scenario(key.strip(), scenario, source, author)
