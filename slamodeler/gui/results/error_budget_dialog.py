"""Error budget (Analysis menu): for a tier of the contract in the editor, the budget an
objective leaves per period, the SRE workbook's burn-rate alerts for it (`slamodeler slo
policy`), the internal objective that keeps P(SLA breach) under a level in a stored scenario,
found in the background (`slamodeler slo objective`), and the SLO exported as OpenSLO YAML."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from slamodeler.domain.contract import Contract
from slamodeler.domain.errors import InputError
from slamodeler.domain.incidents import IncidentSet
from slamodeler.domain.scenario import Scenario
from slamodeler.domain.slo_options import SLO_METHODS
from slamodeler.gui.widgets.scenario_run_dialog import ScenarioRunDialog
from slamodeler.services.slo import (
    ObjectiveAnswer,
    budget_of,
    full_outage_text,
    objective_lines,
    objective_of,
    parse_instant,
    policy_of,
    reliability_lines,
    so_far_line,
    write_openslo,
)

SPENT_COLUMNS = (
    "Period",
    "Incident",
    "Minutes",
    "Counted",
    "Budget",
    "Of budget",
    "Burn rate",
)
POLICY_COLUMNS = (
    "Severity",
    "Budget spent",
    "Long window",
    "Short window",
    "Burn rate",
    "Full outage fires in",
)


def _window(minutes: int) -> str:
    if minutes % 1440 == 0:
        return f"{minutes // 1440} d"
    return f"{minutes // 60} h" if minutes % 60 == 0 else f"{minutes} min"


class ErrorBudgetDialog(ScenarioRunDialog):
    def __init__(
        self,
        contract: Contract,
        label: str,
        scenarios: Sequence[str],
        load_scenario: Callable[[str], Scenario],
        incident_sets: Sequence[str] = (),
        load_incidents: Callable[[str], IncidentSet] | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__("slo", "Find objective", "No objective", scenarios, parent)
        self.load_incidents = load_incidents
        self.incident_sets = QComboBox()
        self.incident_sets.setObjectName("sloIncidentSets")
        self.incident_sets.addItems(list(incident_sets))
        self.as_of = QLineEdit()
        self.as_of.setObjectName("sloAsOf")
        self.as_of.setPlaceholderText("as of, e.g. 2024-04-10T00:00Z (optional)")
        self.as_of.setToolTip(
            "The history as it stood then (incidents begun before it, an open one cut there), "
            "up to the period it falls in, with the budget spent so far and the pace: "
            "`slamodeler slo budget --at`"
        )
        self.measure = QPushButton("Budget spent")
        self.measure.setObjectName("sloMeasure")
        self.measure.clicked.connect(self._measure)
        self.spent = QTableWidget(0, len(SPENT_COLUMNS))
        self.spent.setObjectName("sloSpent")
        self.spent.setHorizontalHeaderLabels(SPENT_COLUMNS)
        self.spent.verticalHeader().hide()
        self.reliability = QLabel()
        self.reliability.setObjectName("sloReliability")
        self.reliability.setWordWrap(True)
        self.setWindowTitle(f"Error budget: {label}")
        self.contract, self.load_scenario = contract, load_scenario
        self.answer: ObjectiveAnswer | None = None
        self.tier = QComboBox()
        self.tier.setObjectName("sloTier")
        self.tier.addItems([t.name for t in contract.tiers])
        self.objective = QDoubleSpinBox()
        self.objective.setObjectName("sloObjective")
        self.objective.setRange(0.0001, 99.9999)
        self.objective.setDecimals(4)
        self.objective.setSuffix(" %")
        self.breach = QDoubleSpinBox()
        self.breach.setObjectName("sloBreach")
        self.breach.setRange(0.0001, 0.9999)
        self.breach.setDecimals(4)
        self.breach.setSingleStep(0.01)
        self.breach.setValue(0.05)
        self.method = QComboBox()
        self.method.setObjectName("sloMethod")
        self.method.addItems(list(SLO_METHODS))
        self.budget = QLabel()
        self.budget.setObjectName("sloBudget")
        self.policy = QTableWidget(0, len(POLICY_COLUMNS))
        self.policy.setObjectName("sloPolicy")
        self.policy.setHorizontalHeaderLabels(POLICY_COLUMNS)
        self.policy.verticalHeader().hide()
        self.found = QLabel()
        self.found.setObjectName("sloAnswer")
        self.found.setWordWrap(True)
        self.use = QPushButton("Use this objective")
        self.use.setObjectName("sloUse")
        self.use.setEnabled(False)
        self.use.clicked.connect(self._use_answer)
        self.openslo = QPushButton("Export OpenSLO…")
        self.openslo.setObjectName("sloOpenSLO")
        self.openslo.clicked.connect(self._export_openslo)
        self.export.hide()  # the budget's workbook comes from a replay: `slo budget --xlsx`
        self.status.setText(
            "The budget and alerts follow the objective; Find objective searches the lowest "
            "objective that keeps P(a period misses the target) under the level in a scenario."
        )

        form = QFormLayout()
        form.addRow("Tier", self.tier)
        form.addRow("Objective", self.objective)
        form.addRow("Budget", self.budget)
        form.addRow("Largest P(breach) a period", self.breach)
        form.addRow("Method", self.method)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.policy)
        spent_row = QHBoxLayout()
        spent_row.addWidget(QLabel("Incident set"))
        spent_row.addWidget(self.incident_sets)
        spent_row.addWidget(self.as_of)
        spent_row.addWidget(self.measure)
        spent_row.addStretch()
        layout.addLayout(spent_row)
        layout.addWidget(self.spent)
        layout.addWidget(self.reliability)
        layout.addLayout(self.run_row())
        layout.addWidget(self.status)
        layout.addWidget(self.found)
        layout.addWidget(self.use)
        layout.addWidget(self.openslo)
        self.resize(980, 820)
        self.tier.currentTextChanged.connect(self._tier_chosen)
        self.objective.valueChanged.connect(self._show_policy)
        self._tier_chosen(self.tier.currentText())

    def _objective(self) -> Decimal:
        return Decimal(f"{self.objective.value():.4f}").normalize()

    def _tier_chosen(self, name: str) -> None:
        self.objective.setValue(float(self.contract.tier(name).target_pct))
        self._show_policy()

    def _show_policy(self) -> None:
        """The budget of a period of the policy's length and the three rules, at once."""
        policy = policy_of(self.contract, self.tier.currentText(), self._objective())
        budget = (1 - Fraction(policy.objective_percent) / 100) * policy.period_minutes
        self.budget.setText(
            f"{float(budget):,.2f} weighted minutes per {policy.period_minutes // 1440}-day period"
        )
        self.policy.setRowCount(len(policy.rules))
        for row, r in enumerate(policy.rules):
            cells = (
                r.severity,
                f"{float(r.budget_share):.0%}",
                _window(r.long_minutes),
                _window(r.short_minutes),
                f"{float(r.burn_rate):g}x" + ("" if r.reachable else " (unreachable)"),
                full_outage_text(r.full_outage_minutes),
            )
            for column, text in enumerate(cells):
                self.policy.setItem(row, column, QTableWidgetItem(text))
        self.policy.resizeColumnsToContents()

    def _measure(self) -> None:
        """The chosen incident set replayed: each period's budget at the objective shown, what
        it spent (a row with no incident) and each incident's share and burn rate under it."""
        key = self.incident_sets.currentText()
        if not key or self.load_incidents is None:
            self.status.setText("No incident set is stored: import one (File > Import incidents).")
            return
        try:
            found = budget_of(
                self.contract,
                self.load_incidents(key),
                self.tier.currentText(),
                self._objective(),
                at=parse_instant(self.as_of.text().strip() or None, "As of"),
            )
        except InputError as exc:
            self.status.setText(f"Not measured: {exc}")
            return
        tier = found.tiers[0]
        rows: list[tuple[str, ...]] = []
        for p in tier.periods:
            rows.append(
                (
                    p.period,
                    "",
                    "",
                    f"{float(p.spent_minutes):,.2f}",
                    f"{float(p.budget_minutes):,.2f}",
                    f"{float(p.spent_share):.1%}",
                    "",
                )
            )
            rows += [
                (
                    p.period,
                    b.id,
                    f"{float(b.minutes):,.2f}",
                    f"{float(b.counted_minutes):,.2f}",
                    "",
                    f"{float(b.budget_share):.1%}",
                    f"{float(b.burn_rate):,.1f}x",
                )
                for b in p.incidents
            ]
        self.spent.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                self.spent.setItem(r, c, QTableWidgetItem(text))
        self.spent.resizeColumnsToContents()
        so_far = [so_far_line(sf) for name, sf in found.so_far if name == tier.tier]
        self.reliability.setText(
            "\n".join([" ".join(reliability_lines(tier.reliability)), *so_far])
        )
        over = sum(1 for p in tier.periods if p.spent_share > 1)
        self.status.setText(
            f"{key}: {len(tier.periods)} period(s) from {found.first} to {found.last}, "
            f"{over} over budget at {tier.objective_percent}%"
        )

    def start(self) -> None:
        key = self.scenario.currentText()
        contract, load, tier = self.contract, self.load_scenario, self.tier.currentText()
        level, method = self.breach.value(), self.method.currentText()
        self.begin(
            lambda request, progress, token: objective_of(
                contract,
                load(key),
                tier,
                level,
                method,
                request.trials,
                request.seed,
                lambda: token.cancelled,
            ),
            f"Searching the objective of {tier} under {key}…",
        )

    def _done(self, answer: Any) -> None:
        self.answer = answer
        self.status.setText("Found.")
        self.found.setText("\n".join(line.strip() for line in objective_lines(answer)))
        self.use.setEnabled(True)

    def _use_answer(self) -> None:
        if self.answer is not None:
            self.objective.setValue(self.answer.objective.objective_percent)

    def _export_openslo(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export OpenSLO", "slo.yaml", "OpenSLO YAML (*.yaml *.yml)"
        )
        if not path:
            return
        try:
            policy = write_openslo(self.contract, path, self.tier.currentText(), self._objective())
        except (InputError, OSError) as exc:
            self.status.setText(f"Not exported: {exc}")
            return
        self.status.setText(f"Wrote {path}: the SLO at {policy.objective_percent}% with its alerts")
