"""The examples in docs/*.md are tests: what the pages show is what the program does.

For every page:
- a code block preceded by a ``<!-- file: NAME -->`` comment is written to NAME, so that the
  commands below it can use it;
- every YAML example must load as what its ``format:`` key says (a contract or a column mapping);
  an example written to ``broken*.yaml`` must be refused;
- every ``console`` block is run, command by command (``$ slamodeler ...``), and the output shown
  after each command must be the real one: stderr then stdout, trailing spaces ignored, a line
  ``...`` standing for any number of lines. A shown output that starts with ``slamodeler:`` or
  ``usage:`` is an error message, and the command must exit with code 2; any other, with 0.

Commands are written as run from the repository root, with the real incident histories beside it
in ``../shared/data``. Each case runs the CLI in-process in a fresh directory laid out that way.
"""

from __future__ import annotations

import contextlib
import io
import re
import shlex
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
import yaml

from slamodeler.cli.main import main
from slamodeler.domain.errors import InputError
from slamodeler.io.contract_file import load_contract
from slamodeler.io.incident_import import load_mapping
from slamodeler.io.scenario_file import load_scenario
from slamodeler.io.ticket_import import load_ticket_mapping
from tests.helpers.paths import DOCS, SAMPLES, SHARED

FENCE = re.compile(r"^```(\w*)\s*$")
FILE_COMMENT = re.compile(r"^<!-- file: (\S+) -->$")
ANY_LINES = "..."


@dataclass(frozen=True)
class Block:
    page: str  # file name in docs/
    line: int  # line number of the opening fence
    lang: str
    text: str
    file: str | None  # NAME of a preceding <!-- file: NAME --> comment

    def __str__(self) -> str:
        return f"{self.page}:{self.line}"


def read_blocks(page: Path) -> list[Block]:
    """The fenced code blocks of a page. A file comment applies to the next block if only blank
    lines come between them."""
    blocks: list[Block] = []
    lines = page.read_text(encoding="utf-8").split("\n")
    pending_file = None
    i = 0
    while i < len(lines):
        if m := FILE_COMMENT.match(lines[i]):
            pending_file = m.group(1)
        elif m := FENCE.match(lines[i]):
            end = i + 1
            while lines[end].rstrip() != "```":
                end += 1
            text = "\n".join(lines[i + 1 : end])
            blocks.append(Block(page.name, i + 1, m.group(1), text, pending_file))
            pending_file = None
            i = end
        elif lines[i].strip():
            pending_file = None
        i += 1
    return blocks


BLOCKS = [b for page in sorted(DOCS.glob("*.md")) for b in read_blocks(page)]
CONSOLE = [b for b in BLOCKS if b.lang == "console"]
YAML = [b for b in BLOCKS if b.lang in ("yaml", "yml")]


def commands(block: Block) -> list[tuple[str, list[str]]]:
    """The ``$ `` commands of a console block, each with the output lines shown after it."""
    sessions: list[tuple[str, list[str]]] = []
    for line in block.text.split("\n"):
        if line.startswith("$ "):
            sessions.append((line[2:], []))
        elif sessions:
            sessions[-1][1].append(line)
        elif line.strip():
            pytest.fail(f"{block}: output before the first `$ ` command: {line!r}")
    return sessions


def unmatched(expected: list[str], actual: list[str]) -> list[str] | None:
    """None if ``actual`` is ``expected``, each ``...`` line standing for any number of lines;
    otherwise the first run of shown lines that is not in the actual output where it should be."""
    actual = [line.rstrip() for line in actual]
    chunks: list[list[str]] = [[]]
    for line in expected:
        if line.strip() == ANY_LINES:
            chunks.append([])
        else:
            chunks[-1].append(line.rstrip())
    if len(chunks) == 1:
        return None if actual == chunks[0] else chunks[0]
    head, *middle, tail = chunks
    if actual[: len(head)] != head:
        return head
    if len(actual) < len(head) + len(tail) or actual[len(actual) - len(tail) :] != tail:
        return tail
    rest = actual[len(head) : len(actual) - len(tail)]
    for chunk in middle:  # each at its first occurrence after the one before
        found = [k for k in range(len(rest) - len(chunk) + 1) if rest[k : k + len(chunk)] == chunk]
        if not found:
            return chunk
        rest = rest[found[0] + len(chunk) :]
    return None


def run_cli(argv: list[str]) -> tuple[int, str]:
    """``slamodeler ARGV`` in-process: exit code, and stderr followed by stdout."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse's usage errors
            code = exc.code
    return code, err.getvalue() + out.getvalue()


# incident-import.md's worked example: an ITSM export whose first sheet is a cover page and whose
# `Incidents` sheet has date cells (without a zone), text and numbers, as the page's table says.
# fmt: off
ITSM_INCIDENTS = [
    ["Ticket", "Opened", "Resolved", "Minutes", "Severity", "Root cause", "Component", "Summary"],
    ["CHG-1", datetime(2024, 4, 2, 10, 0), datetime(2024, 4, 2, 11, 30), None, "Sev1", "Vendor",
     "Compute", "Hypervisor crash at the vendor"],
    ["CHG-2", datetime(2024, 4, 9, 2, 0), datetime(2024, 4, 9, 3, 0), None, "Sev3", "Planned",
     "Compute", "Patching"],
    ["CHG-3", "2024-04-15T08:00:00Z", None, 45, "Sev2", None,
     "Compute", "Slow API (text cell with Z, end from minutes)"],
]
# fmt: on


def itsm_export(path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Summary"
    book.active.append(["This sheet is a cover page"])
    sheet = book.create_sheet("Incidents")
    for row in ITSM_INCIDENTS:
        sheet.append(row)
    book.save(path)


def excel_export(path: Path) -> None:
    """incident-import.md's CSV as Excel's plain "CSV (Comma delimited)" saves it: Windows-1252."""
    path.write_bytes(
        "id,start,end,impact,title\r\n"
        "X-1,2024-04-02T10:00:00Z,2024-04-02T11:00:00Z,full,Caf\u00e9 \u2013 orders\r\n"
        "X-2,2024-04-03T10:00:00Z,2024-04-03T10:30:00Z,partial,Refunds over 50 \u20ac\r\n".encode(
            "cp1252"
        )
    )


# Files the pages describe but cannot show as text.
GENERATED = {"itsm-export.xlsx": itsm_export, "excel-export.csv": excel_export}


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in for the repository root, with the sample contracts and ../shared beside it, as
    the current directory."""
    root = tmp_path / "repo"
    shutil.copytree(SAMPLES, root / "sample_contracts")
    if SHARED.is_dir():
        (tmp_path / "shared").symlink_to(SHARED, target_is_directory=True)
    monkeypatch.chdir(root)
    monkeypatch.setenv("COLUMNS", "80")  # argparse wraps its usage lines to the terminal width
    return root


def write_files(root: Path, block: Block) -> None:
    """The page's file blocks above ``block``, and any generated file its commands name."""
    for b in BLOCKS:
        if b.page == block.page and b.line < block.line and b.file:
            (root / b.file).write_text(b.text + "\n", encoding="utf-8")
    for name, make in GENERATED.items():
        if name in block.text:
            make(root / name)


@pytest.mark.parametrize("block", CONSOLE, ids=str)
def test_console_example(block: Block, checkout: Path) -> None:
    if "../shared/" in block.text and not SHARED.is_dir():
        pytest.skip(f"real incident data not found at {SHARED} (shared/ beside the checkout)")
    write_files(checkout, block)
    for command, expected in commands(block):
        program, *argv = shlex.split(command)
        assert program == "slamodeler", f"{block}: only slamodeler commands can be run: {command}"
        code, output = run_cli(argv)
        actual = output.rstrip("\n").split("\n")
        expected_code = 2 if expected and expected[0].startswith(("slamodeler: ", "usage: ")) else 0
        missing = unmatched(expected, actual)
        if missing is not None or code != expected_code:
            pytest.fail(
                f"{block}: `{command}` does not do what the page shows.\n"
                f"--- shown in the page (exit code {expected_code}):\n"
                + "\n".join(expected)
                + f"\n--- actual (exit code {code}):\n"
                + "\n".join(actual)
                + "\n--- first shown lines not matched:\n"
                + "\n".join(missing or ["(none: only the exit code differs)"]),
                pytrace=False,
            )


def load_any_mapping(path: Path) -> object:
    """A column mapping; one written to a file named ``tickets-*`` maps a ticket export."""
    return load_ticket_mapping(path) if path.name.startswith("tickets-") else load_mapping(path)


LOADERS = {
    "slamodeler/v1": load_contract,
    "slamodeler-mapping/v1": load_any_mapping,
    "slamodeler-scenario/v1": load_scenario,
}


@pytest.mark.parametrize("block", YAML, ids=str)
def test_yaml_example(block: Block, checkout: Path) -> None:
    """Loaded where the page's commands run, beside the files shown above it (a scenario may
    read durations from one)."""
    if "../shared/" in block.text and not SHARED.is_dir():
        pytest.skip(f"real incident data not found at {SHARED} (shared/ beside the checkout)")
    write_files(checkout, block)
    path = checkout / (block.file or "example.yaml")
    path.write_text(block.text + "\n", encoding="utf-8")
    document = yaml.safe_load(block.text)
    kind = document.get("format") if isinstance(document, dict) else None
    load = LOADERS.get(kind)
    if load is None:
        pytest.fail(f"{block}: a YAML example needs a format: key, one of {', '.join(LOADERS)}")
    try:
        load(path)
    except InputError as exc:
        if not path.name.startswith("broken"):
            pytest.fail(f"{block}: the example is refused:\n{exc}", pytrace=False)
    else:
        if path.name.startswith("broken"):
            pytest.fail(f"{block}: {path.name} is meant to be refused, but loads", pytrace=False)


def test_the_pages_have_examples() -> None:
    """Guards the parser: a change of fence or comment syntax must not silently test nothing."""
    for page in ("contract-format.md", "incident-import.md", "replay-output.md"):
        assert any(b.page == page for b in CONSOLE), f"no console example found in {page}"
        assert any(b.page == page and b.file for b in BLOCKS), f"no file block found in {page}"


@pytest.mark.parametrize(
    ("shown", "actual", "matches"),
    [
        (["a", "b "], ["a ", "b"], True),  # trailing spaces do not matter
        (["a"], ["a", "b"], False),  # the output goes on
        (["a", "..."], ["a", "b", "c"], True),
        (["...", "c"], ["a", "b", "c"], True),
        (["a", "...", "c"], ["a", "c"], True),  # "..." may stand for no line
        (["a", "...", "c"], ["a", "c", "b"], False),
        (["...", "b", "...", "d"], ["a", "b", "c", "d"], True),
        (["...", "x", "..."], ["a", "b"], False),
        (["a", "...", "a"], ["a"], False),  # one line cannot be both first and last
    ],
)
def test_shown_output_matching(shown: list[str], actual: list[str], matches: bool) -> None:
    assert (unmatched(shown, actual) is None) is matches
