"""Turn pydantic's errors into problems a contract author can act on: a dotted path with list
indexes (``tiers[1].credits.bands[2].below``) and a sentence saying what to change."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from slamodeler.domain.credit_schedules import FieldProblem
from slamodeler.domain.errors import ContractError, Problem

M = TypeVar("M", bound=BaseModel)

# pydantic puts the chosen member of a tagged union into the error path, right after the field
# that holds the union; the file has no such key. ("bands" is both a tag and a field name.)
_UNION_FIELDS = {"credits", "frequency", "duration_minutes", "minutes"}
_TAGS = {
    "bands",
    "linear",
    "per_hour",
    "fee_multiple",
    "poisson",
    "negbin",
    "exponential",
    "lognormal",
    "weibull",
    "gamma",
    "uniform",
    "empirical",
}
_GENERATED = re.compile(
    r"^(function-[a-z]+\[.*\]|constrained-[a-z]+|literal\[.*\]|str|int|float|"
    r"decimal|bool|Scope|HourOfWeek)$"
)


def format_path(loc: tuple[Any, ...]) -> str:
    path = ""
    previous: Any = None
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif previous in _UNION_FIELDS and part in _TAGS:
            pass  # the union member's tag
        elif isinstance(part, str) and _GENERATED.match(part):
            pass  # pydantic's name for a validator or a member type, not a key in the file
        else:
            path += f".{part}" if path else str(part)
        previous = part
    return path


_NUMBER_PARSING = {"decimal_parsing", "int_parsing", "float_parsing"}


def _message(error: Mapping[str, Any]) -> tuple[str, str]:
    """Return (extra path, message) for one pydantic error."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    cause = ctx.get("error")
    if isinstance(cause, FieldProblem):
        return cause.path, str(cause).split(": ", 1)[1]
    if kind == "extra_forbidden":
        return "", "unknown key; check its spelling against the format's documentation"
    if kind == "missing":
        return "", "required, but missing"
    if kind == "literal_error":
        return "", f"must be one of {ctx.get('expected')}"
    if kind == "union_tag_invalid":
        key = str(ctx.get("discriminator", "kind")).strip("'")
        return "", f"{key} must be one of {ctx.get('expected_tags')}"
    if kind == "union_tag_not_found":
        key = str(ctx.get("discriminator", "kind")).strip("'")
        return "", f"needs `{key}` (see the format's documentation for the choices)"
    text = error.get("input")
    if kind in _NUMBER_PARSING and isinstance(text, str):
        return "", f"{text!r} is not a number; write it in digits, e.g. 1500 or 99.95"
    msg = str(error["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    return "", msg[:1].lower() + msg[1:]


def problems_from(exc: ValidationError, prefix: str = "") -> list[Problem]:
    """One problem per place; where a value could be one of several kinds (a label or a share),
    what each kind would need is joined with "or"."""
    by_path: dict[str, list[str]] = {}
    for error in exc.errors():
        extra, message = _message(error)
        path = format_path(error["loc"])
        if extra:
            path = f"{path}.{extra}" if path and not extra.startswith("[") else path + extra
        if prefix:
            path = f"{prefix}.{path}" if path else prefix
        messages = by_path.setdefault(path, [])
        if message not in messages:
            messages.append(message)
    return [Problem(path, "; or ".join(messages)) for path, messages in by_path.items()]


Describe = Callable[[str, Any], str]  # (path, the data) -> the place in words


def build(model: type[M], data: object, source: str, describe: Describe | None = None) -> M:
    """Validate ``data`` as ``model`` or raise ContractError listing every problem; ``describe``
    (for a contract, ``field_names.describe``) words the place of each."""
    if not isinstance(data, Mapping):
        raise ContractError(
            source, [Problem("", "expected a mapping of keys to values at the top")]
        )
    try:
        return model.model_validate(dict(data))
    except ValidationError as exc:
        problems = problems_from(exc)
        if describe is not None:
            problems = [replace(p, place=describe(p.path, data)) for p in problems]
        raise ContractError(source, problems) from None


def changed(model: M, source: str, **update: object) -> M:
    """``model`` with the fields in ``update`` replaced, validated again (ContractError naming
    each place, as ``build``): ``model_copy(update=...)`` would skip every check of the model."""
    return build(type(model), {**model.model_dump(), **update}, source)
