"""The Vendor sheet (`vendor --xlsx`): the replays' figures per period, and its formulas (the
gap, the totals, the periods met, the simulated periods' gaps) recalculated by LibreOffice to
the engine's values."""

from __future__ import annotations

import openpyxl
import pytest

from slamodeler.domain.simulation_request import SimulationRequest
from slamodeler.services.vendor import save_vendor_workbook, vendor_files
from tests.helpers.office import convert, needs_office, office_profile
from tests.helpers.paths import SAMPLES


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    return office_profile(tmp_path_factory)


@needs_office
def test_libreoffice_recalculates_the_vendor_formulas_to_the_engines_values(office, tmp_path):
    found = vendor_files(
        SAMPLES / "three_tier_cloud.yaml",
        SAMPLES / "vendor" / "cloud_region_sla.yaml",
        SAMPLES / "vendor" / "cloud_incidents.csv",
        SAMPLES / "scenarios" / "baseline.yaml",
        SimulationRequest(300, 3),
    )
    out = tmp_path / "vendor.xlsx"
    save_vendor_workbook(out, found)
    book = openpyxl.load_workbook(convert(office, out, "xlsx", tmp_path / "calc"), data_only=True)
    rows = {r[0]: r[1:] for r in book["Vendor"].iter_rows(values_only=True) if r and r[0]}
    r = found.replayed
    for p in r.periods:
        we_owe, vendor_owes, gap, met = rows[p.period][:4]
        assert (we_owe, vendor_owes, gap) == pytest.approx(
            (float(p.we_owe), float(p.vendor_owes), float(p.gap))
        )
        assert met == ("yes" if all(p.vendor_met.values()) else "no")
    total = rows["Total"][:4]
    assert total == pytest.approx((float(r.we_owe), float(r.vendor_owes), float(r.gap), 2))
    assert rows["Region"][:4] == pytest.approx((99.99, 6, 2, 24000))
    assert found.simulated is not None
    for label, ours, theirs in found.simulated.by_period():  # the simulated periods' gaps
        assert rows[label][:3] == pytest.approx((ours, theirs, ours - theirs))
