"""The Assumptions sheet: what was exported, by whom, from which inputs."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from slamodeler import __version__
from slamodeler.io.simulation_report import scenario_hash
from slamodeler.io.workbook.cells import STYLES as S
from slamodeler.io.workbook.cells import print_setup, put_text, set_widths
from slamodeler.io.workbook.sheet_writer import SheetWriter
from slamodeler.io.workbook.values import put_value

WORKBOOK_FORMAT = "slamodeler-workbook/v1"


class AssumptionsSheet(SheetWriter):
    def assumptions(self, ws: Worksheet, user: str) -> None:
        self.user = user
        when = self.c.exported_at or datetime.now().astimezone()
        self.exported_at = when
        c = self.contract
        self.title(ws, "Assumptions and audit")
        set_widths(ws, [44, 70])
        rows: list[tuple[str, object]] = [
            ("Exported by", user),
            ("Exported at", when.isoformat(timespec="seconds")),
            ("Engine version", f"slamodeler {__version__}"),
            ("Workbook format", WORKBOOK_FORMAT),
            ("Contract", c.name),
            ("Contract version", self.c.contract_label or "not recorded"),
            ("Contract hash (SHA-256)", c.content_hash()),
        ]
        if self.c.audit_head is not None:  # compare with `slamodeler ws verify --expect-head`
            rows.append(("Workspace audit head (entry:SHA-256)", self.c.audit_head))
        rep = self.c.import_report
        if self.c.replay is not None:
            rows += [
                ("Replayed periods", f"{self.c.replay.first} to {self.c.replay.last}"),
                ("Tiers replayed", ", ".join(t.tier for t in self.c.replay.tiers)),
                ("Incidents replayed", len(self.c.incidents)),
            ]
            if rep is not None:
                rows += [
                    ("Incident file", rep.source),
                    ("Rows read", rep.rows_read),
                    ("Rows used", rep.used),
                    ("Rows not used", len(rep.rejected)),
                ]
            rows += [("Replay note", n) for n in self.c.replay.notes]
        run = self.c.simulation
        if run is not None:
            periods = run.horizon.periods
            rows += [
                ("Scenario", run.scenario.name),
                ("Scenario hash (SHA-256)", scenario_hash(run)),
                ("Seed", run.seed),
                ("Trials", run.trials),
                ("Trials requested", run.trials_requested),
                ("Cancelled (partial result)", "yes" if run.cancelled else "no"),
                ("Horizon", f"{periods[0].label} to {periods[-1].label} ({len(periods)} periods)"),
            ]
            rows += [("Simulation note", n) for n in run.notes]
            data = run.scenario.model_dump(mode="json", exclude_none=True)
            rows += [(f"scenario.{k}", v) for k, v in _flatten(data)]
        rows += self._computed_rows()
        rows += [
            (
                "What recalculates",
                "Replay credit %, fees, credits, caps, minimum credit and expected paid; "
                "Profitability revenue, cost and margins; Summary replay totals and margins.",
            ),
            (
                "What does not",
                "Measured minutes and availability (the engine measured them), credit % of linear "
                "curves, and every simulated statistic.",
            ),
        ]
        self.header(ws, 3, ["Item", "Value"])
        for i, (label, value) in enumerate(rows, 4):
            put_text(ws.cell(i, 1), label, S.label)
            cell = ws.cell(i, 2)
            if isinstance(value, int | float) and not isinstance(value, bool):
                put_value(cell, value, S.number)
                cell.alignment = Alignment(horizontal="left")
            else:
                put_text(cell, value, S.wrap)
        ws.freeze_panes = "A4"
        print_setup(ws, "3:3")

    def _computed_rows(self) -> list[tuple[str, object]]:
        """An exact-method result's inputs: computed, so no seed and no trials."""
        computed = self.c.exact
        if computed is None:
            return []
        periods = computed.horizon.periods
        data = computed.scenario.model_dump(mode="json", exclude_none=True)
        return [
            ("Method", "exact: the distributions computed, not sampled (no seed, no trials)"),
            ("Scenario", computed.scenario.name),
            ("Scenario hash (SHA-256)", scenario_hash(computed)),
            ("Horizon", f"{periods[0].label} to {periods[-1].label} ({len(periods)} periods)"),
            *[("Exact method note", n) for n in computed.notes],
            *[(f"scenario.{k}", v) for k, v in _flatten(data)],
        ]


def _flatten(data: object, prefix: str = "") -> Iterable[tuple[str, object]]:
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _flatten(v, f"{prefix}.{k}" if prefix else str(k))
    elif isinstance(data, list) and any(isinstance(v, dict | list) for v in data):
        for i, v in enumerate(data):
            yield from _flatten(v, f"{prefix}[{i}]")
    elif isinstance(data, list):
        yield prefix, ", ".join(str(v) for v in data)
    elif isinstance(data, bool) or data is None:
        yield prefix, str(data).lower()
    else:
        yield prefix, data
