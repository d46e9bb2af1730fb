"""Support credits in replay (docs/measurement.md, section 12): each ticket's response time on
the support clock, the misses of each period, and their credit as a % of the period fee, which
replay adds to the period's availability credit before the tier's caps.

A ticket counts in the period it was opened in. A ticket with no first response is a miss when
its target has passed by the end of the replay; before that it is still in time and not counted.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from datetime import datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

from slamodeler.domain.contract import WEEKDAYS, Contract, ServiceHours, Tier
from slamodeler.domain.support import ResponseTarget, SupportMiss, SupportPeriod, Ticket
from slamodeler.engine.fees import credited_fee
from slamodeler.engine.periods import Period
from slamodeler.engine.service_hours import local_instant


def service_seconds(hours: ServiceHours, zone: ZoneInfo, start: int, end: int) -> int:
    """Seconds of [start, end) inside service hours (laid out day by day in local time)."""
    days = {WEEKDAYS.index(d) for d in hours.days}
    day = datetime.fromtimestamp(start, zone).date() - timedelta(days=1)
    last = datetime.fromtimestamp(end, zone).date()
    total = 0
    while day <= last:
        if day.weekday() in days and day not in hours.holidays:
            begin = local_instant(day, hours.start_minute, zone)
            finish = local_instant(day, hours.end_minute, zone)
            total += max(0, min(end, finish) - max(start, begin))
        day += timedelta(days=1)
    return total


def response_seconds(contract: Contract, tier: Tier, start: int, end: int) -> int:
    """Seconds of [start, end) on the tier's support clock."""
    support, hours = tier.support, contract.measurement.service_hours
    if support is not None and support.clock == "service_hours" and hours is not None:
        return service_seconds(hours, ZoneInfo(contract.timezone), start, end)
    return end - start


def miss_credit_percent(target: ResponseTarget, fee: Fraction) -> Fraction:
    """One miss's credit as a % of the period fee ``fee`` (validation keeps it above 0 for an
    amount)."""
    if target.credit_pct is not None:
        return Fraction(target.credit_pct)
    assert target.credit_amount is not None
    return Fraction(target.credit_amount) / fee * 100


def is_late(target: ResponseTarget, answered: int | None, taken: int) -> bool | None:
    """Whether a ticket that took ``taken`` seconds on the support clock (to its first response,
    or to the end of what is known when ``answered`` is None) missed its target; None: not
    answered and still in time, neither late nor in time."""
    if taken > target.respond_within_minutes * 60:
        return True
    return None if answered is None else False


def support_percent(period: SupportPeriod | None) -> Fraction:
    """A period's support credit, % of its fee (0 without support targets)."""
    return Fraction(0) if period is None else period.credit_pct


def support_periods(
    contract: Contract, tier: Tier, periods: Sequence[Period], tickets: Sequence[Ticket]
) -> list[SupportPeriod | None]:
    """Per period, the tier's support misses and credit; all None when the tier has no support
    targets. Tickets opened outside the periods, or of a priority without a target, do not
    count (``ticket_notes`` says so)."""
    support = tier.support
    if support is None or not periods:
        return [None] * len(periods)
    starts = [p.start for p in periods]
    replay_end = periods[-1].end
    misses: list[list[SupportMiss]] = [[] for _ in periods]
    counted = [0] * len(periods)
    for ticket in sorted(tickets, key=lambda t: (t.opened, t.row)):
        target = support.target(ticket.priority)
        i = bisect.bisect_right(starts, ticket.opened) - 1
        if target is None or i < 0 or ticket.opened >= replay_end:
            continue
        answered = ticket.first_response
        stop = replay_end if answered is None else answered
        taken = response_seconds(contract, tier, ticket.opened, stop)
        late = is_late(target, answered, taken)
        if late is None:
            continue  # still in time at the end of the replay
        counted[i] += 1
        if late:
            fee = credited_fee(tier, periods[i])  # what the credit % is taken of
            minutes = None if answered is None else Fraction(taken, 60)
            percent = miss_credit_percent(target, fee)
            misses[i].append(SupportMiss(ticket, target.respond_within_minutes, minutes, percent))
    return [
        _period(support.targets, found, counted[i])
        for i, (p, found) in enumerate(zip(periods, misses, strict=True))
    ]


def _period(
    targets: Sequence[ResponseTarget], misses: list[SupportMiss], tickets: int
) -> SupportPeriod:
    total = Fraction(0)
    capped: dict[str, Fraction] = {}
    for target in targets:
        owed = sum(
            (m.credit_pct for m in misses if m.ticket.priority == target.priority), Fraction(0)
        )
        cap = target.max_pct_per_period
        allowed = owed if cap is None else min(owed, Fraction(cap))
        capped[target.priority] = owed - allowed
        total += allowed
    return SupportPeriod(tuple(misses), total, capped, tickets)


def ticket_notes(
    contract: Contract, periods: Sequence[Period], tickets: Sequence[Ticket]
) -> list[str]:
    """What replay says of tickets that counted nowhere: outside the replayed periods, or of a
    priority no tier with support targets names."""
    supported = [t for t in contract.tiers if t.support is not None]
    if not tickets:
        return []
    if not supported:
        return [f"{len(tickets)} ticket(s) given, but no tier has support targets: not counted"]
    out = []
    start, end = (periods[0].start, periods[-1].end) if periods else (0, 0)  # 0: no claim
    outside = [t for t in tickets if not start <= t.opened < end]
    if outside:
        window = contract.measurement.window
        claims = window is not None and window.kind == "claim"
        where = "after the last claim" if claims else "outside the replayed periods"
        out.append(
            f"{len(outside)} ticket(s) opened {where}: not counted "
            f"(first: {outside[0].describe}); widen --from/--to to count them"
        )
    named = {g.priority for t in supported if t.support for g in t.support.targets}
    unknown = sorted({t.priority for t in tickets} - named)
    if unknown:
        shown = ", ".join(repr(p) for p in unknown)
        out.append(
            f"ticket priorities without a response target: {shown}; not counted (map them with "
            "priority_labels in a ticket mapping if they mean a priority the contract names)"
        )
    return out


def support_not_simulated(contract: Contract) -> list[str]:
    """What a simulation says of tiers with support targets when the scenario has no
    ``tickets`` section: their support credits are not in the simulated credits."""
    return [
        f"tier {tier.name}: support response targets are not simulated (the scenario has no "
        "tickets section): its credits leave out support credits; give the scenario tickets "
        "per priority (docs/scenario-format.md), or replay a ticket export with --tickets"
        for tier in contract.tiers
        if tier.support is not None
    ]
