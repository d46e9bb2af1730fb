"""Edits of a contract being written, as plain-Python commands over its document (the JSON-ready
dict of the contract file, every number as its exact decimal string), addressed by typed places.

A place (``BandField(tier=1, band=2, field="below")``) renders to the domain's path text
(``tiers[1].credits.bands[2].below``), the one that validation problems and
``field_names.describe`` use. An edit's ``apply(data)`` returns new data and leaves its argument
alone; ``inverse(data)`` is the edit that takes what ``apply(data)`` made back to ``data`` (it
restores the smallest part of the document the edit changes), so an undo stack needs nothing else.
No Qt here: the GUI's undo stack wraps these (gui/editor/document.py), and they are tested as data.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain, count
from typing import Any, Literal

from slamodeler.domain.contract import Contract
from slamodeler.domain.contract_limits import too_many_thresholds
from slamodeler.domain.credit_schedules import BandSchedule, LinearSchedule
from slamodeler.domain.schedule_points import (
    SCHEDULE_LISTS,
    Point,
    as_text,
    exact,
    fits,
)

Part = str | int
Data = dict[str, Any]
ListKey = Literal["bands", "points"]


def contract_data(contract: Contract) -> Data:
    """The contract as the document holds it: plain JSON data, decimals as their exact strings."""
    return json.loads(contract.model_dump_json(exclude_defaults=False))


def path_text(parts: tuple[Part, ...]) -> str:
    """("tiers", 1, "credits", "bands", 2, "below") -> "tiers[1].credits.bands[2].below"."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


# -- places ---------------------------------------------------------------------------------------


class Place:
    """Where a term is in the document; ``parts`` index the plain data, ``text`` is the domain's
    path text."""

    @property
    def parts(self) -> tuple[Part, ...]:
        raise NotImplementedError

    @property
    def text(self) -> str:
        return path_text(self.parts)


@dataclass(frozen=True)
class Parts(Place):
    """A place given by its parts, for a term with no constructor of its own."""

    keys: tuple[Part, ...]

    @property
    def parts(self) -> tuple[Part, ...]:
        return self.keys


@dataclass(frozen=True)
class Term(Place):
    """A contract-wide term: ``Term("name")``, ``Term("measurement", "period")``."""

    key: str
    sub: str | None = None

    @property
    def parts(self) -> tuple[Part, ...]:
        return (self.key,) if self.sub is None else (self.key, self.sub)


@dataclass(frozen=True)
class TierPath(Place):
    """One tier, whole."""

    tier: int

    @property
    def parts(self) -> tuple[Part, ...]:
        return ("tiers", self.tier)


@dataclass(frozen=True)
class TierField(Place):
    """A term of one tier: ``TierField(0, "target_pct")``, ``TierField(0, "caps", "per_period_pct")``,
    ``TierField(0, "credits", "kind")``."""

    tier: int
    field: str
    sub: str | None = None

    @property
    def parts(self) -> tuple[Part, ...]:
        tail = (self.field,) if self.sub is None else (self.field, self.sub)
        return ("tiers", self.tier, *tail)


@dataclass(frozen=True)
class ScheduleList(Place):
    """The bands (or a linear curve's points) of one tier's credit schedule."""

    tier: int
    items: ListKey = "bands"

    @property
    def parts(self) -> tuple[Part, ...]:
        return ("tiers", self.tier, "credits", self.items)


@dataclass(frozen=True)
class BandField(Place):
    """One number of a band (or of a curve point, with ``items="points"``); ``field`` None is the
    whole band."""

    tier: int
    band: int
    field: str | None = None
    items: ListKey = "bands"

    @property
    def parts(self) -> tuple[Part, ...]:
        head = (*ScheduleList(self.tier, self.items).parts, self.band)
        return head if self.field is None else (*head, self.field)


@dataclass(frozen=True)
class WindowPath(Place):
    """One maintenance window (``field`` None) or one of its terms."""

    row: int
    field: str | None = None

    @property
    def parts(self) -> tuple[Part, ...]:
        head = (*WINDOWS.parts, self.row)
        return head if self.field is None else (*head, self.field)


@dataclass(frozen=True)
class WeightPath(Place):
    """The weight of one impact label."""

    label: str

    @property
    def parts(self) -> tuple[Part, ...]:
        return (*WEIGHTS.parts, self.label)


TIERS = Term("tiers")
WEIGHTS = Term("measurement", "impact_weights")
WINDOWS = Term("exclusions", "maintenance_windows")
CAUSES = Term("exclusions", "causes")
LIABILITY = Term("liability_cap")


def place_of(where: Place | tuple[Part, ...]) -> Place:
    """A place as given, or the place of a tuple of parts."""
    return where if isinstance(where, Place) else Parts(tuple(where))


_MISSING: Any = object()


def get(data: Any, where: Place | tuple[Part, ...], default: Any = None) -> Any:
    """The value at ``where``, or ``default`` when it is not there."""
    value = data
    for part in place_of(where).parts:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            return default
    return value


def _parent(data: Data, parts: tuple[Part, ...]) -> Any:
    target: Any = data
    for part in parts[:-1]:
        target = target[part]
    return target


# -- edits ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Edit:
    """One change of the document. Subclasses say what they change (``scope``) and change a copy
    of the data in place (``_change``); ``text`` is what the undo menu says."""

    def scope(self, data: Data) -> tuple[Part, ...]:
        raise NotImplementedError

    def _change(self, data: Data) -> None:
        raise NotImplementedError

    @property
    def text(self) -> str:
        raise NotImplementedError

    def apply(self, data: Data) -> Data:
        after = copy.deepcopy(data)
        self._change(after)
        return after

    def inverse(self, data: Data) -> Edit:
        """The edit undoing this one applied to ``data``: it puts back the part it changes."""
        where = self.scope(data)
        was = get(data, where, _MISSING)
        kept = was if was is _MISSING else copy.deepcopy(was)
        return Restore(where, kept, f"Undo {self.text}")


@dataclass(frozen=True)
class Restore(Edit):
    """Put a part of the document back as it was (gone, when it was not there)."""

    where: tuple[Part, ...]
    value: Any
    said: str = ""

    @property
    def text(self) -> str:
        return self.said or f"Restore {path_text(self.where)}"

    def scope(self, data: Data) -> tuple[Part, ...]:
        return self.where

    def _change(self, data: Data) -> None:
        parent = _parent(data, self.where)
        if self.value is _MISSING:
            del parent[self.where[-1]]
        else:
            parent[self.where[-1]] = copy.deepcopy(self.value)


@dataclass(frozen=True)
class SetValue(Edit):
    """Set one term, making the mappings above it when they are absent."""

    where: Place
    value: Any
    said: str = ""

    @property
    def text(self) -> str:
        return self.said or f"Change {self.where.text}"

    def scope(self, data: Data) -> tuple[Part, ...]:
        parts = self.where.parts
        target: Any = data
        for i, part in enumerate(parts[:-1]):
            if isinstance(part, str) and target.get(part) is None:
                return parts[: i + 1]  # made here: undoing takes it away again
            target = target[part]
        return parts

    def _change(self, data: Data) -> None:
        target: Any = data
        for part in self.where.parts[:-1]:
            if isinstance(part, str) and target.get(part) is None:
                target[part] = {}
            target = target[part]
        target[self.where.parts[-1]] = copy.deepcopy(self.value)


@dataclass(frozen=True)
class Remove(Edit):
    """Take one key of a mapping or one item of a list away."""

    where: Place
    said: str

    @property
    def text(self) -> str:
        return self.said

    def scope(self, data: Data) -> tuple[Part, ...]:
        return self.where.parts[:-1]  # the container, so a key comes back where it was

    def _change(self, data: Data) -> None:
        del _parent(data, self.where.parts)[self.where.parts[-1]]


@dataclass(frozen=True)
class Append(Edit):
    """Add one item at the end of a list."""

    where: Place
    item: Any
    said: str

    @property
    def text(self) -> str:
        return self.said

    def scope(self, data: Data) -> tuple[Part, ...]:
        return self.where.parts

    def _change(self, data: Data) -> None:
        get(data, self.where).append(copy.deepcopy(self.item))


@dataclass(frozen=True)
class MovePoint(Edit):
    """Put a band's (or curve point's) threshold and credit where the curve placed it."""

    tier: int
    index: int
    x: str
    y: str
    items: ListKey = "bands"

    @property
    def text(self) -> str:
        return f"Drag point {self.index + 1} to {self.x}% / {self.y}%"

    @property
    def place(self) -> BandField:
        return BandField(self.tier, self.index, items=self.items)

    def scope(self, data: Data) -> tuple[Part, ...]:
        return self.place.parts

    def _change(self, data: Data) -> None:
        item = get(data, self.place)
        item[SCHEDULE_LISTS[_kind(self.items)][1]], item["credit_pct"] = self.x, self.y

    def preview(self, contract: Contract) -> Contract | None:
        """``contract`` (valid) with the point moved, checking only what the move changes: the
        point against its neighbours (the rule a dragged point is placed by), the one schedule, and
        the contract's limit on thresholds. None when the move would not make a valid contract."""
        tier = contract.tiers[self.tier]
        schedule = tier.credits
        if not isinstance(schedule, BandSchedule | LinearSchedule):
            return None
        moved = (exact(self.x), exact(self.y))
        if moved[0] is None or moved[1] is None:
            return None
        points = schedule_points(schedule)
        if not 0 <= self.index < len(points) or not fits(points, self.index, (moved[0], moved[1])):
            return None
        data = schedule.model_dump()
        item = data[self.items][self.index]
        item[SCHEDULE_LISTS[schedule.kind][1]], item["credit_pct"] = moved
        new = type(schedule).model_validate(data)  # the schedule changed, and only it
        tiers = list(contract.tiers)
        tiers[self.tier] = tier.model_copy(update={"credits": new})
        previewed = contract.model_copy(update={"tiers": tiers})
        return None if too_many_thresholds(previewed) else previewed


def schedule_points(schedule: BandSchedule | LinearSchedule) -> list[Point]:
    """The (threshold or availability, credit) pairs of a valid band or linear schedule."""
    if isinstance(schedule, BandSchedule):
        return [(b.below, b.credit_pct) for b in schedule.bands]
    return [(p.availability_pct, p.credit_pct) for p in schedule.points]


def _kind(items: ListKey) -> str:
    return "bands" if items == "bands" else "linear"


@dataclass(frozen=True)
class RenameLabel(Edit):
    """Rename an impact label, keeping its weight and its row."""

    old: str
    new: str

    @property
    def text(self) -> str:
        return f"Rename impact label {self.old} to {self.new or 'nothing'}"

    def scope(self, data: Data) -> tuple[Part, ...]:
        return WEIGHTS.parts

    def _change(self, data: Data) -> None:
        weights = get(data, WEIGHTS)
        data["measurement"]["impact_weights"] = {
            (self.new if label == self.old else label): weight for label, weight in weights.items()
        }


@dataclass(frozen=True)
class SetCause(Edit):
    """Exclude a cause of incidents (it goes last) or count it again."""

    word: str
    excluded: bool

    @property
    def text(self) -> str:
        return f"{'Exclude' if self.excluded else 'Count'} cause {self.word}"

    def scope(self, data: Data) -> tuple[Part, ...]:
        return CAUSES.parts

    def _change(self, data: Data) -> None:
        listed = get(data, CAUSES)
        causes = [str(c) for c in listed if str(c) != self.word] if isinstance(listed, list) else []
        data["exclusions"]["causes"] = [*causes, self.word] if self.excluded else causes


@dataclass(frozen=True)
class SwitchSchedule(Edit):
    """Give a tier a credit schedule of another kind, started from the one it has (``switched``).
    ``shown`` is the kind in the words the user picked it by."""

    tier: int
    kind: str
    shown: str
    name: str = field(default="", compare=False)

    @property
    def text(self) -> str:
        return f"{self.name}: schedule of {self.shown.lower()}"

    def scope(self, data: Data) -> tuple[Part, ...]:
        return TierField(self.tier, "credits").parts

    def _change(self, data: Data) -> None:
        row = data["tiers"][self.tier]
        row["credits"] = switched(row.get("credits") or {}, self.kind, row.get("target_pct"))


def switched(credits: Mapping[str, Any], kind: str, target: Any) -> dict[str, Any]:
    """A schedule of ``kind`` to start from: bands and curve points keep each other's numbers;
    otherwise the target (99.9 if it is not a number yet) gives the first threshold. The boundary
    rule is kept where both kinds have one."""
    if credits.get("kind") == kind:
        return dict(credits)
    number = exact(target)
    threshold = Decimal("99.9") if number is None else number
    boundary = {"boundary": credits.get("boundary") or "below"}
    old = credits.get("bands") or credits.get("points") or []
    pairs = [
        (item.get("below", item.get("availability_pct")), item.get("credit_pct")) for item in old
    ]
    if kind == "bands":
        bands = [{"below": x, "credit_pct": y, "escalation": None} for x, y in pairs]
        first = {"below": as_text(threshold), "credit_pct": "10", "escalation": None}
        return {"kind": kind, **boundary, "bands": bands or [first]}
    if kind == "linear":
        points = [{"availability_pct": x, "credit_pct": y} for x, y in pairs]
        if len(points) < 2:
            low = max(threshold - 5, Decimal(0))
            points = [
                {"availability_pct": as_text(threshold), "credit_pct": "0"},
                {"availability_pct": as_text(low), "credit_pct": "100"},
            ]
        return {"kind": kind, "points": points}
    if kind == "per_hour":
        return {"kind": kind, **boundary, "credit_pct_per_hour": "5", "hours": "started"}
    return {"kind": kind, **boundary, "multiple": "10"}


# -- edits that read the document first -----------------------------------------------------------


def add_tier(data: Data, row: int) -> Append:
    """A copy of tier ``row`` (its terms are the likeliest start) under a new name, last."""
    tiers = data["tiers"]
    names = {str(t.get("name", "")).lower() for t in tiers}
    candidates = chain(["New tier"], (f"New tier {i}" for i in count(2)))
    name = next(n for n in candidates if n.lower() not in names)
    tier = dict(copy.deepcopy(tiers[min(max(row, 0), len(tiers) - 1)]), name=name)
    return Append(TIERS, tier, f"Add tier {name}")


def remove_tier(data: Data, row: int) -> Remove:
    return Remove(TierPath(row), f"Remove tier {get(data, TierField(row, 'name'), '')}")


def add_band(data: Data, where: ScheduleList) -> Append:
    """A band (or point) under the last: a point of availability lower, ten points of credit more
    (rounded as a contract would write them); 0 and 0 when the last is not numbers yet."""
    key = SCHEDULE_LISTS[_kind(where.items)][1]
    last = get(data, where)[-1]
    below, credit = exact(last.get(key)), exact(last.get("credit_pct"))
    if below is None or credit is None:
        item = {key: "0", "credit_pct": "0"}
    else:
        item = {
            key: as_text((below - 1).quantize(Decimal("0.001"))),
            "credit_pct": as_text((credit + 10).quantize(Decimal("0.1"))),
        }
    return Append(where, item, "Add band")


def remove_band(where: ScheduleList, row: int) -> Remove:
    return Remove(BandField(where.tier, row, items=where.items), f"Remove band {row + 1}")


def add_label(weights: Mapping[str, Any]) -> SetValue:
    """A new impact label weighing 0, under a name not taken."""
    candidates = chain(["new label"], (f"new label {i}" for i in count(2)))
    label = next(c for c in candidates if c not in weights)
    return SetValue(WeightPath(label), "0", f"Add impact label {label}")


def remove_label(label: str) -> Remove:
    return Remove(WeightPath(label), f"Remove impact label {label}")


def add_window(data: Data, window: Mapping[str, Any]) -> Append:
    number = len(get(data, WINDOWS) or []) + 1
    return Append(WINDOWS, dict(window), f"Add maintenance window {number}")


def remove_window(row: int) -> Remove:
    return Remove(WindowPath(row), f"Remove maintenance window {row + 1}")
