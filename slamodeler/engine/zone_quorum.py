"""k of n zones: a region is down only in the slots where at least k distinct zones are
(docs/measurement.md, section 4, "Zones").

The EC2 region-level SLA calls a region unavailable when two or more Availability Zones are; it
knows no partial unavailability, so a down slot weighs 1 whatever the impacts of the incidents
that made it, and a slot with fewer than k zones down weighs 0. A zone is down in a slot when an
incident on it with a positive weight touches the slot; an incident without a zone was not tied to
one, so every zone is down while it lasts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from slamodeler.domain.contract import Tier, ZoneQuorum
from slamodeler.domain.incident_columns import Coded

MICRO = 1_000_000  # a full weight in millionths, as slots.MICRO
EVERY_ZONE = -1  # the zone number of an incident without a zone
EVERY_ZONE_LABEL = "(every zone)"
I64 = NDArray[np.int64]
I32 = NDArray[np.int32]
ZoneKey = tuple[int, tuple[str, ...]] | None


@dataclass(frozen=True)
class ZoneCount:
    """Per incident of a tier, its zone's number (``EVERY_ZONE``: none given), and the k."""

    zone: I32
    at_least: int
    names: tuple[str, ...]  # zone number -> name


def zone_key(tier: Tier) -> ZoneKey:
    """Tiers with the same key count zones the same way (None: they do not count zones)."""
    rule = tier.scope.zones
    return None if rule is None else (rule.at_least, tuple(sorted(rule.of)))


def zone_reaches(rule: ZoneQuorum | None, zone: str) -> bool:
    """An incident reaches a k-of-n scope when its zone is listed, or none is, or it has none."""
    z = zone.strip().lower()
    return rule is None or not rule.of or not z or z in rule.of


def zone_numbers(zones: Coded, order: Iterable[tuple[int, int]]) -> tuple[I32, tuple[str, ...]]:
    """Each incident's zone as a number into the names returned (``EVERY_ZONE`` for none),
    numbered in the order the incidents first name them: ``order`` gives the table's entries
    (code, first incident) in that order."""
    index: dict[str, int] = {}
    number_of = np.full(len(zones.values), EVERY_ZONE, dtype=np.int32)
    for code, _ in order:
        if zone := zones.values[code].strip().lower():
            number_of[code] = index.setdefault(zone, len(index))
    return number_of[zones.codes], tuple(index)


def zones_down(
    n: int,
    first: I64,
    stop: I64,
    start: I64,
    ids: I32,
    zone: I32,
    at_least: int,
    prefer: NDArray[np.bool_],
    owners: bool,
) -> tuple[I32, I32]:
    """Weight (``MICRO`` or 0) of each of ``n`` slots under the k-of-n rule, over the incidents
    given (already those with a positive weight), and which of them owns each down slot (-1
    elsewhere; not computed unless ``owners``): the earliest to start among the ``prefer``red
    ones (an exclusion's), else among all, so that what an exclusion excuses carries its cause."""
    down_count = np.zeros(n, dtype=np.int32)
    everywhere = np.zeros(n, dtype=bool)
    for z in np.unique(zone).tolist():
        mine = np.flatnonzero(zone == z)
        covered = everywhere if z == EVERY_ZONE else np.zeros(n, dtype=bool)
        for lo, hi in zip(first[mine].tolist(), stop[mine].tolist(), strict=True):
            covered[lo:hi] = True
        if z != EVERY_ZONE:
            down_count += covered
    down = everywhere | (down_count >= at_least)
    weight = np.where(down, MICRO, 0).astype(np.int32)
    if not owners:
        return weight, np.full(1, -1, dtype=np.int32)
    owner = np.full(n, -1, dtype=np.int32)
    # Preferred last, latest start first: later writes win, so the earliest incident is what
    # remains, a preferred one wherever there is one.
    for k in np.lexsort((-ids, -start, prefer)).tolist():
        owner[first[k] : stop[k]] = ids[k]
    return weight, np.where(down, owner, -1).astype(np.int32)


def quorum_down(
    members: NDArray[np.bool_] | None, bits: I64, sign: I64, last: I64, at_least: int
) -> I64:
    """``zones_down`` over many histories' events in time order (interval_measure.py): after each
    edge, ``MICRO`` where an incident of ``members`` (None: every one) without a zone (``bits``
    0) is running, or ones on at least ``at_least`` distinct zones (bit z: zone z), else 0."""
    running = sign if members is None else np.where(members, sign, 0)

    def covered(on: NDArray[np.bool_]) -> NDArray[np.bool_]:
        out: NDArray[np.bool_] = np.cumsum(np.where(on, running, 0))[last] > 0
        return out

    down_count = np.zeros(len(last), dtype=np.int64)
    for z in range(int(bits.max()).bit_length()):
        down_count += covered((bits >> z) & 1 == 1)
    down = covered(bits == 0) | (down_count >= at_least)
    return np.where(down, MICRO, 0).astype(np.int64)


def down_zone_minutes(
    slots: I64,
    counted: I64,
    first: I64,
    stop: I64,
    zone: I32,
    names: tuple[str, ...],
    period_of: I64,
    periods: int,
) -> list[dict[str, int]]:
    """Per period, each zone that was down in a slot that counted as downtime, with the counted
    micro-minutes of those slots: which zones made the region unavailable. The incidents given
    are those that can count (positive weight, cause not excluded)."""
    out: list[dict[str, int]] = [{} for _ in range(periods)]
    counted_at = np.flatnonzero(counted > 0)
    if not counted_at.size:
        return out
    for z in np.unique(zone).tolist():
        mine = np.flatnonzero(zone == z)
        bounds = sorted(zip(first[mine].tolist(), stop[mine].tolist(), strict=True))
        los = np.array([b[0] for b in bounds], dtype=np.int64)
        reach = np.maximum.accumulate(np.array([b[1] for b in bounds], dtype=np.int64))
        at = slots[counted_at]
        i = np.searchsorted(los, at, side="right") - 1
        hit = counted_at[(i >= 0) & (at < reach[np.maximum(i, 0)])]
        label = EVERY_ZONE_LABEL if z == EVERY_ZONE else names[z]
        sums = np.bincount(period_of[hit], weights=counted[hit], minlength=periods)
        for p in np.flatnonzero(sums).tolist():
            out[p][label] = int(np.rint(sums[p]))
    return out


def zoneless_note(tier: Tier, zones: I32) -> str | None:
    """When a k-of-n tier sees incidents (their zone numbers given) none of which names a zone:
    each then takes every zone down, which a user should know; None otherwise."""
    rule = tier.scope.zones
    if rule is None or not len(zones) or (zones != EVERY_ZONE).any():
        return None
    return (
        f"tier {tier.name}: counts {rule.at_least} zones down, but no incident it sees names a "
        "zone, so each takes every zone down; give the incidents a zone column (a workspace set "
        "imported before zones were kept has none: import its file again)"
    )
