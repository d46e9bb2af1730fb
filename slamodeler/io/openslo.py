"""OpenSLO v1 (https://github.com/OpenSLO/OpenSLO, apiVersion ``openslo/v1``): a tier's
objective written as SLO, SLI and AlertPolicy objects, and an SLO read back as a tier to start a
contract from.

What maps: the objective is ``objectives[0].target`` (a share); the contract's period is a
calendar ``timeWindow`` (``1M`` or ``1Q``, in the contract's time zone, from the term's start);
availability is counted in slots, so the budgeting method is ``Timeslices`` with the slot as
``timeSliceWindow`` (read back as the slot; other budgeting methods, slice targets and windows
are refused on import). The SLI names the contract, tier and scope in its metric source, as
OpenSLO leaves the source's spec to the tool. Each alert rule is an AlertPolicy with one
AlertCondition (OpenSLO allows one): a ``burnrate`` condition whose ``lookbackWindow`` is the long
window and whose ``alertAfter`` is the short one, as the spec's own example pairs 1h with 5m; the
two-window rule is spelt out in its description.

OpenSLO's own schema asks more than its README shows: the calendar's ``timeZone`` is an
Area/Location name (``UTC`` is written ``Etc/UTC`` and read back as ``UTC``), and every object
name is an RFC 1123 label of at most 63 characters, which every implementation must accept.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from slamodeler.domain.contract import Contract, Tier
from slamodeler.domain.errors import InputError
from slamodeler.engine.slo_budget import AlertRule
from slamodeler.io.input_files import CONTRACT
from slamodeler.io.yaml_files import read_text

API_VERSION = "openslo/v1"
WINDOWS = {"month": "1M", "quarter": "1Q"}
PERIODS = {v: k for k, v in WINDOWS.items()}


def slug(text: str) -> str:
    """An OpenSLO name (RFC 1123: lowercase letters, digits and '-', at most 63)."""
    name = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:63].strip("-")
    return name or "slo"


def _child(base: str, suffix: str) -> str:
    """The name of an object belonging to ``base``: the suffix kept whole, the base cut so the
    name stays a 63-character label."""
    return f"{base[: 62 - len(suffix)].rstrip('-')}-{suffix}"


def _is_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def export_zone(contract: Contract, where: str | None = None) -> str:
    """The contract's time zone as OpenSLO's schema takes it: Area/Location; ``where`` names
    the contract's file in the refusal."""
    zone = contract.timezone
    if "/" in zone:
        return zone
    if _is_zone(f"Etc/{zone}"):
        return f"Etc/{zone}"
    place = where or f"contract {contract.name!r}"
    raise InputError(
        f"{place}: timezone: {zone!r} has no Area/Location form, which "
        "OpenSLO's calendar.timeZone needs; set the contract's timezone to one such as "
        "Europe/Paris or America/New_York"
    )


def _imported_zone(zone: str) -> str:
    """``Etc/UTC`` read back as the ``UTC`` the contract had."""
    short = zone.removeprefix("Etc/")
    return short if short != zone and "/" not in short and _is_zone(short) else zone


def _duration(minutes: int) -> str:
    for unit, size in (("d", 1440), ("h", 60)):
        if minutes % size == 0:
            return f"{minutes // size}{unit}"
    return f"{minutes}m"


def export_documents(
    contract: Contract,
    tier: Tier,
    objective_percent: Decimal,
    rules: tuple[AlertRule, ...],
    where: str | None = None,
) -> list[dict[str, Any]]:
    """The SLI, the alert policies and the SLO, in that order (each named before it is used)."""
    base = slug(f"{contract.name}-{tier.name}")
    sli_name = _child(base, "availability")
    m = contract.measurement
    sli = {
        "apiVersion": API_VERSION,
        "kind": "SLI",
        "metadata": {"name": sli_name, "displayName": f"{tier.name} availability"},
        "spec": {
            "description": (
                f"Availability of tier {tier.name} as contract {contract.name!r} measures it: "
                f"{m.slot_minutes}-minute slots, impact weights "
                + ", ".join(f"{k} {v}" for k, v in m.impact_weights.items())
                + "."
            ),
            "thresholdMetric": {
                "metricSource": {
                    "type": "slamodeler",
                    "spec": {
                        "contract": contract.name,
                        "tier": tier.name,
                        "services": list(tier.scope.services),
                        "regions": list(tier.scope.regions),
                    },
                }
            },
        },
    }
    policies: list[dict[str, Any]] = []
    for rule in rules:
        label = f"{rule.severity}-{_duration(rule.long_minutes)}"
        name = _child(base, label)
        rate = float(rule.burn_rate)
        policies.append(
            {
                "apiVersion": API_VERSION,
                "kind": "AlertPolicy",
                "metadata": {"name": name},
                "spec": {
                    "description": (
                        f"{rule.severity}: {float(rule.budget_share):.0%} of the budget in "
                        f"{_duration(rule.long_minutes)}; fire when the burn rate is at least "
                        f"{rate:g} over both {_duration(rule.long_minutes)} and "
                        f"{_duration(rule.short_minutes)}"
                    ),
                    "alertWhenNoData": False,
                    "alertWhenResolved": True,
                    "alertWhenBreaching": True,
                    "conditions": [
                        {
                            "kind": "AlertCondition",
                            "metadata": {"name": _child(base, f"{label}-burn")},
                            "spec": {
                                "severity": rule.severity,
                                "condition": {
                                    "kind": "burnrate",
                                    "op": "gte",
                                    "threshold": rate,
                                    "lookbackWindow": _duration(rule.long_minutes),
                                    "alertAfter": _duration(rule.short_minutes),
                                },
                            },
                        }
                    ],
                    "notificationTargets": [{"targetRef": rule.severity}],
                },
            }
        )
    slo = {
        "apiVersion": API_VERSION,
        "kind": "SLO",
        "metadata": {"name": base, "displayName": tier.name},
        "spec": {
            "description": (
                f"Internal objective for tier {tier.name} of {contract.name!r} (contract target "
                f"{tier.target_pct}%)"
            ),
            "service": slug(contract.name),
            "indicatorRef": sli_name,
            "timeWindow": [
                {
                    "duration": WINDOWS[m.period],
                    "isRolling": False,
                    "calendar": {
                        "startTime": f"{contract.term.start.isoformat()} 00:00:00",
                        "timeZone": export_zone(contract, where),
                    },
                }
            ],
            "budgetingMethod": "Timeslices",
            "objectives": [
                {
                    "displayName": f"{objective_percent}% of {m.slot_minutes}-minute slots up",
                    "target": float(Fraction(objective_percent) / 100),
                    "timeSliceTarget": 1,
                    "timeSliceWindow": f"{m.slot_minutes}m",
                }
            ],
            "alertPolicies": [p["metadata"]["name"] for p in policies],
        },
    }
    return [sli, *policies, slo]


def export_yaml(documents: list[dict[str, Any]]) -> str:
    return yaml.safe_dump_all(documents, sort_keys=False, allow_unicode=True)


def read_slo(path: Path, name: str | None = None) -> dict[str, Any]:
    """The SLO object of an OpenSLO file (the one named ``name`` when it has several), its
    ``indicatorRef`` replaced by the SLI of that name when the file has it."""
    text = read_text(path, CONTRACT)
    try:
        documents = [d for d in yaml.safe_load_all(text) if d is not None]
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: not YAML ({str(exc).splitlines()[0]})") from None
    slos = [d for d in documents if isinstance(d, dict) and d.get("kind") == "SLO"]
    names = [_name(d) for d in slos]
    if not slos:
        raise InputError(f"{path}: no object of kind SLO; give an OpenSLO v1 file with one")
    if name is not None:
        if name not in names:
            raise InputError(f"{path}: no SLO named {name!r}; it has {', '.join(names)}")
        slo = slos[names.index(name)]
    elif len(slos) > 1:
        raise InputError(f"{path}: {len(slos)} SLOs ({', '.join(names)}); name one with --slo")
    else:
        slo = slos[0]
    spec = slo.get("spec")
    if isinstance(spec, dict) and "indicatorRef" in spec:
        slis = {_name(d): d for d in documents if isinstance(d, dict) and d.get("kind") == "SLI"}
        if spec["indicatorRef"] in slis:
            slo = {**slo, "spec": {**spec, "indicator": slis[spec["indicatorRef"]]}}
    return slo


def slo_scope(slo: dict[str, Any]) -> dict[str, list[str]]:
    """The services and regions an SLI written by `slo export` names (its ``slamodeler``
    metric source); empty for another tool's SLI, whose query means nothing here."""
    try:
        source = slo["spec"]["indicator"]["spec"]["thresholdMetric"]["metricSource"]
    except (KeyError, TypeError):
        return {}
    if not isinstance(source, dict) or source.get("type") != "slamodeler":
        return {}
    given = source.get("spec")
    spec: dict[str, Any] = given if isinstance(given, dict) else {}
    return {
        key: [str(v) for v in spec[key]]
        for key in ("services", "regions")
        if isinstance(spec.get(key), list)
    }


def _name(document: dict[str, Any]) -> str:
    meta = document.get("metadata")
    return str(meta.get("name", "")) if isinstance(meta, dict) else ""


def slo_display_name(slo: dict[str, Any]) -> str:
    """The tier name an SLO gives: its displayName, else its name."""
    meta = slo.get("metadata")
    shown = meta.get("displayName") if isinstance(meta, dict) else None
    return str(shown or _name(slo) or "Service")


def slo_target_percent(slo: dict[str, Any], where: str) -> Decimal:
    """``objectives[0]``'s target (a share) or targetPercent, as a percentage."""
    spec = slo.get("spec")
    objectives = spec.get("objectives") if isinstance(spec, dict) else None
    if not isinstance(objectives, list) or not objectives or not isinstance(objectives[0], dict):
        raise InputError(f"{where}: spec.objectives: missing; give an objective with a target")
    first = objectives[0]
    if "target" in first:
        field, scale = "target", Decimal(100)
    elif "targetPercent" in first:
        field, scale = "targetPercent", Decimal(1)
    else:
        raise InputError(f"{where}: spec.objectives[0]: give target (0.999) or targetPercent")
    try:
        value = Decimal(str(first[field])) * scale
    except InvalidOperation:
        value = Decimal("NaN")
    if not (value.is_finite() and 0 < value < 100):
        raise InputError(
            f"{where}: spec.objectives[0].{field}: {first[field]!r} is not a target between 0 "
            "and 100%"
        )
    return value.normalize()


def slo_period(slo: dict[str, Any], where: str) -> tuple[str, str | None]:
    """The contract period (month or quarter) and time zone of the SLO's time window."""
    spec = slo.get("spec") or {}
    windows = spec.get("timeWindow") if isinstance(spec, dict) else None
    if not windows:
        return "month", None
    window = windows[0] if isinstance(windows, list) else windows
    if not isinstance(window, dict):
        raise InputError(f"{where}: spec.timeWindow: give a list with duration (1M or 1Q)")
    duration = str(window.get("duration", ""))
    if window.get("isRolling") or duration not in PERIODS:
        raise InputError(
            f"{where}: spec.timeWindow: {duration or 'no duration'}"
            f"{' rolling' if window.get('isRolling') else ''} cannot be a contract period; "
            "contracts measure calendar months (1M) or quarters (1Q)"
        )
    calendar = window.get("calendar")
    zone = calendar.get("timeZone") if isinstance(calendar, dict) else None
    return PERIODS[duration], None if zone is None else _imported_zone(str(zone))


SLOT_MINUTES = (1, 5, 15)  # the slots a contract's measurement.slot_minutes holds
_DURATION = re.compile(r"(\d+)([mhd])")


def slo_slot_minutes(slo: dict[str, Any], where: str) -> int:
    """The contract's slot from the SLO's ``timeSliceWindow``; 1 minute when it names none.
    What a contract cannot count (requests rather than slots, a slot good below 100%, another
    slot, a start that is no time) is refused naming the field, not dropped."""
    spec = slo.get("spec")
    spec = spec if isinstance(spec, dict) else {}
    method = spec.get("budgetingMethod", "Timeslices")
    if method != "Timeslices":
        raise InputError(
            f"{where}: spec.budgetingMethod: {method!r} cannot be a contract's measure; contracts "
            "count availability in time slots: give Timeslices (a request-count SLO has no "
            "contract equivalent)"
        )
    _check_start(spec, where)
    objectives = spec.get("objectives")
    first = objectives[0] if isinstance(objectives, list) and objectives else {}
    first = first if isinstance(first, dict) else {}
    if "timeSliceTarget" in first and _number(first["timeSliceTarget"]) != 1:
        raise InputError(
            f"{where}: spec.objectives[0].timeSliceTarget: {first['timeSliceTarget']!r}: a "
            "contract counts a slot up only when it is up throughout; give 1"
        )
    if "timeSliceWindow" not in first:
        return 1
    given = str(first["timeSliceWindow"]).strip()
    found = _DURATION.fullmatch(given)
    minutes = int(found[1]) * {"m": 1, "h": 60, "d": 1440}[found[2]] if found is not None else None
    if minutes not in SLOT_MINUTES:
        raise InputError(
            f"{where}: spec.objectives[0].timeSliceWindow: {given!r} cannot be a contract's slot; "
            "give 1m, 5m or 15m"
        )
    return minutes


def _number(value: object) -> Decimal | None:
    try:
        return None if isinstance(value, bool) else Decimal(str(value))
    except InvalidOperation:
        return None


def _check_start(spec: dict[str, Any], where: str) -> None:
    """A calendar's ``startTime`` must be a time (YAML may already have read it as one)."""
    windows = spec.get("timeWindow")
    window = windows[0] if isinstance(windows, list) and windows else windows
    calendar = window.get("calendar") if isinstance(window, dict) else None
    if not isinstance(calendar, dict) or "startTime" not in calendar:
        return
    start = calendar["startTime"]
    if isinstance(start, date):
        return
    try:
        datetime.fromisoformat(str(start))
    except ValueError:
        raise InputError(
            f"{where}: spec.timeWindow[0].calendar.startTime: {start!r} is not a time; write it "
            "as 2024-01-01 00:00:00"
        ) from None
