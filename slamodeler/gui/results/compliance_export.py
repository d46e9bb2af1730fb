"""File > Save compliance report…: the period selected in the Replay tab, for the tier shown
there, as the printable HTML page of `slamodeler report`, rendered from the replay on view (so
its figures are the ones on screen). It asks the customer's name (for the title) and where to
save, and says on the Replay tab's status line what it wrote."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QWidget

from slamodeler.domain.errors import InputError
from slamodeler.gui.results.replay_view import ReplayView
from slamodeler.services.compliance import compliance_report, write_compliance_html


class ComplianceExporter:
    def __init__(self, parent: QWidget, replay: ReplayView):
        self.parent, self.replay = parent, replay
        self.ask_customer: Callable[[str], str | None] = self._ask_customer
        self.ask_path: Callable[[str], str] = self._ask_path

    @property
    def available(self) -> bool:
        """Whether a replayed period is on view to report."""
        return self.replay.exportable() is not None and self.selected() is not None

    def selected(self) -> tuple[str, str] | None:
        """The tier shown and the period selected in the Replay tab."""
        tier = self.replay.tier_result()
        row = self.replay.table.currentRow()
        if tier is None or not 0 <= row < len(tier.periods):
            return None
        return tier.tier, tier.periods[row].period

    def save(self) -> Path | None:
        """Ask, then write; None when the user cancels or nothing is on view."""
        replayed, chosen = self.replay.exportable(), self.selected()
        if replayed is None or chosen is None:
            return None
        tier, period = chosen
        customer = self.ask_customer(f"{tier}, {period}")
        if customer is None:
            return None
        path = self.ask_path(f"compliance-{period}.html")
        if not path:
            return None
        if Path(path).suffix.lower() not in (".html", ".htm"):
            path += ".html"
        report = compliance_report(
            replayed.contract,
            replayed.incidents.incidents,
            replayed.result,
            period,
            label=self.replay.contract_label() or replayed.result.contract_name,
            customer=customer,
            tier=tier,
        )
        try:
            written = write_compliance_html(path, report)
        except InputError as exc:
            self.replay.status.setText(f"Not saved: {exc}")
            return None
        self.replay.status.setText(f"Wrote the compliance report {written.name} ({tier}, {period})")
        return written

    def _ask_customer(self, what: str) -> str | None:
        text, ok = QInputDialog.getText(
            self.parent, "Compliance report", f"Customer's name for the report of {what}:"
        )
        return text.strip() if ok else None

    def _ask_path(self, suggested: str) -> str:
        path, _ = QFileDialog.getSaveFileName(
            self.parent, "Save the compliance report", str(Path.home() / suggested),
            "Web page (*.html)",
        )  # fmt: skip
        return path
