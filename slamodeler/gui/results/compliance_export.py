"""File > Save compliance report…: the period selected in the Replay tab, for the tier shown
there, as the printable HTML page of `slamodeler report`, rendered from the replay on view (so
its figures are the ones on screen). It asks the customer's name (for the title) and where to
save, and says on the Replay tab's status line what it wrote. A name ending in .pdf gets the
same page laid out by Qt's text document on A4 (here only: the command line writes HTML, which
a browser prints with the page's own print styles)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import QFileDialog, QInputDialog, QWidget

from slamodeler.domain.errors import InputError
from slamodeler.gui.results.replay_view import ReplayView
from slamodeler.services.compliance import (
    compliance_html,
    compliance_report,
    write_compliance_html,
)


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
        if Path(path).suffix.lower() not in (".html", ".htm", ".pdf"):
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
            if Path(path).suffix.lower() == ".pdf":
                written = write_pdf(Path(path), compliance_html(report))
            else:
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
            "Web page (*.html);;PDF (*.pdf)",
        )  # fmt: skip
        return path


def write_pdf(path: Path, html: str) -> Path:
    """The page as an A4 PDF, written beside ``path`` and renamed over it when whole."""
    if not path.parent.is_dir():
        raise InputError(f"{path}: the folder {path.parent} does not exist")
    tmp = path.with_name(f".{path.name}.tmp")
    writer = QPdfWriter(str(tmp))
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(18, 18, 18, 18),
            QPageLayout.Unit.Millimeter,
        )
    )
    document = QTextDocument()
    document.setHtml(html)
    document.print_(writer)
    del writer  # closes the file
    try:
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(f"{path}: cannot write the report ({exc.strerror or exc})") from None
    return path
