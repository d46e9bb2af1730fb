"""CSV incident files whose header or rows do not line up as they look: invisible characters in
a header name, rows with more cells than the header, line breaks that are a lone carriage
return. Each is read as it looks or refused naming the file, row and fix, the same by both CSV
readers (``csv.reader`` and the compiled one, forced here on small files); each once lost a
column or a value without a word (or gave a wrong message)."""

from __future__ import annotations

from pathlib import Path

import pytest

from slamodeler.engine import compiled_kernels
from slamodeler.io import csv_cells
from tests.helpers.hostile_inputs import hostile

CONTRACT = """format: slamodeler/v1
name: Import demo
currency: USD
timezone: UTC
term: {start: 2024-01-01}
exclusions:
  causes: [maintenance]
tiers:
  - name: Standard
    target_pct: 99.9
    monthly_fee: 1000
    scope: {services: [Compute]}
    credits: {kind: bands, bands: [{below: 99.9, credit_pct: 10}]}
"""
T1 = "2024-04-02T10:00:00Z,2024-04-02T11:00:00Z"
T2 = "2024-04-03T10:00:00Z,2024-04-03T11:00:00Z"


@pytest.fixture(params=["csv.reader", "compiled"])
def lane(request, monkeypatch: pytest.MonkeyPatch) -> str:
    """Which CSV reader reads the files: ``csv.reader``, or the compiled one (every file offered
    to it, however small)."""
    if request.param == "compiled":
        if compiled_kernels.compiled("csv", csv_cells._load) is None:
            pytest.skip("numba cannot compile here")
        monkeypatch.setattr(csv_cells, "FAST_BYTES", 0)
    return request.param


@pytest.fixture
def contract(tmp_path: Path) -> Path:
    path = tmp_path / "demo.yaml"
    path.write_text(CONTRACT, encoding="utf-8")
    return path


def _export(tmp_path: Path, data: bytes | str, lane: str, compiled: bool = True) -> Path:
    """The file, and (``compiled``) a check that the lane chosen reads it: the compiled reader
    takes it, or leaves it to ``csv.reader`` when the lane is that one."""
    path = tmp_path / "export.csv"
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    if compiled:
        taken = csv_cells.read_csv_cells(path, "auto") is not None
        assert taken == (lane == "compiled")
    return path


@pytest.mark.parametrize(
    ("header", "character"),
    [
        ("id,start,end,impact,service\u200b", "zero-width space after a name"),
        ("\ufeffid,start,end,impact,service", "a byte-order mark saved twice"),
        ("id,start,end,impact,ser\u200dvice", "zero-width joiner inside a name"),
        ("id,\u200estart,end,impact,service", "left-to-right mark before a name"),
        ("id,start,end,impact,\u00a0service\u2060", "no-break space and word joiner"),
    ],
)
def test_a_header_name_with_invisible_characters_is_found_as_it_looks(
    tmp_path, capsys, contract, lane, header, character
):
    text = f"\ufeff{header}\nB1,{T1},full,Storage\nB2,{T2},full,Compute\n"
    export = _export(tmp_path, text, lane)
    code, out, _ = hostile(capsys, "replay", contract, export, "--explain")
    assert code == 0, character
    # Storage is out of the tier's scope: only B2, by its id, counts.
    assert "- B2 (row 3): 60 min counted" in out and "B1" not in out, character
