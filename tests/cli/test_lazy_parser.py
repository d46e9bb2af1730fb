"""The parser built for one command (only its module imported: tests/cli/test_startup_imports.py)
parses and prints as the parser of every command does: each command's help, and each of its
actions' (`ws list`, `slo budget`), is the same text."""

from __future__ import annotations

import argparse

import pytest

from slamodeler.cli.main import COMMANDS, build_parser, main


def commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The parsers of ``parser``'s commands, by name (none if it has no commands)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def helps(parser: argparse.ArgumentParser, prefix: str = "") -> dict[str, str]:
    """The help text of ``parser`` and of every command under it, at any depth, by its words."""
    found = {prefix: parser.format_help()}
    for name, sub in commands(parser).items():
        found |= helps(sub, f"{prefix} {name}".strip())
    return found


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_command_parsed_alone_has_the_help_of_the_whole_parser(command):
    whole = helps(build_parser())
    alone = helps(build_parser([command, "--help"]))
    del alone[""]  # the top level lists only this command; `slamodeler --help` builds them all
    assert alone  # the command itself at least
    assert alone == {words: text for words, text in whole.items() if words.split(" ")[0] == command}


def test_without_a_command_first_every_command_is_built():
    for argv in ([], ["--help"], ["-h", "replay"], ["--version"], ["replya"]):
        assert list(commands(build_parser(argv))) == list(COMMANDS)


def test_a_command_misspelt_is_refused_naming_every_command(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["replya"])
    assert stop.value.code == 2
    error = capsys.readouterr().err
    assert "invalid choice: 'replya'" in error
    assert all(f"'{name}'" in error for name in COMMANDS)
