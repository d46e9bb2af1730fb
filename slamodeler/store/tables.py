"""The workspace's tables (SQLModel), schema version 4 (store/migrations.py).

Table classes hold what the domain already validated; they do not validate anything themselves
(docs/design.md: validation stays in ``domain/``). JSON columns hold canonical JSON text (keys sorted,
no spaces), so that a stored body hashes to the hash stored beside it.
"""

from __future__ import annotations

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

# Version statuses, in the order a version normally goes through them.
DRAFT, IN_REVIEW, APPROVED, SUPERSEDED = "draft", "in_review", "approved", "superseded"
STATUSES = (DRAFT, IN_REVIEW, APPROVED, SUPERSEDED)
FROZEN = (IN_REVIEW, APPROVED, SUPERSEDED)  # a version in one of these is never edited in place
NOT_APPROVABLE = (APPROVED, SUPERSEDED)  # approving a version in one of these is refused


def _text(nullable: bool = False) -> Column:
    return Column(Text, nullable=nullable)


class Meta(SQLModel, table=True):
    """``schema_version``, ``audit_head`` (``SEQ:HASH`` of the last audit entry), ``created_at``."""

    __tablename__ = "meta"
    key: str = Field(primary_key=True)
    value: str


class ContractRow(SQLModel, table=True):
    """A contract as the workspace knows it: a short key (``three_tier_cloud``) and its versions."""

    __tablename__ = "contract"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    created_at: str
    created_by: str


class ContractVersionRow(SQLModel, table=True):
    __tablename__ = "contract_version"
    __table_args__ = (UniqueConstraint("contract_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id", index=True)
    number: int  # 1, 2, ... within its contract
    name: str  # the contract's name in the body, for listings
    body: str = Field(sa_column=_text())  # canonical JSON of the contract
    content_hash: str  # SHA-256 of body, = Contract.content_hash()
    author: str
    created_at: str
    reason: str
    parent_id: int | None = Field(default=None, foreign_key="contract_version.id")
    status: str = DRAFT
    status_at: str | None = None
    status_by: str | None = None
    status_reason: str | None = None
    changes: str = Field(default="[]", sa_column=_text())  # JSON: term changes from the parent
    weakening: int = 0  # how many of those changes weaken a commitment


class StoredSet(SQLModel):
    """The columns every stored set begins with (incidents, fees, tickets): its key, the file it
    was read from, when and by whom; the set's own columns follow in each table."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    source: str
    imported_at: str
    author: str


class IncidentSetRow(StoredSet, table=True):
    """An imported incident history: its rows are in ``incident``; never changed once stored."""

    __tablename__ = "incident_set"
    rows_read: int
    used: int
    report: str = Field(sa_column=_text())  # JSON: the import report (issues by row)
    content_hash: str  # SHA-256 over the report and every row, in order


class IncidentRow(SQLModel, table=True):
    __tablename__ = "incident"
    __table_args__ = (Index("ix_incident_set_seq", "set_id", "seq", unique=True),)
    id: int | None = Field(default=None, primary_key=True)
    set_id: int = Field(foreign_key="incident_set.id")
    seq: int
    ident: str
    start_ts: int  # UTC epoch seconds
    end_ts: int
    impact: str  # a label, or a share written as a decimal number
    impact_is_share: bool
    cause: str
    service: str
    region: str
    title: str
    row: int
    zone: str = ""  # availability zone, for k-of-n scopes (schema 3); "" for none


class ScenarioRow(SQLModel, table=True):
    __tablename__ = "scenario"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    name: str
    source: str
    body: str = Field(sa_column=_text())  # JSON as io.simulation_report.scenario_hash hashes it
    content_hash: str
    imported_at: str
    author: str


class FeeSetRow(StoredSet, table=True):
    """A fee file (tier,month,fee) stored once under a key and never changed (schema 4)."""

    __tablename__ = "fee_set"
    fees: int  # rows of fees
    body: str = Field(sa_column=_text())  # JSON: [[row, tier, month, fee], ...] in file order
    content_hash: str  # SHA-256 of body


class TicketSetRow(StoredSet, table=True):
    """A support ticket export, read once (with its mapping) and never changed (schema 4)."""

    __tablename__ = "ticket_set"
    rows_read: int
    used: int
    report: str = Field(sa_column=_text())  # JSON: the import report (issues by row)
    body: str = Field(sa_column=_text())  # JSON: [[id, priority, opened, first_response, row]]
    content_hash: str  # SHA-256 over the report and the tickets


class RunRow(SQLModel, table=True):
    """A replay or simulation: its inputs by reference and hash, and its result as stored JSON."""

    __tablename__ = "run"
    id: int | None = Field(default=None, primary_key=True)
    kind: str  # replay | simulate
    contract_version_id: int = Field(foreign_key="contract_version.id")
    contract_hash: str
    incident_set_id: int | None = Field(default=None, foreign_key="incident_set.id")
    incident_set_hash: str | None = None
    scenario_id: int | None = Field(default=None, foreign_key="scenario.id")
    scenario_hash: str | None = None
    options: str = Field(default="{}", sa_column=_text())  # JSON: periods, tiers, years...
    seed: int | None = None
    trials: int | None = None
    engine_version: str
    author: str
    started_at: str
    finished_at: str
    seconds: float = 0.0
    result: str = Field(sa_column=_text())  # the result JSON, canonical
    result_hash: str


class AuditRow(SQLModel, table=True):
    """One entry of the hash chain: ``hash`` = SHA-256 of the canonical entry, ``prev_hash``
    included (slamodeler/store/audit.py); ``mac``, when a signing key was given, the HMAC of that
    hash (slamodeler/store/signing.py)."""

    __tablename__ = "audit"
    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    at: str
    actor: str
    action: str
    subject: str
    details: str = Field(sa_column=_text())
    prev_hash: str
    hash: str
    mac: str | None = None
