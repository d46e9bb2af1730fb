"""``slamodeler ws ...``: the workspace from the command line (docs/workspace.md).

The main CLI adds the group with ``add_ws_parser(subparsers)`` and runs it with ``run_ws(args)``;
``replay --ws`` and ``simulate --ws`` come here too (``replay_in_workspace``,
``simulate_in_workspace``). The workspace code (SQL) is imported only when a command runs, so
that the rest of the CLI loads without it.

Exit codes: 0 done; 2 bad input (message on stderr, nothing changed); 3 ``ws verify`` found a
problem (its ``--expect-head`` and ``--key-file`` checks included), or ``ws rerun`` did not
reproduce the stored result.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slamodeler.cli.options import (
    add_fee_option,
    add_incident_options,
    add_simulation_options,
    zone_name,
)
from slamodeler.cli.progress import ProgressBar
from slamodeler.cli.tables import exact_table, render, replay_table, simulation_table
from slamodeler.domain.errors import InputError

if TYPE_CHECKING:
    from slamodeler.services.workspaces import Opened

EXIT_OK, EXIT_FAILED_CHECK = 0, 3


def add_ws_parser(subparsers: Any) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--ws",
        type=Path,
        metavar="FILE",
        help="the workspace file (default: default.slamws in your data folder, created with the "
        "sample contracts on first use)",
    )
    common.add_argument("--author", help="who does this (default: $SLAMODELER_AUTHOR or login)")
    common.add_argument(
        "--key-file",
        type=Path,
        metavar="PATH",
        help="sign every audit entry written with this key, and check the signatures in "
        "`ws verify` (default: the file named by $SLAMODELER_SIGNING_KEY; see `ws keygen`)",
    )

    ws = subparsers.add_parser(
        "ws",
        help="the workspace: contract versions, change control, audit log, stored runs",
        description="Contracts with versions and change control, incident sets, scenarios and "
        "reproducible runs, in one workspace file with a tamper-evident audit log.",
    )
    sub = ws.add_subparsers(dest="ws_command", metavar="WS_COMMAND", required=True)

    def add(name: str, help: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help, parents=[common])

    init = add("init", "create a new workspace file")
    init.add_argument("--samples", action="store_true", help="seed it with the sample contracts")

    imp = add("import-contract", "a contract file as a new draft (new contract or next version)")
    imp.add_argument("contract", type=Path)
    imp.add_argument("--as", dest="key", metavar="KEY", help="the contract's key in the workspace")
    imp.add_argument("--reason", help="why this version (default: imported from FILE)")

    inc = add("import-incidents", "store an incident export as a named, unchangeable set")
    inc.add_argument("incidents", type=Path, help="CSV or XLSX export of incidents")
    inc.add_argument("--as", dest="key", metavar="NAME", help="name (default: the file's name)")
    add_incident_options(inc)
    inc.add_argument(
        "--contract", metavar="KEY@VERSION", help="also accept the impact labels it weighs"
    )

    scen = add("import-scenario", "store an outage scenario file")
    scen.add_argument("scenario", type=Path)
    scen.add_argument("--as", dest="key", metavar="NAME", help="name (default: the file's name)")

    fees = add("add-fees", "store a fee file (tier,month,fee) as a named, unchangeable fee set")
    fees.add_argument("key", metavar="KEY", help="the fee set's name")
    fees.add_argument("file", type=Path, metavar="FILE", help="CSV with the columns tier,month,fee")

    tickets = add("add-tickets", "store a support ticket export as a named, unchangeable set")
    tickets.add_argument("key", metavar="KEY", help="the ticket set's name")
    tickets.add_argument("file", type=Path, metavar="FILE", help="CSV or XLSX export of tickets")
    tickets.add_argument(
        "--tickets-mapping", type=Path, metavar="FILE", help="column mapping for the export"
    )
    tickets.add_argument(
        "--timezone", type=zone_name, help="IANA zone for timestamps without an offset"
    )
    tickets.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="leave out unusable rows (listed on stderr) instead of stopping",
    )

    add("list", "contracts, incident sets, scenarios, fee and ticket sets, and runs")

    hist = add("history", "a contract's versions and its audit entries")
    hist.add_argument("contract", metavar="KEY")

    diff = add("diff", "term-by-term changes between two versions, weakening ones marked")
    diff.add_argument("old", metavar="KEY@VERSION", help="alone: compared with its parent")
    diff.add_argument("new", nargs="?", metavar="[KEY@]VERSION")

    submit = add("submit", "send a draft for review (it can no longer be edited)")
    submit.add_argument("version", metavar="KEY@VERSION")
    submit.add_argument("--reason", default="", help="a note for the reviewers")

    approve = add("approve", "approve a version (needs a reason); the approved one is superseded")
    approve.add_argument("version", metavar="KEY@VERSION")
    approve.add_argument("--reason", default="", help="why it is approved (required)")
    approve.add_argument(
        "--accept-weakening",
        action="store_true",
        help="approve even though it weakens the approved version (recorded)",
    )

    verify = add("verify", "check the audit chain and that the data is what the log recorded")
    verify.add_argument(
        "--expect-head",
        metavar="HASH",
        help="a head hash kept outside the file (HASH or ENTRY:HASH): fail unless the chain "
        "still holds it (catches a rewrite or a rollback)",
    )

    head = add("head", "the audit hash that pins the history: keep it outside the file")
    head.add_argument("--at", type=int, metavar="ENTRY", help="at this entry (default: the last)")

    keygen = sub.add_parser(
        "keygen", help="write a new signing key file (0600) for --key-file; keep it elsewhere"
    )
    keygen.add_argument("path", type=Path, metavar="PATH")

    exp = add("export-contract", "a version as a contract file (YAML)")
    exp.add_argument("version", metavar="KEY@VERSION")
    exp.add_argument("--out", type=Path, metavar="FILE", help="write here instead of stdout")

    rep = add("replay", "replay a stored version on a stored incident set; the run is stored")
    add_replay_arguments(rep)

    sim = add("simulate", "simulate a stored version under a stored scenario; the run is stored")
    add_simulate_arguments(sim)

    export = add("export", "write the exposure workbook of a stored run (.xlsx)")
    export.add_argument("run", type=int, metavar="RUN_ID")
    export.add_argument("--out", type=Path, required=True, help="the workbook to write (.xlsx)")
    export.add_argument("--workers", type=int, default=1, help="local worker processes")
    rerun = add("rerun", "run a stored run again and compare with its stored result")
    rerun.add_argument("run", type=int, metavar="RUN_ID")
    rerun.add_argument("--format", choices=("text", "json"), default="text")
    rerun.add_argument("--workers", type=int, default=1, help="local worker processes")
    return ws


def add_replay_arguments(rep: argparse.ArgumentParser) -> None:
    rep.add_argument("version", metavar="KEY@VERSION")
    rep.add_argument("incident_set", metavar="INCIDENT_SET")
    rep.add_argument("--tier", action="append", help="only this tier (repeatable)")
    rep.add_argument("--from", dest="first", metavar="PERIOD", help="first period, YYYY-MM")
    rep.add_argument("--to", dest="last", metavar="PERIOD", help="last period, YYYY-MM")
    rep.add_argument("--format", choices=("table", "json"), default="table")
    rep.add_argument("--explain", action="store_true", help="table: each period's details")
    rep.add_argument(
        "--tickets",
        type=Path,
        metavar="FILE",
        help="CSV or XLSX export of support tickets, or a stored ticket set's name (`ws "
        "add-tickets`); its hash is kept with the run",
    )
    add_fee_option(rep)


def add_simulate_arguments(sim: argparse.ArgumentParser) -> None:
    sim.add_argument("version", metavar="KEY@VERSION")
    sim.add_argument("scenario", metavar="SCENARIO", help="a stored scenario's name")
    add_simulation_options(sim)
    add_fee_option(sim)
    sim.add_argument("--format", choices=("table", "json"), default="table")


# -- running -------------------------------------------------------------------------------------

READ_ONLY = {"list", "history", "diff", "verify", "head", "export-contract", "export"}


def run_ws(args: argparse.Namespace) -> int:
    handler = HANDLERS[args.ws_command]
    if args.ws_command in ("init", "keygen"):
        return handler(args, None)
    try:
        opened = _open(args, readonly=args.ws_command in READ_ONLY)
    except InputError as exc:
        # A rerun only reads: on a read-only or busy workspace it runs without its audit entry.
        if args.ws_command != "rerun" or not (
            "read-only" in str(exc) or "another process" in str(exc)
        ):
            raise
        opened = _open(args, readonly=True)
        print(
            f"{opened.workspace.path}: opened read-only; this rerun is not recorded in the "
            "audit log",
            file=sys.stderr,
        )
    try:
        return handler(args, opened)
    finally:
        opened.workspace.close()


def _open(args: argparse.Namespace, readonly: bool) -> Opened:
    from slamodeler.services.workspaces import open_workspace

    opened = open_workspace(
        args.ws,
        readonly=readonly,
        author=getattr(args, "author", None),
        key_file=getattr(args, "key_file", None),
    )
    if opened.created:
        print(
            f"created the default workspace {opened.workspace.path}"
            + (f" with {len(opened.seeded)} samples" if opened.seeded else ""),
            file=sys.stderr,
        )
    if opened.workspace.migrated_from is not None:
        print(
            f"{opened.workspace.path}: upgraded from workspace schema "
            f"{opened.workspace.migrated_from} to {opened.workspace.schema_version}",
            file=sys.stderr,
        )
    return opened


def _author(args: argparse.Namespace) -> str:
    from slamodeler.services.workspaces import author_name

    return author_name(getattr(args, "author", None))


def _init(args: argparse.Namespace, _: Opened | None) -> int:
    from slamodeler.services.workspaces import default_path, init_workspace

    path = args.ws or default_path()
    opened = init_workspace(path, _author(args), samples=args.samples, key_file=args.key_file)
    try:
        print(f"created workspace {path} (schema {opened.workspace.schema_version})")
        for item in opened.seeded:
            print(f"  {item}")
    finally:
        opened.workspace.close()
    return EXIT_OK


def _import_contract(args: argparse.Namespace, opened: Opened) -> int:
    from slamodeler.services.versions import import_contract, stored_changes

    done = import_contract(opened.workspace, args.contract, _author(args), args.reason, args.key)
    v = done.version
    if not done.added:
        print(f"{done.key}: same terms as version {v.number} ({v.status}); nothing stored")
    elif done.new_contract:
        print(f"{done.key}@{v.number}: new contract {v.name!r}, draft (hash {v.content_hash[:12]})")
    else:
        changes = stored_changes(done.changes)
        weakening = [c for c in changes if c.weakens]
        print(
            f"{done.key}@{v.number}: new draft from version {v.number - 1}: "
            f"{len(changes)} change(s), {len(weakening)} weakening "
            f"(hash {v.content_hash[:12]})"
        )
        for c in weakening:
            print(f"! {c}")
    return EXIT_OK


def _named(key: str | None, argument: str, what: str) -> str | None:
    """``key`` as given: an empty one is refused, not taken for "no name given" (which, for
    ``--as``, means the file's name)."""
    if key is not None and not key.strip():
        raise InputError(
            f"{argument}: empty; give the {what} a name (letters, digits, '_', '.' or '-'), "
            "e.g. march-2025"
        )
    return key


def _import_incidents(args: argparse.Namespace, opened: Opened) -> int:
    from slamodeler.services.incident_sets import import_incidents

    row, report = import_incidents(
        opened.workspace,
        args.incidents,
        _author(args),
        key=_named(args.key, "--as", "incident set"),
        mapping=args.mapping,
        timezone=args.timezone,
        skip_bad_rows=args.skip_bad_rows,
        contract_ref=args.contract,
        encoding=args.encoding,
    )
    print("\n".join(report.summary_lines()), file=sys.stderr)
    print(f"incident set {row.key}: {row.used:,} incident(s) stored (hash {row.content_hash[:12]})")
    return EXIT_OK


def _import_scenario(args: argparse.Namespace, opened: Opened) -> int:
    from slamodeler.services.incident_sets import import_scenario

    key = _named(args.key, "--as", "scenario")
    row, added = import_scenario(opened.workspace, args.scenario, _author(args), key)
    state = "stored" if added else "already stored, same terms"
    print(f"scenario {row.key} ({row.name!r}): {state} (hash {row.content_hash[:12]})")
    return EXIT_OK


def _add_fees(args: argparse.Namespace, opened: Opened) -> int:
    from slamodeler.services.run_input_sets import add_fees

    row = add_fees(opened.workspace, args.file, _author(args), _named(args.key, "KEY", "fee set"))
    print(f"fee set {row.key}: {row.fees:,} fee(s) stored (hash {row.content_hash[:12]})")
    return EXIT_OK


def _add_tickets(args: argparse.Namespace, opened: Opened) -> int:
    from slamodeler.services.run_input_sets import add_tickets

    row, report = add_tickets(
        opened.workspace,
        args.file,
        _author(args),
        _named(args.key, "KEY", "ticket set"),
        mapping=args.tickets_mapping,
        timezone=args.timezone,
        skip_bad_rows=args.skip_bad_rows,
    )
    print("\n".join(report.summary_lines()), file=sys.stderr)
    print(f"ticket set {row.key}: {row.used:,} ticket(s) stored (hash {row.content_hash[:12]})")
    return EXIT_OK


def _list(args: argparse.Namespace, opened: Opened) -> int:
    from slamodeler.services.runs import run_label
    from slamodeler.services.workspaces import listing

    ws = opened.workspace
    found = listing(ws)
    rows = []
    for contract, versions in found.contracts:
        latest = versions[-1]
        approved = [v.number for v in versions if v.status == "approved"]
        rows.append(
            [
                contract.key,
                str(len(versions)),
                f"{latest.number} ({latest.status.replace('_', ' ')})",
                str(approved[-1]) if approved else "-",
                latest.name,
            ]
        )
    parts = [
        f"Workspace {ws.path}",
        "Contracts\n"
        + render(["key", "versions", "latest", "approved", "name"], rows, right={1, 3}),
    ]
    sets = [[s.key, f"{s.used:,}", Path(s.source).name] for s in found.incident_sets]
    parts.append("Incident sets\n" + render(["name", "incidents", "source"], sets, right={1}))
    scenarios = [[s.key, s.name] for s in found.scenarios]
    parts.append("Scenarios\n" + render(["name", "scenario"], scenarios, right=set()))
    fees = [[f.key, f"{f.fees:,}", f.source, f.author] for f in found.fee_sets]
    parts.append("Fee sets\n" + render(["name", "fees", "source", "added by"], fees, right={1}))
    tickets = [[t.key, f"{t.used:,}", Path(t.source).name, t.author] for t in found.ticket_sets]
    parts.append(
        "Ticket sets\n" + render(["name", "tickets", "source", "added by"], tickets, right={1})
    )
    runs = [[str(r.id), run_label(ws, r), r.result_hash[:12]] for r in found.runs]
    parts.append("Runs\n" + render(["id", "what", "result"], runs, right={0}))
    print("\n\n".join(parts))
    return EXIT_OK


def _history(args: argparse.Namespace, opened: Opened) -> int:
    from slamodeler.services.versions import history, stored_changes

    contract, versions, entries = history(opened.workspace, args.contract)
    rows = []
    for v in versions:
        changes = stored_changes(json.loads(v.changes))
        weakening = sum(c.weakens for c in changes)
        weak = f" ({weakening} weakening)" if weakening else ""
        rows.append(
            [
                str(v.number),
                v.status.replace("_", " "),
                v.author,
                v.created_at,
                f"{len(changes)}{weak}" if v.parent_id else "-",
                v.reason,
            ]
        )
    print(f"{contract.key}: {versions[-1].name}")
    print(render(["version", "status", "author", "created", "changes", "reason"], rows, right={0}))
    audit = []
    for e in entries:
        data = e.data
        weakens = stored_changes(data.get("weakens") or [])
        note = data.get("reason") or ""
        if weakens:
            note += f" [{len(weakens)} weakening]"
        audit.append([str(e.seq), e.at, e.actor, f"{e.action} {e.subject}", note.strip()])
    print("\nAudit log\n" + render(["#", "time", "by", "action", "reason"], audit, right={0}))
    return EXIT_OK


def _diff(args: argparse.Namespace, opened: Opened) -> int:
    from slamodeler.services.versions import diff_versions

    d = diff_versions(opened.workspace, args.old, args.new)
    print(
        f"{d.key}@{d.old.number} ({d.old.status.replace('_', ' ')}) -> {d.key}@{d.new.number} "
        f"({d.new.status.replace('_', ' ')}): {len(d.changes)} change(s), "
        f"{len(d.weakening)} weakening a commitment"
    )
    for c in d.changes:
        print(f"{'!' if c.weakens else ' '} {c}  ({c.path})")
    return EXIT_OK


def _submit(args: argparse.Namespace, opened: Opened) -> int:
    from slamodeler.services.versions import submit

    key, v = submit(opened.workspace, args.version, _author(args), args.reason)
    print(f"{key}@{v.number}: in review (no more edits; approve it, or import a new draft)")
    return EXIT_OK


def _approve(args: argparse.Namespace, opened: Opened) -> int:
    from slamodeler.services.versions import approve, stored_changes

    key, v, previous, weakens = approve(
        opened.workspace, args.version, _author(args), args.reason, args.accept_weakening
    )
    was = f"; version {previous.number} is superseded" if previous else ""
    print(f"{key}@{v.number}: approved{was}")
    if weakens:
        print("accepted, and recorded as such in the audit log:")
    for c in stored_changes(weakens):
        print(f"! {c}")
    return EXIT_OK


def _verify(args: argparse.Namespace, opened: Opened) -> int:
    from slamodeler.services.workspaces import verify

    report = verify(opened.workspace, args.expect_head)
    counts = ", ".join(f"{what} {n}" for what, n in report.checked.items() if what != "seconds")
    if report.ok:
        print(f"{report.path}: verified: the audit chain is intact and the data matches it")
        print(f"  checked {counts}")
        for note in report.notes:
            print(f"  {note}")
        print(f"  head {report.head_seq}:{report.head} (keep it elsewhere to pin this history)")
        return EXIT_OK
    print(f"{report.path}: DOES NOT VERIFY: {len(report.problems)} problem(s)")
    for problem in report.problems:
        print(f"  - {problem}")
    return EXIT_FAILED_CHECK


def _head(args: argparse.Namespace, opened: Opened) -> int:
    from slamodeler.services.workspaces import head, head_label

    entry = head(opened.workspace, args.at)
    print(head_label(entry))
    print(f"  entry {entry.seq}: {entry.action} {entry.subject} by {entry.actor} at {entry.at}")
    return EXIT_OK


def _keygen(args: argparse.Namespace, _: Opened | None) -> int:
    from slamodeler.services.workspaces import keygen

    path = keygen(args.path)
    print(
        f"wrote the signing key {path} (readable by you only); keep it outside the workspace "
        f"and give it as --key-file {path} or SLAMODELER_SIGNING_KEY={path}"
    )
    return EXIT_OK


def _audit_head(opened: Opened) -> str:
    from slamodeler.services.workspaces import head, head_label

    return head_label(head(opened.workspace))


def _export(args: argparse.Namespace, opened: Opened) -> int:
    from slamodeler.services.export import check_output, write_text_atomic
    from slamodeler.services.versions import export_contract

    key, v, text = export_contract(opened.workspace, args.version)
    anchor = _audit_head(opened)
    header = (
        f"# {key}@{v.number} ({v.status.replace('_', ' ')}) exported from "
        f"{opened.workspace.path.name}; content hash {v.content_hash}\n"
        f"# audit head {anchor}\n"
    )
    if args.out is None:
        sys.stdout.write(header + text)
        return EXIT_OK
    check_output(args.out, {"workspace": opened.workspace.path}, "--out")
    write_text_atomic(args.out, header + text, "--out", "contract")
    print(
        f"wrote {args.out} ({key}@{v.number}, hash {v.content_hash[:12]}; audit head {anchor})",
        file=sys.stderr,
    )
    return EXIT_OK


def _show_stored(
    args: argparse.Namespace,
    run_id: int | None,
    notes: Sequence[str],
    data: dict[str, Any],
    table: Callable[[], str],
) -> int:
    """On stderr the run's notes and how to reproduce it; on stdout its result, as JSON or as
    the table, as --format asks."""
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    print(f"stored as run {run_id}; `slamodeler ws rerun {run_id}` reproduces it", file=sys.stderr)
    print(json.dumps(data, indent=2) if args.format == "json" else table())
    return EXIT_OK


def _replay(args: argparse.Namespace, opened: Opened) -> int:
    from slamodeler.services.run_input_sets import run_inputs
    from slamodeler.services.runs import replay_stored

    done = replay_stored(
        opened.workspace,
        args.version,
        args.incident_set,
        _author(args),
        first=args.first,
        last=args.last,
        tiers=args.tier,
        files=run_inputs(opened.workspace, args.tickets, args.fees),
    )
    return _show_stored(
        args,
        done.run.id,
        done.result.notes,
        done.data,
        lambda: replay_table(done.result, explain=args.explain),
    )


def _simulate(args: argparse.Namespace, opened: Opened) -> int:
    from slamodeler.services.run_input_sets import run_inputs
    from slamodeler.services.runs import simulate_stored

    done = simulate_stored(
        opened.workspace,
        args.version,
        args.scenario,
        _author(args),
        trials=args.trials,
        seed=args.seed,
        years=args.years,
        start=args.start,
        workers=args.workers,
        progress=ProgressBar("trials"),
        fees=run_inputs(opened.workspace, None, args.fees).fees,
    )
    return _show_stored(
        args,
        done.run.id,
        done.simulation.notes,
        done.data,
        lambda: simulation_table(done.simulation, done.exposures),
    )


def _exact(args: argparse.Namespace, opened: Opened) -> int:
    """``simulate --ws FILE KEY@N --scenario NAME --method exact``: computed and stored."""
    from slamodeler.services.run_input_sets import run_inputs
    from slamodeler.services.runs import exact_stored

    done = exact_stored(
        opened.workspace,
        args.version,
        args.scenario,
        _author(args),
        years=args.years,
        start=args.start,
        fees=run_inputs(opened.workspace, None, args.fees).fees,
    )
    return _show_stored(
        args, done.run.id, done.computed.notes, done.data, lambda: exact_table(done.computed)
    )


def _rerun(args: argparse.Namespace, opened: Opened) -> int:
    from slamodeler.services.runs import rerun

    done = rerun(opened.workspace, args.run, _author(args), workers=args.workers)
    if args.format == "json":
        print(json.dumps(done.data, indent=2))
    if done.same:
        print(
            f"run {done.run.id} ({done.label}): reproduced exactly (result {done.result_hash[:12]})",
            file=sys.stderr if args.format == "json" else sys.stdout,
        )
        return EXIT_OK
    print(
        f"run {done.run.id} ({done.label}): NOT reproduced (stored result "
        f"{done.run.result_hash[:12]}, now {done.result_hash[:12]}; stored by engine "
        f"{done.run.engine_version}); first differences:",
        file=sys.stderr,
    )
    for line in done.differences:
        print(f"  {line}", file=sys.stderr)
    return EXIT_FAILED_CHECK


def _export_run(args: argparse.Namespace, opened: Opened) -> int:
    from slamodeler.services.export import check_output, export_run

    if args.out.suffix.lower() != ".xlsx":
        raise InputError(f"--out {args.out}: the workbook's name must end in .xlsx")
    check_output(args.out, {"workspace": opened.workspace.path}, "--out")
    export_run(opened.workspace, args.run, args.out, workers=args.workers)
    print(f"wrote {args.out} from run {args.run} (audit head {_audit_head(opened)})")
    return EXIT_OK


HANDLERS: dict[str, Callable[[argparse.Namespace, Any], int]] = {
    "init": _init,
    "import-contract": _import_contract,
    "import-incidents": _import_incidents,
    "import-scenario": _import_scenario,
    "add-fees": _add_fees,
    "add-tickets": _add_tickets,
    "list": _list,
    "history": _history,
    "diff": _diff,
    "submit": _submit,
    "approve": _approve,
    "verify": _verify,
    "head": _head,
    "keygen": _keygen,
    "export-contract": _export,
    "replay": _replay,
    "simulate": _simulate,
    "exact": _exact,  # `simulate --ws --method exact` (no `ws exact` command)
    "rerun": _rerun,
    "export": _export_run,
}


# -- `slamodeler replay --ws` and `slamodeler simulate --ws` --------------------------------------


def replay_in_workspace(args: argparse.Namespace) -> int:
    """``slamodeler replay --ws FILE KEY@VERSION INCIDENT_SET``: as ``ws replay``."""
    unused = [
        flag
        for flag, value in (
            ("--mapping", args.mapping),
            ("--timezone", args.timezone),
            ("--encoding", args.encoding),
            ("--skip-bad-rows", args.skip_bad_rows),
        )
        if value
    ]
    if unused:
        raise InputError(
            f"{', '.join(unused)}: for incident files; with --ws the incident set is already "
            "imported (give these to `slamodeler ws import-incidents`)"
        )
    if args.tickets_mapping is not None:
        raise InputError(
            "--tickets-mapping: with --ws, the mapping is used when the export is stored: "
            "`slamodeler ws add-tickets KEY FILE --tickets-mapping MAP`, then --tickets KEY"
        )
    if args.format == "csv":
        raise InputError("--format csv: not with --ws (use table or json)")
    args.version, args.incident_set = str(args.contract), str(args.incidents)
    return run_ws(_as_ws(args, "replay"))


def simulate_in_workspace(args: argparse.Namespace) -> int:
    """``slamodeler simulate --ws FILE KEY@VERSION --scenario NAME``: as ``ws simulate``."""
    if args.scenario is None or args.incidents is not None or args.mapping is not None:
        raise InputError(
            "with --ws, name a stored scenario with --scenario NAME (import it first with "
            "`slamodeler ws import-scenario FILE`); --incidents and --mapping are for files"
        )
    if args.dump_trials or args.dask is not None:
        raise InputError("--dump-trials and --dask are not available with --ws")
    args.version, args.scenario = str(args.contract), str(args.scenario)
    if args.method == "exact":
        if args.workers != 1:
            raise InputError(
                "--workers goes with --method monte-carlo: the exact method draws no trials "
                "to share out; leave it out or use --method monte-carlo"
            )
        return run_ws(_as_ws(args, "exact"))
    return run_ws(_as_ws(args, "simulate"))


def _as_ws(args: argparse.Namespace, command: str) -> argparse.Namespace:
    args.ws_command = command
    args.author = getattr(args, "author", None)
    return args
