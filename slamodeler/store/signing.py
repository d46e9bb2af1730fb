"""Signing audit entries with a key kept outside the workspace (HMAC-SHA256, stdlib only).

Anyone who can read the code can rewrite the hash chain; nobody without the key can make the
MACs of a rewritten chain. Each entry written while a key is given stores HMAC(key, its hash);
its hash covers the previous entry's, so a valid MAC on the last entry vouches for the whole
chain before it. The key file holds the key as hex text (``slamodeler ws keygen``).
"""

from __future__ import annotations

import hmac
import os
import secrets
import stat
from hashlib import sha256
from pathlib import Path

from slamodeler.domain.errors import InputError

KEY_BYTES = 32
MAX_KEY_FILE = 4096
ENV = "SLAMODELER_SIGNING_KEY"
_DOMAIN = b"slamodeler-audit/v1\n"


def mac(key: bytes, entry_hash: str) -> str:
    return hmac.new(key, _DOMAIN + entry_hash.encode("ascii"), sha256).hexdigest()


def mac_matches(key: bytes, entry_hash: str, stored: str | None) -> bool:
    return stored is not None and hmac.compare_digest(mac(key, entry_hash), stored)


def read_key(path: str | Path, flag: str = "--key-file") -> bytes:
    """The key in ``path`` (hex text, at least 32 bytes), refused with a message naming the
    file and the fix."""
    path = Path(path)
    fix = f"make one with `slamodeler ws keygen {path}`"
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError(f"{flag} {path}: no such file; {fix}") from None
    except OSError as exc:
        raise InputError(f"{flag} {path}: cannot be read ({exc.strerror})") from None
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_KEY_FILE:
        raise InputError(f"{flag} {path}: not a key file (a small regular file); {fix}")
    try:
        text = path.read_text(encoding="ascii").strip()
        key = bytes.fromhex(text)
    except OSError as exc:
        raise InputError(f"{flag} {path}: cannot be read ({exc.strerror})") from None
    except ValueError:
        raise InputError(f"{flag} {path}: not a key file (hex text expected); {fix}") from None
    if len(key) < KEY_BYTES:
        raise InputError(
            f"{flag} {path}: the key is {len(key)} bytes, at least {KEY_BYTES} are needed; {fix}"
        )
    return key


def key_from(given: str | Path | None) -> bytes | None:
    """``--key-file``, else the file named by $SLAMODELER_SIGNING_KEY, else no key."""
    if given is not None:
        return read_key(given)
    named = os.environ.get(ENV, "").strip()
    return read_key(named, f"${ENV}") if named else None


def write_key(path: str | Path) -> Path:
    """A new random key in a new file only its owner can read (0600); an existing file is
    never replaced."""
    path = Path(path)
    try:
        fd = os.open(
            path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600
        )
    except FileExistsError:
        raise InputError(
            f"{path}: already exists; a key is never overwritten (entries signed with it could "
            "no longer be checked): choose another file name"
        ) from None
    except OSError as exc:
        raise InputError(f"{path}: cannot create the key file ({exc.strerror})") from None
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(secrets.token_hex(KEY_BYTES) + "\n")
    return path
