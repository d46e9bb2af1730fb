"""The Portfolio sheet (`portfolio --xlsx`): the engine's figures, and its formulas (shares, sums,
the diversification benefit) recalculated by LibreOffice to the engine's values."""

from __future__ import annotations

import openpyxl
import pytest

from slamodeler.engine.portfolio import price_portfolio
from slamodeler.services.portfolio import save_portfolio_workbook
from tests.helpers.builders import contract, scenario
from tests.helpers.office import convert, needs_office, office_profile


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    return office_profile(tmp_path_factory)


@pytest.fixture(scope="module")
def found():
    terms = [
        contract(name="Standard", tier={"scope": {"regions": ["us"]}}),
        contract(
            name="Enterprise",
            tier={"monthly_fee": 9000, "customers": 2, "scope": {"regions": ["us"]}},
        ),
        contract(name="Regional", tier={"scope": {"regions": ["eu"]}}),
    ]
    processes = [
        {
            "name": region,
            "frequency": {"dist": "poisson", "rate_per_month": 0.6},
            "duration_minutes": {"dist": "lognormal", "median": 120, "sigma": 1.0},
            "scope": {"region": region},
        }
        for region in ("us", "eu")
    ]
    return price_portfolio(
        terms,
        ["std@1 (approved)", "ent@3 (latest, draft)", "reg@1 (approved)"],
        scenario(processes=processes),
        3000,
        8,
    )


@needs_office
def test_libreoffice_recalculates_the_portfolio_formulas_to_the_engines_values(
    found, office, tmp_path
):
    out = tmp_path / "portfolio.xlsx"
    save_portfolio_workbook(out, found)
    book = openpyxl.load_workbook(convert(office, out, "xlsx", tmp_path / "calc"), data_only=True)
    assert book.sheetnames[:2] == ["Summary", "Portfolio"]
    assert len(openpyxl.load_workbook(out)["Portfolio"]._charts) == 1
    rows = {r[0]: r[1:] for r in book["Portfolio"].iter_rows(values_only=True) if r and r[0]}
    for m, interval in zip(found.members, found.share_intervals[0], strict=True):
        name, mean, _, _, alone, part, share, mean_share, low, high = rows[m.label][:10]
        assert (low, high) == pytest.approx(interval) and low <= part <= high
        assert name == m.name
        assert (mean, alone, part) == pytest.approx(
            (m.exposure.mean, m.exposure.tvar99, m.contribution)
        )
        assert share == pytest.approx(m.share)
        assert mean_share == pytest.approx(m.exposure.mean / found.mean)
    total = rows["Portfolio"]
    assert total[1] == pytest.approx(found.mean)
    assert total[5] == pytest.approx(found.tvar99)  # the contributions add up to its TVaR99
    assert total[6] == pytest.approx(1.0) and total[7] == pytest.approx(1.0)
    assert rows["Sum of the contracts' own TVaR99s"][0] == pytest.approx(found.standalone_tvar99)
    assert rows["Diversification benefit"][0] == pytest.approx(found.diversification)
    assert rows["Diversification benefit, share of the sum"][0] == pytest.approx(
        found.diversification_share
    )
    benefit = rows["Diversification benefit, 95% interval (low, high)"][:2]
    assert benefit == pytest.approx(found.share_intervals[1])
    assert found.diversification > 0
    top = max(found.members, key=lambda m: m.contribution)
    assert (
        rows[
            f"The other sheets hold {top.label}, the contract with the largest contribution, "
            "simulated on the same trials."
        ]
        == (None,) * 10
    )
