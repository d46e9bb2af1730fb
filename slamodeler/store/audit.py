"""The audit log's hash chain: how an entry is hashed, and how a chain is checked.

Each entry's hash is the SHA-256 of its canonical JSON form (sequence, time, actor, action,
subject, details and the previous entry's hash), so changing, removing or moving any entry breaks
every link after it. The chain alone proves nothing against someone who rewrites every hash after
an edit with this same code: anchors outside the file catch that, a head hash kept elsewhere
(``ws verify --expect-head``) or a signing key (store/signing.py); docs/workspace.md says which
attack each one catches.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from slamodeler.store import stored_json

GENESIS = "0" * 64


def canonical_json(value: Any) -> str:
    """Keys sorted, no spaces, non-ASCII kept; what every stored hash in the workspace hashes."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def entry_hash(
    seq: int, at: str, actor: str, action: str, subject: str, details: str, prev_hash: str
) -> str:
    """``details`` is the stored JSON text; it is hashed as the value it holds."""
    return sha256(
        canonical_json(
            {
                "seq": seq,
                "at": at,
                "actor": actor,
                "action": action,
                "subject": subject,
                "details": stored_json.loads(details, f"audit entry {seq}"),
                "prev_hash": prev_hash,
            }
        )
    )


@dataclass(frozen=True)
class Entry:
    seq: int
    at: str
    actor: str
    action: str
    subject: str
    details: str  # JSON text
    prev_hash: str
    hash: str
    mac: str | None = None  # HMAC of ``hash`` with the signing key, if one was given

    @property
    def data(self) -> dict[str, Any]:
        return stored_json.loads(self.details, f"audit entry {self.seq}")


def chain_problems(entries: Iterable[Entry]) -> tuple[list[str], Entry | None]:
    """Every broken link, in order of the sequence numbers, and the last entry."""
    problems: list[str] = []
    expected_seq, prev_hash, last = 1, GENESIS, None
    for e in entries:
        if e.seq != expected_seq:
            if e.seq > expected_seq:
                missing = (
                    f"entry {expected_seq}"
                    if e.seq == expected_seq + 1
                    else f"entries {expected_seq} to {e.seq - 1}"
                )
                problems.append(f"audit entry {e.seq}: {missing} missing (deleted?)")
            else:
                problems.append(f"audit entry {e.seq}: out of sequence after {expected_seq - 1}")
        try:
            recomputed = entry_hash(
                e.seq, e.at, e.actor, e.action, e.subject, e.details, e.prev_hash
            )
        except (ValueError, TypeError):
            recomputed = None
        if recomputed != e.hash:
            problems.append(
                f"audit entry {e.seq} ({e.action} {e.subject}): its content does not match its "
                "hash (changed after it was written)"
            )
        if e.prev_hash != prev_hash:
            problems.append(
                f"audit entry {e.seq} ({e.action} {e.subject}): does not follow the entry before "
                "it (an entry was removed, inserted or moved)"
            )
        expected_seq, prev_hash, last = e.seq + 1, e.hash, e
    return problems, last
