"""Turn pydantic's errors into problems a contract author can act on: a dotted path with list
indexes (``tiers[1].credits.bands[2].below``) and a sentence saying what to change."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from slamodeler.domain.credit_schedules import FieldProblem
from slamodeler.domain.errors import ContractError, Problem

M = TypeVar("M", bound=BaseModel)

_UNION_TAGS = {"bands", "linear", "per_hour", "fee_multiple"}


def format_path(loc: tuple[Any, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part in _UNION_TAGS or str(part).startswith("function-"):
            continue  # pydantic's name for the union member or validator, not a key in the file
        else:
            path += f".{part}" if path else str(part)
    return path


def _message(error: Mapping[str, Any]) -> tuple[str, str]:
    """Return (extra path, message) for one pydantic error."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    cause = ctx.get("error")
    if isinstance(cause, FieldProblem):
        return cause.path, str(cause).split(": ", 1)[1]
    if kind == "extra_forbidden":
        return "", "unknown key; check its spelling against docs/contract-format.md"
    if kind == "missing":
        return "", "required, but missing"
    if kind == "literal_error":
        return "", f"must be one of {ctx.get('expected')}"
    if kind == "union_tag_invalid":
        return "", f"kind must be one of {ctx.get('expected_tags')}"
    if kind == "union_tag_not_found":
        return "", "needs `kind`: bands, linear, per_hour or fee_multiple"
    msg = str(error["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    return "", msg[:1].lower() + msg[1:]


def problems_from(exc: ValidationError, prefix: str = "") -> list[Problem]:
    problems = []
    for error in exc.errors():
        extra, message = _message(error)
        path = format_path(error["loc"])
        if extra:
            path = f"{path}.{extra}" if path and not extra.startswith("[") else path + extra
        if prefix:
            path = f"{prefix}.{path}" if path else prefix
        problems.append(Problem(path, message))
    return problems


def build(model: type[M], data: object, source: str) -> M:
    """Validate ``data`` as ``model`` or raise ContractError listing every problem."""
    if not isinstance(data, Mapping):
        raise ContractError(
            source, [Problem("", "expected a mapping of keys to values at the top")]
        )
    try:
        return model.model_validate(dict(data))
    except ValidationError as exc:
        raise ContractError(source, problems_from(exc)) from None
