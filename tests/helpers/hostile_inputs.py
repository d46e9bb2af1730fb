"""The hostile-input suite's bookkeeping: every bad input a test tries is counted as refused
clearly (exit 2, one ``slamodeler: `` message naming the file, row or field), an internal error
(exit 1 or a traceback), a silent loss (exit 0 with input dropped without a word) or accepted
(exit 0, every row accounted for). The session prints the counts (tests/conftest.py), and each
test still asserts what it expects: the count is a report, never the check.

    code, out, err = hostile(capsys, "replay", contract, bad_csv, names=bad_csv.name)

``names``: what the message must name (the file, "row 7", a field) for a refusal to be clear.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from slamodeler.cli.main import main

REFUSED, INTERNAL, SILENT, ACCEPTED, UNCLEAR = (
    "refused clearly",
    "internal errors",
    "silent losses",
    "accepted",
    "refused without naming the place",
)
TALLY: Counter[str] = Counter()


def record(outcome: str) -> None:
    TALLY["tried"] += 1
    TALLY[outcome] += 1


def hostile(
    capsys,
    *argv: object,
    names: str | Iterable[str] = (),
    lost: bool = False,
) -> tuple[int, str, str]:
    """Run the CLI on a bad input, count the outcome and assert it was handled: exit 2 with a
    message naming ``names`` (every one), or exit 0 when the input is one the tool may accept.
    ``lost``: the caller found input dropped without a word (counted and failed)."""
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    wanted = [names] if isinstance(names, str) else list(names)
    if code == 1 or "Traceback" in out + err:
        record(INTERNAL)
        raise AssertionError(f"internal error instead of a message:\n{err}")
    if lost:
        record(SILENT)
        raise AssertionError(f"input dropped without a word:\n{out}\n{err}")
    if code == 2:
        missing = [n for n in wanted if n not in err]
        if missing or not err.startswith("slamodeler: "):
            record(UNCLEAR)
            raise AssertionError(f"the message does not name {missing}:\n{err}")
        record(REFUSED)
    else:
        assert code == 0, f"exit {code}:\n{err}"
        record(ACCEPTED)
    return code, out, err


def summary() -> str:
    parts = [f"tried {TALLY['tried']}"] + [
        f"{name} {TALLY[name]}" for name in (REFUSED, ACCEPTED, UNCLEAR, INTERNAL, SILENT)
    ]
    return "hostile inputs: " + ", ".join(parts) + " (targets: internal errors 0, silent losses 0)"
