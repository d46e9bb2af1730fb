"""The commands that start at once (issue 18, start-up): `validate` and `replay` of a small file
load neither scipy, nor openpyxl, nor Dask, nor the workspace's SQL, nor Qt, nor what only other
commands run on (the simulation, the fit, the workbook, the scenario's models, the other
commands' own modules; for `validate`, the engine and numpy, and the options and column mapping
of the commands that read incidents).
Each takes longer to import than these commands take to run (benchmarks/cli_startup.py times
them); a command that needs one imports it when it runs."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.helpers.paths import REPO, SAMPLES

HEAVY = (
    "scipy",
    "openpyxl",
    "dask",
    "distributed",
    "sqlalchemy",
    "sqlmodel",
    "PySide6",
    "numba",
    "llvmlite",
)
OTHER_COMMANDS = (
    "slamodeler.engine.simulation",
    "slamodeler.engine.window_measure",  # the simulation's cells (replay prices rows: horizon.py)
    "slamodeler.engine.interval_measure",
    "slamodeler.engine.fitting",
    "slamodeler.engine.exact",
    "slamodeler.io.workbook",
    "slamodeler.services.dask_cluster",
    "multiprocessing",
    "asyncio",
    "slamodeler.domain.scenario",
    "slamodeler.io.scenario_file",
    "xml.etree.ElementTree",  # what a damaged workbook raises: read for a workbook alone
    "xml.parsers.expat",  # the workbook check's parser (io/xlsx_sheet_check.py): likewise
    "slamodeler.io.xlsx_sheet_check",
    "unicodedata",  # for names and header cells beyond ASCII alone
)
# Each command's own module, which the parser imports only for the command given.
OTHER_COMMANDS_PARSERS = tuple(
    f"slamodeler.cli.{name}"
    for name in (
        "baseline_command",
        "compare_command",
        "dispute_command",
        "find_command",
        "fit_command",
        "layers_command",
        "memos_command",
        "portfolio_command",
        "profitability_command",
        "report_command",
        "reprice_command",
        "sensitivity_command",
        "slo_command",
        "vendor_command",
        "ws_commands",
    )
)
# What `validate` reads no incidents for: the incident options and the column mapping.
INCIDENT_READING = ("slamodeler.cli.options", "slamodeler.domain.import_mapping")
# What only some replays read: a fee file, a ticket export, a simulation's claims.
OTHER_REPLAYS = (
    "slamodeler.io.fee_file",
    "slamodeler.io.ticket_import",
    "slamodeler.domain.ticket_mapping",
    "slamodeler.engine.claim_simulation",
    "slamodeler.engine.customer_caps",  # a contract's cap per customer (none in the sample)
)
CONTRACT = SAMPLES / "three_tier_cloud.yaml"
# The command line as `slamodeler ARGS` runs it, then its exit code and every module loaded.
PROGRAM = (
    "import json, sys\n"
    "from slamodeler.cli.main import main\n"
    "code = main(sys.argv[1:])\n"
    "print(json.dumps({'exit': code, 'modules': sorted(sys.modules)}))\n"
)


def loaded(argv: list[str], shown: str) -> list[str]:
    """The modules `slamodeler ARGV` loaded, in a fresh interpreter; it must show ``shown``."""
    out = subprocess.run(
        [sys.executable, "-c", PROGRAM, *argv],
        capture_output=True,
        text=True,
        cwd=REPO,  # this checkout's package, first on the path of a ``-c`` program
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert shown in out.stdout
    done = json.loads(out.stdout.splitlines()[-1])
    assert done["exit"] == 0
    return done["modules"]


def among(modules: list[str], names: tuple[str, ...]) -> list[str]:
    """The ``names`` loaded: a name or any module inside it."""
    return sorted({n for n in names for m in modules if m == n or m.startswith(n + ".")})


def test_validate_loads_no_heavy_library_nor_the_engine():
    modules = loaded(["validate", str(CONTRACT)], "valid.")
    assert among(modules, HEAVY) == []
    assert among(modules, (*OTHER_COMMANDS, "slamodeler.engine", "numpy")) == []
    assert among(modules, (*OTHER_COMMANDS_PARSERS, *INCIDENT_READING)) == []


def test_replay_of_a_small_file_loads_no_heavy_library_nor_what_other_commands_run_on():
    incidents = SAMPLES / "incidents_sample.csv"
    modules = loaded(["replay", str(CONTRACT), str(incidents)], "Total per customer")
    assert among(modules, HEAVY) == []
    assert among(modules, OTHER_COMMANDS) == []
    assert among(modules, OTHER_REPLAYS) == []
    assert among(modules, OTHER_COMMANDS_PARSERS) == []
    assert among(modules, ("numpy.ma",)) == []  # numpy's plain `unique` loads it (engine/slots.py)
    assert "slamodeler.engine.replay" in modules  # what it runs on, loaded when it runs


def test_a_replay_with_fees_loads_the_fee_file_reader_when_it_reads_one(tmp_path):
    fees = tmp_path / "fees.csv"
    fees.write_text("tier,month,fee\nBronze,2025-03,1000\n", encoding="utf-8")
    incidents = SAMPLES / "incidents_sample.csv"
    modules = loaded(
        ["replay", str(CONTRACT), str(incidents), "--fees", str(fees)], "Total per customer"
    )
    assert "slamodeler.io.fee_file" in modules


def test_a_module_counts_as_its_package_loaded():
    modules = ["numpy", "scipy.stats._distn", "scipyx", "slamodeler.io.workbook.writer"]
    assert among(modules, HEAVY) == ["scipy"]
    assert among(modules, OTHER_COMMANDS) == ["slamodeler.io.workbook"]
