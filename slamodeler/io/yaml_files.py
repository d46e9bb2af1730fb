"""Safe YAML reading that keeps line numbers, so a problem in a file points at its line."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel

from slamodeler.domain.errors import ContractError, InputError
from slamodeler.domain.limits import MAX_YAML_DEPTH
from slamodeler.domain.validation import Describe, build

M = TypeVar("M", bound=BaseModel)


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys: two `credits:` in one tier must not pass silently."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value if isinstance(node, yaml.MappingNode) else ():
            key = self.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
            try:
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"key {key!r} appears twice", key_node.start_mark
                    )
                seen.add(key)
            except TypeError:
                pass  # an unhashable key: the base class reports it
        return super().construct_mapping(node, deep=deep)

    depth = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        """Lists and mappings nested deeper than MAX_YAML_DEPTH are refused at the line they
        start (composing them recurses: thousands deep would exhaust the stack)."""
        self.depth += 1
        try:
            if self.depth > MAX_YAML_DEPTH:
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    f"lists and mappings nested more than {MAX_YAML_DEPTH} deep",
                    self.peek_event().start_mark,  # type: ignore[no-untyped-call]
                )
            return super().compose_node(parent, index)  # type: ignore[no-untyped-call]
        finally:
            self.depth -= 1

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """A value that its tag cannot read (2024-02-30, `!!int x`) is a YAML error at its line."""
        try:
            return super().construct_object(node, deep=deep)  # type: ignore[no-untyped-call]
        except (ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
            kind = str(node.tag).rsplit(":", 1)[-1]
            what = f"{node.value!r} is not" if isinstance(node, yaml.ScalarNode) else "this is not"
            raise yaml.constructor.ConstructorError(
                None, None, f"{what} a valid {kind} ({exc})", node.start_mark
            ) from None


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a file") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None


def parse_yaml(text: str, source: str) -> tuple[Any, yaml.Node | None]:
    """Return the data and its node tree (for line numbers); YAML errors become InputError."""
    try:
        node = yaml.compose(text, Loader=_StrictLoader)
        data = yaml.load(text, Loader=_StrictLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = getattr(exc, "problem", None) or str(exc)
        raise InputError(f"{source}:{where}: not valid YAML: {what}") from None
    return data, node


def line_of(node: yaml.Node | None, path: str) -> int | None:
    """1-based line of the deepest node along ``path`` (``a.b[2].c``) that exists in the file."""
    line = node.start_mark.line + 1 if node is not None else None
    for key in _split(path):
        if isinstance(node, yaml.MappingNode) and isinstance(key, str):
            pair = next(((k, v) for k, v in node.value if k.value == key), None)
            if pair is None:
                break
            line = pair[0].start_mark.line + 1  # the key's line, where a reader looks
            node = pair[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _split(path: str) -> list[str | int]:
    parts: list[str | int] = []
    for chunk in path.replace("[", ".[").split("."):
        if not chunk:
            continue
        index = chunk[1:-1] if chunk.startswith("[") and chunk.endswith("]") else ""
        parts.append(int(index) if index.isdecimal() else chunk)  # a key may contain "[" too
    return parts


def build_with_lines(
    model: type[M],
    data: object,
    node: yaml.Node | None,
    source: str,
    describe: Describe | None = None,
) -> M:
    """Validate ``data`` as ``model``; each problem in the error names its line in the file."""
    try:
        return build(model, data, source, describe)
    except ContractError as exc:
        problems = [replace(p, line=line_of(node, p.path)) for p in exc.problems]
        problems.sort(key=lambda p: p.line or 0)  # stable: same-line problems keep their order
        raise ContractError(exc.source, problems) from None
