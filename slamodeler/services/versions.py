"""Contract versions: import, resolve a reference, history, diff, save, submit, approve and export
as a file (docs/workspace.md). The change-control rules themselves live in the store
(``store/contract_versions.py``); the front ends ask here first (``weakening_preview``,
``can_approve``) so that they show what approving would do before they act.

References are ``KEY@VERSION``: a version number, ``latest`` or ``approved`` (``KEY`` alone is the
latest); KEY is the contract's short key or its full name. Versions are handed out as the store's
rows (``ContractVersionRow``): plain records of what was stored, read and detached from their
session, so that a front end shows their fields without a copy of each (see ``workspaces``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slamodeler.domain.contract import Contract
from slamodeler.domain.contract_changes import Change
from slamodeler.domain.errors import InputError
from slamodeler.io.contract_file import contract_to_yaml, load_contract
from slamodeler.store.audit import Entry
from slamodeler.store.codec import user_changes_of
from slamodeler.store.tables import NOT_APPROVABLE, ContractRow, ContractVersionRow
from slamodeler.store.workspace import Workspace


def key_from(path: Path) -> str:
    """A workspace key from a file's name (``Three Tier.yaml`` -> ``three-tier``)."""
    key = re.sub(r"[^A-Za-z0-9_.-]+", "-", path.stem).strip("-._").lower()
    return key[:100] or "item"


def parse_ref(ref: str) -> tuple[str, str]:
    """``KEY@VERSION`` -> (KEY, VERSION); ``KEY`` -> (KEY, "latest")."""
    key, at, which = ref.rpartition("@")
    if not at:
        return ref.strip(), "latest"
    if not key.strip() or not which.strip():
        raise InputError(f"{ref!r}: write a contract as KEY@VERSION, e.g. three_tier_cloud@2")
    return key.strip(), which.strip().lower()


def resolve(ws: Workspace, ref: str) -> tuple[ContractRow, ContractVersionRow]:
    key, which = parse_ref(ref)
    contract = ws.contract(key)
    return contract, ws.version(contract.key, which)


@dataclass(frozen=True)
class ImportedContract:
    key: str
    version: ContractVersionRow
    added: bool  # False: the same terms as the latest version, nothing stored
    new_contract: bool
    changes: list[dict[str, Any]]


def import_contract(
    ws: Workspace, path: str | Path, author: str, reason: str | None = None, key: str | None = None
) -> ImportedContract:
    """A contract file as a new draft: a new contract, or the next version of the one with the
    same key (``key``, else the file's name) or the same contract name."""
    path = Path(path)
    contract = load_contract(path)
    row = ws.find_contract(key) if key else (ws.find_contract(contract.name))
    if row is None and not key:
        row = ws.find_contract(key_from(path))
    target = row.key if row else (key or key_from(path))
    version, added = ws.add_version(
        target, contract, author, reason or f"imported from {path.name}"
    )
    return ImportedContract(
        target,
        version,
        added,
        row is None,
        json.loads(version.changes) if added else [],
    )


def history(ws: Workspace, key: str) -> tuple[ContractRow, list[ContractVersionRow], list[Entry]]:
    contract = ws.contract(key)
    return contract, ws.versions(contract.key), ws.audit_entries(contract.key)


@dataclass(frozen=True)
class VersionDiff:
    key: str
    old: ContractVersionRow
    new: ContractVersionRow
    changes: list[Any]  # contract_changes.Change: one per change a user made

    @property
    def weakening(self) -> list[Any]:
        return [c for c in self.changes if c.weakens]


def diff_versions(ws: Workspace, old_ref: str, new_ref: str | None = None) -> VersionDiff:
    """Change by change from ``old_ref`` to ``new_ref``; with one reference, from that version's
    parent to it."""
    from slamodeler.domain.contract_changes import user_changes
    from slamodeler.domain.contract_diff import diff_contracts

    contract, old = resolve(ws, old_ref)
    if new_ref is None:
        new = old
        if old.parent_id is None:
            raise InputError(
                f"{contract.key}@{old.number} is the first version: name two versions to compare"
            )
        _, old = ws.version_by_id(old.parent_id)
    else:
        other, new = resolve(ws, new_ref if "@" in new_ref else f"{contract.key}@{new_ref}")
        if other.id != contract.id:
            raise InputError(
                f"{old_ref} and {new_ref} are versions of different contracts; compare two "
                "versions of one contract"
            )
    changes = user_changes(diff_contracts(ws.contract_of(old), ws.contract_of(new)))
    return VersionDiff(contract.key, old, new, changes)


def approve(
    ws: Workspace, ref: str, author: str, reason: str, accept_weakening: bool = False
) -> tuple[str, ContractVersionRow, ContractVersionRow | None, list[dict[str, Any]]]:
    contract, version = resolve(ws, ref)
    approved, previous, weakens = ws.approve(version, author, reason, accept_weakening)
    return contract.key, approved, previous, weakens


def submit(ws: Workspace, ref: str, author: str, reason: str) -> tuple[str, ContractVersionRow]:
    contract, version = resolve(ws, ref)
    return contract.key, ws.submit(version, author, reason)


def export_contract(ws: Workspace, ref: str) -> tuple[str, ContractVersionRow, str]:
    """The version as a contract file (YAML) that loads back to the same terms and hash."""
    contract, version = resolve(ws, ref)
    return contract.key, version, contract_to_yaml(ws.contract_of(version))


def stored_changes(stored: Iterable[dict[str, Any]]) -> list[Change]:
    """Term changes as a version or an audit entry stores them, grouped as a user made them
    (as `ws diff` shows them)."""
    return user_changes_of(stored)


def save_version(
    ws: Workspace,
    key: str,
    contract: Contract,
    author: str,
    reason: str,
    parent: ContractVersionRow | None = None,
) -> tuple[ContractVersionRow, bool]:
    """Edited terms as a new draft of contract ``key``, from ``parent`` (the version edited).
    Returns the version and whether one was added: the same terms as the parent add nothing."""
    if not reason.strip():
        raise InputError("a new version needs a reason: it is kept in the audit log")
    return ws.add_version(key, contract, author, reason.strip(), parent=parent)


def can_approve(ws: Workspace, version: ContractVersionRow) -> str:
    """Why ``version`` cannot be approved ('' when it can): asked before offering to, with the
    rule ``approve`` enforces (a version approved or superseded already is refused)."""
    if ws.readonly:
        return "the workspace is read-only: nothing can be approved in it"
    if version.status in NOT_APPROVABLE:
        return f"version {version.number} is {version.status} already"
    return ""


@dataclass(frozen=True)
class Weakening:
    """What approving a version would weaken: the approved version it supersedes (None when no
    version is approved yet) and the changes from it that weaken a commitment."""

    approved: ContractVersionRow | None
    changes: list[Change]


def weakening_preview(ws: Workspace, version: ContractVersionRow) -> Weakening:
    """The changes approving ``version`` would be refused for unless accepted
    (``approve(..., accept_weakening=True)``), computed as ``approve`` computes them."""
    approved, changes = ws.changes_from_approved(version)
    return Weakening(approved, [c for c in user_changes_of(changes) if c.weakens])
