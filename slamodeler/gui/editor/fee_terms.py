"""The selected tier's fees that vary: the fee of single months and the affected share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slamodeler.gui.editor.document import ContractDocument
from slamodeler.gui.editor.terms_fields import TermField, as_text, optional_text
from slamodeler.services.contract_edits import Remove, TierField


def months_of(text: str) -> dict[str, str] | str | None:
    """ "2025-03: 5100, 2025-04: 4800" -> {"2025-03": "5100", ...}; empty -> None (no entry);
    a part without a colon is kept as typed, for the domain to say what is wrong with it."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts:
        return None
    if any(":" not in p for p in parts):
        return text
    return {k.strip(): v.strip() for k, v in (p.split(":", 1) for p in parts)}


def shown_months(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}: {as_text(v)}" for k, v in value.items())
    return as_text(value)


def fee_fields(document: ContractDocument, tier: Callable[[], int]) -> tuple[TermField, TermField]:
    """The fees-by-month field and the affected-share field of the tier ``tier()`` gives; an
    emptied field takes its key out of the file (the default: no month of its own, the whole
    fee)."""

    def field(key: str, label: str, placeholder: str, **how: Any) -> TermField:
        def write(value: object, shown: str) -> None:
            if value is not None:
                document.set_value(TierField(tier(), key), value, f"{label} = {shown}")
            elif document.get(TierField(tier(), key)) is not None:
                document.apply(Remove(TierField(tier(), key), f"{label}: none"))

        return TermField(
            document,
            lambda: TierField(tier(), key),
            label,
            placeholder=placeholder,
            write=write,
            **how,
        )

    months = field(
        "monthly_fees",
        "Fees by month",
        "every month: the monthly fee",
        parse=months_of,
        show=shown_months,
    )
    share = field("affected_share", "Affected share", "1: the whole fee", parse=optional_text)
    return months, share
