"""Errors that reach a user: each names the place (file, row, field) and what to do about it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class InputError(Exception):
    """Bad user input. Front ends show the message as it is (no traceback) and exit with code 2."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong at one place, e.g. ``tiers[1].credits.bands[2].below``, which ``place``
    says in words where the model has them ("Silver, band 3, availability below %")."""

    path: str
    message: str
    line: int | None = None
    place: str = ""

    def __str__(self) -> str:
        """As the command line shows it: the words, then the path for whoever edits the file."""
        where = f"line {self.line}, " if self.line else ""
        if self.place and self.path:
            return f"{where}{self.place}: {self.message} ({self.path})"
        return f"{where}{self.path}: {self.message}" if self.path else f"{where}{self.message}"

    @property
    def worded(self) -> str:
        """As a window shows it: the place in words only."""
        where = self.place or self.path
        return f"{where}: {self.message}" if where else self.message


class ContractError(InputError):
    """A contract (or other input model) that does not validate; ``problems`` lists every place
    at fault."""

    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = problems
        lines = [f"{source}: {len(problems)} problem(s)"]
        lines += [f"  {p}" for p in problems]
        super().__init__("\n".join(lines))


class MissingColumnError(InputError):
    """No column for a field the import needs (one of ``fields``). The message is worded for a
    mapping file; ``fields`` and ``header`` let a front end point to its own controls instead."""

    def __init__(self, message: str, fields: Sequence[str], header: Sequence[str]):
        super().__init__(message)
        self.fields = tuple(fields)
        self.header = tuple(header)


class UndecodableTextError(InputError):
    """A text file not valid in the encoding chosen (or in any that detection tries).
    ``problem`` says which byte, where; the message adds the command line's fix."""

    def __init__(self, message: str, problem: str):
        super().__init__(message)
        self.problem = problem
