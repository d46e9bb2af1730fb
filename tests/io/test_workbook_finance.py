"""The Credit memos and Layers sheets, recalculated by LibreOffice: the memos' total formula
reconciles to the replay (difference 0), and the layer formulas over the trials give the engine's
figures, also after a retention is edited."""

from __future__ import annotations

import openpyxl
import pytest

from slamodeler.domain.layers import Layer, parse_layer
from slamodeler.engine.layers import layer_figures
from slamodeler.services.credit_memos import memos_files, save_memos_workbook
from slamodeler.services.layers import layer_set, save_layers_workbook
from slamodeler.services.simulate import simulate_files
from slamodeler.services.simulation_session import SimulationRequest
from tests.helpers.office import convert, needs_office, office_profile
from tests.helpers.paths import MAPPINGS, SAMPLES, SHARED_DATA


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    return office_profile(tmp_path_factory)


def _rows(office, tmp_path, book, sheet):
    calc = convert(office, book, "xlsx", tmp_path / "calc")
    return list(openpyxl.load_workbook(calc, data_only=True)[sheet].iter_rows(values_only=True))


@needs_office
@pytest.mark.parametrize(
    ("contract", "incidents", "mapping"),
    [
        ("three_tier_cloud.yaml", SAMPLES / "incidents_sample.csv", None),
        (
            "real/cloudflare_business.yaml",
            SHARED_DATA / "cloud_provider_status_incidents_2018_2020.csv",
            MAPPINGS / "cloud_status_2018_2020.yaml",
        ),
    ],
)
def test_the_memos_total_formula_reconciles_to_the_replay(
    office, tmp_path, contract, incidents, mapping
):
    run, memos = memos_files(SAMPLES / contract, incidents, mapping=mapping)
    book = tmp_path / "memos.xlsx"
    save_memos_workbook(book, run, memos)
    rows = _rows(office, tmp_path, book, "Credit memos")
    total = float(sum(m.credit for m in memos))
    assert rows[3][1] == pytest.approx(total, abs=0.001)
    assert rows[5][1] == 0  # the difference from the replay's total
    assert rows[7][0] == memos[0].memo and rows[7][8] == float(memos[0].credit)


@needs_office
def test_the_layer_formulas_give_the_engines_figures_and_follow_an_edited_retention(
    office, tmp_path
):
    request = SimulationRequest(400, 2)
    run = simulate_files(
        SAMPLES / "three_tier_cloud.yaml", SAMPLES / "scenarios" / "baseline.yaml", request
    )
    layers = [parse_layer("100kxs250k"), parse_layer("unlimitedxs400k")]
    found = layer_set(run, layers)
    book = tmp_path / "layers.xlsx"
    save_layers_workbook(book, run, found)
    rows = _rows(office, tmp_path, book, "Layers")
    assert rows[3][1] == 400
    for fig, row in zip(found.figures, rows[7:9], strict=True):
        assert row[0] == fig.layer.label
        assert row[3] == pytest.approx(fig.expected, rel=1e-9, abs=1e-6)
        assert row[4] == pytest.approx(fig.p_attach) and row[5] == pytest.approx(fig.p_exhaust)
        assert row[6] == pytest.approx(fig.expected)  # the engine's value beside the formula
    # a negotiator moves the first retention to 300k: the formulas follow
    edited = openpyxl.load_workbook(book)
    edited["Layers"]["B8"] = 300_000
    edited.save(book)
    rows = _rows(office, tmp_path, book, "Layers")
    want = layer_figures(found.credits, Layer(300_000, 100_000))
    assert rows[7][3] == pytest.approx(want.expected, rel=1e-9, abs=1e-6)
    assert rows[7][4] == pytest.approx(want.p_attach)
    assert 0 < want.p_attach < 1  # the edit moved the layer into the distribution
