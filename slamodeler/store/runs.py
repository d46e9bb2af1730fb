"""Runs: finished replays and simulations, with the hash of their result."""

from __future__ import annotations

import json

from sqlmodel import col, select

from slamodeler.domain.errors import InputError
from slamodeler.store.audit import sha256
from slamodeler.store.row_hashes import row_hashes
from slamodeler.store.tables import RunRow
from slamodeler.store.transactions import Transactions


class Runs(Transactions):
    """Stored runs, each recorded in the audit log with the hashes of its inputs."""

    def add_run(self, run: RunRow, subject: str) -> RunRow:
        """Store a finished run (``result`` canonical JSON; its hash is computed here)."""
        run.result_hash = sha256(run.result)
        with self.transaction() as s:
            s.add(run)
            s.flush()
            self._audit(
                s,
                run.author,
                "run",
                f"run {run.id}",
                {
                    "run_id": run.id,
                    "kind": run.kind,
                    "contract": subject,
                    "contract_hash": run.contract_hash,
                    "incident_set_hash": run.incident_set_hash,
                    "scenario_hash": run.scenario_hash,
                    "seed": run.seed,
                    "trials": run.trials,
                    "result_hash": run.result_hash,
                    "rows": row_hashes(s.connection(), ("run", run.id)),
                    **_file_hashes(run.options),
                },
            )
            return run

    def runs(self) -> list[RunRow]:
        with self._reading() as s:
            return list(s.exec(select(RunRow).order_by(col(RunRow.id))))

    def run(self, ident: int) -> RunRow:
        row = None
        if 0 < ident < 2**63:  # SQLite's integers; a larger id is no run either
            with self._reading() as s:
                row = s.get(RunRow, ident)
        if row is None:
            raise InputError(f"no run {ident} in {self.path.name} (see `slamodeler ws list`)")
        return row


def _file_hashes(options: str) -> dict[str, dict[str, str]]:
    """The SHA-256 of each file a run read beside its stored inputs (a replay's ticket export
    and fee file: options holding a path and a hash), for its audit entry."""
    files = {
        name: kept["sha256"]
        for name, kept in json.loads(options or "{}").items()
        if isinstance(kept, dict) and "sha256" in kept
    }
    return {"file_hashes": files} if files else {}
