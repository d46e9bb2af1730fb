"""The Dispute sheet recalculated by LibreOffice: each disputed period's difference in minutes
and credit at stake (formulas over the two replays' values) come back as the engine's."""

from __future__ import annotations

import openpyxl
import pytest

from slamodeler.services.dispute import dispute_files, save_dispute_workbook
from tests.helpers.dispute_sets import CONTRACT, OURS, write_claim
from tests.helpers.office import convert, needs_office, office_profile


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    return office_profile(tmp_path_factory)


@needs_office
def test_libreoffice_recalculates_the_differences_to_the_engines(office, tmp_path):
    contract, ours, found = dispute_files(CONTRACT, OURS, write_claim(tmp_path))
    out = tmp_path / "answer.xlsx"
    save_dispute_workbook(out, contract, ours, found, CONTRACT.name)
    book = openpyxl.load_workbook(convert(office, out, "xlsx", tmp_path / "calc"), data_only=True)
    assert book.sheetnames[:2] == ["Summary", "Dispute"]
    rows = list(
        book["Dispute"].iter_rows(min_row=5, max_row=4 + len(found.periods), values_only=True)
    )
    assert [(r[0], r[1]) for r in rows] == [(p.tier, p.period) for p in found.periods]
    for r, p in zip(rows, found.periods, strict=True):
        assert r[4] == pytest.approx(float(p.difference))
        assert r[7] == pytest.approx(float(p.at_stake))
    assert sum(r[7] for r in rows) == pytest.approx(400)
