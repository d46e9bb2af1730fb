"""Open an input file only when it is a regular file of a sensible size: a named pipe would block
the read forever, a device such as /dev/zero would fill the memory, and a file far larger than
any real contract or export is a mistake to report, not a reason to run out of memory."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from slamodeler.domain.errors import InputError

MB = 1_000_000


@dataclass(frozen=True)
class InputKind:
    """A kind of input file: what messages call it, its size limit, and what to do about a file
    over the limit."""

    what: str
    limit: int
    advice: str = "check that it is the right file"


YAML_LIMIT = 10 * MB
CONTRACT = InputKind("contract file", YAML_LIMIT)
SCENARIO = InputKind("scenario file", YAML_LIMIT)
MAPPING = InputKind("mapping file", YAML_LIMIT)
INCIDENTS = InputKind(
    "incident file", 200 * MB, "check that it is the right file, or export fewer months per file"
)
TICKETS = InputKind(
    "ticket file", 200 * MB, "check that it is the right file, or export fewer months per file"
)

_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def open_input(path: Path, kind: InputKind) -> BinaryIO:
    """``path`` opened for reading in binary, after checking that it is a regular file within
    ``kind``'s size limit."""
    what = kind.what
    try:
        # Non-blocking: opening a named pipe with no writer would otherwise wait forever.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except (FileNotFoundError, NotADirectoryError):
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise _folder(path, what) from None
    except PermissionError:
        raise InputError(
            f"{path}: cannot be read (permission denied); allow yourself to read it "
            f"(its permissions) or copy the {what} to a folder of yours"
        ) from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        mode, size = (info := os.fstat(fd)).st_mode, info.st_size
        if stat.S_ISDIR(mode):
            raise _folder(path, what)
        if not stat.S_ISREG(mode):
            found = next((name for test, name in _KINDS if test(mode)), "a special file")
            raise InputError(
                f"{path}: is {found}, not a regular file; save the {what} to a file and give "
                "that file's path"
            )
        if size > kind.limit:
            raise too_large(path, kind)
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


def read_input(path: Path, kind: InputKind) -> bytes:
    """The bytes of ``path``, checked as ``open_input`` checks it (and read no further than the
    limit, should the file grow meanwhile)."""
    with open_input(path, kind) as handle:
        try:
            data = handle.read(kind.limit + 1)
        except OSError as exc:
            raise InputError(f"{path}: cannot be read ({exc.strerror})") from None
    if len(data) > kind.limit:
        raise too_large(path, kind)
    return data


# A workbook is a zip of XML parts. Its packed size says little about what reading it costs: XML
# of repeated cells packs 10 to 1,000 times smaller. A full sheet of a typical export (1,048,576
# rows of eight cells) unpacks to about 500 MB; a 1.5 MB file unpacking to one 1.5 GB cell filled
# 4.6 GB of memory. The sizes are those the zip declares, which its reader never reads past.
UNPACKED_LIMIT = 1_000 * MB


def check_unpacked_size(handle: BinaryIO, path: Path, kind: InputKind) -> None:
    """Refuse a workbook (a zip, open in ``handle``) whose parts unpack to more than
    UNPACKED_LIMIT, before any is read; a file that is not a zip is left to the reader, which
    says so. ``handle`` is left at its start."""
    import zipfile

    try:
        with zipfile.ZipFile(handle) as package:
            unpacked = sum(item.file_size for item in package.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        unpacked = 0
    handle.seek(0)
    if unpacked > UNPACKED_LIMIT:
        limit = f"{UNPACKED_LIMIT // MB:,} MB"
        raise InputError(
            f"{path}: unpacks to {unpacked / MB:,.0f} MB, more than the {limit} a workbook may "
            f"hold unpacked (a full sheet of a typical export holds about 500 MB); {kind.advice}"
        )


def _folder(path: Path, what: str) -> InputError:
    return InputError(f"{path}: is a folder, not a file; give the {what}'s path")


def too_large(path: Path, kind: InputKind) -> InputError:
    size = f"{kind.limit // MB} MB"
    return InputError(
        f"{path}: larger than {size} ({kind.what}s are {size} at most); {kind.advice}"
    )
