"""The one rule for every file the tool writes where the user says: it never replaces a file the
same command reads (``export --out`` naming the incident workbook would destroy the input), nor a
file the user made read-only (renaming a new file over it would otherwise succeed silently), nor
anything that is not a file: a device or a pipe (``-o /dev/null``, ``--out /dev/stdout``) is
written into, as it is, and a disk or a socket refused."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path

from slamodeler.domain.errors import InputError


def check_output(
    path: str | Path,
    inputs: Mapping[str, str | Path | None] | None = None,
    option: str = "",
) -> None:
    """Refuse ``path`` (given with ``option``) if it is one of ``inputs`` (what each is, e.g.
    "incident file", and its path; None for an input not given) or an existing read-only file.
    A path that does not exist yet, or a folder, is left to the writer."""
    path = Path(path)
    where = f"{option} {path}" if option else str(path)
    try:
        found = path.stat()
    except OSError:
        return
    if not stat.S_ISREG(found.st_mode):
        return
    for what, given in (inputs or {}).items():
        try:
            same = given is not None and os.path.samefile(path, given)
        except OSError:
            same = False  # an input that does not exist is not this file
        if same:
            raise InputError(
                f"{where}: is the {what} this command reads ({given}); writing there "
                "would destroy it. Give the output another name"
            )
    writable_bits = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
    if not found.st_mode & writable_bits or not os.access(path, os.W_OK):
        raise InputError(
            f"{where}: is read-only, so it is not replaced. Give the output another "
            "name, or make the file writable first if it is to be replaced"
        )


def write_text_atomic(path: str | Path, text: str, option: str, what: str) -> None:
    """Write ``text`` (``what`` it is, for messages) to ``path`` whole or not at all. A folder, a
    missing folder or a failed write is an InputError naming ``option`` and the path. The text
    is written as UTF-8 bytes, so line ends are the text's own (a CSV's CRLF stays CRLF)."""
    data = text.encode("utf-8")
    write_file_atomic(path, lambda tmp: tmp.write_bytes(data), option, what)


def write_file_atomic(
    path: str | Path, write: Callable[[Path], object], option: str, what: str
) -> None:
    """What ``write_text_atomic`` does, for a writer that writes a file itself (``write`` is
    given the temporary file's path): refused in a folder, a missing folder or over a read-only
    file, then written whole or not at all."""
    path = Path(path)
    where = f"{option} {path}" if option else str(path)
    if path.is_dir() or not path.parent.is_dir():
        raise InputError(
            f"{where}: cannot write the {what} there; give a file name in a folder that exists"
        )
    check_output(path, None, option)
    replace_atomically(path, write, where, what)


def replace_atomically(path: Path, write: Callable[[Path], object], where: str, what: str) -> None:
    """Run ``write`` on a new file beside ``path`` and rename it over ``path``: a failed or
    interrupted write leaves neither a partial file nor a stray temporary one. A file replaced
    keeps its permission bits (a group-writable 0664 stays so, not the umask's 0644), and a
    symbolic link keeps pointing where it did: the file it leads to is the one replaced. An
    OSError is an InputError naming ``where`` (the option and path). Where ``path`` is not a
    file, nothing is renamed over it: a character device or a pipe is written into
    (``_write_into``), anything else refused."""
    try:
        mode = path.stat().st_mode
    except OSError:
        mode = stat.S_IFREG  # nothing there yet (or a dangling link): a new file
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        _write_into(path, write, where, what)
        return
    if not stat.S_ISREG(mode):
        raise InputError(
            f"{where}: is not a file (a disk, a socket or another device), so nothing is written "
            f"there; give the {what} a file name"
        )
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        write(tmp)
        _keep_mode(target, tmp)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(
            f"{where}: cannot write the {what} ({exc.strerror or exc}); choose a folder you "
            "can write to"
        ) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _write_into(path: Path, write: Callable[[Path], object], where: str, what: str) -> None:
    """``write`` on a file in a temporary folder (of ``path``'s name: writers read the format
    from its suffix), then its bytes written into the device or pipe ``path`` as it is: opened
    without waiting, so that a pipe nothing reads from is refused rather than waited on."""
    with tempfile.TemporaryDirectory(prefix="slamodeler-") as folder:
        tmp = Path(folder) / path.name
        try:
            write(tmp)
            data = tmp.read_bytes()
            fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as exc:
            reason = (
                "nothing reads from the pipe"
                if exc.errno == errno.ENXIO
                else (exc.strerror or str(exc))
            )
            raise InputError(f"{where}: cannot write the {what} ({reason})") from None
    try:
        os.set_blocking(fd, True)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
    except OSError as exc:
        raise InputError(f"{where}: cannot write the {what} ({exc.strerror or exc})") from None


def _keep_mode(target: Path, new: Path) -> None:
    """Give ``new`` the permission bits of ``target`` if it exists (a new file has the umask's)."""
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        return
    os.chmod(new, mode)
