"""The base every contract model shares: immutable, unknown keys refused, decimals kept exact."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from slamodeler.domain.limits import MAX_MONEY, MAX_PCT, MONEY_DECIMALS, PCT_DECIMALS

Percent = Annotated[Decimal, Field(ge=0, le=100, allow_inf_nan=False)]
NonNegative = Annotated[Decimal, Field(ge=0, allow_inf_nan=False)]
Money = Annotated[
    Decimal, Field(ge=0, le=MAX_MONEY, decimal_places=MONEY_DECIMALS, allow_inf_nan=False)
]
CreditPct = Annotated[
    Decimal, Field(ge=0, le=MAX_PCT, decimal_places=PCT_DECIMALS, allow_inf_nan=False)
]
Share = Annotated[Decimal, Field(ge=0, le=1, allow_inf_nan=False)]


def not_yes_or_no(value: object) -> object:
    """``value`` unless it is true or false, which a number field would take for 1 or 0
    (``months: true`` was a term of one month)."""
    if isinstance(value, bool):
        raise ValueError(f"{str(value).lower()} is a yes/no value, not a number; write the number")
    return value


def not_a_number(value: object) -> object:
    """``value`` unless it is a number, which a date field would take for seconds since 1970
    (``start: 20240101`` was a time on 23 August 1970)."""
    if isinstance(value, int | float):
        raise ValueError(f"{value!r} is a number, not a date; write the date as YYYY-MM-DD")
    return value


# after a number's Field, so that pydantic keeps the Field's checks in the number's own schema
# (wrapped the other way, `.nan` failed `ge` rather than "finite number")
NotYesOrNo = BeforeValidator(not_yes_or_no)
CalendarDate = Annotated[date, BeforeValidator(not_a_number)]

# Characters that reorder the text shown after them (embeddings, overrides, isolates)
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def hidden_character(text: str) -> int | None:
    """Where ``text`` holds a control character (NUL, a line break, an escape that a terminal
    obeys) or a bidirectional control, if it does: printed in a table, a CSV row, a sheet name or
    a terminal, such a character hides, reorders or rewrites what follows it."""
    if text.isascii():  # the usual name: no table needed (nor its import at a command's start)
        return next((i for i, char in enumerate(text) if char < " " or char == "\x7f"), None)
    import unicodedata

    for i, char in enumerate(text):
        if unicodedata.category(char) == "Cc" or char in _BIDI_CONTROLS:
            return i
    return None


def one_line(text: str) -> str:
    """``text``, a name, unless it holds a character that ``hidden_character`` finds."""
    i = hidden_character(text)
    if i is not None:
        import unicodedata

        char = text[i]
        name = unicodedata.name(char, "a control character").lower()
        raise ValueError(
            f"character {i + 1} is U+{ord(char):04X} ({name}), which a name cannot hold; "
            "type the name as one line of visible text"
        )
    return text


Label = Annotated[str, AfterValidator(one_line)]  # a name that may be left empty
Name = Annotated[str, Field(min_length=1), AfterValidator(one_line)]


def empty_list() -> list[Any]:
    """``[]``, as a field's default factory instead of ``list``: pydantic reads every default
    factory's signature when it builds a model, and a builtin's (``list``, ``dict``) is parsed
    from its text with ``tokenize``, which cost 6-9 ms of every command's start for the contract's
    and the column mapping's dozen empty defaults (benchmarks/README.md, cli_startup.py)."""
    return []


def empty_dict() -> dict[Any, Any]:
    """``{}``, as a field's default factory instead of ``dict`` (see ``empty_list``)."""
    return {}


class Model(BaseModel):
    """Frozen pydantic model that forbids unknown keys, so a misspelt term is an error, not ignored.

    Each model builds its validator when it is first used, not when its module is imported
    (``defer_build``): the contract's validator holds its tiers', schedules' and terms', so a
    command that validates a contract built two dozen validators at import that it never calls,
    10-15 ms of `slamodeler validate` and of a small replay (benchmarks/README.md,
    cli_startup.py)."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True
    )
