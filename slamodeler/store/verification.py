"""Verifying a workspace: the audit chain, and every stored object against what the log recorded."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from slamodeler.store.audit import Entry, chain_problems, sha256
from slamodeler.store.contract_versions import ContractVersions
from slamodeler.store.incident_sets import IncidentSets
from slamodeler.store.runs import Runs
from slamodeler.store.scenarios import Scenarios
from slamodeler.store.tables import APPROVED, DRAFT, IN_REVIEW, SUPERSEDED


@dataclass(frozen=True)
class VerifyReport:
    path: Path
    entries: int
    head: str | None  # hash of the last audit entry
    checked: dict[str, int]
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class Verification(ContractVersions, IncidentSets, Scenarios, Runs):
    """Checking the workspace against its audit log; it builds on every other part because it
    reads every kind of stored object."""

    def verify(self) -> VerifyReport:
        """Check the audit chain, its recorded head, and that every stored version, incident
        set, scenario and run is what the audit log recorded when it was written."""
        started = time.perf_counter()
        problems: list[str] = []
        with self._reading() as s:
            integrity = s.connection().exec_driver_sql("PRAGMA integrity_check").scalar()
            if integrity != "ok":
                problems.append(f"SQLite integrity check: {integrity}")
        entries = self.audit_entries()
        chain, last = chain_problems(entries)
        problems += chain
        head = self.meta("audit_head")
        if last is not None and head != f"{last.seq}:{last.hash}":
            problems.append(
                f"the audit log ends at entry {last.seq}, but the workspace recorded entry "
                f"{(head or '?').split(':')[0]} as its last (entries removed from the end?)"
            )
        recorded = _recorded(entries)
        problems += self._check_versions(recorded)
        checked = {
            "audit entries": len(entries),
            "contract versions": sum(len(v) for _, v in self.contracts()),
        }
        for kind, rows, digest, what in (
            (
                "incident_set",
                self.incident_sets(),
                self.incident_set_digest,
                "incident set",
            ),
            ("scenario", self.scenarios(), lambda r: sha256(r.body), "scenario"),
            ("run", self.runs(), lambda r: sha256(r.result), "run"),
        ):
            checked[what + "s"] = len(rows)
            seen = set()
            for row in rows:
                name = f"{what} {getattr(row, 'key', row.id)}"
                seen.add(row.id)
                stored = row.result_hash if kind == "run" else row.content_hash
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
        checked["seconds"] = round(time.perf_counter() - started, 3)  # type: ignore[assignment]
        return VerifyReport(self.path, len(entries), last.hash if last else None, checked, problems)

    def _check_versions(self, recorded: _Recorded) -> list[str]:
        problems = []
        seen = set()
        for contract, versions in self.contracts():
            for v in versions:
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


@dataclass
class _Recorded:
    hashes: dict[tuple[str, int], str] = field(default_factory=dict)
    status: dict[int, str] = field(default_factory=dict)


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
        for kind in ("incident_set", "scenario"):
            if f"{kind}_id" in d:
                out.hashes[kind, d[f"{kind}_id"]] = d.get("content_hash")
        if "run_id" in d and e.action == "run":
            out.hashes["run", d["run_id"]] = d.get("result_hash")
    return out
