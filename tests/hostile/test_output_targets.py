"""Outputs named at something that is not a file: a device or a pipe is written into as it is
(``-o /dev/null`` discards, a pipe passes the bytes on), never renamed over, and a pipe nothing
reads from, a full device, a disk or a socket is refused, naming the option and the path
(io/output_files.py). ``ws init`` on one refuses and leaves it as it was. Devices are made in the
test's folder (``mknod``: as root, as CI runs), never the system's own."""

from __future__ import annotations

import os
import socket
import stat
import threading
from pathlib import Path

import pytest

from slamodeler.cli.main import main
from slamodeler.domain.errors import InputError
from slamodeler.io.output_files import write_text_atomic
from tests.helpers.hostile_inputs import hostile
from tests.helpers.paths import SAMPLES

CONTRACT = SAMPLES / "three_tier_cloud.yaml"
INCIDENTS = SAMPLES / "incidents_sample.csv"
as_root = pytest.mark.skipif(os.geteuid() != 0, reason="mknod makes a device as root only")


def _device(folder: Path, name: str, minor: int) -> Path:
    """A character device of the memory driver (1): 3 is null (takes everything), 7 full
    (every write fails: no space)."""
    path = folder / name
    os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
    return path


def _read_from(pipe: Path) -> tuple[threading.Thread, list[bytes]]:
    """A reader of ``pipe``, started: what it read, once joined."""
    got: list[bytes] = []

    def read() -> None:
        with open(pipe, "rb") as stream:
            got.append(stream.read())

    reader = threading.Thread(target=read, daemon=True)  # never holds the tests up
    reader.start()
    return reader, got


@as_root
@pytest.mark.parametrize(
    "argv",
    [
        ("memos", CONTRACT, INCIDENTS, "-o", "{out}.csv"),
        ("export", CONTRACT, INCIDENTS, "--out", "{out}.xlsx"),
        ("replay", CONTRACT, INCIDENTS, "--xlsx", "{out}.xlsx"),
    ],
    ids=["memos", "export", "replay-xlsx"],
)
def test_a_device_that_takes_everything_is_written_into_and_stays_a_device(capsys, tmp_path, argv):
    out = str(tmp_path / "sink")
    name = Path(argv[-1].format(out=out)).name
    device = _device(tmp_path, name, 3)
    code, _, err = hostile(capsys, *argv[:-1], device)
    assert code == 0, err
    assert stat.S_ISCHR(device.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # no temporary left


@as_root
def test_a_full_device_is_refused_naming_the_option(capsys, tmp_path):
    """The memos are worked out (their rows counted on stderr) before the write fails."""
    device = _device(tmp_path, "full.csv", 7)
    code = main(["memos", str(CONTRACT), str(INCIDENTS), "-o", str(device)])
    last = capsys.readouterr().err.splitlines()[-1]
    assert code == 2
    assert (
        last == f"slamodeler: -o {device}: cannot write the credit memos (No space left on device)"
    )
    assert stat.S_ISCHR(device.stat().st_mode)


def test_a_pipe_gets_the_bytes_and_stays_a_pipe(capsys, tmp_path):
    pipe = tmp_path / "memos.csv"
    os.mkfifo(pipe)
    reader, got = _read_from(pipe)
    code, _, err = hostile(capsys, "memos", CONTRACT, INCIDENTS, "-o", pipe)
    reader.join(timeout=60)
    assert code == 0, err
    file = tmp_path / "file.csv"
    assert hostile(capsys, "memos", CONTRACT, INCIDENTS, "-o", file)[0] == 0
    assert got == [file.read_bytes()]
    assert stat.S_ISFIFO(pipe.stat().st_mode)


def test_a_pipe_nothing_reads_from_is_refused_not_waited_on(capsys, tmp_path):
    pipe = tmp_path / "book.xlsx"
    os.mkfifo(pipe)
    code, _, err = hostile(capsys, "export", CONTRACT, INCIDENTS, "--out", pipe, names=str(pipe))
    assert code == 2
    assert "nothing reads from the pipe" in err
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx"]


def _pipe(folder: Path, name: str) -> Path:
    path = folder / name
    os.mkfifo(path)
    return path


@pytest.mark.parametrize(
    "make",
    [pytest.param(lambda f, n: _device(f, n, 3), marks=as_root, id="device"), _pipe],
    ids=["device", "pipe"],
)
def test_ws_init_on_a_device_or_a_pipe_refuses_and_leaves_it(capsys, tmp_path, make):
    """A zero-size device was taken for an empty file to take over, and deleted on failing."""
    path = make(tmp_path, "w.slamws")
    kind = stat.S_IFMT(path.stat().st_mode)
    code, _, err = hostile(capsys, "ws", "init", "--ws", path, names=str(path))
    assert code == 2
    assert "not a file" in err
    assert stat.S_IFMT(path.stat().st_mode) == kind
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.slamws"]


def test_a_socket_is_refused_and_left(tmp_path):
    path = tmp_path / "s.csv"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        with pytest.raises(InputError, match=r"^-o .*s\.csv: is not a file"):
            write_text_atomic(path, "a,b\n", "-o", "credit memos")
        assert stat.S_ISSOCK(path.stat().st_mode)


def test_a_pipe_named_as_a_workspace_is_refused_not_read_forever(capsys, tmp_path):
    pipe = tmp_path / "w.slamws"
    os.mkfifo(pipe)
    code, _, err = hostile(capsys, "ws", "list", "--ws", pipe, names=str(pipe))
    assert code == 2
    assert "not a file" in err
    assert stat.S_ISFIFO(pipe.stat().st_mode)
