"""Hostile inputs past the limits: amounts, counts, rates and nesting too large to simulate,
replay or export, Dask addresses that are not schedulers, and workspace data edited into
something that does not parse. Each is refused with exit 2 and a message naming the field or
the input (docs/contract-format.md and docs/scenario-format.md, "Limits"); values at the limits
still simulate, replay and export."""

from __future__ import annotations

import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from slamodeler.domain.limits import MAX_THRESHOLDS, MAX_TRIAL_YEARS
from slamodeler.services.workspaces import init_workspace
from tests.helpers.hostile_inputs import hostile
from tests.helpers.paths import REPO, SAMPLES

CONTRACT = SAMPLES / "three_tier_cloud.yaml"
SCENARIO = SAMPLES / "scenarios" / "baseline.yaml"
BASE = CONTRACT.read_text(encoding="utf-8")
SCENARIO_TEXT = SCENARIO.read_text(encoding="utf-8")
BRONZE_BANDS = (
    "        - {below: 99.5, credit_pct: 10}\n"
    "        - {below: 99.0, credit_pct: 25}\n"
    "        - {below: 95.0, credit_pct: 50}\n"
)


def refused(capsys, *argv: object, names: str | list[str]) -> str:
    """Run a bad input through the suite's bookkeeping and require exit 2; the message."""
    code, _, err = hostile(capsys, *argv, names=names)
    assert code == 2, f"accepted: {argv}"
    return err


def edited(tmp_path: Path, old: str, new: str, text: str = BASE, name: str = "c.yaml") -> Path:
    assert old in text, old
    path = tmp_path / name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------
# Money, percentages and customers


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("monthly_fee: 1500", "monthly_fee: 1e17", "tiers[0].monthly_fee"),
        ("monthly_fee: 1500", "monthly_fee: 1e26", "tiers[0].monthly_fee"),
        ("monthly_fee: 1500", "monthly_fee: 0.0000001", "tiers[0].monthly_fee"),
        ("cost_to_serve_monthly: 700", "cost_to_serve_monthly: 1e30", "cost_to_serve_monthly"),
        ("customers: 120", "customers: 1000000000000000", "tiers[0].customers"),
        ("{below: 95.0, credit_pct: 50}", "{below: 95.0, credit_pct: 1e30}", "bands[2].credit_pct"),
        ("{below: 95.0, credit_pct: 50}", "{below: 95.0, credit_pct: 50.00001}", "credit_pct"),
        ("per_period_pct: 50}", "per_period_pct: 1e30}", "tiers[0].caps.per_period_pct"),
        ("amount: 1000000}", "amount: 1e20}", "liability_cap.amount"),
        ("min_credit: 1.00", "min_credit: 1e40", "claims.min_credit"),
        ("allowance_minutes_per_year: 600", "allowance_minutes_per_year: 1e30", "allowance"),
    ],
)
def test_amounts_past_their_limits_are_refused_naming_the_field(capsys, tmp_path, old, new, field):
    path = edited(tmp_path, old, new)
    for argv in (
        ["validate", path],
        ["replay", path, REPO / "sample_contracts/incidents_sample.csv"],
    ):
        refused(capsys, *argv, names=[str(path), field])
    refused(capsys, "simulate", path, "--scenario", SCENARIO, "--trials", 5, names=field)


def test_a_fee_times_customers_past_what_a_simulation_adds_exactly_is_refused(capsys, tmp_path):
    """1e11 a month, 50% credit, 120 customers: 7.2e15 cents over one year, below 2**53, and
    3.6e17 over 50 years, above it. The contract is valid and replays (replay prices exact
    fractions); a simulation as long as that is refused when it starts."""
    path = edited(tmp_path, "monthly_fee: 1500", "monthly_fee: 100000000000")
    hostile(capsys, "validate", path)
    incidents = SAMPLES / "incidents_sample.csv"
    assert hostile(capsys, "replay", path, incidents)[0] == 0
    assert hostile(capsys, "simulate", path, "--scenario", SCENARIO, "--trials", 3)[0] == 0
    fifty = edited(tmp_path, "years: 1", "years: 50", SCENARIO_TEXT, "s.yaml")
    err = refused(
        capsys, "simulate", path, "--scenario", fifty, "--trials", 3, names=["Bronze", "2**53"]
    )
    assert "over a 50-year simulation comes to 3,600,000,000,000,000.00 USD" in err
    assert "90,071,992,547,409.91 USD" in err
    assert "or simulate fewer years" in err


def test_an_ordinary_contract_in_a_currency_of_large_numbers_is_valid(capsys, tmp_path):
    """15,000,000 IDR a month (about 950 USD) for 100,000 customers: 2.25e14 IDR at a 25% credit
    over 50 years. Nothing about it is too large to validate or replay."""
    text = BASE.replace("currency: USD", "currency: IDR").replace(
        "customers: 120", "customers: 100000"
    )
    path = edited(tmp_path, "monthly_fee: 1500", "monthly_fee: 15000000", text)
    hostile(capsys, "validate", path)
    incidents = SAMPLES / "incidents_sample.csv"
    assert hostile(capsys, "replay", path, incidents)[0] == 0
    assert hostile(capsys, "simulate", path, "--scenario", SCENARIO, "--trials", 3)[0] == 0


def test_a_per_hour_credit_past_its_limit_is_refused(capsys, tmp_path):
    per_hour = "      kind: per_hour\n      credit_pct_per_hour: 1e9\n"
    path = edited(
        tmp_path,
        "      kind: bands\n      boundary: below\n      bands:\n" + BRONZE_BANDS,
        per_hour,
    )
    refused(capsys, "validate", path, names="credit_pct_per_hour")
    argv = ("simulate", path, "--scenario", SCENARIO, "--trials", 5)
    refused(capsys, *argv, names="credit_pct_per_hour")


def test_values_at_the_limits_simulate_replay_and_export(capsys, tmp_path):
    """The largest fee a single customer's 50-year simulation adds exactly: accepted, and every
    command that prices it works."""
    text = BASE.replace("customers: 120", "customers: 1")
    path = edited(tmp_path, "monthly_fee: 1500", "monthly_fee: 300000000000", text)  # 3e11
    hostile(capsys, "validate", path)
    incidents = SAMPLES / "incidents_sample.csv"
    code, out, _ = hostile(capsys, "replay", path, incidents, "--tier", "Bronze")
    assert code == 0 and "Bronze" in out
    scenario = edited(tmp_path, "years: 1", "years: 50", SCENARIO_TEXT, "s.yaml")
    code, _, _ = hostile(
        capsys,
        "simulate",
        path,
        "--scenario",
        scenario,
        "--trials",
        3,
        "--xlsx",
        tmp_path / "o.xlsx",
    )
    assert code == 0 and (tmp_path / "o.xlsx").exists()


def test_more_distinct_thresholds_than_a_byte_codes_are_refused(capsys, tmp_path):
    bands = "".join(
        f"        - {{below: {(995000 - i) / 10000}, credit_pct: 10}}\n" for i in range(260)
    )
    path = edited(tmp_path, BRONZE_BANDS, bands)
    err = refused(capsys, "validate", path, names=[str(path), "(tiers)"])
    assert f"at most {MAX_THRESHOLDS} can be simulated" in err
    refused(capsys, "simulate", path, "--scenario", SCENARIO, "--trials", 5, names="(tiers)")


def test_as_many_thresholds_as_a_byte_codes_simulate(capsys, tmp_path):
    # 3 tiers' targets and bands: 4 distinct in Silver and Gold (99.9, 99.0, 95.0, 99.99) plus
    # Bronze's; Bronze gets as many more as make exactly 255.
    bands = "".join(
        f"        - {{below: {(994999 - i) / 10000}, credit_pct: 10}}\n" for i in range(249)
    )
    path = edited(tmp_path, BRONZE_BANDS, "        - {below: 99.5, credit_pct: 10}\n" + bands)
    hostile(capsys, "validate", path)
    code, _, _ = hostile(capsys, "simulate", path, "--scenario", SCENARIO, "--trials", 5)
    assert code == 0


# ---------------------------------------------------------------------------------------------
# Scenarios, trials


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("rate_per_month: 1.8", "rate_per_month: 1e9", "processes[0].frequency.rate_per_month"),
        ("mean_per_month: 0.2", "mean_per_month: 1e12", "processes[1].frequency.mean_per_month"),
        ("stress: {frequency: 1.0", "stress: {frequency: 1e300", "stress.frequency"),
        ("duration: 1.0}", "duration: 1e300}", "stress.duration"),
        ("rate_per_year: 0.02", "rate_per_year: 1e12", "catastrophes[0].rate_per_year"),
        # each under its own limit, together too many a month
        ("stress: {frequency: 1.0", "stress: {frequency: 99", "stress.frequency"),
    ],
)
def test_scenario_rates_past_their_limits(capsys, tmp_path, old, new, field):
    text = (
        SCENARIO_TEXT.replace("rate_per_month: 1.8", "rate_per_month: 900")
        if "99" in new
        else SCENARIO_TEXT
    )
    path = edited(tmp_path, old, new, text, "s.yaml")
    refused(
        capsys, "simulate", CONTRACT, "--scenario", path, "--trials", 5, names=[str(path), field]
    )


def test_many_processes_together_past_the_monthly_limit(capsys, tmp_path):
    process = (
        "  - name: p{n}\n    frequency: {{dist: poisson, rate_per_month: 1000}}\n"
        "    duration_minutes: {{dist: exponential, mean: 5}}\n"
    )
    many = "processes:\n" + "".join(process.format(n=n) for n in range(11))
    text = SCENARIO_TEXT[: SCENARIO_TEXT.index("processes:")] + many
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    err = refused(
        capsys, "simulate", CONTRACT, "--scenario", path, names=[str(path), "line 8, processes"]
    )
    assert "come to 11,000 incidents a month; at most 10,000 can be simulated" in err


def test_independent_processes_times_customers_past_the_limit(capsys, tmp_path):
    text = SCENARIO_TEXT.replace("rate_per_month: 1.8", "rate_per_month: 900")
    path = edited(tmp_path, "    scope: all\n", "    scope: {independent: 0.5}\n", text, "s.yaml")
    refused(
        capsys,
        "simulate",
        CONTRACT,
        "--scenario",
        path,
        "--trials",
        5,
        names=["Baseline", "120 customer(s)"],
    )


@pytest.mark.parametrize(
    ("trials", "years"),
    [(10**12, 1), (MAX_TRIAL_YEARS + 1, 1), (MAX_TRIAL_YEARS // 50 + 1, 50)],
)
def test_too_many_trials_for_the_horizon(capsys, trials, years):
    argv = ("simulate", CONTRACT, "--scenario", SCENARIO, "--years", years, "--trials", trials)
    err = refused(capsys, *argv, names=f"{trials:,} trials over {years} year(s)")
    assert f"at most {MAX_TRIAL_YEARS // years:,} trials over this horizon" in err


# ---------------------------------------------------------------------------------------------
# YAML nested thousands deep


def test_yaml_nested_thousands_deep(capsys, tmp_path):
    deep = "x: " + "[" * 5000 + "]" * 5000 + "\n"
    contract = tmp_path / "deep.yaml"
    contract.write_text(BASE + deep, encoding="utf-8")
    refused(capsys, "validate", contract, names=[str(contract), "nested more than 50 deep"])
    scenario = tmp_path / "deep_scenario.yaml"
    scenario.write_text(
        SCENARIO_TEXT + "x: " + "{a: " * 3000 + "1" + "}" * 3000 + "\n", encoding="utf-8"
    )
    refused(capsys, "simulate", CONTRACT, "--scenario", scenario, names=str(scenario))
    mapping = tmp_path / "deep_mapping.yaml"
    mapping.write_text("columns:\n" + "  - " * 2000 + "x\n", encoding="utf-8")
    incidents = SAMPLES / "incidents_sample.csv"
    refused(capsys, "replay", CONTRACT, incidents, "--mapping", mapping, names=str(mapping))


# ---------------------------------------------------------------------------------------------
# Impacts, dump folders


def test_an_impact_written_as_a_percentage_too_large_for_decimal_arithmetic(capsys, tmp_path):
    """What the replay fuzz test (tests/cli/test_bad_input.py) found one run in ten: its junk
    "1e999999" inserted before "25%"."""
    path = tmp_path / "i.csv"
    path.write_text(
        "start,end,impact\n2024-01-02T00:00:00Z,2024-01-02T01:00:00Z,1e99999925%\n",
        encoding="utf-8",
    )
    argv = ("replay", CONTRACT, path, "--from", "2024-01", "--to", "2024-01")
    err = refused(capsys, *argv, names=[str(path), "rows 2"])
    assert "impact '1e99999925%' is outside 0..1 (or 0%..100%)" in err


def test_a_dump_folder_that_cannot_take_the_files(capsys, tmp_path):
    folder = tmp_path / "dump"
    (folder / "trial-000000.csv").mkdir(parents=True)  # even root cannot write a file there
    argv = ("simulate", CONTRACT, "--scenario", SCENARIO, "--trials", 5, "--dump-trials", 1)
    refused(
        capsys, *argv, "--dump-dir", folder, names=[str(folder / "trial-000000.csv"), "--dump-dir"]
    )
    refused(capsys, *argv, "--dump-dir", CONTRACT, names=str(CONTRACT))


# ---------------------------------------------------------------------------------------------
# Dask addresses


@pytest.mark.parametrize(
    ("address", "says"),
    [
        ("garbage", "not a scheduler address"),
        ("tcp://:x", "not a scheduler address"),
        ("http://127.0.0.1:8786", "unknown scheme 'http'"),
        ("ucx://127.0.0.1:8786", "unknown scheme 'ucx'"),
        ("tcp://127.0.0.1:99999", "the port must be 1 to 65535"),
    ],
)
def test_a_dask_address_of_the_wrong_form_is_refused_before_connecting(capsys, address, says):
    argv = ("simulate", CONTRACT, "--scenario", SCENARIO, "--trials", 5, "--dask", address)
    err = refused(capsys, *argv, names=[address, says])
    assert "tcp://HOST:PORT" in err


@pytest.fixture
def peer(request) -> Iterator[str]:
    """A server on 127.0.0.1 that accepts and then says nothing (``silent``) or answers as a web
    server would (``http``); stopped, with its connections, when the test ends."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    stop = threading.Event()
    accepted: list[socket.socket] = []

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            accepted.append(conn)
            if request.param == "http":
                conn.settimeout(2)
                try:
                    conn.recv(4096)
                    conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n" * 4)
                except OSError:
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"tcp://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join(timeout=5)
    for conn in accepted:
        conn.close()
    server.close()


@pytest.mark.parametrize(
    ("peer", "says"),
    [
        ("silent", "no answer from a Dask scheduler within 5 s"),
        ("http", "does not answer as a Dask scheduler"),
    ],
    indirect=["peer"],
)
def test_a_dask_peer_that_is_silent_or_speaks_http_is_refused_in_time(capsys, peer, says):
    started = time.monotonic()
    argv = ("simulate", CONTRACT, "--scenario", SCENARIO, "--trials", 5, "--dask", peer)
    refused(capsys, *argv, names=[peer, says])
    assert time.monotonic() - started < 15


# ---------------------------------------------------------------------------------------------
# Workspaces: ids and stored data


@pytest.fixture
def workspace(tmp_path) -> Path:
    path = tmp_path / "w.slamws"
    init_workspace(path, "ana").workspace.close()
    return path


def tamper(path: Path, statement: str, *params: object) -> None:
    db = sqlite3.connect(path)
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        db.execute(f'DROP TRIGGER "{name}"')
    db.execute(statement, params)
    db.commit()
    db.close()


@pytest.mark.parametrize("command", ["rerun", "export"])
def test_a_run_id_too_large_for_sqlite(capsys, workspace, tmp_path, command):
    extra = ["--out", tmp_path / "o.xlsx"] if command == "export" else []
    refused(capsys, "ws", command, 10**30, "--ws", workspace, *extra, names=f"no run {10**30}")


def test_a_draft_whose_body_is_not_json(capsys, workspace, tmp_path):
    hostile(capsys, "ws", "import-contract", CONTRACT, "--ws", workspace, "--as", "c")
    tamper(workspace, "UPDATE contract_version SET body = 'not json {' WHERE number = 1")
    for argv in (("diff", "c@1", "c@1"), ("export-contract", "c@1")):
        err = refused(capsys, "ws", *argv, "--ws", workspace, names=["version 1", "not JSON"])
        assert "restore it from a backup" in err


def test_audit_details_nested_thousands_deep(capsys, workspace):
    hostile(capsys, "ws", "import-contract", CONTRACT, "--ws", workspace, "--as", "c")
    nested = '{"a": ' * 100_000 + "1" + "}" * 100_000
    tamper(workspace, "UPDATE audit SET details = ? WHERE seq = 2", nested)
    for argv in (("verify",), ("history", "c")):
        refused(
            capsys, "ws", *argv, "--ws", workspace, names=["audit entry 2", "nested too deeply"]
        )
