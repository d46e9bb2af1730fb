"""A scenario's ``tickets`` fitted to a ticket export (``slamodeler fit --tickets``,
docs/fitting.md): per priority with a response target in the contract's tier, the tickets opened
a month (the count over the calendar months from the first ticket's to the last's, UTC: the
Poisson rate's maximum-likelihood estimate) and the share answered late by replay's rule
(``support_credits.is_late``; tickets unanswered and still in time when the export ends are
left out of the share)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from slamodeler.domain.contract import Contract, Tier
from slamodeler.domain.support import Ticket
from slamodeler.domain.ticket_rates import TicketRate
from slamodeler.engine.support_credits import is_late, response_seconds


@dataclass(frozen=True)
class FittedPriority:
    priority: str
    tickets: int
    months: int
    judged: int  # answered, or late while unanswered: the tickets the miss share is of
    late: int

    @property
    def rate(self) -> TicketRate:
        share = self.late / self.judged if self.judged else 0.0
        return TicketRate(
            priority=self.priority,
            per_month=round(self.tickets / self.months, 4),
            miss_probability=round(share, 4),
        )


def _month(epoch: int) -> int:
    day = datetime.fromtimestamp(epoch, UTC)
    return day.year * 12 + day.month - 1


def fit_tickets(
    contract: Contract, tier: Tier, tickets: Sequence[Ticket], as_of: int
) -> list[FittedPriority]:
    """Per priority of the tier's targets that the export holds, in the targets' order;
    ``as_of``: when the export was taken (unanswered tickets are timed to it)."""
    assert tier.support is not None
    if not tickets:
        return []
    months = _month(max(t.opened for t in tickets)) - _month(min(t.opened for t in tickets)) + 1
    out = []
    for target in tier.support.targets:
        mine = [t for t in tickets if t.priority.strip().lower() == target.priority]
        if not mine:
            continue
        outcomes = [
            is_late(
                target,
                t.first_response,
                response_seconds(
                    contract,
                    tier,
                    t.opened,
                    as_of if t.first_response is None else t.first_response,
                ),
            )
            for t in mine
        ]
        judged = [o for o in outcomes if o is not None]
        out.append(FittedPriority(target.priority, len(mine), months, len(judged), sum(judged)))
    return out


def export_end(tickets: Sequence[Ticket]) -> int:
    """The latest time the export holds: when it was taken, at the earliest."""
    times = [t.opened for t in tickets] + [t.first_response or 0 for t in tickets]
    return max(times, default=0)
