"""The selected tier's support response targets: the clock, and one line per priority
("P1, 15, 5%, 10%": answered within 15 minutes, else 5% of the period fee per ticket, at most
10% a period; a credit without % is an amount). Emptying the lines takes the targets away."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtWidgets import QFormLayout

from slamodeler.gui.editor.document import ContractDocument
from slamodeler.gui.editor.terms_fields import TermChoice, TermText, note
from slamodeler.gui.editor.tier_clause_group import TierBound, TierClauseGroup
from slamodeler.services.contract_edits import Remove, TierField

CLOCKS = [("around_the_clock", "around the clock"), ("service_hours", "in service hours")]


def target_of(line: str) -> dict[str, Any]:
    """ "P1, 15, 5%, 10%" -> a target; parts that are not numbers are kept as typed, for the
    domain to say what is wrong with them under the field."""
    parts = [p.strip() for p in line.split(",")]
    target: dict[str, Any] = {"priority": parts[0]}
    if len(parts) > 1:
        minutes = parts[1].removesuffix("min").strip()
        target["respond_within_minutes"] = int(minutes) if minutes.isdecimal() else minutes
    if len(parts) > 2:
        credit = parts[2]
        key = "credit_pct" if credit.endswith("%") else "credit_amount"
        target[key] = credit.removesuffix("%").strip()
    if len(parts) > 3:
        target["max_pct_per_period"] = parts[3].removesuffix("%").strip()
    return target


def target_line(target: dict[str, Any]) -> str:
    """The reverse of :func:`target_of`."""
    parts = [str(target.get("priority", "")), str(target.get("respond_within_minutes", ""))]
    if target.get("credit_pct") is not None:
        parts.append(f"{_number(target['credit_pct'])}%")
    elif target.get("credit_amount") is not None:
        parts.append(_number(target["credit_amount"]))
    if target.get("max_pct_per_period") is not None:
        parts.append(f"{_number(target['max_pct_per_period'])}%")
    return ", ".join(parts)


def _number(value: object) -> str:
    if isinstance(value, Decimal | int | float):
        return format(Decimal(str(value)).normalize(), "f")
    return str(value)


class TargetLines(TermText):
    """The targets, one line each, committed as one undoable edit of the tier's list."""

    def commit(self) -> None:
        text = self.text.toPlainText().strip()
        if text != self.shown():
            lines = [line for line in text.splitlines() if line.strip()]
            self.write([target_of(line) for line in lines], f"{len(lines)} target(s)")

    def shown(self) -> str:
        value = self.value()
        if not isinstance(value, list):
            return ""
        return "\n".join(target_line(t) if isinstance(t, dict) else str(t) for t in value)

    def refresh(self) -> None:
        text = self.shown()
        if self.text.toPlainText().strip() != text:
            self.text.setPlainText(text)
        super(TermText, self).refresh()


class ClockChoice(TermChoice):
    """The clock, shown at its default (around the clock) when the tier has targets but does not
    say it, and empty when the tier has none."""

    def value(self) -> Any:
        said = super().value()
        support = self.document.get(self.path.parts[:-1])
        return CLOCKS[0][0] if said is None and support is not None else said


class SupportTargets(TierClauseGroup):
    """Per tier: the support clock and the response targets with their credits."""

    TITLE = "Support response targets of {name}"

    def __init__(self, document: ContractDocument):
        super().__init__(document)
        self.clock = ClockChoice(
            document, lambda: TierField(self.tier, "support", "clock"), "Support clock", CLOCKS
        )
        self.targets = TargetLines(
            document,
            lambda: TierField(self.tier, "support", "targets"),
            "Response targets",
            placeholder="none; e.g. P1, 15, 5%, 10%",
        )
        self.targets.write = self._write_targets
        form = QFormLayout(self)
        form.addRow("Response time counted", self.clock)
        form.addRow(
            "Targets (one per line:\npriority, minutes, credit,\ncap % a period)", self.targets
        )
        form.addRow(
            note(
                "A ticket answered later than its priority's minutes is a miss; each miss credits "
                "the credit (with %: of the period fee; without: an amount), at most the cap a "
                "period, added to the period's credit before the tier's caps. Replay reads the "
                "tickets with --tickets (docs/contract-format.md, support)."
            )
        )
        self.follow_document()

    def tier_fields(self) -> tuple[TierBound, ...]:
        return (self.clock, self.targets)

    def _write_targets(self, value: list[dict[str, Any]], shown: str) -> None:
        """No lines take the support terms away; otherwise the list replaces the tier's."""
        place = TierField(self.tier, "support")
        if value:
            self.document.set_value(self.targets.path, value, f"Support targets: {shown}")
        elif self.document.get(place) is not None:
            self.document.apply(Remove(place, "No support targets"))
