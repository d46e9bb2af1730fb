"""A full disk when the writer lock file is made or written: exit 2 naming the lock file and the
fix, and nothing left behind by a `ws init` that could not start. The disk is made full by
making the lock file's writes fail with ENOSPC, as a full disk does."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from slamodeler.store import lock
from slamodeler.store.workspace import Workspace
from tests.helpers.hostile_inputs import hostile
from tests.helpers.workspace import sample_contract

FULL = "No space left on device"


@pytest.fixture
def full_disk(monkeypatch):
    def write(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(lock.os, "write", write)


def test_init_on_a_full_disk_is_refused_and_leaves_nothing(tmp_path, capsys, full_disk):
    path = tmp_path / "new.slamws"
    _, _, err = hostile(capsys, "ws", "init", "--ws", path, names=[str(path), "new.slamws.lock"])
    assert FULL in err and "free some space" in err
    assert list(tmp_path.iterdir()) == []


def test_a_writer_on_a_full_disk_is_refused_and_the_workspace_is_kept(
    tmp_path, capsys, monkeypatch
):
    path = tmp_path / "w.slamws"
    with Workspace.create(path, "ana") as ws:
        ws.add_version("c", sample_contract(), "ana", "first")

    def full(*args: object, **kwargs: object):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(lock, "open", full, raising=False)  # the lock file cannot even be made
    lock_file = path.with_name("w.slamws.lock")
    lock_file.unlink()
    _, _, err = hostile(capsys, "ws", "submit", "c@1", "--ws", path, names=[str(path)])
    assert FULL in err and "free some space" in err
    monkeypatch.undo()
    with Workspace.open(path) as ws:  # and once there is room, it is whole and free
        assert ws.verify().ok
        assert [c.key for c, _ in ws.contracts()] == ["c"]


def test_a_failed_init_removes_the_lock_file_it_made(tmp_path, capsys, monkeypatch):
    """Any failure of `ws init` after the lock was taken (here SQLite cannot create the file)."""
    path = tmp_path / "new.slamws"

    def refuse(*args: object, **kwargs: object):
        raise OSError(errno.ENOSPC, FULL)

    monkeypatch.setattr("slamodeler.store.workspace.open_engine", refuse)
    with pytest.raises(OSError):
        Workspace.create(path, "ana")
    assert list(tmp_path.iterdir()) == []


def test_a_lock_file_deleted_by_its_holder_is_not_locked_by_a_late_comer(tmp_path):
    """A writer that opened the lock file just before a failed `ws init` deleted it locks the
    file now at that place, not the deleted one, so two writers never hold two files."""
    path = tmp_path / "w.slamws"
    first = lock.WriterLock(path)
    stale = open(first.path, "a+", encoding="utf-8")  # noqa: SIM115 (opened before the delete)
    first.acquire()
    first.release()  # no workspace beside it: deleted
    assert not first.path.exists()
    opened = iter([stale])
    real_open = open

    def open_stale_first(file: Path, *args: object, **kwargs: object):
        return next(opened, None) or real_open(file, *args, **kwargs)

    late = lock.WriterLock(path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(lock, "open", open_stale_first, raising=False)
        late.acquire()
    assert first.path.exists()
    with pytest.raises(lock.WorkspaceLocked):
        lock.WriterLock(path).acquire()
    late.release()
