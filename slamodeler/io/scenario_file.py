"""The scenario file (``format: slamodeler-scenario/v1``, YAML): read, write, JSON Schema.

Empirical durations may name an incident file (relative to the scenario file); reading the
scenario loads those durations, so the engine gets plain numbers.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from slamodeler.domain.errors import InputError
from slamodeler.domain.scenario import SCENARIO_FORMAT, Empirical, Scenario
from slamodeler.io.incident_import import import_incidents, load_mapping
from slamodeler.io.yaml_files import build_with_lines, parse_yaml, read_text


def load_scenario(path: str | Path) -> Scenario:
    path = Path(path)
    data, node = parse_yaml(read_text(path), str(path))
    if not isinstance(data, dict) or data.get("format") != SCENARIO_FORMAT:
        found = data.get("format") if isinstance(data, dict) else None
        raise InputError(
            f"{path}: not a scenario file: the first line should be `format: {SCENARIO_FORMAT}`"
            + (f" (found {found!r})" if found else "")
        )
    scenario = build_with_lines(Scenario, data, node, str(path))
    return with_empirical_durations(scenario, path.parent)


def with_empirical_durations(scenario: Scenario, base: Path) -> Scenario:
    """Replace ``empirical: {incidents: FILE}`` by the durations (minutes) found in that file."""
    processes = []
    for i, process in enumerate(scenario.processes):
        dist = process.duration_minutes
        if isinstance(dist, Empirical) and dist.incidents is not None:
            source = base / dist.incidents
            mapping = load_mapping(base / dist.mapping) if dist.mapping else None
            incidents = import_incidents(source, mapping, on_bad_row="skip").incidents
            if dist.service:
                wanted = dist.service.strip().lower()
                incidents = tuple(x for x in incidents if x.service.strip().lower() == wanted)
            minutes = [float(x.minutes) for x in incidents if x.end > x.start]
            if not minutes:
                raise InputError(
                    f"processes[{i}].duration_minutes: {source} has no incident with a duration"
                    + (f" for service {dist.service!r}" if dist.service else "")
                )
            dist = dist.model_copy(
                update={"values": minutes, "incidents": None, "mapping": None, "service": None}
            )
            process = process.model_copy(update={"duration_minutes": dist})
        processes.append(process)
    return scenario.model_copy(update={"processes": processes})


def scenario_to_yaml(scenario: Scenario) -> str:
    data = scenario.model_dump(mode="json", exclude_none=True)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def scenario_json_schema() -> str:
    schema = Scenario.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "SLA Modeler outage scenario (slamodeler-scenario/v1)"
    return json.dumps(schema, indent=2)
