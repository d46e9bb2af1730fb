"""What a workspace run takes beside its stored inputs: a replay's support ticket export (the
tiers' response targets), and a replay's or simulation's fees of single months. Each is a file,
read by path, or a set stored in the workspace (a fee set, a ticket set: run_input_sets.py).
A stored run records a file's path and SHA-256, or a set's key and hash, in its options, so
that `ws rerun` repeats it only on the same content, and says which is gone or changed
otherwise (docs/workspace.md)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slamodeler.domain.contract import Contract
from slamodeler.domain.errors import InputError
from slamodeler.io.fee_file import FeeRow, with_fee_file, with_fee_rows
from slamodeler.io.ticket_import import TicketSet, import_tickets

if TYPE_CHECKING:
    from slamodeler.store.workspace import Workspace

__all__ = [
    "NO_FILES",
    "RunFiles",
    "StoredFees",
    "StoredTickets",
    "TicketSet",
    "read_tickets",
    "with_fees",
]

WHAT = {"tickets": "ticket export", "fees": "fee file"}
SET = {"tickets": "ticket set", "fees": "fee set"}


def read_tickets(path: str | Path, skip_bad_rows: bool = False) -> TicketSet:
    """A ticket export read as `replay --tickets` reads it: a row it cannot use refuses it, or
    is left out and listed in the report with ``skip_bad_rows``."""
    return import_tickets(path, on_bad_row="skip" if skip_bad_rows else "reject")


@dataclass(frozen=True)
class StoredFees:
    """A fee set read from the workspace: its key, its hash and its rows."""

    key: str
    digest: str
    rows: tuple[FeeRow, ...]

    @property
    def name(self) -> str:
        return f"fee set {self.key}"


@dataclass(frozen=True)
class StoredTickets:
    """A ticket set read from the workspace: its key, its hash and its tickets."""

    key: str
    digest: str
    tickets: TicketSet

    @property
    def name(self) -> str:
        return f"ticket set {self.key}"


def with_fees(contract: Contract, fees: str | Path | StoredFees | None) -> Contract:
    """``contract`` with the fees of a fee file or a stored fee set (as `replay --fees`); as
    it is without them."""
    if fees is None:
        return contract
    if isinstance(fees, StoredFees):
        return with_fee_rows(contract, fees.rows, fees.name)
    return with_fee_file(contract, fees)


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror}); choose the file again") from exc


@dataclass(frozen=True)
class RunFiles:
    """A ticket export (replay only) and the fees given to a run, either or both; each a file
    or a stored set."""

    tickets: Path | StoredTickets | None = None
    fees: Path | StoredFees | None = None

    def __bool__(self) -> bool:
        return self.tickets is not None or self.fees is not None

    def names(self) -> str:
        """What a run's label says of them ('' when none)."""
        return " and ".join(x.name for x in (self.tickets, self.fees) if x is not None)

    def recorded(self) -> dict[str, dict[str, str]]:
        """What a stored run keeps of them: a file's absolute path and SHA-256, a set's key
        and hash."""
        kept = {}
        for name, x in (("tickets", self.tickets), ("fees", self.fees)):
            if isinstance(x, Path):
                kept[name] = {"path": str(x.resolve()), "sha256": _digest(x)}
            elif x is not None:
                kept[name] = {"set": x.key, "sha256": x.digest}
        return kept

    @staticmethod
    def label(options: dict[str, Any]) -> str:
        """What a stored run read, as its label says it ('' when nothing)."""
        return " and ".join(
            f"{SET[name]} {options[name]['set']}"
            if "set" in options[name]
            else Path(options[name]["path"]).name
            for name in WHAT
            if options.get(name)
        )

    @classmethod
    def of_run(cls, options: dict[str, Any], ws: Workspace) -> RunFiles:
        """What a stored run read: its files by path, its sets from ``ws`` (``changed`` says
        whether they still are what it read)."""
        from slamodeler.services.run_input_sets import stored_fees, stored_tickets

        found: dict[str, Any] = {}
        for name, load in (("tickets", stored_tickets), ("fees", stored_fees)):
            kept = options.get(name)
            if kept:
                found[name] = load(ws, kept["set"]) if "set" in kept else Path(kept["path"])
        return cls(**found)

    @staticmethod
    def changed(options: dict[str, Any], ws: Workspace) -> list[str]:
        """Why a stored run cannot read its inputs again: a file gone, or no longer hashing as
        it did; a set gone or changed."""
        problems = []
        for name, what in WHAT.items():
            kept = options.get(name)
            if not kept:
                continue
            if "set" in kept:
                problems += _set_changed(ws, SET[name], kept["set"], kept["sha256"])
                continue
            path = Path(kept["path"])
            if not path.is_file():
                problems.append(
                    f"the {what} {path} is gone; put it back or run again with the file as it "
                    "is now"
                )
            elif _digest(path) != kept["sha256"]:
                problems.append(
                    f"the {what} {path} has changed since the run (its SHA-256 differs); "
                    "restore it or run again with the file as it is now"
                )
        return problems

    def apply(self, contract: Contract) -> tuple[Contract, TicketSet | None]:
        """The contract with the fees, and the tickets read."""
        contract = with_fees(contract, self.fees)
        if isinstance(self.tickets, StoredTickets):
            return contract, self.tickets.tickets
        return contract, read_tickets(self.tickets) if self.tickets is not None else None


def _set_changed(ws: Workspace, what: str, key: str, digest: str) -> list[str]:
    rows = ws.fee_sets() if what == "fee set" else ws.ticket_sets()
    row = next((r for r in rows if r.key == key), None)
    if row is None:
        return [f"the {what} {key} is no longer in the workspace"]
    if ws.set_digest(row) != digest:
        return [f"the {what} {key} no longer has the hash the run used"]
    return []


NO_FILES = RunFiles()
