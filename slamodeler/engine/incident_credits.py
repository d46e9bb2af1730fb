"""Per-incident credits (docs/measurement.md, section 7a), vectorised over incidents.

An incident's counted downtime is measured on its own: the slots it counts in (by the slot
rules) that are in service hours and in no maintenance window, times its weight (after a
threshold), within the measured range; an incident excluded for its cause counts none. It is
credited, whole, in the period where its first counted slot in service hours lies. Replay and the simulation both call ``measure`` and
``percent``, so a simulated trial replayed gives the credits the simulation counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

from slamodeler.domain.contract import Contract
from slamodeler.domain.incident_credits import IncidentCredits
from slamodeler.domain.money import scale_of
from slamodeler.engine.billing_rows import row_of_slot
from slamodeler.engine.horizon import Horizon
from slamodeler.engine.slot_rules import SlotRules
from slamodeler.engine.slots import MICRO

I64 = NDArray[np.int64]
HOUR = 60 * MICRO
_SAFE = 2**62


@dataclass(frozen=True)
class OpenSlots:
    """Counts of slots up to each slot (``[k]``: how many of slots 0..k-1): ``open``, those an
    incident's downtime counts in (in service hours and overlapped by no maintenance window);
    ``service``, those in service hours (None: the contract has none, every slot is)."""

    open: I64
    service: I64 | None


def open_slots(horizon: Horizon) -> OpenSlots:
    """The slots an incident's own downtime counts in, as a period's downtime does."""
    grid = horizon.grid
    counts = ~grid.covered(horizon.windows, np.arange(grid.n, dtype=np.int64))
    in_hours = horizon.service_mask()
    if in_hours is not None:
        counts &= in_hours
    return OpenSlots(_upto(counts), None if in_hours is None else _upto(in_hours))


def _upto(flags: NDArray[np.bool_]) -> I64:
    return np.concatenate(([0], np.cumsum(flags))).astype(np.int64)


def _first_in_hours(opened: OpenSlots, first: I64) -> I64:
    """Each incident's first slot in service hours at or after ``first`` (the last slot when
    none is: such an incident counts no downtime)."""
    service = opened.service
    if service is None:
        return first
    at = np.searchsorted(service, service[first] + 1, side="left") - 1
    return np.minimum(at, len(service) - 2).astype(np.int64)


@dataclass(frozen=True)
class Measured:
    """Per incident: counted downtime (micro-minutes), the result row it is credited in
    (``billing_rows.row_of_slot``: outside 0..rows-1 when no row bills it) and the slot that
    row is found by (its first counted slot in service hours: where a simulated claim window
    finds the claim after it, ``claim_events``)."""

    counted: I64
    period: I64
    slot: I64


def measure(
    horizon: Horizon,
    opened: OpenSlots,
    rules: SlotRules,
    slot_minutes: int,
    first: I64,
    stop: I64,
    weight: NDArray[np.integer],
    counts: NDArray[np.bool_],
) -> Measured:
    """``first``/``stop``: each incident's counted slots (``SlotRules.counted_range``);
    ``weight``: millionths; ``counts``: in scope and not excluded for its cause."""
    slots = opened.open[stop] - opened.open[first]
    weighed = rules.threshold(weight.astype(np.int64))
    counted = np.where(counts, slots * slot_minutes * weighed, 0).astype(np.int64)
    starts = _first_in_hours(opened, first)
    return Measured(counted, row_of_slot(horizon, starts), starts)


def percent(terms: IncidentCredits, counted: I64) -> tuple[I64, int]:
    """Each incident's credit, % of the period fee, as integer numerators over one denominator
    (exact for every way of counting hours)."""
    scale = scale_of(
        [
            terms.credit_pct,
            terms.credit_pct_per_hour,
            terms.max_pct_per_incident or terms.credit_pct,
        ]
    )
    flat, per_hour = int(terms.credit_pct * scale), int(terms.credit_pct_per_hour * scale)
    if terms.hours == "exact":
        den = scale * HOUR
        num = flat * HOUR + per_hour * counted
    else:
        den = scale
        hours = -(-counted // HOUR) if terms.hours == "started" else counted // HOUR
        num = flat + per_hour * hours
    if terms.max_pct_per_incident is not None:
        num = np.minimum(num, int(terms.max_pct_per_incident * den))
    earns = counted > terms.longer_than_minutes * MICRO
    out = np.where(earns, num, 0).astype(np.int64)
    if out.size and int(out.max()) >= _SAFE // max(len(out), 1):
        raise OverflowError("per-incident credits too large to sum exactly")
    return out, den


def by_period(
    terms: IncidentCredits,
    found: Measured,
    names: list[str],
    periods: int,
    horizon: Horizon,
    counted_as: str = "",
    unbilled: list[str] | None = None,
) -> tuple[list[Fraction], list[str]]:
    """Replay's credits per period (% of its fee) and their explanation naming each incident
    that earned one (and what the ``horizon``'s rules leave out of its minutes, after
    ``counted_as``: which of its minutes count, when not all of them do). Rows of an
    export that share an incident's id are one incident: its longest row counts, in the period
    of its earliest row with counted downtime. ``unbilled`` is filled with the incidents that
    earn a credit after the last row (a claim window's, when no claim in the range follows
    them), which no row can take."""
    unbilled = [] if unbilled is None else unbilled
    longest: dict[str, tuple[int, int]] = {}
    for name, counted, period in zip(
        names, found.counted.tolist(), found.period.tolist(), strict=True
    ):
        if not counted:
            continue  # excluded, or weighing nothing: no part of the incident
        had = longest.get(name)
        longest[name] = (
            (counted, period) if had is None else (max(had[0], counted), min(had[1], period))
        )
    counted = np.array([c for c, _ in longest.values()], dtype=np.int64)
    num, den = percent(terms, counted)
    totals = [Fraction(0)] * periods
    said: list[list[str]] = [[] for _ in range(periods)]
    unbilled.clear()
    for (name, (minutes, period)), credit in zip(longest.items(), num.tolist(), strict=True):
        if credit and 0 <= period < periods:
            totals[period] += Fraction(credit, den)
            said[period].append(
                f"{name} {_minutes(minutes)} min -> {_percent(Fraction(credit, den))}%"
            )
        elif credit and period >= periods:
            unbilled.append(name)
    where = counted_as + _measured_words(horizon)
    return totals, [_explained(terms, s, where) for s in said]


def _measured_words(horizon: Horizon) -> str:
    """What an incident's minutes leave out that the period's downtime may not: the hours out
    of service, and maintenance past the allowance (downtime for availability, not an
    incident)."""
    words = ", minutes in service hours" if horizon.service is not None else ""
    if horizon.allowance_micro is not None:
        words += ", maintenance past the allowance not counted"
    return words


def _explained(terms: IncidentCredits, earned: list[str], where: str) -> str:
    if not earned:
        return ""
    return f"per-incident credits ({describe(terms)}{where}): " + "; ".join(earned)


def describe(terms: IncidentCredits) -> str:
    """The clause in words, as the period's explanation and the docs give it."""
    parts = []
    if terms.credit_pct:
        parts.append(f"{terms.credit_pct.normalize():f}% each")
    if terms.credit_pct_per_hour:
        parts.append(f"{terms.credit_pct_per_hour.normalize():f}% per {terms.hours} hour")
    text = " + ".join(parts) + f", incidents longer than {terms.longer_than_minutes} min"
    if terms.max_pct_per_incident is not None:
        text += f", at most {terms.max_pct_per_incident.normalize():f}% each"
    return text


def _minutes(micro: int) -> str:
    return f"{Decimal(micro).scaleb(-6).normalize():f}"


def _percent(value: Fraction) -> str:
    return f"{float(value):g}" if value.denominator != 1 else str(value.numerator)


def credited(terms: IncidentCredits, found: Measured, row: I64, shape: tuple[int, int]) -> I64:
    """Per row and period (``shape``), the sum of the numerators of the credits of the
    incidents ``found`` (each on its ``row``)."""
    num, _ = percent(terms, found.counted)
    billed = (found.period >= 0) & (found.period < shape[1])  # else no row bills it
    key = row[billed] * shape[1] + found.period[billed]
    weights = num[billed].astype(np.float64)
    summed = np.bincount(key, weights=weights, minlength=shape[0] * shape[1])
    if summed.size and summed.max() >= 2**52:
        raise OverflowError("per-incident credits too large to sum exactly")
    return np.rint(summed).astype(np.int64).reshape(shape)


def changed(old: Contract, new: Contract) -> str:
    """The tier whose per-incident credits differ ("" when none does): re-pricing keeps the
    measurement, and these credits are measured per incident. Tiers added or removed are a
    change of measurement (``measurement_terms``), not of these credits."""
    for i, (a, b) in enumerate(zip(old.tiers, new.tiers, strict=False)):
        if a.incident_credits != b.incident_credits:
            return f"the new terms change per-incident credits (tiers[{i}].incident_credits)"
    return ""
