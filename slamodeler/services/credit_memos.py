"""Credit memos from a replay (`slamodeler memos`, the replay view's export): one per customer
and period with a credit, carrying the rules that made it, the claim deadline and the contract
version with its hash. Their total is the replay's credits after caps for all customers, to the
cent (``replay_total``)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from slamodeler.domain.credit_memos import MAX_MEMOS, CreditMemo
from slamodeler.domain.errors import InputError
from slamodeler.domain.results import PeriodResult, ReplayResult
from slamodeler.io.credit_memo_csv import check_memos_path, memos_csv, write_memos_csv
from slamodeler.io.workbook import WorkbookContent, WorkbookReport, write_workbook
from slamodeler.services.period_explanation import claim_deadline_text, explain_period
from slamodeler.services.replay import ReplayRun, replay_files

if TYPE_CHECKING:
    from slamodeler.services.workspaces import Workspace

__all__ = [
    "check_memos_path",
    "check_memos_workbook",
    "credit_memos",
    "memos_csv",
    "memos_files",
    "memos_stored",
    "memos_total",
    "replay_total",
    "save_memos_workbook",
    "write_memos_csv",
]


def rules_applied(p: PeriodResult) -> str:
    """The period's rule (band, curve, either-or) and what the caps and the minimum credit did,
    worded as the period's explanation words them (the deadline has its own column)."""
    deadline = claim_deadline_text(p) if p.claim_by else None
    remedies = [line for line in explain_period(p).remedies if line != deadline]
    return "; ".join([p.rule, *remedies])


def credit_memos(result: ReplayResult, version: str) -> list[CreditMemo]:
    """A memo for each customer of each tier in each period whose credit after caps is above
    zero; ``version`` names where the contract came from (KEY@VERSION, or its file)."""
    _check_count(result)
    memos = []
    for tier in result.tiers:
        for p in tier.periods:
            if p.credit_after_caps <= 0:
                continue
            rules = rules_applied(p)
            for k in range(1, tier.customers + 1):
                memos.append(
                    CreditMemo(
                        memo=f"{p.period}/{tier.tier}/{k}",
                        customer=f"{tier.tier} #{k}",
                        tier=tier.tier,
                        period=p.period,
                        start=p.start,
                        end=p.end,
                        availability_pct=p.availability_pct,
                        credit_pct=p.credit_pct,
                        credit=p.credit_after_caps,
                        currency=result.currency,
                        claim_by=p.claim_by,
                        rules=rules,
                        contract=result.contract_name,
                        contract_version=version,
                        contract_hash=result.contract_hash,
                    )
                )
    return memos


def _check_count(result: ReplayResult) -> None:
    """InputError before making more than MAX_MEMOS memos, naming the tiers that make them."""
    counts = {
        t.tier: t.customers * sum(1 for p in t.periods if p.credit_after_caps > 0)
        for t in result.tiers
    }
    if sum(counts.values()) > MAX_MEMOS:
        most = ", ".join(f"{tier} {n:,}" for tier, n in counts.items() if n)
        raise InputError(
            f"{sum(counts.values()):,} credit memos (customers x periods with a credit: {most}) "
            f"is more than the {MAX_MEMOS:,} one export makes; choose fewer tiers or periods "
            "(--tier, --from, --to), or check the tiers' customers"
        )


def memos_total(memos: list[CreditMemo]) -> Decimal:
    return sum((m.credit for m in memos), Decimal(0))


def replay_total(result: ReplayResult) -> Decimal:
    """The replay's credits after caps for all customers, as its totals give them."""
    return sum((t.total("credit_after_caps") * t.customers for t in result.tiers), Decimal(0))


def memos_files(
    contract: str | Path, incidents: str | Path, **options: object
) -> tuple[ReplayRun, list[CreditMemo]]:
    """Replay the files (``options`` as ``replay_files`` takes them) and make the memos."""
    run = replay_files(contract, incidents, **options)  # type: ignore[arg-type]
    return run, credit_memos(run.result, Path(contract).name)


def memos_stored(
    ws: Workspace,
    ref: str,
    incident_set: str,
    *,
    first: str | None = None,
    last: str | None = None,
    tiers: list[str] | None = None,
) -> tuple[ReplayResult, list[CreditMemo]]:
    """A stored version (KEY@VERSION) replayed on a stored incident set, without storing a run."""
    from slamodeler.engine.replay import replay
    from slamodeler.services.incident_sets import read_incident_set
    from slamodeler.services.versions import resolve

    _, version = resolve(ws, ref)
    contract = ws.contract_of(version)
    incidents = read_incident_set(ws, incident_set)
    result = replay(contract, incidents.incidents, first=first, last=last, tiers=tiers)
    return result, credit_memos(result, ref)


def check_memos_workbook(memos: list[CreditMemo]) -> None:
    """Before writing anything: the Credit memos sheet holds one memo a row, at most MAX_MEMOS."""
    from slamodeler.io.workbook.credit_memo_sheet import MAX_MEMOS

    if len(memos) > MAX_MEMOS:
        raise InputError(
            f"--xlsx: {len(memos):,} credit memos, more than the {MAX_MEMOS:,} rows a sheet "
            "holds; write the CSV alone (-o) or fewer periods or tiers (--from, --to, --tier)"
        )


def save_memos_workbook(out: str | Path, run: ReplayRun, memos: list[CreditMemo]) -> WorkbookReport:
    """The exposure workbook of the replay, with the Credit memos sheet."""
    return write_workbook(
        out,
        WorkbookContent(
            run.contract,
            replay=run.result,
            incidents=run.incidents.incidents,
            import_report=run.incidents.report,
            credit_memos=(memos, replay_total(run.result)),
        ),
    )
