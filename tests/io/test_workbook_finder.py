"""The Finder sheet (`find --xlsx`): every value priced with its statistic, and whether it meets
the budget as a formula that LibreOffice recalculates to what the finder decided."""

from __future__ import annotations

import openpyxl
import pytest

from slamodeler.engine.finders import find, meets
from slamodeler.engine.redline import same_draws
from slamodeler.io.contract_file import load_contract
from slamodeler.io.scenario_file import load_scenario
from slamodeler.services.export import save_workbook
from tests.helpers.office import convert, needs_office, office_profile
from tests.helpers.paths import SAMPLES


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    return office_profile(tmp_path_factory)


@needs_office
def test_libreoffice_marks_the_values_that_meet_the_budget_as_the_finder_did(office, tmp_path):
    terms = load_contract(SAMPLES / "three_tier_cloud.yaml")
    scenario = load_scenario(SAMPLES / "scenarios" / "baseline.yaml")
    found = find(
        terms, same_draws(scenario, 400, 2), "tiers[Gold].caps.per_period_pct", "p95",
        100_000.0, years=scenario.years, tier="Gold",
    )  # fmt: skip
    out = tmp_path / "finder.xlsx"
    assert found.run is not None
    save_workbook(out, simulation=found.run, finder=found)
    book = openpyxl.load_workbook(convert(office, out, "xlsx", tmp_path / "calc"), data_only=True)
    rows = list(book["Finder"].iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == "Term value") + 1
    table = rows[start : start + len(found.points)]
    for point, row in zip(found.points, table, strict=True):
        assert row[1] == pytest.approx(point.statistic)
        assert row[4] == ("yes" if meets("p95", point.statistic, 100_000.0) else "no")
    assert {r[4] for r in table} == {"yes", "no"}
