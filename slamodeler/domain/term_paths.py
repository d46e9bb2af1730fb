"""One numeric term of a contract or scenario, addressed by its path, read and set: what a
sensitivity sweep varies and what a finder solves for, without a special case per term.

Paths are those validation messages and differences use: keys joined by dots, a list's items by
name in brackets where they have one (``tiers[Gold].target_pct``,
``processes[api].frequency.rate_per_month``) and by position from 0 otherwise
(``tiers[Gold].credits.bands[1].credit_pct``: the second band). ``numeric_terms`` lists every
path a model has, with its value, and ``describe`` (field_names) says a contract's in words.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel

from slamodeler.domain.errors import InputError
from slamodeler.domain.field_names import describe
from slamodeler.domain.validation import build

M = TypeVar("M", bound=BaseModel)
Number = Decimal | float | int


def numeric_terms(model: BaseModel) -> dict[str, Number]:
    """Every numeric term of ``model`` by path, in the order of its fields (flags left out)."""
    out: dict[str, Number] = {}
    _walk(model.model_dump(mode="python"), "", out)
    return out


def term_value(model: BaseModel, path: str) -> Number:
    """The value at ``path``; InputError naming the path and the terms there are."""
    found = numeric_terms(model).get(path)
    if found is None:
        raise InputError(_unknown(model, path))
    return found


def with_term(model: M, path: str, value: Number, source: str = "") -> M:
    """``model`` with the term at ``path`` set to ``value``, validated again: a value the model
    refuses raises ContractError naming the place, as reading a file would. A Decimal term
    takes ``value`` as written (``Decimal(str(x))`` of a float), so the caller rounds it to
    what the term allows (domain.limits: PCT_DECIMALS, MONEY_DECIMALS)."""
    term_value(model, path)
    data = model.model_dump(mode="python")
    parent, key = _parent(data, path)
    old = parent[key]
    parent[key] = Decimal(str(value)) if isinstance(old, Decimal) else value
    where = source or f"{path} = {value}"
    if type(model).__name__ == "Contract":
        return build(type(model), data, where, describe)
    return build(type(model), data, where)


def _walk(value: Any, path: str, out: dict[str, Number]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            plain = key != "" and not any(c in str(key) for c in ".[]")  # "0.5" is bracketed
            _walk(item, (f"{path}.{key}" if path else str(key)) if plain else f"{path}[{key}]", out)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _walk(item, f"{path}[{_key(item, i)}]", out)
    elif isinstance(value, Decimal | float | int) and not isinstance(value, bool):
        out[path] = value


def _key(item: Any, index: int) -> str:
    name = item.get("name") if isinstance(item, dict) else None
    return name if isinstance(name, str) and name else str(index)


def _parent(data: dict[str, Any], path: str) -> tuple[Any, Any]:
    """The container holding the term at ``path`` (known to exist) and its key there."""
    node: Any = None
    container: Any = {"": data}
    key: Any = ""
    for part in _parts(path):
        node = container[key]
        if isinstance(node, list):
            key = next(i for i, item in enumerate(node) if _key(item, i) == part)
        else:
            key = next(k for k in node if str(k) == part)
        container = node
    return container, key


def _parts(path: str) -> list[str]:
    """``a.b[x].c`` -> a, b, x, c; a bracket's content is taken whole (a name may hold dots)."""
    parts: list[str] = []
    rest = path
    while rest:
        if rest.startswith("["):
            inner, _, rest = rest[1:].partition("]")
            parts.append(inner)
        else:
            head = rest.removeprefix(".")
            cut = min((i for i in (head.find("."), head.find("[")) if i >= 0), default=len(head))
            parts.append(head[:cut])
            rest = head[cut:]
    return parts


def _unknown(model: BaseModel, path: str) -> str:
    terms = list(numeric_terms(model))
    near: list[str] = []
    stem = path
    while not near and stem:  # the terms under the longest part of the path that has any
        stem = stem[: max(stem.rfind("."), stem.rfind("["), 0)]
        near = [t for t in terms if t.startswith(stem)][:6] if stem else terms[:6]
    return (
        f"{path}: no numeric term there; terms are named by their path, such as "
        + ", ".join(near)
        + ("" if len(near) == len(terms) else ", ...")
    )
