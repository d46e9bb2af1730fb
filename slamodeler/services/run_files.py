"""The files a workspace run takes beside its stored inputs: a replay's support ticket export
(the tiers' response targets), and a replay's or simulation's fee file (fees of single months).
They are read by path;
a stored run records each file's path and SHA-256 in its options, so that `ws rerun` repeats it
only on the same bytes, and says which file is gone or changed otherwise (docs/workspace.md)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slamodeler.domain.contract import Contract
from slamodeler.domain.errors import InputError
from slamodeler.io.fee_file import with_fee_file
from slamodeler.io.ticket_import import TicketSet, import_tickets

__all__ = ["NO_FILES", "RunFiles", "TicketSet", "read_tickets", "with_fees"]

WHAT = {"tickets": "ticket export", "fees": "fee file"}


def read_tickets(path: str | Path, skip_bad_rows: bool = False) -> TicketSet:
    """A ticket export read as `replay --tickets` reads it: a row it cannot use refuses it, or
    is left out and listed in the report with ``skip_bad_rows``."""
    return import_tickets(path, on_bad_row="skip" if skip_bad_rows else "reject")


def with_fees(contract: Contract, path: str | Path) -> Contract:
    """``contract`` with the fees of the fee file at ``path`` (as `replay --fees`)."""
    return with_fee_file(contract, path)


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror}); choose the file again") from exc


@dataclass(frozen=True)
class RunFiles:
    """A ticket export (replay only) and a fee file given to a run, either or both."""

    tickets: Path | None = None
    fees: Path | None = None

    def __bool__(self) -> bool:
        return self.tickets is not None or self.fees is not None

    def names(self) -> str:
        """The files' names, as a run's label says them ('' when none)."""
        return " and ".join(p.name for p in (self.tickets, self.fees) if p is not None)

    def recorded(self) -> dict[str, dict[str, str]]:
        """What a stored run keeps of them: each file's absolute path and SHA-256."""
        return {
            name: {"path": str(path.resolve()), "sha256": _digest(path)}
            for name, path in (("tickets", self.tickets), ("fees", self.fees))
            if path is not None
        }

    @classmethod
    def of_run(cls, options: dict[str, Any]) -> RunFiles:
        """The files a stored run recorded (by path; ``changed`` says whether they still are
        what it read)."""
        return cls(**{name: Path(options[name]["path"]) for name in WHAT if options.get(name)})

    @staticmethod
    def changed(options: dict[str, Any]) -> list[str]:
        """Why a stored run cannot read its files again: one gone, or no longer hashing as it
        did."""
        problems = []
        for name, what in WHAT.items():
            kept = options.get(name)
            if not kept:
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
        """The contract with the fee file's fees, and the tickets read."""
        if self.fees is not None:
            contract = with_fees(contract, self.fees)
        return contract, read_tickets(self.tickets) if self.tickets is not None else None


NO_FILES = RunFiles()
