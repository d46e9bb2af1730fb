"""The files the user names are written whole or not at all (io/output_files.py): credit memos,
scenarios, contracts, OpenSLO files, compliance reports and workbooks go through one rule, tested
here where a write can be made to fail."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from slamodeler.domain.errors import InputError
from slamodeler.io.output_files import replace_atomically, write_text_atomic


def test_text_is_written_with_its_own_line_ends(tmp_path: Path) -> None:
    out = tmp_path / "memos.csv"
    write_text_atomic(out, "a,b\r\n1,2\r\n", "-o", "credit memos")
    assert out.read_bytes() == b"a,b\r\n1,2\r\n"
    assert [p.name for p in tmp_path.iterdir()] == ["memos.csv"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    out.write_text("old")

    def fails(tmp: Path) -> None:
        tmp.write_text("half")
        raise OSError(28, "No space left on device")

    with pytest.raises(InputError, match=r"^-o .*report.html: cannot write the report \(No space"):
        replace_atomically(out, fails, f"-o {out}", "report")
    assert out.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_an_interrupted_write_leaves_no_temporary_and_is_not_swallowed(tmp_path: Path) -> None:
    out = tmp_path / "book.xlsx"

    def interrupted(tmp: Path) -> None:
        tmp.write_text("half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        replace_atomically(out, interrupted, str(out), "workbook")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("where", ["folder", "missing folder"])
def test_a_folder_or_a_missing_folder_is_named_with_the_option(tmp_path: Path, where: str) -> None:
    out = tmp_path if where == "folder" else tmp_path / "nowhere" / "x.yaml"
    with pytest.raises(InputError, match=r"^--out .*: cannot write the OpenSLO file there"):
        write_text_atomic(out, "x", "--out", "OpenSLO file")


def test_a_replaced_file_keeps_its_permission_bits(tmp_path: Path) -> None:
    out = tmp_path / "trial_0.csv"
    out.write_text("old")
    out.chmod(0o664)
    write_text_atomic(out, "new", "--dump-dir", "trial's incidents")
    assert out.read_text() == "new"
    assert stat.S_IMODE(out.stat().st_mode) == 0o664
    out.chmod(0o600)
    write_text_atomic(out, "newer", "--dump-dir", "trial's incidents")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_a_new_file_has_the_umasks_permission_bits(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_text_atomic(tmp_path / "new.csv", "x", "-o", "credit memos")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.csv").stat().st_mode) == 0o640


@pytest.mark.parametrize("relative", [True, False])
def test_a_symbolic_link_stays_and_the_file_it_points_to_is_replaced(
    tmp_path: Path, relative: bool
) -> None:
    (tmp_path / "data").mkdir()
    real = tmp_path / "data" / "memos.csv"
    real.write_text("old")
    real.chmod(0o664)
    link = tmp_path / "memos.csv"
    link.symlink_to(Path("data") / "memos.csv" if relative else real)
    write_text_atomic(link, "new", "-o", "credit memos")
    assert link.is_symlink()
    assert real.read_text() == "new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o664
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["data", "memos.csv", "memos.csv"]
