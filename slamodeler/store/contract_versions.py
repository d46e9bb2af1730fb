"""Contracts and their versions, with the change-control rules at the lowest level so that every
front end gets them: a version in review or approved is never changed (triggers refuse it too);
approving needs a reason, supersedes the version approved before, and refuses to weaken it
unless told to."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from slamodeler.domain.contract import Contract
from slamodeler.domain.errors import InputError
from slamodeler.store import codec
from slamodeler.store.audit import canonical_json, sha256
from slamodeler.store.row_hashes import row_hashes
from slamodeler.store.tables import (
    APPROVED,
    DRAFT,
    FROZEN,
    IN_REVIEW,
    NOT_APPROVABLE,
    SUPERSEDED,
    ContractRow,
    ContractVersionRow,
)
from slamodeler.store.transactions import Transactions, check_key, now


class ContractVersions(Transactions):
    """Contracts, their versions and the version statuses."""

    def contracts(self) -> list[tuple[ContractRow, list[ContractVersionRow]]]:
        with self._reading() as s:
            rows = s.exec(select(ContractRow).order_by(col(ContractRow.key))).all()
            versions = s.exec(
                select(ContractVersionRow).order_by(
                    col(ContractVersionRow.contract_id), col(ContractVersionRow.number)
                )
            ).all()
        return [(r, [v for v in versions if v.contract_id == r.id]) for r in rows]

    def find_contract(self, name: str) -> ContractRow | None:
        """By key, or by the contract's name in its latest version (case-insensitive)."""
        with self._reading() as s:
            row = s.exec(select(ContractRow).where(col(ContractRow.key) == name)).first()
            if row is not None:
                return row
            wanted = name.strip().lower()
            for contract, versions in self.contracts():
                if versions and versions[-1].name.strip().lower() == wanted:
                    return contract
        return None

    def contract(self, name: str) -> ContractRow:
        row = self.find_contract(name)
        if row is None:
            raise self.not_found("contract", name, (c.key for c, _ in self.contracts()))
        return row

    def versions(self, name: str) -> list[ContractVersionRow]:
        contract = self.contract(name)
        with self._reading() as s:
            return list(
                s.exec(
                    select(ContractVersionRow)
                    .where(col(ContractVersionRow.contract_id) == contract.id)
                    .order_by(col(ContractVersionRow.number))
                )
            )

    def version(self, name: str, which: str | int = "latest") -> ContractVersionRow:
        """``which``: a version number, ``latest`` or ``approved``."""
        versions = self.versions(name)
        key = self.contract(name).key
        if which == "latest":
            return versions[-1]
        if which == "approved":
            approved = [v for v in versions if v.status == APPROVED]
            if not approved:
                raise InputError(f"{key} has no approved version yet (see `slamodeler ws history`)")
            return approved[-1]
        try:
            number = int(which)
        except ValueError:
            raise InputError(
                f"{key}@{which}: give a version number, `latest` or `approved`"
            ) from None
        for v in versions:
            if v.number == number:
                return v
        raise InputError(f"{key} has no version {number} (versions 1 to {versions[-1].number})")

    def version_by_id(self, ident: int) -> tuple[ContractRow, ContractVersionRow]:
        with self._reading() as s:
            version = s.get(ContractVersionRow, ident)
            if version is None:
                raise InputError(f"no contract version with id {ident} in {self.path.name}")
            contract = s.get(ContractRow, version.contract_id)
            assert contract is not None
            return contract, version

    def contract_of(self, version: ContractVersionRow) -> Contract:
        return codec.contract_from_body(version.body, f"{self.path.name}: version {version.id}")

    def add_version(
        self,
        key: str,
        contract: Contract,
        author: str,
        reason: str,
        parent: ContractVersionRow | None = None,
    ) -> tuple[ContractVersionRow, bool]:
        """A new draft of contract ``key`` (created if new), from ``parent`` (default: the latest
        version). Returns the version and whether one was added: the same terms as the parent
        add nothing."""
        body = codec.contract_body(contract)
        digest = sha256(body)
        assert digest == contract.content_hash(), "stored body must hash as the contract does"
        with self.transaction() as s:
            row = s.exec(select(ContractRow).where(col(ContractRow.key) == key)).first()
            if row is None:
                check_key(key, "contract key")
                row = ContractRow(key=key, created_at=now(), created_by=author)
                s.add(row)
                s.flush()
                latest = None
            else:
                latest = s.exec(
                    select(ContractVersionRow)
                    .where(col(ContractVersionRow.contract_id) == row.id)
                    .order_by(col(ContractVersionRow.number).desc())
                ).first()
            parent = parent or latest
            if parent is not None and parent.content_hash == digest:
                return parent, False
            changes = self._changes(parent, contract) if parent else []
            assert row.id is not None
            version = ContractVersionRow(
                contract_id=row.id,
                number=(latest.number + 1) if latest else 1,
                name=contract.name,
                body=body,
                content_hash=digest,
                author=author,
                created_at=now(),
                reason=reason,
                parent_id=parent.id if parent else None,
                status=DRAFT,
                changes=canonical_json(changes),
                weakening=sum(c["weakens"] for c in changes),
            )
            s.add(version)
            s.flush()
            self._audit(
                s,
                author,
                "add version",
                f"{key}@{version.number}",
                {
                    "version_id": version.id,
                    "content_hash": digest,
                    "parent": parent.number if parent else None,
                    "reason": reason,
                    "changes": len(changes),
                    "weakens": [c for c in changes if c["weakens"]],
                    "rows": row_hashes(
                        s.connection(), ("contract", row.id), ("contract_version", version.id)
                    ),
                },
            )
            return version, True

    def edit_draft(
        self, version: ContractVersionRow, contract: Contract, author: str, reason: str
    ) -> ContractVersionRow:
        """Change a draft in place. A version in review or approved is refused: save the edit
        as a new draft instead (``add_version``)."""
        key, _ = self._key_of(version)
        with self.transaction() as s:
            row = s.get(ContractVersionRow, version.id)
            assert row is not None
            if row.status in FROZEN:
                raise InputError(
                    f"{key}@{row.number} is {row.status.replace('_', ' ')} and cannot be changed; "
                    "save the edit as a new draft (`slamodeler ws import-contract`), which keeps "
                    f"{key}@{row.number} as it is"
                )
            body = codec.contract_body(contract)
            if body == row.body:
                return row
            parent = s.get(ContractVersionRow, row.parent_id) if row.parent_id else None
            changes = self._changes(parent, contract) if parent else []
            before = row.content_hash
            row.body, row.content_hash, row.name = body, sha256(body), contract.name
            row.changes = canonical_json(changes)
            row.weakening = sum(c["weakens"] for c in changes)
            row.reason = reason
            s.add(row)
            s.flush()
            self._audit(
                s,
                author,
                "edit draft",
                f"{key}@{row.number}",
                {
                    "version_id": row.id,
                    "content_hash": row.content_hash,
                    "previous_hash": before,
                    "reason": reason,
                    "weakens": [c for c in changes if c["weakens"]],
                    "rows": row_hashes(s.connection(), ("contract_version", row.id)),
                },
            )
            return row

    def submit(self, version: ContractVersionRow, author: str, reason: str) -> ContractVersionRow:
        key, _ = self._key_of(version)
        with self.transaction() as s:
            row = s.get(ContractVersionRow, version.id)
            assert row is not None
            if row.status != DRAFT:
                raise InputError(f"{key}@{row.number} is {row.status}: only a draft goes to review")
            self._set_status(row, IN_REVIEW, author, reason)
            s.add(row)
            s.flush()
            self._audit(
                s,
                author,
                "submit for review",
                f"{key}@{row.number}",
                {
                    "version_id": row.id,
                    "content_hash": row.content_hash,
                    "reason": reason,
                    "rows": row_hashes(s.connection(), ("contract_version", row.id)),
                },
            )
            return row

    def approve(
        self,
        version: ContractVersionRow,
        author: str,
        reason: str,
        accept_weakening: bool = False,
    ) -> tuple[ContractVersionRow, ContractVersionRow | None, list[dict[str, Any]]]:
        """Approve a draft or a version in review. Returns it, the version it supersedes and the
        changes from that one that weaken a commitment (refused unless ``accept_weakening``)."""
        key, _ = self._key_of(version)
        if not reason.strip():
            raise InputError(
                f'approving {key}@{version.number} needs a reason (--reason "..."): it is '
                "kept in the audit log"
            )
        with self.transaction() as s:
            row = s.get(ContractVersionRow, version.id)
            assert row is not None
            if row.status in NOT_APPROVABLE:
                raise InputError(f"{key}@{row.number} is already {row.status}")
            previous, changes = self._from_approved(s, row)
            weakens = [c for c in changes if c["weakens"]]
            if weakens and not accept_weakening:
                assert previous is not None  # only an approved version can be weakened
                listed = "\n".join(f"  {c}" for c in codec.user_changes_of(changes) if c.weakens)
                raise InputError(
                    f"{key}@{row.number} weakens the approved {key}@{previous.number}:\n{listed}\n"
                    "approve it with --accept-weakening if that is intended (the audit log "
                    "records it); nothing was changed"
                )
            if previous is not None:
                self._set_status(previous, SUPERSEDED, author, f"superseded by {row.number}")
                s.add(previous)
            self._set_status(row, APPROVED, author, reason)
            s.add(row)
            s.flush()
            self._audit(
                s,
                author,
                "approve",
                f"{key}@{row.number}",
                {
                    "version_id": row.id,
                    "content_hash": row.content_hash,
                    "reason": reason,
                    "supersedes_id": previous.id if previous else None,
                    "supersedes": previous.number if previous else None,
                    "weakens": weakens,
                    "accepted_weakening": bool(weakens),
                    "rows": row_hashes(
                        s.connection(),
                        ("contract_version", row.id),
                        *([("contract_version", previous.id)] if previous else []),
                    ),
                },
            )
            return row, previous, weakens

    def changes_from_approved(
        self, version: ContractVersionRow
    ) -> tuple[ContractVersionRow | None, list[dict[str, Any]]]:
        """The approved version of ``version``'s contract (None when none is) and the changes
        from it to ``version``: those that weaken a commitment are what ``approve`` refuses
        unless told to."""
        with self._reading() as s:
            return self._from_approved(s, version)

    def _from_approved(
        self, s: Session, version: ContractVersionRow
    ) -> tuple[ContractVersionRow | None, list[dict[str, Any]]]:
        previous = s.exec(
            select(ContractVersionRow).where(
                col(ContractVersionRow.contract_id) == version.contract_id,
                col(ContractVersionRow.status) == APPROVED,
            )
        ).first()
        return previous, self._changes(previous, self.contract_of(version)) if previous else []

    def _key_of(self, version: ContractVersionRow) -> tuple[str, ContractRow]:
        with self._reading() as s:
            contract = s.get(ContractRow, version.contract_id)
            assert contract is not None
            return contract.key, contract

    @staticmethod
    def _set_status(row: ContractVersionRow, status: str, author: str, reason: str) -> None:
        row.status, row.status_at, row.status_by, row.status_reason = status, now(), author, reason

    def _changes(self, parent: ContractVersionRow, contract: Contract) -> list[dict[str, Any]]:
        from slamodeler.domain.contract_diff import diff_contracts

        return codec.changes_data(diff_contracts(self.contract_of(parent), contract))
