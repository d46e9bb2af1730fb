"""The contract's slot rules (docs/measurement.md, section 4), shared by replay and simulation:
which slots an incident counts in, how the weights in a slot combine, and threshold minutes.

Each incident is judged on its own: the slots it counts in are always one run [first, stop), so
both the per-slot replay and the per-interval simulation only see different ranges.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

from slamodeler.domain.contract import Measurement
from slamodeler.engine.slots import MICRO, SlotGrid

I64 = NDArray[np.int64]
Weights = TypeVar("Weights", NDArray[np.int32], NDArray[np.int64])

_COUNTING_TEXT = {"whole": "whole slots only", "more_than_half": "slots covered more than half"}


@dataclass(frozen=True)
class SlotRules:
    """How a slot's incidents make it down (docs/measurement.md, section 4), in the engine's
    integers."""

    counting: str = "any"
    overlaps: str = "worst"
    down_above_micro: int | None = None  # threshold in millionths of weight

    @classmethod
    def of(cls, measurement: Measurement) -> SlotRules:
        above = measurement.down_above
        return cls(
            measurement.slot_counting,
            measurement.overlaps,
            None if above is None else int((above * MICRO).to_integral_value()),
        )

    @property
    def adds(self) -> bool:
        return self.overlaps == "add"

    def describe(self) -> str:
        """The rules that differ from the usual ones, in words, for a period's explanation
        ("" when every rule is the usual one)."""
        parts = []
        if self.counting in _COUNTING_TEXT:
            parts.append(_COUNTING_TEXT[self.counting])
        if self.adds:
            parts.append("overlapping incidents added (at most 1)")
        if self.down_above_micro is not None:
            above = f"{self.down_above_micro / MICRO:g}"
            parts.append(f"a slot weighing more than {above} is down in full, else not at all")
        return "; ".join(parts)

    def counted_range(self, grid: SlotGrid, start: I64, end: I64) -> tuple[I64, I64]:
        """First slot an incident counts in and one past the last, clipped to the grid. With
        ``any`` that is every slot it touches; otherwise the edge slots of that run are dropped
        when the incident covers too little of them (the slots inside are covered whole)."""
        if self.counting == "any":
            return grid.index_range(start, end)
        size = grid.slot_seconds
        rel_start, rel_end = start - grid.origin, end - grid.origin
        first = np.floor_divide(rel_start, size)
        stop = -np.floor_divide(-rel_end, size)
        whole = self.counting == "whole"

        def enough(slot: I64) -> NDArray[np.bool_]:
            cover = np.minimum(rel_end, (slot + 1) * size) - np.maximum(rel_start, slot * size)
            return cover >= size if whole else 2 * cover > size

        first = np.where(enough(first), first, first + 1)
        stop = np.where(enough(stop - 1), stop, stop - 1)
        first = np.clip(first, 0, grid.n)
        stop = np.clip(stop, 0, grid.n)
        stop = np.where(end > start, np.maximum(stop, first), first)
        return first, stop

    def threshold(self, weight: Weights) -> Weights:
        """Threshold minutes: every slot weight becomes 1 (above the threshold) or 0."""
        if self.down_above_micro is None:
            return weight
        return np.where(weight > self.down_above_micro, MICRO, 0).astype(weight.dtype)


USUAL = SlotRules()
