"""What each incident of a replay counted for: the rows of the workbook's Incidents sheet.

Replay attributes every weighted minute of every period to one incident (the worst one in its
slot) and says why excused minutes were excused. Here those shares are added up per incident, for
each group of tiers that share a scope (they see the same incidents and measure them the same
way), and an incident that got no minute at all is given the reason why.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from slamodeler.domain.contract import Contract, Scope, Tier
from slamodeler.domain.incidents import Incident
from slamodeler.domain.results import IncidentShare, PeriodResult, ReplayResult, TierReplay

EXCEL_EPOCH_DAYS = 25_569  # 1970-01-01 as an Excel serial date


@dataclass
class _Sum:
    counted: Decimal = Decimal(0)
    below: Decimal = Decimal(0)
    excluded: Decimal = Decimal(0)
    reasons: set[str] = field(default_factory=set)
    periods: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class IncidentRow:
    incident: Incident
    tiers: str
    periods: str
    counted: float | None
    below_minimum: float | None
    excluded: float | None
    reasons: str
    status: str

    def cells(self, zone: ZoneInfo) -> list[object]:
        """The row as the Incidents sheet's columns hold it: times as Excel serials of the local
        time in ``zone``, the impact as text (a weight without trailing zeros)."""
        inc = self.incident
        impact = inc.impact if isinstance(inc.impact, str) else f"{inc.impact.normalize():f}"
        return [
            inc.row,
            inc.id,
            excel_time(inc.start, zone),
            excel_time(inc.end, zone),
            (inc.end - inc.start) / 60,
            impact,
            inc.cause,
            inc.service,
            inc.region,
            inc.title,
            self.tiers,
            self.periods,
            self.counted,
            self.below_minimum,
            self.excluded,
            self.reasons,
            self.status,
        ]


def excel_time(epoch: int, zone: ZoneInfo) -> float:
    """An Excel serial date-time for the local wall time of ``epoch`` in ``zone``."""
    offset = datetime.fromtimestamp(epoch, zone).utcoffset()
    seconds = epoch + (int(offset.total_seconds()) if offset else 0)
    return EXCEL_EPOCH_DAYS + seconds / 86_400


def _reaches(scope: Scope, incident: Incident) -> bool:
    """The scope rule of replay (docs/measurement.md, section 2)."""
    for value, allowed in ((incident.service, scope.services), (incident.region, scope.regions)):
        name = value.strip().lower()
        if allowed and name and name not in {a.strip().lower() for a in allowed}:
            return False
    return True


def _weight(contract: Contract, incident: Incident) -> Decimal | None:
    if isinstance(incident.impact, str):
        return contract.measurement.impact_weights.get(incident.impact.strip().lower())
    return incident.impact


def scope_of(tier: Tier) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Tiers with the same scope see the same incidents and measure them the same way."""
    return (
        tuple(sorted({s.strip().lower() for s in tier.scope.services})),
        tuple(sorted({r.strip().lower() for r in tier.scope.regions})),
    )


class Shares:
    """Each period's incident shares, built once per scope and period (building them is the
    slow part of a large export, and tiers alike in scope have the same)."""

    def __init__(self, contract: Contract):
        self.contract = contract
        self.found: dict[tuple, tuple[IncidentShare, ...]] = {}

    def of(self, tier: str, period: PeriodResult) -> tuple[IncidentShare, ...]:
        key = (scope_of(self.contract.tier(tier)), period.period)
        if key not in self.found:
            self.found[key] = period.incidents
        return self.found[key]


def _group_tiers(contract: Contract, result: ReplayResult) -> list[tuple[Tier, list[TierReplay]]]:
    """Replayed tiers grouped by scope; a group's first tier stands for all of them."""
    groups: dict[tuple, tuple[Tier, list[TierReplay]]] = {}
    for tier_result in result.tiers:
        tier = contract.tier(tier_result.tier)
        groups.setdefault(scope_of(tier), (tier, []))[1].append(tier_result)
    return list(groups.values())


def incident_rows(
    contract: Contract,
    incidents: Sequence[Incident],
    result: ReplayResult,
    span: tuple[int, int],
    shares: Shares | None = None,
) -> Iterator[IncidentRow]:
    """One row per incident and group of tiers it reaches, in the order of the incident file;
    one row for an incident that reaches no replayed tier. ``span``: the replayed periods' UTC
    [start, end) in epoch seconds."""
    index: dict[tuple[str, int], int] = {}
    for k, incident in enumerate(incidents):
        index.setdefault((incident.id, incident.row), k)
    groups = _group_tiers(contract, result)
    shares = shares or Shares(contract)
    sums: list[dict[int, _Sum]] = []
    for _, members in groups:
        found: dict[int, _Sum] = {}
        for period in members[0].periods:
            for share in shares.of(members[0].tier, period):
                at = index.get((share.id, share.row))
                if at is None:
                    continue
                s = found.get(at)
                if s is None:
                    s = found[at] = _Sum()
                s.counted += share.counted_minutes
                s.below += share.below_minimum_minutes
                s.excluded += share.excluded_minutes
                if share.excluded_reason:
                    s.reasons.update(share.excluded_reason.split("; "))
                if not s.periods or s.periods[-1] != period.period:
                    s.periods.append(period.period)
        sums.append(found)
    names = [", ".join(t.tier for t in members) for _, members in groups]
    for k, incident in enumerate(incidents):
        reached = False
        for (tier, _), found, tiers in zip(groups, sums, names, strict=True):
            if not _reaches(tier.scope, incident):
                continue
            reached = True
            s = found.get(k)
            if s is None:
                yield IncidentRow(
                    incident, tiers, "", None, None, None, "", _no_effect(contract, incident, span)
                )
                continue
            yield IncidentRow(
                incident,
                tiers,
                "; ".join(s.periods),
                float(s.counted),
                float(s.below),
                float(s.excluded),
                "; ".join(sorted(s.reasons)),
                _status(s),
            )
        if not reached:
            yield IncidentRow(
                incident, "", "", None, None, None, "", "outside the scope of every tier"
            )


def _status(s: _Sum) -> str:
    if s.counted:
        return "counted" if not (s.excluded or s.below) else "counted in part"
    if s.excluded and s.below:
        return "excluded, rest below the minimum downtime"
    if s.excluded:
        return "excluded"
    return "below the minimum downtime"


def _no_effect(contract: Contract, incident: Incident, span: tuple[int, int]) -> str:
    if incident.end <= incident.start:
        return "no effect: zero length"
    if incident.end <= span[0] or incident.start >= span[1]:
        return "outside the replayed periods"
    if _weight(contract, incident) == 0:
        return "no effect: impact weight 0"
    return "no effect: overlapped by an incident of equal or worse impact"
