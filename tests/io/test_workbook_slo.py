"""The Error budget sheet recalculated by LibreOffice: its formulas give the engine's budgets,
shares, burn rates and the workbook's alert thresholds; an objective typed into the sheet gives
the budget the engine gives for it."""

from __future__ import annotations

import openpyxl
import pytest

from tests.helpers.cli import run
from tests.helpers.office import convert, needs_office, office_profile

CONTRACT = """format: slamodeler/v1
name: Example API
currency: USD
timezone: UTC
term: {start: 2024-01-01, months: 12}
tiers:
  - name: API
    target_pct: 99.9
    monthly_fee: 1000
    credits: {kind: bands, bands: [{below: 99.9, credit_pct: 10}]}
"""
# April 2024 (43,200 min): a full outage of 30 min and a partial one (weight 0.3) of 60
APRIL = (
    "id,start,end,impact\n"
    "A,2024-04-03T10:00:00Z,2024-04-03T10:30:00Z,full\n"
    "B,2024-04-20T00:00:00Z,2024-04-20T01:00:00Z,partial\n"
)


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    return office_profile(tmp_path_factory)


def _sheet(office, tmp_path, capsys, objective: float | None = None):
    contract, history = tmp_path / "api.yaml", tmp_path / "april.csv"
    contract.write_text(CONTRACT, encoding="utf-8")
    history.write_text(APRIL, encoding="utf-8")
    out = tmp_path / "budget.xlsx"
    code, _, err = run(capsys, "slo", "budget", contract, history, "--xlsx", out)
    assert code == 0, err
    if objective is not None:  # the user types another objective
        wb = openpyxl.load_workbook(out)
        wb["Error budget"]["B5"] = objective
        wb.save(out)
    done = convert(office, out, "xlsx", tmp_path / "out")
    return list(
        openpyxl.load_workbook(done, data_only=True)["Error budget"].iter_rows(values_only=True)
    )


@needs_office
def test_the_formulas_give_the_engines_budget_burn_and_thresholds(office, tmp_path, capsys):
    rows = _sheet(office, tmp_path, capsys)
    april = next(r for r in rows if r[0] == "2024-04" and r[1] == 43200)
    assert april[2:6] == pytest.approx((43.2, 48, 48 / 43.2, 43.2 - 48))
    a = next(r for r in rows if r[1] == "A")
    b = next(r for r in rows if r[1] == "B")
    assert a[4:6] == pytest.approx((30 / 43.2, 1000))
    assert b[4:6] == pytest.approx((18 / 43.2, 300))
    rules = [r for r in rows if r[0] in ("page", "ticket")]
    assert [r[4] for r in rules] == pytest.approx([14.4, 6, 1])
    assert [r[5] for r in rules] == pytest.approx([0.864, 2.16, 4.32])


@needs_office
def test_an_objective_typed_in_gives_its_budget(office, tmp_path, capsys):
    rows = _sheet(office, tmp_path, capsys, objective=0.9995)
    april = next(r for r in rows if r[0] == "2024-04" and r[1] == 43200)
    assert april[2] == pytest.approx(21.6)
    a = next(r for r in rows if r[1] == "A")
    assert a[5] == pytest.approx(2000)
