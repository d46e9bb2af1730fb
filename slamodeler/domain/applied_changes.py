"""A base contract with some of a redline's changes applied: the contracts between two versions
that a redline comparison prices to share the difference out among the changes.

Changes are those `ws diff` lists (``contract_changes.user_changes``), in its order; each one
takes its item or term from the redline (a whole tier, band or window added or removed, a
schedule replaced, one term, one member of a set of causes or places).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from slamodeler.domain.contract import Contract
from slamodeler.domain.contract_changes import Change, user_changes
from slamodeler.domain.contract_diff import _SETS, diff_contracts
from slamodeler.domain.errors import InputError


class _Items(dict):
    """A list of the dumped contract keyed as the diff's paths name its items: tiers by name,
    everything else by position."""


Token = str | int


def changes_between(base: Contract, redline: Contract) -> list[Change]:
    """The changes from ``base`` to ``redline``, in the order `ws diff` shows them."""
    return user_changes(diff_contracts(base, redline))


def with_changes(base: Contract, redline: Contract, changes: Iterable[Change]) -> Contract | None:
    """``base`` with ``changes`` (some of those from ``base`` to ``redline``) taken from
    ``redline``; None when the terms in between are not a valid contract (a band moved below
    the next one before that one moves too, say)."""
    tree = _keyed(base.model_dump(mode="python"), "")
    source = _keyed(redline.model_dump(mode="python"), "")
    for change in changes:
        tokens = _tokens(change.path, [tree, source])
        if any(change.path.endswith(k) for k in _SETS):
            _member(tree, source, tokens, change)
        else:
            _take(tree, source, tokens)
    try:
        return Contract.model_validate(_plain(tree))
    except (ValidationError, InputError, ValueError):
        return None


def _keyed(value: Any, path: str) -> Any:
    if isinstance(value, dict):
        return {k: _keyed(v, f"{path}.{k}" if path else k) for k, v in value.items()}
    if isinstance(value, list) and not any(path.endswith(k) for k in _SETS):
        if path == "tiers":
            return _Items({t["name"]: _keyed(t, f"tiers[{t['name']}]") for t in value})
        return _Items({i: _keyed(v, f"{path}[{i}]") for i, v in enumerate(value)})
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, _Items):
        keys = list(value) if all(isinstance(k, str) for k in value) else sorted(value)
        return [_plain(value[k]) for k in keys]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _tokens(path: str, trees: list[Any]) -> list[Token]:
    """The keys along ``path``, read against the trees it can be in (dict keys may hold dots:
    an impact label "0.5")."""
    out: list[Token] = []
    rest = path
    nodes = trees
    while rest:
        if rest.startswith("["):
            inner, _, rest = rest[1:].partition("]")
            key: Token = (
                inner if any(inner in n for n in nodes if isinstance(n, dict)) else int(inner)
            )
        else:
            rest = rest.removeprefix(".")
            keys = {k for n in nodes if isinstance(n, dict) for k in n if isinstance(k, str)}
            fits = [k for k in keys if rest == k or rest.startswith((k + ".", k + "["))]
            key = max(fits, key=len) if fits else rest.split(".")[0].split("[")[0]
            rest = rest[len(key) :]
        out.append(key)
        nodes = [n.get(key) for n in nodes if isinstance(n, dict)]
    return out


def _get(tree: Any, tokens: list[Token]) -> tuple[bool, Any]:
    node = tree
    for key in tokens:
        if not isinstance(node, dict) or key not in node:
            return False, None
        node = node[key]
    return True, node


def _set(tree: dict, tokens: list[Token], value: Any) -> None:
    node = tree
    for key in tokens[:-1]:
        if not isinstance(node.get(key), dict):
            node[key] = {}
        node = node[key]
    node[tokens[-1]] = copy.deepcopy(value)


def _take(tree: dict, source: dict, tokens: list[Token]) -> None:
    """The item or term at ``tokens`` as the redline has it: its value, or gone; where the
    redline has none of what holds it (no liability cap at all), none of that either."""
    found, value = _get(source, tokens)
    if found:
        _set(tree, tokens, value)
        return
    for depth in range(len(tokens) - 1, 0, -1):
        found, value = _get(source, tokens[:depth])
        if found:
            if isinstance(value, dict):
                break
            _set(tree, tokens[:depth], value)
            return
    found, parent = _get(tree, tokens[:-1])
    if found and isinstance(parent, dict):
        parent.pop(tokens[-1], None)


def _member(tree: dict, source: dict, tokens: list[Token], change: Change) -> None:
    """One cause, service or region added to a set or taken out of it; members in the
    redline's order, then the base's."""
    _, members = _get(tree, tokens)
    now = [m for m in (members or []) if str(m) != change.before]
    if change.kind == "added":
        now.append(change.after)
    _, order = _get(source, tokens)
    order = [str(m) for m in order or []]
    now.sort(key=lambda m: order.index(str(m)) if str(m) in order else len(order))
    _set(tree, tokens, now)
