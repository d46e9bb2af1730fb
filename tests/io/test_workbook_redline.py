"""The Redline sheet (`compare --xlsx`): the comparison's figures as the engine computed them,
its formulas recalculated by LibreOffice to the engine's values, and the histogram of the
portfolio's difference holding every trial."""

from __future__ import annotations

import openpyxl
import pytest

from slamodeler.domain.contract import Contract
from slamodeler.engine.redline import compare
from slamodeler.io.contract_file import load_contract
from slamodeler.io.scenario_file import load_scenario
from slamodeler.io.workbook.redline_sheet import difference_histogram
from slamodeler.services.export import save_workbook
from tests.helpers.office import convert, needs_office, office_profile
from tests.helpers.paths import SAMPLES


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    return office_profile(tmp_path_factory)


@pytest.fixture(scope="module")
def found():
    base = load_contract(SAMPLES / "three_tier_cloud.yaml")
    data = base.model_dump(mode="python")
    data["tiers"][2]["credits"]["bands"][0]["credit_pct"] = 15
    data["exclusions"]["causes"].append("third_party")
    redline = Contract.model_validate(data)
    scenario = load_scenario(SAMPLES / "scenarios" / "baseline.yaml")
    return compare(base, redline, scenario, 600, 2)


def rows_of(sheet) -> dict[str, tuple]:
    return {r[0]: r[1:] for r in sheet.iter_rows(values_only=True) if r and r[0]}


@needs_office
def test_libreoffice_recalculates_the_redline_formulas_to_the_engines_values(
    found, office, tmp_path
):
    out = tmp_path / "redline.xlsx"
    save_workbook(out, simulation=found.redline, redline=found)
    book = openpyxl.load_workbook(convert(office, out, "xlsx", tmp_path / "calc"), data_only=True)
    rows = rows_of(book["Redline"])
    series = [*found.tiers, found.portfolio]
    means = rows["Difference of the means (formula)"]
    for i, d in enumerate(series):
        assert rows["Difference: mean"][i] == pytest.approx(d.mean)
        assert means[i] == pytest.approx(d.redline_mean - d.base_mean)
        assert means[i] == pytest.approx(d.mean, abs=1e-6)
    for step in found.steps:
        spread = rows[step.label][4]
        assert spread == pytest.approx(step.spread)
    assert len(found.steps) == 2


def test_the_histogram_holds_every_trial_between_the_extremes(found):
    d = found.portfolio.per_trial
    bins = difference_histogram(d)
    assert sum(n for _, _, n in bins) == len(d)
    assert bins[0][0] == d.min() and bins[-1][1] == d.max()
    assert difference_histogram(d * 0) == [(0.0, 0.0, len(d))]
