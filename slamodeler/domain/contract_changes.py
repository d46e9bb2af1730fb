"""Term differences grouped into the changes a user made, in words: one maintenance window added
is one change ("Maintenance window 2 added: every Sunday 02:00, 120 min"), not a change per key of
the window; a band's new credit is "Silver, band 2, credit %: 25 -> 20".

The term-by-term list (``contract_diff``) stays what is stored and judged; a change here weakens
a commitment when any of its terms does, so what is shown and what approval refuses agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from slamodeler.domain.contract_diff import _SETS, Leaf, TermChange, _judge, _show
from slamodeler.domain.field_names import describe, member

Kind = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class Change:
    """One change as a user makes it; ``before``/``after`` in words ("" for what was not there)."""

    kind: Kind
    what: str  # "Gold, band 3 added", "Silver, band 2, credit %"
    before: str
    after: str
    weakens: bool
    why: str
    path: str  # the item or term in the contract's terms, e.g. "tiers[Gold].credits.bands[2]"

    @property
    def values(self) -> str:
        if self.kind == "added":
            return self.after
        if self.kind == "removed":
            return self.before
        return f"{self.before} -> {self.after}"

    def __str__(self) -> str:
        mark = f"  WEAKENS: {self.why}" if self.weakens else ""
        return f"{self.what}: {self.values}{mark}"


# Items that come and go as a whole: (pattern of the item, the key every such item has, name).
_ITEMS = [
    (r"tiers\[[^]]*\]", "name", "tier"),
    (r"tiers\[[^]]*\]\.credits\.(?:bands|points)\[\d+\]", "(below|availability_pct)", ""),
    (r"exclusions\.maintenance_windows\[\d+\]", "every", ""),
]
_SCHEDULE = re.compile(r"(tiers\[[^]]*\]\.credits)\.kind")
_WEIGHT = re.compile(r"measurement\.impact_weights\.(.+)")


def user_changes(changes: Iterable[TermChange]) -> list[Change]:
    """The changes a user made, in the order of the terms; see the module's docstring."""
    changes = list(changes)
    wholes = _wholes(changes)
    grouped: dict[str, list[TermChange]] = {}
    rows: list[Change | str] = []  # a str holds the place of a group
    for change in changes:
        prefix = next((p for p in wholes if _under(change.path, p)), None)
        if prefix is not None:
            if prefix not in grouped:
                rows.append(prefix)
            grouped.setdefault(prefix, []).append(change)
        elif any(change.path.endswith(k) for k in _SETS):
            rows.extend(_members(change))
        else:
            rows.append(_term(change))
    return [_whole(r, wholes[r], grouped[r]) if isinstance(r, str) else r for r in rows]


def _under(path: str, prefix: str) -> bool:
    return path.startswith(prefix) and path[len(prefix) : len(prefix) + 1] in (".", "[")


def _wholes(changes: list[TermChange]) -> dict[str, Kind]:
    """Items added or removed as a whole, and schedules replaced, outermost first."""
    found: dict[str, Kind] = {}
    for pattern, key, _ in _ITEMS:
        for c in changes:
            m = re.fullmatch(rf"({pattern})\.{key}", c.path)
            if m and (c.before is None) != (c.after is None):
                found[m.group(1)] = "added" if c.before is None else "removed"
    for c in changes:
        m = _SCHEDULE.fullmatch(c.path)
        if m and c.before is not None and c.after is not None:
            found[m.group(1)] = "changed"
    outer = sorted(found, key=len)
    return {p: found[p] for p in outer if not any(_under(p, q) for q in outer if q != p)}


def _whole(prefix: str, kind: Kind, changes: list[TermChange]) -> Change:
    weakening = [c for c in changes if c.weakens]
    before = {c.path[len(prefix) + 1 :]: c.before for c in changes if c.before is not None}
    after = {c.path[len(prefix) + 1 :]: c.after for c in changes if c.after is not None}
    is_tier = re.fullmatch(_ITEMS[0][0], prefix) is not None
    words = _tier if is_tier else _schedule if kind == "changed" else _item
    what = "Tier" if is_tier else describe(prefix, names=True)
    return Change(
        kind,
        f"{what} {'replaced' if kind == 'changed' else kind}",
        words(before) if kind != "added" else "",
        words(after) if kind != "removed" else "",
        bool(weakening),
        weakening[0].why if weakening else "",
        prefix,
    )


def _members(change: TermChange) -> list[Change]:
    """A set (excluded causes, a scope) as one change per member added or removed, each judged
    by the set's own rule as if it were the only one."""
    old, new = tuple(change.before or ()), tuple(change.after or ())
    name = member(change.path, names=True)
    out = []
    for value in [v for v in old if v not in new]:
        judged = _judge(change.path, old, tuple(v for v in old if v != value))
        out.append(_row("removed", name, value, "", judged, change.path))
    for value in [v for v in new if v not in old]:
        judged = _judge(change.path, old, (*old, value))
        out.append(_row("added", name, "", value, judged, change.path))
    return out


def _row(kind: Kind, name: str, before: str, after: str, judged: TermChange, path: str) -> Change:
    why = judged.why.removesuffix(f": {before or after}")
    return Change(kind, f"{name} {kind}", before, after, judged.weakens, why, path)


def _term(change: TermChange) -> Change:
    label = _WEIGHT.fullmatch(change.path)
    if label and (change.before is None) != (change.after is None):  # an impact label came or went
        kind: Kind = "added" if change.before is None else "removed"
        weight = change.after if change.before is None else change.before
        words = f"{label.group(1)}, weight {_show(weight)}"
        before, after = ("", words) if kind == "added" else (words, "")
        return Change(kind, f"Impact label {kind}", before, after, *_judgement(change))
    return Change(
        "changed",
        describe(change.path, names=True),
        _show(change.before),
        _show(change.after),
        *_judgement(change),
    )


def _judgement(change: TermChange) -> tuple[bool, str, str]:
    return change.weakens, change.why, change.path


def _item(leaves: dict[str, Leaf]) -> str:
    """A band, a curve point or a maintenance window in words."""
    if "every" in leaves:
        every, day, start = leaves["every"], leaves.get("day"), leaves.get("start")
        when = {"week": f"every {str(day).capitalize()}", "day": "every day"}.get(
            str(every), f"day {day} of every month"
        )
        return f"{when} {start}, {leaves.get('minutes')} min"
    threshold = leaves.get("below", leaves.get("availability_pct"))
    side = "below" if "below" in leaves else "at"
    words = f"{side} {threshold}% gives {leaves.get('credit_pct')}%"
    escalation = leaves.get("escalation")
    return words + (f", escalate to {escalation}" if escalation else "")


def _schedule(leaves: dict[str, Leaf]) -> str:
    """A credit schedule in words: its kind, its other terms, then each band or point."""
    items: dict[str, dict[str, Leaf]] = {}
    terms = []
    for key, value in leaves.items():
        m = re.fullmatch(r"((?:bands|points)\[\d+\])\.(\w+)", key)
        if m:
            items.setdefault(m.group(1), {})[m.group(2)] = value
        elif key != "kind":
            terms.append(f"{key.replace('_', ' ')} {_show(value)}")
    words = str(leaves.get("kind", "schedule")) + (f" ({', '.join(terms)})" if terms else "")
    return words + (": " + "; ".join(_item(i) for i in items.values()) if items else "")


def _tier(leaves: dict[str, Leaf]) -> str:
    credits = {k.removeprefix("credits."): v for k, v in leaves.items() if k.startswith("credits.")}
    return (
        f"{leaves.get('name')}, target {leaves.get('target_pct')}%, monthly fee "
        f"{leaves.get('monthly_fee')}, {_schedule(credits)}"
    )
