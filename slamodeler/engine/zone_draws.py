"""Availability zones in the Monte Carlo: which zones each drawn incident lands on (a process's
``zones``, docs/scenario-format.md), as a bit mask per incident over the zones the scenario
names (bit z: zone z; 0: not tied to a zone, so every zone is down while it lasts, as replay
takes an incident without a zone)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from slamodeler.domain.contract import Contract, ZoneQuorum
from slamodeler.domain.scenario import Scenario, ZoneDraw

I64 = NDArray[np.int64]


def scenario_zones(scenario: Scenario) -> list[str]:
    """Every zone the scenario's processes name, in order of first mention: bit z of a mask."""
    return list(
        dict.fromkeys(z for p in scenario.processes if p.zones is not None for z in p.zones.of)
    )


def draw_masks(rng: np.random.Generator, draw: ZoneDraw, names: list[str], n: int) -> I64:
    """For ``n`` incidents: how many zones each hits (``at_once``), then which, without repeats
    and in proportion to the shares (the smallest of exponential keys over the shares: weighted
    sampling without replacement, every incident at once)."""
    width = len(draw.of)
    at_once = np.asarray(draw.at_once, dtype=np.float64)
    count = rng.choice(len(at_once), size=n, p=at_once / at_once.sum()) + 1
    shares = np.full(width, 1.0) if draw.shares is None else np.asarray(draw.shares)
    keys = rng.exponential(size=(n, width)) / shares
    rank = np.argsort(np.argsort(keys, axis=1, kind="stable"), axis=1, kind="stable")
    bits = np.array([1 << names.index(z) for z in draw.of], dtype=np.int64)
    return np.where(rank < count[:, None], bits, 0).sum(axis=1).astype(np.int64)


def masks_for(
    masks: I64, names: list[str], rule: ZoneQuorum | None
) -> tuple[I64, NDArray[np.bool_] | None]:
    """What a tier sees of each incident's zones: the mask cut to the zones its rule lists (all
    when it lists none), and whether the incident reaches it at all: without a zone, or on a
    listed one (as ``zone_quorum.zone_reaches`` takes each of its rows); None where every
    incident does (the rule lists no zones)."""
    if rule is None or not rule.of:
        return masks, None
    listed = sum(1 << z for z, name in enumerate(names) if name in rule.of)
    cut = masks & listed
    return cut, (masks == 0) | (cut != 0)


def mask_zones(mask: int, names: list[str]) -> list[str]:
    """The zones of one mask, in the scenario's order ([""]: none, every zone down)."""
    return [name for z, name in enumerate(names) if mask >> z & 1] or [""]


def zoneless_notes(contract: Contract, scenario: Scenario) -> list[str]:
    """Tiers that count k of n zones under a scenario that draws none: every incident is then
    tied to no zone, so it takes the whole region down (replay's rule), which a user should
    know was meant."""
    if scenario_zones(scenario):
        return []
    return [
        f"tier {tier.name}: counts {tier.scope.zones.at_least} zones down, but no process of the "
        "scenario says which zones its incidents land on (zones:), so every incident takes the "
        "whole region down"
        for tier in contract.tiers
        if tier.scope.zones is not None
    ]
