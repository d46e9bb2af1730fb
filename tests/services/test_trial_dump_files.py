"""The files of ``simulate --dump-trials`` are written whole or not at all
(io/output_files.py): a write that fails part-way leaves the file that was there, or none, and
no temporary file, and a read-only ticket file is not replaced."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from slamodeler.domain.errors import InputError
from slamodeler.engine.simulation import SimulationRun, simulate
from slamodeler.io.contract_file import load_contract
from slamodeler.io.scenario_file import load_scenario
from slamodeler.services import simulate as simulate_service
from slamodeler.services import ticket_dump
from tests.helpers.ticket_terms import SUPPORT_CONTRACT, TICKETS_SCENARIO


@pytest.fixture
def run(tmp_path: Path) -> SimulationRun:
    contract, scenario = tmp_path / "support.yaml", tmp_path / "tickets.yaml"
    contract.write_text(SUPPORT_CONTRACT, encoding="utf-8")
    scenario.write_text(TICKETS_SCENARIO, encoding="utf-8")
    return simulate(load_contract(contract), load_scenario(scenario), 4, 5)


def _fails_half_way(path: Path, **rows: object) -> None:
    path.write_text("id,start,end\n1,2027-01-0", encoding="utf-8")
    raise OSError(28, "No space left on device")


def test_a_trial_file_that_fails_half_way_is_not_left_half_written(run, tmp_path, monkeypatch):
    folder = tmp_path / "dumped"
    folder.mkdir()
    (folder / "trial-000001.csv").write_text("old", encoding="utf-8")
    monkeypatch.setattr(simulate_service, "write_incidents_csv", _fails_half_way)
    with pytest.raises(InputError, match=r"^--dump-dir .*trial-000000.csv: cannot write the tri"):
        simulate_service.dump_trials(run, 2, folder)
    assert [p.name for p in folder.iterdir()] == ["trial-000001.csv"]
    assert (folder / "trial-000001.csv").read_text(encoding="utf-8") == "old"


def test_a_ticket_file_that_fails_half_way_is_not_left_half_written(run, tmp_path, monkeypatch):
    folder = tmp_path / "dumped"
    folder.mkdir()
    monkeypatch.setattr(ticket_dump, "write_tickets_csv", _fails_half_way)
    with pytest.raises(InputError, match=r"^--dump-dir .*-tickets.csv: cannot write the trial's"):
        ticket_dump.dump_tickets(run, 1, folder)
    assert list(folder.iterdir()) == []


def test_a_read_only_ticket_file_is_not_replaced(run, tmp_path):
    folder = tmp_path / "dumped"
    folder.mkdir()
    kept = folder / "trial-000000-tickets.csv"
    kept.write_text("kept", encoding="utf-8")
    kept.chmod(stat.S_IRUSR)
    with pytest.raises(InputError, match=r"-tickets.csv: is read-only, so it is not replaced"):
        ticket_dump.dump_tickets(run, 1, folder)
    assert kept.read_text(encoding="utf-8") == "kept"


def test_dumped_files_are_written_whole(run, tmp_path):
    folder = tmp_path / "dumped"
    written = simulate_service.dump_trials(run, 2, folder)
    ticket_dump.dump_tickets(run, 2, folder)
    assert [p.name for p in written] == ["trial-000000.csv", "trial-000001.csv"]
    assert sorted(p.name for p in folder.iterdir()) == [
        "trial-000000-tickets.csv",
        "trial-000000.csv",
        "trial-000001-tickets.csv",
        "trial-000001.csv",
    ]
    assert written[0].read_text(encoding="utf-8").startswith("id,start,end,impact")
