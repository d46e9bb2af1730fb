"""The OpenSLO v1 objects' required fields, as JSON Schema, with a small validator for the
keywords used here. The project cannot install the official schema (OpenSLO/OpenSLO,
schemas/v1/) at test time, so this is written from the spec's README and its schema parts:
header (apiVersion openslo/v1, kind, metadata.name as RFC 1123: the 63-character label every
implementation must take, though the official schema lets 255 through), SLO (indicator or
indicatorRef, timeWindow with duration and, unless rolling, a calendar whose startTime is a date
and time without zone and whose timeZone is an Area/Location name, as the official schema
demands, so that a bare ``UTC`` fails; budgetingMethod, objectives with target in [0, 1), and
timeSliceTarget and timeSliceWindow under Timeslices), SLI (thresholdMetric or ratioMetric
with a metricSource), AlertPolicy (alertWhenNoData, alertWhenResolved, alertWhenBreaching, one
condition, notificationTargets) and AlertCondition (severity; a burnrate condition's op,
threshold, lookbackWindow and alertAfter as duration shorthands); descriptions at most 1050
characters, display names not empty."""

from __future__ import annotations

import re
from typing import Any

NAME = {"type": "string", "pattern": r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$"}
DURATION = {"type": "string", "pattern": r"^[1-9][0-9]*[mhdwMQY]$"}
DESCRIPTION = {"type": "string", "maxLength": 1050}
METADATA = {
    "type": "object",
    "required": ["name"],
    "properties": {"name": NAME, "displayName": {"type": "string", "minLength": 1}},
}
# a calendar window starts at a local date and time in a zone written Area/Location
CALENDAR = {
    "type": "object",
    "required": ["startTime", "timeZone"],
    "properties": {
        "startTime": {"type": "string", "pattern": r"^\d{4}-\d\d-\d\d [0-2]\d:[0-5]\d:[0-5]\d$"},
        "timeZone": {"type": "string", "pattern": r"^[A-Z][A-Za-z_]+/[A-Z][A-Za-z0-9_+-]+"},
    },
}
ROLLING = {"required": ["isRolling"], "properties": {"isRolling": {"const": True}}}


def _header(kind: str, spec: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["apiVersion", "kind", "metadata", "spec"],
        "properties": {
            "apiVersion": {"const": "openslo/v1"},
            "kind": {"const": kind},
            "metadata": METADATA,
            "spec": spec,
        },
    }


METRIC_SOURCE = {"type": "object", "required": ["type", "spec"]}
SLI = _header(
    "SLI",
    {
        "type": "object",
        "oneOf": [{"required": ["thresholdMetric"]}, {"required": ["ratioMetric"]}],
        "properties": {
            "description": DESCRIPTION,
            "thresholdMetric": {
                "type": "object",
                "required": ["metricSource"],
                "properties": {"metricSource": METRIC_SOURCE},
            },
        },
    },
)
CONDITION = {
    "type": "object",
    "required": ["kind", "metadata", "spec"],
    "properties": {
        "kind": {"const": "AlertCondition"},
        "metadata": METADATA,
        "spec": {
            "type": "object",
            "required": ["severity", "condition"],
            "properties": {
                "severity": {"type": "string"},
                "condition": {
                    "type": "object",
                    "required": ["kind", "op", "threshold", "lookbackWindow", "alertAfter"],
                    "properties": {
                        "kind": {"enum": ["burnrate"]},
                        "op": {"enum": ["lte", "gte", "lt", "gt"]},
                        "threshold": {"type": "number"},
                        "lookbackWindow": DURATION,
                        "alertAfter": DURATION,
                    },
                },
            },
        },
    },
}
ALERT_POLICY = _header(
    "AlertPolicy",
    {
        "type": "object",
        "required": [
            "alertWhenNoData",
            "alertWhenResolved",
            "alertWhenBreaching",
            "conditions",
            "notificationTargets",
        ],
        "properties": {
            "description": DESCRIPTION,
            "alertWhenNoData": {"type": "boolean"},
            "alertWhenResolved": {"type": "boolean"},
            "alertWhenBreaching": {"type": "boolean"},
            "conditions": {"type": "array", "minItems": 1, "maxItems": 1, "items": CONDITION},
            "notificationTargets": {
                "type": "array",
                "minItems": 1,
                "items": {"type": "object", "required": ["targetRef"]},
            },
        },
    },
)
SLO = _header(
    "SLO",
    {
        "type": "object",
        "required": ["service", "timeWindow", "budgetingMethod", "objectives"],
        "oneOf": [{"required": ["indicator"]}, {"required": ["indicatorRef"]}],
        "properties": {
            "description": DESCRIPTION,
            "service": NAME,
            "indicatorRef": NAME,
            "timeWindow": {
                "type": "array",
                "minItems": 1,
                "maxItems": 1,
                "items": {
                    "type": "object",
                    "required": ["duration", "isRolling"],
                    "properties": {"duration": DURATION, "isRolling": {"type": "boolean"}},
                    "anyOf": [
                        ROLLING,
                        {"required": ["calendar"], "properties": {"calendar": CALENDAR}},
                    ],
                },
            },
            "budgetingMethod": {"enum": ["Occurrences", "Timeslices", "RatioTimeslices"]},
            "objectives": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["target", "timeSliceTarget", "timeSliceWindow"],
                    "properties": {
                        "target": {"type": "number", "minimum": 0, "exclusiveMaximum": 1},
                        "timeSliceTarget": {
                            "type": "number",
                            "exclusiveMinimum": 0,
                            "maximum": 1,
                        },
                        "timeSliceWindow": DURATION,
                    },
                },
            },
            "alertPolicies": {"type": "array", "items": NAME},
        },
    },
)
SCHEMAS = {"SLO": SLO, "SLI": SLI, "AlertPolicy": ALERT_POLICY}
_TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "number": (int, float),
}


def problems(value: Any, schema: dict[str, Any], at: str = "") -> list[str]:
    """What ``value`` breaks of ``schema``, each with its path ("" when it is valid)."""
    out: list[str] = []
    kind = schema.get("type")
    if kind is not None:
        ok = isinstance(value, _TYPES[kind]) and not (kind == "number" and isinstance(value, bool))
        if not ok:
            return [f"{at or '/'}: not {kind}"]
    if "const" in schema and value != schema["const"]:
        out.append(f"{at}: {value!r} is not {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        out.append(f"{at}: {value!r} not one of {schema['enum']}")
    if "pattern" in schema and not re.search(schema["pattern"], value):
        out.append(f"{at}: {value!r} does not match {schema['pattern']}")
    if isinstance(value, str) and len(value) > schema.get("maxLength", len(value)):
        out.append(f"{at}: longer than {schema['maxLength']}")
    if isinstance(value, str) and len(value) < schema.get("minLength", 0):
        out.append(f"{at}: shorter than {schema['minLength']}")
    for key, test in (
        ("minimum", lambda v, m: v >= m),
        ("maximum", lambda v, m: v <= m),
        ("exclusiveMinimum", lambda v, m: v > m),
        ("exclusiveMaximum", lambda v, m: v < m),
    ):
        if key in schema and not test(value, schema[key]):
            out.append(f"{at}: {value} breaks {key} {schema[key]}")
    if isinstance(value, dict):
        out += [f"{at}/{k}: missing" for k in schema.get("required", []) if k not in value]
        if "oneOf" in schema:
            matched = sum(not problems(value, branch, at) for branch in schema["oneOf"])
            if matched != 1:
                out.append(f"{at}: matches {matched} of oneOf")
        if "anyOf" in schema and all(problems(value, b, at) for b in schema["anyOf"]):
            out.append(f"{at}: matches none of anyOf")
        for key, sub in schema.get("properties", {}).items():
            if key in value:
                out += problems(value[key], sub, f"{at}/{key}")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            out.append(f"{at}: fewer than {schema['minItems']} items")
        if len(value) > schema.get("maxItems", len(value)):
            out.append(f"{at}: more than {schema['maxItems']} items")
        for i, item in enumerate(value):
            out += problems(item, schema.get("items", {}), f"{at}/{i}")
    return out
