"""The general terms that make a contract a vendor's SLA held back to back with ours: its
direction and which of our tiers each of its tiers reaches (written "Region: Gold, Silver;
Edge: Bronze")."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from slamodeler.gui.editor.document import ContractDocument
from slamodeler.gui.editor.terms_fields import TermChoice, TermField
from slamodeler.services.contract_edits import Term

DIRECTIONS = (
    ("given", "given: we hold it to our customers"),
    ("received", "received: a vendor's SLA to us"),
)


def reaches_value(text: str) -> list[dict[str, Any]] | str:
    """``Region: Gold, Silver; Edge: Bronze`` as the contract's ``reaches``; text that does not
    read so is stored as it is, and the contract's check names the field."""
    out: list[dict[str, Any]] = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        vendor, colon, ours = part.partition(":")
        if not colon:
            return text
        out.append(
            {
                "vendor_tier": vendor.strip(),
                "our_tiers": [n.strip() for n in ours.split(",") if n.strip()],
            }
        )
    return out


def reaches_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return "; ".join(
        f"{r.get('vendor_tier', '')}: {', '.join(r.get('our_tiers', []))}"
        for r in value or []
        if isinstance(r, dict)
    )


def vendor_rows(document: ContractDocument) -> list[tuple[str, QWidget]]:
    """The form rows: direction, and the tiers reached."""
    reaches = TermField(
        document,
        Term("reaches"),
        "Reaches our tiers",
        placeholder="a vendor's: its tier: our tiers, e.g. Region: Gold, Silver",
        parse=reaches_value,
        show=reaches_text,
    )
    reaches.edit.setToolTip(
        "Which of our tiers each of the vendor's tiers reaches: the vendor's incidents in that "
        "tier's scope cost us credits in ours (slamodeler vendor)"
    )
    return [
        ("Direction", TermChoice(document, Term("direction"), "Direction", DIRECTIONS)),
        ("Reaches our tiers", reaches),
    ]
