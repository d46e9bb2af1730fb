"""The Profitability sheet's risk and fees table: LibreOffice recalculates the margins, margin %,
tail charge and risk-adjusted margin from the values on the sheet to the engine's, and the fees
are the ones solved."""

from __future__ import annotations

import openpyxl
import pytest

from slamodeler.io.workbook.profitability_sheet import RISK_HEADING as HEADING
from slamodeler.services.profitability import profitability_files
from slamodeler.services.simulation_session import SimulationRequest
from tests.helpers.cli import run
from tests.helpers.office import convert, needs_office, office_profile
from tests.helpers.paths import SAMPLES

SAMPLE = SAMPLES / "three_tier_cloud.yaml"
BASELINE = SAMPLES / "scenarios" / "baseline.yaml"


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    return office_profile(tmp_path_factory)


def exported(tmp_path, capsys, *options):
    out = tmp_path / "profit.xlsx"
    code, _, err = run(
        capsys, "profitability", SAMPLE, "--scenario", BASELINE, "--trials", 800, "--seed", 4,
        "--xlsx", out, *options,
    )  # fmt: skip
    assert code == 0 and "wrote" in err
    request = SimulationRequest(800, 4)
    rates = {"tail_charge": 0.15} if options else {}
    return out, profitability_files(SAMPLE, BASELINE, request, **rates).main.result


def table_rows(ws):
    start = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == HEADING)
    return start + 1, list(range(start + 4, start + 8))  # the rate's row; 3 tiers, portfolio


def test_the_sheet_holds_the_fees_as_values_and_the_margins_as_formulas(tmp_path, capsys):
    path, found = exported(tmp_path, capsys)
    ws = openpyxl.load_workbook(path)["Profitability"]
    rate_row, rows = table_rows(ws)
    assert ws.cell(rate_row, 3).value == 0.1
    for r, p in zip(rows, [*found.tiers, found.portfolio], strict=True):
        assert ws[f"I{r}"].value == f"=C{r}-D{r}-E{r}"
        assert ws[f"L{r}"].value == f"=I{r}-K{r}"
        assert ws[f"K{r}"].value == f"=$C${rate_row}*MAX(0,H{r}-E{r})"
        assert ws[f"E{r}"].value == pytest.approx(p.credits_mean)
        assert ws[f"H{r}"].value == pytest.approx(p.tvar99)
        if p.break_even is not None:
            assert ws[f"N{r}"].value == float(p.break_even.fee)
            assert ws[f"O{r}"].value == float(p.target.fee)


@needs_office
def test_libreoffice_recalculates_the_engines_margins(office, tmp_path, capsys):
    path, found = exported(tmp_path, capsys, "--tail-charge", 0.15)
    wb = openpyxl.load_workbook(convert(office, path, "xlsx", tmp_path / "out"), data_only=True)
    ws = wb["Profitability"]
    _, rows = table_rows(ws)
    for r, p in zip(rows, [*found.tiers, found.portfolio], strict=True):
        assert ws[f"C{r}"].value == pytest.approx(p.revenue)
        assert ws[f"D{r}"].value == pytest.approx(p.cost)
        assert ws[f"I{r}"].value == pytest.approx(p.margin, abs=0.01)
        assert ws[f"J{r}"].value == pytest.approx(p.margin_share, abs=1e-9)
        assert ws[f"K{r}"].value == pytest.approx(p.tail_charge, abs=0.01)
        assert ws[f"L{r}"].value == pytest.approx(p.risk_adjusted_margin, abs=0.01)
    assert ws[f"B{rows[0]}"].value == "Bronze" and ws[f"M{rows[2]}"].value == 12000
