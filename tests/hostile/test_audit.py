"""Hostile inputs to the audit trail's anchors: a malformed head hash, an entry that is not in
the chain, a key file that is missing, not a key, or in the way of a new one."""

from __future__ import annotations

from pathlib import Path

import pytest

from slamodeler.cli.main import main
from tests.helpers.hostile_inputs import hostile


@pytest.fixture
def ws(tmp_path: Path, capsys) -> Path:
    path = tmp_path / "w.slamws"
    assert main(["ws", "init", "--ws", str(path), "--author", "ana"]) == 0
    capsys.readouterr()
    return path


@pytest.mark.parametrize(
    "head", ["", "abc", "0" * 63, "g" * 64, "x:" + "0" * 64, "1:" + "0" * 65, "-1:" + "0" * 64]
)
def test_a_malformed_expected_head_is_refused(ws, capsys, head):
    hostile(capsys, "ws", "verify", "--ws", ws, f"--expect-head={head}", names="--expect-head")


def test_a_head_at_an_entry_not_in_the_chain_is_refused(ws, capsys):
    _, _, err = hostile(capsys, "ws", "head", "--ws", ws, "--at", 5, names="--at 5")
    assert "entries 1 to 1" in err


def test_a_missing_key_file_is_refused_with_the_way_to_make_one(ws, tmp_path, capsys):
    missing = tmp_path / "nokey"
    _, _, err = hostile(capsys, "ws", "verify", "--ws", ws, "--key-file", missing,
                        names=str(missing))  # fmt: skip
    assert "ws keygen" in err


def test_a_missing_key_named_by_the_environment(ws, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SLAMODELER_SIGNING_KEY", str(tmp_path / "gone"))
    hostile(capsys, "ws", "list", "--ws", ws, names=["$SLAMODELER_SIGNING_KEY", "gone"])


@pytest.mark.parametrize(
    "content",
    ["", "not hex at all", "00" * 8, "\u00e9" * 64],
    ids=["empty", "text", "short", "utf8"],
)
def test_a_file_that_is_not_a_key_is_refused(ws, tmp_path, capsys, content):
    key = tmp_path / "bad.key"
    key.write_text(content, encoding="utf-8")
    hostile(capsys, "ws", "verify", "--ws", ws, "--key-file", key, names=str(key))


def test_a_folder_or_a_huge_file_as_the_key(ws, tmp_path, capsys):
    hostile(capsys, "ws", "verify", "--ws", ws, "--key-file", tmp_path, names=str(tmp_path))
    big = tmp_path / "big.key"
    big.write_text("00" * 10_000)
    hostile(capsys, "ws", "import-contract", "--ws", ws, "--key-file", big, "x.yaml",
            names=str(big))  # fmt: skip


def test_keygen_never_overwrites(tmp_path, capsys):
    key = tmp_path / "k"
    key.write_text("precious")
    hostile(capsys, "ws", "keygen", key, names=str(key))
    assert key.read_text() == "precious"
    hostile(capsys, "ws", "keygen", tmp_path / "no" / "such" / "k", names="no/such/k")
