"""Verifying a workspace: the audit chain, the guard triggers, every stored row against the hash
the log recorded for it, and the anchors kept outside the file (a head hash, a signing key)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slamodeler.domain.errors import InputError
from slamodeler.store.audit import Entry, chain_problems, sha256
from slamodeler.store.contract_versions import ContractVersions
from slamodeler.store.incident_sets import IncidentSets
from slamodeler.store.migrations import trigger_problems
from slamodeler.store.row_hashes import all_row_hashes, row_key
from slamodeler.store.run_input_sets import RunInputSets
from slamodeler.store.runs import Runs
from slamodeler.store.scenarios import Scenarios
from slamodeler.store.signing import mac_matches
from slamodeler.store.tables import (
    APPROVED,
    DRAFT,
    IN_REVIEW,
    SUPERSEDED,
    FeeSetRow,
    IncidentSetRow,
    RunRow,
    ScenarioRow,
    TicketSetRow,
)

_Stored = (
    IncidentSetRow | ScenarioRow | FeeSetRow | TicketSetRow | RunRow
)  # the rows whose content the audit log hashes

HEAD = re.compile(r"^(?:(\d{1,18}):)?([0-9a-fA-F]{64})$")

# What a row's hash covers, in the words of the message that reports it changed.
_COVERS = {
    "contract": "its key or creation",
    "contract_version": "its author, dates, reason, status, change list or terms",
    "incident_set": "its name, source, counts or import report",
    "scenario": "its name, source or terms",
    "fee_set": "its name, source or fees",
    "ticket_set": "its name, source, counts, import report or tickets",
    "run": "its inputs, seed, trials, options, timings or result",
}


def parse_head(text: str) -> tuple[int | None, str]:
    """``HASH`` or ``SEQ:HASH`` (as ``ws head`` and ``ws verify`` print them)."""
    found = HEAD.match(text.strip())
    if not found:
        raise InputError(
            f"--expect-head {text!r}: give the 64-character hash that `slamodeler ws head` or "
            "`ws verify` printed, alone or as ENTRY:HASH"
        )
    return (int(found[1]) if found[1] else None), found[2].lower()


@dataclass(frozen=True)
class VerifyReport:
    path: Path
    entries: int
    head: str | None  # hash of the last audit entry
    checked: dict[str, int]
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # the anchors checked, signatures not checked
    head_seq: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


class Verification(ContractVersions, IncidentSets, Scenarios, RunInputSets, Runs):
    """Checking the workspace against its audit log; it builds on every other part because it
    reads every kind of stored object."""

    def verify(self, expect_head: str | None = None, key: bytes | None = None) -> VerifyReport:
        """Check the audit chain, its recorded head, the guard triggers, and that every stored
        row is what the audit log recorded when it was written. ``expect_head``: a hash kept
        outside the file (``HASH`` or ``SEQ:HASH``), which the chain must hold (at ``SEQ``).
        ``key``: the signing key, which must have signed the last entry and every MAC."""
        anchor = parse_head(expect_head) if expect_head is not None else None
        started = time.perf_counter()
        problems: list[str] = []
        with self._reading() as s:
            conn = s.connection()
            integrity = conn.exec_driver_sql("PRAGMA integrity_check").scalar()
            if integrity != "ok":
                problems.append(f"SQLite integrity check: {integrity}")
            problems += trigger_problems(conn)
            rows_now = all_row_hashes(conn)
        entries = self.audit_entries()
        chain, last = chain_problems(entries)
        problems += chain
        head = self.meta("audit_head")
        if last is not None and head != f"{last.seq}:{last.hash}":
            problems.append(
                f"the audit log ends at entry {last.seq}, but the workspace recorded entry "
                f"{(head or '?').split(':')[0]} as its last (entries removed from the end?)"
            )
        notes: list[str] = []
        if anchor is not None:
            problems += _anchor_problems(entries, *anchor)
            if not problems:
                notes.append("the head hash you kept is in the chain")
        signed = sum(e.mac is not None for e in entries)
        if key is not None:
            problems += _signature_problems(entries, key)
            notes.append(f"{signed} of {len(entries)} entries signed with the key")
        elif signed:
            notes.append(
                f"{signed} of {len(entries)} entries are signed; their signatures were not checked "
                "(give --key-file)"
            )
        recorded = _recorded(entries)
        problems += self._check_versions(recorded)
        checked = {
            "audit entries": len(entries),
            "contract versions": sum(len(v) for _, v in self.contracts()),
        }
        names = {row_key("contract", c.id): f"contract {c.key}" for c, _ in self.contracts()}
        names.update(
            (row_key("contract_version", v.id), f"{c.key}@{v.number}")
            for c, versions in self.contracts()
            for v in versions
        )
        # each kind's rows with the digest of a row of that kind
        kinds: list[tuple[str, Sequence[_Stored], Callable[[Any], str], str]] = [
            (
                "incident_set",
                self.incident_sets(),
                self.incident_set_digest,
                "incident set",
            ),
            ("scenario", self.scenarios(), lambda r: sha256(r.body), "scenario"),
            ("fee_set", self.fee_sets(), self.set_digest, "fee set"),
            ("ticket_set", self.ticket_sets(), self.set_digest, "ticket set"),
            ("run", self.runs(), lambda r: sha256(r.result), "run"),
        ]
        for kind, rows, digest, what in kinds:
            checked[what + "s"] = len(rows)
            seen = set()
            for row in rows:
                assert row.id is not None  # a stored row has its id
                name = f"{what} {getattr(row, 'key', row.id)}"
                names[row_key(kind, row.id)] = name
                seen.add(row.id)
                stored = row.result_hash if isinstance(row, RunRow) else row.content_hash
                if digest(row) != stored:
                    problems.append(f"{name}: its content does not match its hash (changed)")
                logged = recorded.hashes.get((kind, row.id))
                if logged is None:
                    problems.append(f"{name}: not in the audit log (added outside the application)")
                elif logged != stored:
                    problems.append(f"{name}: differs from what the audit log recorded")
            for k, ident in recorded.hashes:
                if k == kind and ident not in seen:
                    problems.append(
                        f"{what} with id {ident}: in the audit log but missing (deleted)"
                    )
        problems += _row_problems(rows_now, recorded.rows, names, problems)
        checked["seconds"] = round(time.perf_counter() - started, 3)  # type: ignore[assignment]
        return VerifyReport(
            self.path,
            len(entries),
            last.hash if last else None,
            checked,
            problems,
            notes,
            last.seq if last else None,
        )

    def _check_versions(self, recorded: _Recorded) -> list[str]:
        problems = []
        seen = set()
        for contract, versions in self.contracts():
            for v in versions:
                assert v.id is not None  # a stored row has its id
                name = f"{contract.key}@{v.number}"
                seen.add(v.id)
                if sha256(v.body) != v.content_hash:
                    problems.append(f"{name}: its terms do not match their hash (changed)")
                logged = recorded.hashes.get(("version", v.id))
                if logged is None:
                    problems.append(f"{name}: not in the audit log (added outside the application)")
                    continue
                if logged != v.content_hash:
                    problems.append(f"{name}: differs from what the audit log recorded")
                status = recorded.status.get(v.id)
                if status != v.status:
                    problems.append(
                        f"{name}: status {v.status}, but the audit log says {status} (changed)"
                    )
        for k, ident in recorded.hashes:
            if k == "version" and ident not in seen:
                problems.append(
                    f"contract version with id {ident}: in the audit log but missing (deleted)"
                )
        return problems


def _row_problems(
    now: dict[str, str], recorded: dict[str, str], names: dict[str, str], found: list[str]
) -> list[str]:
    """Rows whose hash is not the one the log recorded last, rows the log never recorded and
    rows it recorded that are gone; an object already reported by the checks before is not
    reported twice."""
    reported = {p.split(":", 1)[0] for p in found}
    problems = []
    for key, digest in now.items():
        table = key.split(":", 1)[0]
        name = names.get(key, key.replace("_", " ").replace(":", " with id "))
        if name in reported:
            continue
        logged = recorded.get(key)
        if logged is None:
            problems.append(f"{name}: not in the audit log (added outside the application)")
        elif logged != digest:
            problems.append(
                f"{name}: differs from what the audit log recorded ({_COVERS[table]} changed)"
            )
    for key in recorded.keys() - now.keys():
        table, ident = key.split(":", 1)
        name = f"{table.replace('_', ' ')} with id {ident}"
        if not any(p.startswith(name) for p in found):
            problems.append(f"{name}: in the audit log but missing (deleted)")
    return problems


def _anchor_problems(entries: list[Entry], seq: int | None, digest: str) -> list[str]:
    """The kept head must be in the chain (at ``seq`` when given): a rewrite or a rollback of
    the history up to it changes or removes it."""
    if seq is None:
        if any(e.hash == digest for e in entries):
            return []
        return [
            f"--expect-head {digest[:12]}...: that hash is not in the audit chain (the history "
            "was rewritten or rolled back since you kept it, or this is another workspace)"
        ]
    at = next((e for e in entries if e.seq == seq), None)
    if at is None:
        end = entries[-1].seq if entries else 0
        return [
            f"--expect-head {seq}:{digest[:12]}...: the audit chain ends at entry {end}, before "
            f"entry {seq} (rolled back to an earlier state, or another workspace)"
        ]
    if at.hash != digest:
        return [
            f"--expect-head {seq}:{digest[:12]}...: entry {seq} now hashes to {at.hash[:12]}... "
            "(the history up to it was rewritten)"
        ]
    return []


def _signature_problems(entries: list[Entry], key: bytes) -> list[str]:
    """Every MAC must be the key's, and the last entry must carry one: it vouches for every
    entry before it through the chain, so a chain rewritten without the key cannot pass."""
    problems = [
        f"audit entry {e.seq} ({e.action} {e.subject}): its signature does not match the key "
        "(signed with another key, or forged)"
        for e in entries
        if e.mac is not None and not mac_matches(key, e.hash, e.mac)
    ]
    last = entries[-1] if entries else None
    if last is not None and not mac_matches(key, last.hash, last.mac):
        signed = [e.seq for e in entries if mac_matches(key, e.hash, e.mac)]
        problems.append(
            f"audit entry {last.seq} ({last.action} {last.subject}), the last, is not signed "
            f"with the key: entries after {signed[-1]} (the last one signed with it) were "
            "written without the key, or rewritten"
            if signed
            else "no audit entry is signed with this key (another key, or the entries were "
            "written without one)"
        )
    return problems


@dataclass
class _Recorded:
    hashes: dict[tuple[str, int], str | None] = field(default_factory=dict)
    status: dict[int, str] = field(default_factory=dict)
    rows: dict[str, str] = field(default_factory=dict)  # "TABLE:ID" -> the row hash logged last


def _recorded(entries: list[Entry]) -> _Recorded:
    """What the audit log says the data is: each object's last recorded hash, each version's
    status."""
    out = _Recorded()
    for e in entries:
        try:
            d = e.data
        except ValueError:
            continue
        if not isinstance(d, dict):
            continue
        if isinstance(d.get("rows"), dict):
            out.rows.update(d["rows"])
        if "version_id" in d:
            out.hashes["version", d["version_id"]] = d.get("content_hash")
            out.status[d["version_id"]] = {
                "add version": DRAFT,
                "edit draft": DRAFT,
                "submit for review": IN_REVIEW,
                "approve": APPROVED,
            }.get(e.action, out.status.get(d["version_id"], DRAFT))
            if e.action == "approve" and d.get("supersedes_id") is not None:
                out.status[d["supersedes_id"]] = SUPERSEDED
        for kind in ("incident_set", "scenario", "fee_set", "ticket_set"):
            if f"{kind}_id" in d:
                out.hashes[kind, d[f"{kind}_id"]] = d.get("content_hash")
        if "run_id" in d and e.action == "run":
            out.hashes["run", d["run_id"]] = d.get("result_hash")
    return out
