"""A dispute: our incident record against a customer's claim, replayed on the same contract.

Both sets are replayed by the same rules; what this module adds is which incident of one set is
which of the other, and, per tier and period where the two replays disagree, the minutes each
counted, the credit at stake and the incidents that explain the difference.

Matching rule (docs/user-guide.md, "Answer a customer's claim"):

1. Incidents that carry an id (not the ``row N`` a file without an id column gives) are paired
   with the incident of the other set that has the same id.
2. What is left on either side is paired by overlap: the two incidents that overlap in time the
   longest (ties: the earlier start, then the file order), on the same service and region where
   both name one, until no unpaired incidents overlap. Incidents posted with no duration pair
   when both are at the same instant.
3. A pair differs when its start, end, impact, cause, service or region differ; an incident left
   unpaired is only in its own set.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from slamodeler.domain.incidents import Incident
from slamodeler.domain.results import IncidentShare, PeriodResult, ReplayResult

COMPARED = ("start", "end", "impact", "cause", "service", "region")


def has_id(x: Incident) -> bool:
    """Whether the file gave the incident an id (import names an id-less row ``row N``)."""
    return x.id != f"row {x.row}"


@dataclass(frozen=True)
class IncidentPair:
    """One incident as each set records it (None: not in that set)."""

    ours: Incident | None
    theirs: Incident | None
    matched_by: str = ""  # "id", "overlap", or "" when one side is missing
    differences: tuple[str, ...] = ()  # the fields of COMPARED that differ

    @property
    def kind(self) -> str:
        if self.theirs is None:
            return "only ours"
        if self.ours is None:
            return "only theirs"
        return "differs" if self.differences else "same"

    @property
    def label(self) -> str:
        """The incident's name in a report: its id, or both when the two sets name it apart."""
        names = [x.describe for x in (self.ours, self.theirs) if x is not None]
        return names[0] if len(set(names)) == 1 else " / ".join(names)

    @property
    def why(self) -> str:
        """What is disputed about the incident, in words."""
        if self.kind != "differs":
            return self.kind
        return f"differs in {', '.join(self.differences)} (matched by {self.matched_by})"


def _differences(a: Incident, b: Incident) -> tuple[str, ...]:
    return tuple(f for f in COMPARED if getattr(a, f) != getattr(b, f))


def _same_scope(a: Incident, b: Incident) -> bool:
    return all(
        not getattr(a, f) or not getattr(b, f) or getattr(a, f) == getattr(b, f)
        for f in ("service", "region")
    )


def match_incidents(
    ours: Sequence[Incident], theirs: Sequence[Incident]
) -> tuple[IncidentPair, ...]:
    """Pair the two sets by the module's rule; the pairs in the order of their first start."""
    pairs: list[IncidentPair] = []
    left_ours, left_theirs = list(ours), list(theirs)
    by_id: dict[str, list[Incident]] = {}
    for x in theirs:
        if has_id(x):
            by_id.setdefault(x.id, []).append(x)
    for a in ours:
        same = by_id.get(a.id) if has_id(a) else None
        if same:
            b = same.pop(0)
            pairs.append(IncidentPair(a, b, "id", _differences(a, b)))
            left_ours.remove(a)
            left_theirs.remove(b)
    overlaps = sorted(_overlaps(left_ours, left_theirs))
    used_ours: set[int] = set()
    used_theirs: set[int] = set()
    for _, _, i, j in overlaps:
        if i in used_ours or j in used_theirs:
            continue
        used_ours.add(i)
        used_theirs.add(j)
        a, b = left_ours[i], left_theirs[j]
        pairs.append(IncidentPair(a, b, "overlap", _differences(a, b)))
    pairs += [IncidentPair(a, None) for i, a in enumerate(left_ours) if i not in used_ours]
    pairs += [IncidentPair(None, b) for j, b in enumerate(left_theirs) if j not in used_theirs]
    return tuple(sorted(pairs, key=_first_start))


def _overlaps(
    ours: Sequence[Incident], theirs: Sequence[Incident]
) -> Iterator[tuple[int, int, int, int]]:
    """(-overlap, earlier start, i, j) for each overlapping pair on the same scope: a sweep over
    ``theirs`` by start, looking back only as far as their longest incident."""
    order = sorted(range(len(theirs)), key=lambda j: theirs[j].start)
    starts = [theirs[j].start for j in order]
    longest = max((b.end - b.start for b in theirs), default=0)
    for i, a in enumerate(ours):
        for k in range(bisect_left(starts, a.start - longest), bisect_right(starts, a.end)):
            j = order[k]
            b = theirs[j]
            overlap = min(a.end, b.end) - max(a.start, b.start)
            same_instant = a.start == a.end == b.start == b.end  # posted with no duration
            if (overlap > 0 or same_instant) and _same_scope(a, b):
                yield -overlap, min(a.start, b.start), i, j


def _first_start(p: IncidentPair) -> tuple[int, int]:
    starts = [x.start for x in (p.ours, p.theirs) if x is not None]
    rows = [x.row for x in (p.ours, p.theirs) if x is not None]
    return min(starts), rows[0]


@dataclass(frozen=True)
class Explaining:
    """A disputed incident in one period: the minutes each replay counted for it (None: the
    incident is not in that set, or did not reach the period in it)."""

    pair: IncidentPair
    ours_minutes: Decimal | None
    theirs_minutes: Decimal | None


@dataclass(frozen=True)
class PeriodDispute:
    """One tier's period where the two replays disagree; amounts per customer."""

    tier: str
    period: str
    ours: PeriodResult
    theirs: PeriodResult
    explaining: tuple[Explaining, ...]

    @property
    def ours_minutes(self) -> Decimal:
        return self.ours.downtime_minutes

    @property
    def theirs_minutes(self) -> Decimal:
        return self.theirs.downtime_minutes

    @property
    def difference(self) -> Decimal:
        """Minutes the claim counts beyond ours (negative: fewer)."""
        return self.theirs_minutes - self.ours_minutes

    @property
    def ours_credit(self) -> Decimal:
        return self.ours.credit_after_caps

    @property
    def theirs_credit(self) -> Decimal:
        return self.theirs.credit_after_caps

    @property
    def at_stake(self) -> Decimal:
        """The credit the claim asks beyond ours, per customer (negative: less)."""
        return self.theirs_credit - self.ours_credit

    @property
    def availability(self) -> tuple[Fraction, Fraction]:
        return self.ours.availability_pct, self.theirs.availability_pct


@dataclass(frozen=True)
class Dispute:
    ours: ReplayResult
    theirs: ReplayResult
    pairs: tuple[IncidentPair, ...]
    periods: tuple[PeriodDispute, ...]  # only where the replays disagree, tier by tier

    @property
    def disputed(self) -> tuple[IncidentPair, ...]:
        """Every pair the two sets do not record alike."""
        return tuple(p for p in self.pairs if p.kind != "same")

    def at_stake(self, tier: str) -> Decimal:
        return sum((p.at_stake for p in self.periods if p.tier == tier), Decimal(0))


def _share_minutes(shares: Sequence[IncidentShare]) -> dict[tuple[str, int], Decimal]:
    return {(s.id, s.row): s.counted_minutes for s in shares}


def _minutes(x: Incident | None, counted: dict[tuple[str, int], Decimal]) -> Decimal | None:
    return None if x is None else counted.get((x.id, x.row))


def reconcile(ours: ReplayResult, theirs: ReplayResult, pairs: Sequence[IncidentPair]) -> Dispute:
    """Per tier and period of the two replays (of the same contract over the same periods), the
    periods where the downtime, the credit or an incident's counted minutes differ."""
    disputed = [p for p in pairs if p.kind != "same"]
    theirs_tiers = {t.tier: t for t in theirs.tiers}
    found: list[PeriodDispute] = []
    for tier in ours.tiers:
        other = {p.period: p for p in theirs_tiers[tier.tier].periods}
        for p in tier.periods:
            q = other[p.period]
            mine, claimed = _share_minutes(p.incidents), _share_minutes(q.incidents)
            explaining = tuple(
                e
                for e in (
                    Explaining(d, _minutes(d.ours, mine), _minutes(d.theirs, claimed))
                    for d in disputed
                )
                if e.ours_minutes is not None or e.theirs_minutes is not None
            )
            if (
                p.downtime_minutes != q.downtime_minutes
                or p.credit_after_caps != q.credit_after_caps
                or any((e.ours_minutes or 0) != (e.theirs_minutes or 0) for e in explaining)
            ):
                found.append(PeriodDispute(tier.tier, p.period, p, q, explaining))
    return Dispute(ours, theirs, tuple(pairs), tuple(found))
