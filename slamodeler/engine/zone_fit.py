"""Which availability zones a history's incidents hit, fitted into a scenario process's
``zones`` (docs/fitting.md): how many zones an incident hits at once (its rows sharing an id,
one per zone) and each zone's share of the hits."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from slamodeler.domain.incidents import Incident
from slamodeler.domain.scenario import ZoneDraw


@dataclass(frozen=True)
class ZoneFit:
    hits: dict[str, int]  # incidents that hit each zone, by zone name
    at_once: tuple[int, ...]  # incidents that hit 1 zone, 2 zones, ...
    zoneless: int  # incidents tied to no zone (a row without one): the whole region

    def to_dict(self) -> dict[str, object]:
        return {"hits": self.hits, "at_once": list(self.at_once), "zoneless": self.zoneless}


def fit_zones(incidents: Sequence[Incident], groups: list[list[int]]) -> ZoneFit | None:
    """``groups``: the rows of each incident. None when no row names a zone."""
    hits: Counter[str] = Counter()
    sizes: Counter[int] = Counter()
    zoneless = 0
    for group in groups:
        zones = [incidents[i].zone.strip().lower() for i in group]
        if not all(zones):
            zoneless += 1
            continue
        hits.update(set(zones))
        sizes[len(set(zones))] += 1
    if not hits:
        return None
    return ZoneFit(
        dict(sorted(hits.items())),
        tuple(sizes[m] for m in range(1, max(sizes) + 1)),
        zoneless,
    )


def _shares(counts: Sequence[int]) -> list[float]:
    """Shares of 6 decimals that add up to 1 (the last takes the rounding)."""
    total = sum(counts)
    shares = [round(n / total, 6) for n in counts]
    shares[-1] = round(1 - sum(shares[:-1]), 9)
    return shares


def fitted_zones(fit: ZoneFit) -> ZoneDraw:
    """The zones as a process draws them: every zone seen, in proportion to its hits."""
    return ZoneDraw(
        of=list(fit.hits), shares=_shares(list(fit.hits.values())), at_once=_shares(fit.at_once)
    )


def zone_note(fit: ZoneFit | None) -> list[str]:
    """What the scenario cannot say of the zones seen: incidents tied to no zone."""
    if fit is None or not fit.zoneless:
        return []
    return [
        f"{fit.zoneless} incident(s) name no zone (the whole region in a replay), but the "
        "scenario draws a zone for every incident; add a process without zones for them"
    ]
