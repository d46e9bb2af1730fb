"""Every place in a contract in words a contract author uses: ``tiers[0].credits.bands[1].credit_pct``
is "Gold, band 2, credit %". Validation problems and version differences both go through
``describe``, so the editor, the comparison and the command line name a place the same way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from slamodeler.domain.model_base import hidden_character

PathLike = str | Sequence[str | int]

# A label for every field of the contract model, by its path with list indexes and dict keys left
# out ("*" stands for a key of a mapping). tests/domain/test_field_names.py walks the model to keep this
# complete.
LABELS = {
    "format": "format",
    "name": "contract name",
    "description": "description",
    "currency": "currency",
    "timezone": "time zone",
    "term": "term",
    "term.start": "term start",
    "term.months": "term months",
    "measurement": "measurement",
    "measurement.period": "measurement period",
    "measurement.impact_weights": "impact weights",
    "measurement.impact_weights.*": 'impact weight of "{key}"',
    "measurement.slot_minutes": "slot length (minutes)",
    "measurement.min_downtime_minutes": "minimum downtime (minutes)",
    "measurement.slot_counting": "slot counting",
    "measurement.overlaps": "overlapping incidents",
    "measurement.down_above": "down above (threshold)",
    "measurement.year_starts": "month the year starts in",
    "measurement.window": "measured window",
    "measurement.window.kind": "measured window, kind",
    "measurement.window.days": "measured window, days",
    "measurement.service_hours": "service hours",
    "measurement.service_hours.days": "service days",
    "measurement.service_hours.start": "service hours start",
    "measurement.service_hours.end": "service hours end",
    "measurement.service_hours.holidays": "holidays",
    "exclusions": "exclusions",
    "exclusions.causes": "excluded causes",
    "exclusions.maintenance_windows": "maintenance windows",
    "exclusions.maintenance_windows.every": "recurs every",
    "exclusions.maintenance_windows.day": "day",
    "exclusions.maintenance_windows.start": "start (local time)",
    "exclusions.maintenance_windows.minutes": "minutes",
    "exclusions.maintenance_allowance_minutes_per_year": "maintenance allowance (minutes a year)",
    "exclusions.excluded_time": "excluded time",
    "tiers": "tiers",
    "tiers.name": "name",
    "tiers.target_pct": "target %",
    "tiers.monthly_fee": "monthly fee",
    "tiers.monthly_fees": "fees by month",
    "tiers.monthly_fees.*": 'fee of month "{key}"',
    "tiers.affected_share": "affected share of the fee",
    "tiers.cost_to_serve_monthly": "cost to serve (monthly)",
    "tiers.customers": "customers",
    "tiers.scope": "scope",
    "tiers.scope.services": "scope services",
    "tiers.scope.regions": "scope regions",
    "tiers.scope.zones": "zone rule",
    "tiers.scope.zones.at_least": "zones down at least",
    "tiers.scope.zones.of": "of the zones",
    "tiers.credits": "credit schedule",
    "tiers.credits.kind": "credit schedule kind",
    "tiers.credits.boundary": "boundary rule",
    "tiers.credits.bands": "bands",
    "tiers.credits.bands.below": "availability below %",
    "tiers.credits.bands.credit_pct": "credit %",
    "tiers.credits.bands.escalation": "escalation",
    "tiers.credits.bands.upper_end": "upper end (at the below %)",
    "tiers.credits.bands.above": "availability above %",
    "tiers.credits.bands.lower_end": "lower end (at the above %)",
    "tiers.credits.points": "curve points",
    "tiers.credits.points.availability_pct": "availability %",
    "tiers.credits.points.credit_pct": "credit %",
    "tiers.credits.credit_pct_per_hour": "credit % per hour",
    "tiers.credits.hours": "hours counted",
    "tiers.credits.multiple": "fee multiple",
    "tiers.credits.share_of": "downtime as a share of",
    "tiers.caps": "caps",
    "tiers.caps.per_period_pct": "per-period cap %",
    "tiers.caps.per_year_pct_of_annual_fees": "yearly cap % of annual fees",
    "tiers.incident_credits": "per-incident credits",
    "tiers.incident_credits.longer_than_minutes": "per-incident credits: longer than (minutes)",
    "tiers.incident_credits.credit_pct": "per-incident credits: credit % each",
    "tiers.incident_credits.credit_pct_per_hour": "per-incident credits: credit % per hour",
    "tiers.incident_credits.hours": "per-incident credits: hours counted",
    "tiers.incident_credits.max_pct_per_incident": "per-incident credits: at most % each",
    "tiers.chronic_failure": "chronic failure",
    "tiers.chronic_failure.missed": "chronic failure: periods missed",
    "tiers.chronic_failure.of": "chronic failure: of the last periods",
    "tiers.support": "support targets",
    "tiers.support.clock": "support clock",
    "tiers.support.targets": "response targets",
    "tiers.support.targets.priority": "support priority",
    "tiers.support.targets.respond_within_minutes": "respond within (minutes)",
    "tiers.support.targets.credit_pct": "credit % per late response",
    "tiers.support.targets.credit_amount": "credit per late response",
    "tiers.support.targets.max_pct_per_period": "support cap % per period",
    "liability_cap": "liability cap",
    "liability_cap.amount": "liability cap amount",
    "liability_cap.pct_of_annual_fees": "liability cap % of annual fees",
    "customer_cap": "customer cap across tiers",
    "customer_cap.tiers": "tiers one customer holds together",
    "customer_cap.amount": "customer cap amount",
    "customer_cap.pct_of_annual_fees": "customer cap % of annual fees",
    "claims": "claims",
    "claims.min_credit": "minimum credit",
    "claims.min_credit_rule": "minimum credit rule",
    "claims.claim_rate": "claim rate",
    "claims.claim_rate_sd": "claim rate spread",
    "chronic_failure": "chronic failure",
    "chronic_failure.missed": "chronic failure: periods missed",
    "chronic_failure.of": "chronic failure: of the last periods",
    "claims.claim_deadline_days": "claim deadline (days after the period)",
    "claims.late_share": "share of claims made late",
}
# The either-or credit (tiers[].either_or) and its schedule, named like the tier's own.
LABELS |= {
    "tiers.either_or": "either-or credit",
    "tiers.either_or.pick": "either-or: pay",
    "tiers.either_or.name": "either-or: name of the other credit",
    "tiers.either_or.target_pct": "either-or: target %",
    **{
        "tiers.either_or." + path[len("tiers.") :]: f"other credit: {label}"
        for path, label in LABELS.items()
        if path.startswith("tiers.credits")
    },
}
# A vendor's SLA held back to back with ours (domain/vendor_terms.py).
LABELS |= {
    "direction": "direction (given or received)",
    "reaches": "reaches our tiers",
    "reaches.vendor_tier": "reaches: vendor tier",
    "reaches.our_tiers": "reaches: our tiers",
}
# How one item of a list is called ("band 2"); tiers are called by their names.
ITEMS = {
    "exclusions.causes": "excluded cause",
    "exclusions.maintenance_windows": "maintenance window",
    "tiers": "tier",
    "tiers.scope.services": "scope service",
    "tiers.scope.regions": "scope region",
    "tiers.credits.bands": "band",
    "tiers.credits.points": "curve point",
    "tiers.either_or.credits.bands": "other credit band",
    "tiers.either_or.credits.points": "other credit curve point",
    "customer_cap.tiers": "tier held together",
}
ITEMS |= {"reaches": "reach", "reaches.our_tiers": "our tier reached"}
MAPPINGS = {
    "measurement.impact_weights",
    "tiers.monthly_fees",
}  # fields whose keys are the user's own words

_PART = re.compile(r"\[([^\]]*)\]|([^.\[\]]+)")


def split_path(path: PathLike, names: bool = False) -> tuple[str | int, ...]:
    """``tiers[0].credits.bands[1]`` -> ("tiers", 0, "credits", "bands", 1). A bracket holding
    anything but digits (``tiers[Gold]``, as differences name tiers) stays a name; with ``names``
    the brackets after ``tiers`` always hold one."""
    if not isinstance(path, str):
        return tuple(path)
    parts: list[str | int] = []
    for index, key in _PART.findall(path):
        if key:
            parts.append(key)
        elif index.isdecimal() and not (names and parts == ["tiers"]):
            parts.append(int(index))
        else:
            parts.append(f"[{index}]")  # a name in brackets: told apart from a key
    return tuple(parts)


def describe(path: PathLike, contract: Any = None, names: bool = False) -> str:
    """The place at ``path`` in words. ``contract`` (a Contract or its plain data, valid or not)
    gives the tiers' names where the path counts tiers by position; ``names``: the path names
    them (``tiers[Gold]``, as differences do). An unknown key is quoted."""
    parts = split_path(path, names)
    if not parts:
        return "The contract"
    phrases: list[str] = []
    field: str | None = None  # the field that the rest of the path is under, in words
    generic: list[str] = []
    for i, part in enumerate(parts):
        key = ".".join(generic)
        if isinstance(part, str) and part.startswith("[") and key != "tiers":
            # brackets in an unknown key's own name ("foo[bar]"): part of the key as written
            raw = (
                field[:-1] if field and field.endswith('"') else f'{field + ", " if field else ""}"'
            )
            field = f'{raw}{part}"'
        elif isinstance(part, int) or (isinstance(part, str) and part.startswith("[")):
            phrases.append(_item(key, part, contract))
            field = None
        elif key in MAPPINGS:
            field = LABELS[key + ".*"].format(key=part)
            generic.append("*")
        else:
            generic.append(part)
            label = LABELS.get(".".join(generic))
            if label is None:
                field = f'{field + ", " if field else ""}"{part}"'
            elif i + 1 == len(parts) or ".".join(generic) not in ITEMS:
                field = label
    if field:
        phrases.append(field)
    text = ", ".join(phrases)
    named = parts[0] == "tiers" and len(parts) > 1 and not phrases[0].startswith("tier ")
    return text if named else text[:1].upper() + text[1:]  # a tier's name is kept as written


def member(list_path: PathLike, contract: Any = None, names: bool = False) -> str:
    """What one item of the list at ``list_path`` is called, without its number: "Excluded
    cause", "Gold, scope service"."""
    return describe((*split_path(list_path, names), 0), contract).rsplit(" ", 1)[0]


def _item(key: str, part: str | int, contract: Any) -> str:
    if isinstance(part, str):
        return part[1:-1]  # a tier named in the path
    if key == "tiers":
        names = _tier_names(contract)
        name = names[part] if part < len(names) else ""
        if name and names.count(name) == 1:
            return name
        return f"tier {part + 1}" + (f" ({name})" if name else "")
    return f"{ITEMS.get(key, 'item')} {part + 1}"


def _tier_names(contract: Any) -> list[str]:
    tiers = getattr(contract, "tiers", None)
    if tiers is None and isinstance(contract, Mapping):
        tiers = contract.get("tiers")
    if not isinstance(tiers, list):
        return []
    out = []
    for tier in tiers:
        name = getattr(tier, "name", None) if not isinstance(tier, Mapping) else tier.get("name")
        shown = isinstance(name, str) and hidden_character(name) is None
        out.append(name.strip() if shown and isinstance(name, str) else "")  # else its number
    return out
