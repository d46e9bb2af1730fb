"""Term-by-term differences between two versions of a contract, and which of them weaken a
commitment to customers (a lower target or credit, a new exclusion, a lower cap...).

Change control uses it to flag weakening edits in the version history and the audit log; the
GUI and the CLI show it side by side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from slamodeler.domain.contract import Contract

Leaf = Any


@dataclass(frozen=True)
class TermChange:
    path: str  # e.g. "tiers[Gold].credits.bands[2].credit_pct"
    before: Leaf | None
    after: Leaf | None
    weakens: bool  # weakens a commitment to customers
    why: str  # e.g. "target lowered", "credit lowered", "exclusion added"

    def __str__(self) -> str:
        mark = "  WEAKENS: " + self.why if self.weakens else ""
        return f"{self.path}: {_show(self.before)} -> {_show(self.after)}{mark}"


# Numeric terms where a move in one direction weakens the contract for customers.
_LOWER_WEAKENS = [
    (r"^tiers\[[^]]*\]\.target_pct$", "target lowered"),
    (r"\.credits\.bands\[\d+\]\.credit_pct$", "credit lowered"),
    (r"\.credits\.bands\[\d+\]\.below$", "band threshold lowered: hit less often"),
    (r"\.credits\.points\[\d+\]\.credit_pct$", "credit lowered"),
    (r"\.credits\.points\[\d+\]\.availability_pct$", "curve point lowered: credit starts later"),
    (r"\.credits\.credit_pct_per_hour$", "credit per hour lowered"),
    (r"\.credits\.multiple$", "fee multiple lowered"),
    (r"\.caps\.(per_period_pct|per_year_pct_of_annual_fees)$", "cap lowered"),
    (r"^liability_cap\.(amount|pct_of_annual_fees)$", "liability cap lowered"),
    (r"^measurement\.impact_weights\.", "impact counts for less"),
    (r"^customer_cap\.(amount|pct_of_annual_fees)$", "customer cap lowered"),
    (r"^claims\.claim_deadline_days$", "claim deadline shortened"),
    (r"^chronic_failure\.of$", "termination right: misses must fall closer together"),
]
_HIGHER_WEAKENS = [
    (r"^claims\.min_credit$", "minimum credit raised"),
    (r"^measurement\.min_downtime_minutes$", "minimum downtime raised: less downtime counts"),
    (r"^measurement\.down_above$", "threshold raised: fewer slots are down"),
    (r"^exclusions\.maintenance_windows\[\d+\]\.minutes$", "maintenance window longer"),
    (r"^exclusions\.maintenance_allowance_minutes_per_year$", "maintenance allowance raised"),
    (r"\.credits\.bands\[\d+\]\.above$", "band's lower end raised: pays over a narrower range"),
    (r"\.scope\.zones\.at_least$", "more zones must be down at once"),
    (r"^chronic_failure\.missed$", "termination right: more misses needed"),
]
# Caps: adding one where there was none weakens; an allowance removed means no limit at all.
_ADDED_WEAKENS = [
    (r"\.caps\.(per_period_pct|per_year_pct_of_annual_fees)$", "cap added"),
    (r"^liability_cap\.(amount|pct_of_annual_fees)$", "liability cap added"),
    (r"^customer_cap\.(amount|pct_of_annual_fees)$", "customer cap added"),
    (r"^claims\.claim_deadline_days$", "claim deadline added: late claims are forfeited"),
    (r"\.credits\.bands\[\d+\]\.above$", "band given a lower end: below it, it pays nothing"),
    (r"^measurement\.down_above$", "slots now down only above an error threshold: review"),
    (r"^measurement\.service_hours\.start$", "measured in service hours only: review"),
]
_REMOVED_WEAKENS = [
    (
        r"^exclusions\.maintenance_allowance_minutes_per_year$",
        "maintenance allowance removed: all maintenance excused",
    ),
    (r"^chronic_failure\.missed$", "termination right removed"),
]
# Words where one change of value weakens: (path pattern, before, after, why).
_CHOICES = [
    (r"\.credits\.boundary$", "at_or_below", "below", "exactly at a threshold no longer hits it"),
    (r"\.credits\.hours$", "started", "exact", "partial hours no longer round up"),
    (r"\.credits\.hours$", "started", "whole", "partial hours no longer count"),
    (r"\.credits\.hours$", "exact", "whole", "partial hours no longer count"),
    (r"^exclusions\.excluded_time$", "remove", "available", "excluded time counts as available"),
    (r"^measurement\.period$", "month", "quarter", "measured over quarters: bad months average"),
    (
        r"^claims\.min_credit_rule$",
        "at_least",
        "more_than",
        "a credit of exactly the minimum is no longer issued",
    ),
    (r"^measurement\.period$", "month", "year", "measured over years: bad months average"),
    (r"^measurement\.period$", "quarter", "year", "measured over years: bad quarters average"),
    (
        r"^measurement\.slot_counting$",
        "any",
        "more_than_half",
        "a slot down for half or less is up",
    ),
    (r"^measurement\.slot_counting$", "any", "whole", "partial slots no longer count"),
    (r"^measurement\.slot_counting$", "more_than_half", "whole", "partial slots no longer count"),
    (r"^measurement\.overlaps$", "add", "worst", "overlapping outages no longer add up"),
    (r"\.credits\.bands\[\d+\]\.(upper|lower)_end$", "included", "excluded", "band end excluded"),
]
# Sets where an added member weakens (a new exclusion) or a removed one does (a narrower scope).
_SETS = {
    "exclusions.causes": ("added", "exclusion added"),
    "scope.services": ("removed", "scope narrowed: fewer incidents count"),
    "scope.regions": ("removed", "scope narrowed: fewer incidents count"),
}


def diff_contracts(old: Contract, new: Contract) -> list[TermChange]:
    """Every term that differs, in the contract's order; weakening ones flagged with why."""
    before, after = _flatten(old), _flatten(new)
    changes = []
    for path in list(before) + [p for p in after if p not in before]:
        a, b = before.get(path, _MISSING), after.get(path, _MISSING)
        if a == b or {a, b} <= {None, _MISSING}:
            continue  # equal, or "none" on one side and absent on the other
        changes.append(_judge(path, a, b))
    return changes


_MISSING = object()


def _judge(path: str, a: Leaf, b: Leaf) -> TermChange:
    before = None if a is _MISSING else a
    after = None if b is _MISSING else b
    weakens, why = False, ""
    set_rule = next((v for k, v in _SETS.items() if path.endswith(k)), None)
    if set_rule is not None:
        old_set, new_set = set(before or ()), set(after or ())
        added, removed = sorted(new_set - old_set), sorted(old_set - new_set)
        if set_rule[0] == "added" and added:
            weakens, why = True, f"{set_rule[1]}: {', '.join(added)}"
        elif set_rule[0] == "removed" and (removed or (not old_set and new_set)):
            weakens, why = True, f"{set_rule[1]}" + (f": {', '.join(removed)}" if removed else "")
    elif path.endswith(".credits.kind"):
        weakens, why = True, "credit schedule replaced: review the new one"
    elif (a is _MISSING or b is _MISSING) and _structure(path, a is _MISSING)[0]:
        weakens, why = _structure(path, a is _MISSING)
    elif before is None or after is None:
        for pattern, reason in _ADDED_WEAKENS if before is None else _REMOVED_WEAKENS:
            if re.search(pattern, path):
                weakens, why = True, reason
    elif isinstance(before, Decimal | int | float) and isinstance(after, Decimal | int | float):
        rules = _LOWER_WEAKENS if after < before else _HIGHER_WEAKENS
        for pattern, reason in rules:
            if re.search(pattern, path):
                weakens, why = True, reason
    else:
        for pattern, was, now, reason in _CHOICES:
            if re.search(pattern, path) and (before, after) == (was, now):
                weakens, why = True, reason
    return TermChange(path, before, after, weakens, why)


def _structure(path: str, added: bool) -> tuple[bool, str]:
    """A whole band, point, window or tier that appeared or went."""
    if added and re.search(r"^exclusions\.maintenance_windows\[\d+\]", path):
        return True, "maintenance window added"
    if not added and re.search(r"\.credits\.(bands\[\d+\]\.below|points\[\d+\]\.\w+)$", path):
        return True, "band removed"
    if not added and re.fullmatch(r"tiers\[[^]]*\]\.name", path):
        return True, "tier removed"
    return False, ""


def _flatten(contract: Contract) -> dict[str, Leaf]:
    data = contract.model_dump(mode="python")
    out: dict[str, Leaf] = {}
    for key, value in data.items():
        if key == "tiers":
            for tier in value:
                _walk(f"tiers[{tier['name']}]", tier, out)
        else:
            _walk(key, value, out)
    return out


def _walk(path: str, value: Leaf, out: dict[str, Leaf]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _walk(f"{path}.{key}", item, out)
    elif isinstance(value, list) and any(path.endswith(k) for k in _SETS):
        out[path] = tuple(sorted(str(v) for v in value))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _walk(f"{path}[{i}]", item, out)
    else:
        out[path] = value


def _show(value: Leaf) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, tuple):
        return "[" + ", ".join(value) + "]"
    return str(value)
