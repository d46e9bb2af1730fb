"""Scenarios: stored once under a key and never changed."""

from __future__ import annotations

from sqlmodel import col, select

from slamodeler.domain.errors import InputError
from slamodeler.domain.scenario import Scenario
from slamodeler.store import codec
from slamodeler.store.audit import sha256
from slamodeler.store.row_hashes import row_hashes
from slamodeler.store.tables import ScenarioRow
from slamodeler.store.transactions import Transactions, check_key, now


class Scenarios(Transactions):
    """Stored scenarios; importing the same one again adds nothing."""

    def add_scenario(
        self, key: str, scenario: Scenario, source: str, author: str
    ) -> tuple[ScenarioRow, bool]:
        check_key(key, "scenario name")
        body = codec.scenario_body(scenario)
        digest = sha256(body)
        with self.transaction() as s:
            found = s.exec(select(ScenarioRow).where(col(ScenarioRow.key) == key)).first()
            if found is not None:
                if found.content_hash == digest:
                    return found, False
                raise InputError(
                    f"a different scenario named {key!r} is already in {self.path.name}; stored "
                    "scenarios never change: import under another name (--as NAME)"
                )
            row = ScenarioRow(
                key=key,
                name=scenario.name,
                source=source,
                body=body,
                content_hash=digest,
                imported_at=now(),
                author=author,
            )
            s.add(row)
            s.flush()
            self._audit(
                s,
                author,
                "import scenario",
                key,
                {
                    "scenario_id": row.id,
                    "content_hash": digest,
                    "source": source,
                    "rows": row_hashes(s.connection(), ("scenario", row.id)),
                },
            )
            return row, True

    def scenarios(self) -> list[ScenarioRow]:
        with self._reading() as s:
            return list(s.exec(select(ScenarioRow).order_by(col(ScenarioRow.key))))

    def scenario(self, key: str) -> ScenarioRow:
        with self._reading() as s:
            row = s.exec(select(ScenarioRow).where(col(ScenarioRow.key) == key)).first()
        if row is None:
            raise self.not_found("scenario", key, (r.key for r in self.scenarios()))
        return row

    def scenario_of(self, row: ScenarioRow) -> Scenario:
        return codec.scenario_from_body(row.body, f"{self.path.name}: scenario {row.key}")

    def scenario_by_id(self, ident: int) -> ScenarioRow:
        with self._reading() as s:
            row = s.get(ScenarioRow, ident)
        assert row is not None
        return row
