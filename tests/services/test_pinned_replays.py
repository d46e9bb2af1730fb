"""Replays pinned as they were before the incident import kept incidents as columns
(tests/data/pinned_replays/expected.json.xz): the replay JSON of every sample and real contract
on the sample incident files and on the two real histories (../shared/data), import report
included, must stay what it was, to the cent and to the row."""

from __future__ import annotations

import json
import lzma
from typing import Any

import pytest

from slamodeler.domain.errors import InputError
from slamodeler.engine import compiled_kernels
from slamodeler.io import csv_cells
from slamodeler.services.replay import replay_files, replay_json
from tests.helpers.paths import MAPPINGS, SAMPLES, SHARED_DATA, TEST_DATA

EXPECTED = json.loads(
    lzma.decompress((TEST_DATA / "pinned_replays" / "expected.json.xz").read_bytes())
)
HISTORIES = {
    "sample_contracts/incidents_sample.csv": (SAMPLES / "incidents_sample.csv", None),
    "sample_contracts/vendor/cloud_incidents.csv": (
        SAMPLES / "vendor" / "cloud_incidents.csv",
        None,
    ),
    "SHARED/github_status_incidents_2022_2026.csv": (
        SHARED_DATA / "github_status_incidents_2022_2026.csv",
        MAPPINGS / "github_status_2022_2026.yaml",
    ),
    "SHARED/cloud_provider_status_incidents_2018_2020.csv": (
        SHARED_DATA / "cloud_provider_status_incidents_2018_2020.csv",
        MAPPINGS / "cloud_status_2018_2020.yaml",
    ),
}


def replayed(contract: str, history: str) -> dict[str, Any]:
    """The replay JSON (engine version and source path left out), or the refusal's message."""
    incidents, mapping = HISTORIES[history]
    try:
        run = replay_files(SAMPLES / contract, incidents, mapping=mapping, skip_bad_rows=True)
    except InputError as exc:
        return {"refused": str(exc).replace(str(SAMPLES), "SAMPLES")}
    out = replay_json(run.result, run.incidents.report)
    out["engine_version"] = None
    out["incidents"]["source"] = None
    return out


def test_every_sample_and_real_contract_and_history_is_pinned():
    contracts = {
        p.relative_to(SAMPLES).as_posix()
        for p in SAMPLES.glob("**/*.yaml")
        if not {"mappings", "scenarios"} & set(p.parts)
    }
    assert {tuple(key.split(" @ ")) for key in EXPECTED} == {
        (c, h) for c in contracts for h in HISTORIES
    }


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_a_replay_gives_the_pinned_json(key: str):
    contract, history = key.split(" @ ")
    assert replayed(contract, history) == EXPECTED[key]


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_the_compiled_csv_reader_gives_the_pinned_json(key: str, monkeypatch: pytest.MonkeyPatch):
    """Every history read as a large file is: the sample ones (no quote) and the real ones
    (titles quoted, with commas and doubled quotes inside), all read by the compiled reader."""
    if compiled_kernels.compiled("csv", csv_cells._load) is None:
        pytest.skip("numba cannot compile here")
    monkeypatch.setattr(csv_cells, "FAST_BYTES", 0)
    contract, history = key.split(" @ ")
    assert csv_cells.read_csv_cells(HISTORIES[history][0], "auto") is not None
    assert replayed(contract, history) == EXPECTED[key]
