"""The scenario file (``format: slamodeler-scenario/v1``, YAML): read, write, JSON Schema.

Empirical durations may name an incident file (relative to the scenario file); reading the
scenario loads those durations, so the engine gets plain numbers.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from slamodeler.domain.errors import InputError
from slamodeler.domain.import_mapping import ColumnMapping
from slamodeler.domain.scenario import SCENARIO_FORMAT, Duration, Empirical, Scenario
from slamodeler.domain.validation import changed
from slamodeler.io.input_files import SCENARIO
from slamodeler.io.yaml_files import build_with_lines, parse_yaml, read_text


def load_scenario(path: str | Path) -> Scenario:
    path = Path(path)
    data, parsed = parse_yaml(read_text(path, SCENARIO), str(path))
    if not isinstance(data, dict) or data.get("format") != SCENARIO_FORMAT:
        found = data.get("format") if isinstance(data, dict) else None
        raise InputError(
            f"{path}: not a scenario file: the first line should be `format: {SCENARIO_FORMAT}`"
            + (f" (found {found!r})" if found else "")
        )
    scenario = build_with_lines(Scenario, data, parsed, str(path))
    return with_empirical_durations(scenario, path.parent, f"{path}: ")


def with_empirical_durations(scenario: Scenario, base: Path, source: str = "") -> Scenario:
    """Replace ``empirical: {incidents: FILE}`` (processes and catastrophes) by the durations in
    minutes found in that file, read as replay reads it."""
    processes = [
        changed(
            p,
            f"{source}processes[{i}]",
            duration_minutes=_durations_of(
                p.duration_minutes, base, f"{source}processes[{i}].duration_minutes"
            ),
        )
        for i, p in enumerate(scenario.processes)
    ]
    catastrophes = [
        changed(
            c,
            f"{source}catastrophes[{i}]",
            minutes=_durations_of(c.minutes, base, f"{source}catastrophes[{i}].minutes"),
        )
        for i, c in enumerate(scenario.catastrophes)
    ]
    return changed(scenario, f"{source}scenario", processes=processes, catastrophes=catastrophes)


def _durations_of(dist: Duration, base: Path, where: str) -> Duration:
    if not isinstance(dist, Empirical) or dist.incidents is None:
        return dist
    # The incident reader (numpy's columns) only for a scenario that reads an export: not with
    # `validate`, whose start-up stays light (tests/cli/test_startup_imports.py).
    from slamodeler.io.incident_import import import_incidents, load_mapping

    try:
        mapping = load_mapping(base / dist.mapping) if dist.mapping else ColumnMapping()
        if mapping.default_impact is None:  # only durations are read: impact does not matter
            mapping = changed(mapping, where, default_impact="full")
        incidents = import_incidents(base / dist.incidents, mapping).incidents
    except InputError as exc:
        raise InputError(f"{where}.incidents: {exc}") from None
    if dist.service:
        wanted = dist.service.strip().lower()
        incidents = tuple(x for x in incidents if x.service.strip().lower() == wanted)
    minutes = [float(x.minutes) for x in incidents if x.end > x.start]
    if not minutes:
        raise InputError(
            f"{where}: {base / dist.incidents} has no incident with a duration"
            + (f" for service {dist.service!r}" if dist.service else "")
        )
    return changed(dist, where, values=minutes, incidents=None, mapping=None, service=None)


class _Flow(dict):
    """A mapping written on one line: a place of a scope's mix, of which a fit writes many."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(
    _Flow, lambda d, m: d.represent_mapping("tag:yaml.org,2002:map", m, flow_style=True)
)


def scenario_to_yaml(scenario: Scenario) -> str:
    data = scenario.model_dump(mode="json", exclude_none=True)
    for process in data.get("processes", []):
        scope = process.get("scope")
        if isinstance(scope, dict) and "mix" in scope:
            scope["mix"] = [_Flow(place) for place in scope["mix"]]
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def scenario_json_schema() -> str:
    schema = Scenario.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "SLA Modeler outage scenario (slamodeler-scenario/v1)"
    return json.dumps(schema, indent=2)
