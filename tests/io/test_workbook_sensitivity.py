"""The Sensitivity sheet (`sensitivity --xlsx`): the tornado's and the spider's figures as the
engine computed them, their change and width formulas recalculated by LibreOffice to the
engine's values."""

from __future__ import annotations

import openpyxl
import pytest

from slamodeler.engine.sensitivity import TermRange, spider, tornado
from slamodeler.io.contract_file import load_contract
from slamodeler.io.scenario_file import load_scenario
from slamodeler.services.export import save_workbook
from tests.helpers.office import convert, needs_office, office_profile
from tests.helpers.paths import SAMPLES

CONTRACT = load_contract(SAMPLES / "three_tier_cloud.yaml")
SCENARIO = load_scenario(SAMPLES / "scenarios" / "baseline.yaml")
RANGES = [
    TermRange("claims.claim_rate", 0.4, 0.9),
    TermRange("tiers[Gold].credits.bands[0].credit_pct", 5, 20),
    TermRange("stress.duration", 0.8, 1.2),
]


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    return office_profile(tmp_path_factory)


def _recalculated(office, tmp_path, found):
    out = tmp_path / "sensitivity.xlsx"
    save_workbook(out, simulation=found.base, sensitivity=found)
    book = openpyxl.load_workbook(convert(office, out, "xlsx", tmp_path / "calc"), data_only=True)
    return list(book["Sensitivity"].iter_rows(values_only=True))


@needs_office
def test_libreoffice_recalculates_the_tornados_changes_and_widths(office, tmp_path):
    found = tornado(CONTRACT, SCENARIO, RANGES, 600, 3)
    rows = _recalculated(office, tmp_path, found)
    assert rows[3][:2] == ("Base: mean", pytest.approx(found.base_mean))
    header = next(i for i, r in enumerate(rows) if r[0] == "Term")
    for bar, row in zip(found.bars, rows[header + 1 :], strict=False):
        assert row[0] == bar.path
        assert row[7] == pytest.approx(bar.low.mean_change, abs=1e-6)
        assert row[9] == pytest.approx(bar.high.mean_change, abs=1e-6)
        assert row[11] == pytest.approx(bar.width(), abs=1e-6)
        assert row[14] == pytest.approx(bar.width("p99"), abs=1e-6)
    widths = [r[11] for r in rows[header + 1 : header + 1 + len(found.bars)]]
    assert widths == sorted(widths, reverse=True)


@needs_office
def test_libreoffice_recalculates_the_spiders_changes(office, tmp_path):
    found = spider(CONTRACT, SCENARIO, RANGES[0], 4, 600, 3)
    rows = _recalculated(office, tmp_path, found)
    header = next(i for i, r in enumerate(rows) if r[0] == "Value")
    for point, row in zip(found.points, rows[header + 1 :], strict=False):
        assert row[0] == pytest.approx(float(point.value))
        assert row[2] == pytest.approx(point.mean_change, abs=1e-6)
        assert row[5] == pytest.approx(point.p99_change, abs=1e-6)
