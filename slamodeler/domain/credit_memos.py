"""A credit memo: what finance books for one customer's credit in one period, with what it rests on
(the contract version and its hash, the rules that made the amount, the claim deadline)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

# The most memos one export makes (a tier may count up to a billion customers: a memo each would
# not fit a disk); beyond it the export is refused before any memo is made.
MAX_MEMOS = 2_000_000


@dataclass(frozen=True)
class CreditMemo:
    """One customer, one period with a credit. Customers of a tier are numbered 1..customers
    (customer k of tiers one customer holds together is the same customer)."""

    memo: str  # PERIOD/TIER/K: unique in an export
    customer: str  # "TIER #K"
    tier: str
    period: str
    start: str
    end: str
    availability_pct: Fraction
    credit_pct: Fraction
    credit: Decimal  # issued, after every cap and the minimum credit, in the currency
    currency: str
    claim_by: str  # the last day a claim is in time (ISO date); "" without a claim deadline
    rules: str  # the band or rule, caps and minimum credit applied, "; "-separated
    contract: str
    contract_version: str  # KEY@VERSION from a workspace, else the contract file's name
    contract_hash: str
