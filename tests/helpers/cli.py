"""The command line run in-process, as the CLI tests and the workspace fixture run it."""

from __future__ import annotations

from slamodeler.cli.main import main


def run(capsys, *argv: object) -> tuple[int, str, str]:
    """``(exit code, stdout, stderr)`` of ``slamodeler *argv``; argparse's exits included."""
    capsys.readouterr()
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:  # argparse
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err
