"""The files the user names are written whole or not at all (io/output_files.py): credit memos,
scenarios, contracts, OpenSLO files, compliance reports and workbooks go through one rule, tested
here where a write can be made to fail."""

from __future__ import annotations

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
