"""The contract-wide remedies: the MSA's liability cap (an amount, a share of the annual fees,
or both), a cap per customer across the tiers it holds together, and the claims (minimum credit, claim rate). Each tier's own caps are with the tier."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from slamodeler.gui.editor.document import ContractDocument
from slamodeler.gui.editor.terms_chronic import ChronicFailureFields
from slamodeler.gui.editor.terms_fields import (
    TermChoice,
    TermField,
    form_group,
    note,
    optional_text,
    whole_number,
    word_list,
)
from slamodeler.services.contract_edits import LIABILITY, Term

CUSTOMER_CAP = Term("customer_cap")

MIN_CREDIT_RULES = [
    ("at_least", "at least the minimum"),
    ("more_than", "more than the minimum"),
]


def optional_days(text: str) -> int | str | None:
    """An empty deadline means none; a number of days otherwise."""
    return whole_number(text) if text else None


class CapsAndClaims(QWidget):
    def __init__(self, document: ContractDocument):
        super().__init__()
        self.document = document
        self.liability_amount = self._cap(LIABILITY, "amount", "Liability cap amount")
        self.liability_percent = self._cap(LIABILITY, "pct_of_annual_fees", "Liability cap %")
        self.customer_amount = self._cap(CUSTOMER_CAP, "amount", "Customer cap amount")
        self.customer_percent = self._cap(CUSTOMER_CAP, "pct_of_annual_fees", "Customer cap %")
        self.customer_tiers = TermField(
            document,
            Term(CUSTOMER_CAP.key, "tiers"),
            "Tiers held together",
            placeholder="every tier",
            parse=word_list,
            show=lambda names: ", ".join(names or []),
            write=self._cap_writer(CUSTOMER_CAP, "tiers", "Tiers held together"),
        )
        self.min_credit = TermField(
            document, Term("claims", "min_credit"), "Minimum credit", placeholder="0"
        )
        self.min_credit_rule = TermChoice(
            document, Term("claims", "min_credit_rule"), "Minimum credit rule", MIN_CREDIT_RULES
        )
        self.claim_rate = TermField(
            document, Term("claims", "claim_rate"), "Claim rate", placeholder="1"
        )

        self.claim_rate_sd = TermField(
            document,
            Term("claims", "claim_rate_sd"),
            "Claim rate spread",
            placeholder="fixed",
            parse=optional_text,
        )
        self.claim_deadline_days = TermField(
            document,
            Term("claims", "claim_deadline_days"),
            "Claim deadline",
            placeholder="none",
            parse=optional_days,
        )
        self.late_share = TermField(
            document, Term("claims", "late_share"), "Share of claims made late", placeholder="0"
        )
        self.amount_label, self.min_credit_label = QLabel(), QLabel()  # they name the currency
        liability = form_group(
            "Liability cap (per customer and term, all tiers)",
            [
                (self.amount_label, self.liability_amount),
                ("% of annual fees", self.liability_percent),
            ],
            "Leave both empty for no cap; with both, the lower applies.",
        )
        self.customer_amount_label = QLabel()
        customer = form_group(
            "Cap per customer across tiers (per term)",
            [
                (self.customer_amount_label, self.customer_amount),
                ("% of the annual fees of those tiers", self.customer_percent),
                ("Tiers one customer holds", self.customer_tiers),
            ],
            "One customer holds one subscription of each tier listed (every tier when empty); "
            "their credits together in a term are at most this, cut after each tier's own caps. "
            "Leave amount and % empty for no such cap.",
        )
        claims = form_group(
            "Claims",
            [
                (self.min_credit_label, self.min_credit),
                ("A credit is issued when it is", self.min_credit_rule),
                ("Claim rate (0 to 1)", self.claim_rate),
                ("Its spread in simulations (sd)", self.claim_rate_sd),
                ("Claim within (days after the period)", self.claim_deadline_days),
                ("Share of claims made late (0 to 1)", self.late_share),
            ],
            'A credit under the minimum is not issued; with "more than", neither is a credit of '
            "exactly the minimum (AWS: only a credit greater than $1). The claim rate is the "
            "share of issued credits customers claim; it gives the expected amount paid. With a "
            "spread, each simulated trial draws the share from a beta distribution with that "
            "mean and standard deviation. A claim made after the deadline is forfeited: the "
            "share made late is taken off the expected amount paid, in replay and simulations.",
        )

        layout = QVBoxLayout(self)
        layout.addWidget(liability)
        layout.addWidget(customer)
        layout.addWidget(claims)
        self.chronic = ChronicFailureFields(document)
        layout.addWidget(self.chronic.group)
        layout.addWidget(
            note("The per-period and yearly caps are each tier's: see the Tiers page.")
        )
        layout.addStretch()
        document.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        currency = str(self.document.get(Term("currency"), "") or "")
        self.amount_label.setText(f"Amount ({currency})")
        self.customer_amount_label.setText(f"Amount ({currency})")
        self.min_credit_label.setText(f"Minimum credit ({currency})")

    def _cap_writer(self, place: Term, key: str, label: str) -> Callable[[Any, str], None]:
        """Write one key of a contract-wide cap; with no limit and no tiers left, no cap."""

        def write(value: Any, shown: str) -> None:
            cap = dict(self.document.get(place) or {})
            cap[key] = value
            none = all(v is None or v == [] for v in cap.values())
            self.document.set_value(place, None if none else cap, f"{label} = {shown or 'none'}")

        return write

    def _cap(self, place: Term, key: str, label: str) -> TermField:
        return TermField(
            self.document,
            Term(place.key, key),
            label,
            placeholder="no cap",
            parse=optional_text,
            write=self._cap_writer(place, key, label),
        )
