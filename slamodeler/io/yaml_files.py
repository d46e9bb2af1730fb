"""Safe YAML reading that keeps line numbers, so a problem in a file points at its line."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import yaml
from pydantic import BaseModel

from slamodeler.domain.errors import ContractError, InputError
from slamodeler.domain.limits import MAX_YAML_DEPTH
from slamodeler.domain.validation import Describe, build
from slamodeler.io.collector_pause import collector_paused
from slamodeler.io.input_files import InputKind, read_input

M = TypeVar("M", bound=BaseModel)


if TYPE_CHECKING:
    _Loader = yaml.SafeLoader  # the mixin's methods override and call a loader's
else:
    _Loader = object


MERGE_TAG = "tag:yaml.org,2002:merge"
# YAML 1.1's numbers without the two that misread what people type: a leading zero made the
# rest octal (`monthly_fee: 0100` was 64, `day: 09` text) and colons made base 60 (`1:00` was
# 60). As in YAML 1.2, digits are a decimal number whatever zeros lead them (`_decimal_int`), and
# colons make text, which a number field refuses.
_INT = re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?[0-9][0-9_]*|[-+]?0x[0-9a-fA-F_]+)$")
_FLOAT = re.compile(
    r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")


def _decimal_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    """An integer as ``_INT`` reads it: binary after 0b, hexadecimal after 0x, else decimal
    (YAML 1.1's constructor took a leading zero for octal)."""
    text = str(loader.construct_scalar(node)).replace("_", "")
    sign, digits = (-1, text[1:]) if text[0] == "-" else (1, text.lstrip("+"))
    base = {"0b": 2, "0x": 16}.get(digits[:2], 10)
    return sign * int(digits[2:] if base != 10 else digits, base)


class _Strict(_Loader):
    """A loader that refuses duplicate keys (two `credits:` in one tier must not pass silently)
    and reads numbers as they look (``_INT``, ``_FLOAT``)."""

    @classmethod
    def numbers_as_typed(cls) -> None:
        """Swap YAML 1.1's number patterns for ``_INT`` and ``_FLOAT`` in this loader class."""
        cls.yaml_implicit_resolvers = {
            first: [(tag, rx) for tag, rx in resolvers if tag not in _NUMBER_TAGS]
            for first, resolvers in cls.yaml_implicit_resolvers.items()
        }
        cls.add_implicit_resolver(_NUMBER_TAGS[0], _INT, list("-+0123456789"))
        cls.add_implicit_resolver(_NUMBER_TAGS[1], _FLOAT, list("-+0123456789."))
        cls.add_constructor(_NUMBER_TAGS[0], _decimal_int)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value if isinstance(node, yaml.MappingNode) else ():
            if key_node.tag == MERGE_TAG:  # `<<: *defaults`: merged, its keys overridden
                continue
            key = self.construct_object(key_node, deep=deep)
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
                    self.peek_event().start_mark,
                )
            # PyYAML passes a mapping value's key node as its index; the stubs say int.
            return super().compose_node(parent, index)  # type: ignore[arg-type]
        finally:
            self.depth -= 1

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """A value that its tag cannot read (2024-02-30, `!!int x`) is a YAML error at its line."""
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
            kind = str(node.tag).rsplit(":", 1)[-1]
            what = f"{node.value!r} is not" if isinstance(node, yaml.ScalarNode) else "this is not"
            raise yaml.constructor.ConstructorError(
                None, None, f"{what} a valid {kind} ({exc})", node.start_mark
            ) from None


class _StrictLoader(_Strict, yaml.SafeLoader):
    """In Python: slow, but its messages are the ones users see (and the docs show)."""


class _FastStrictLoader(_Strict, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """On libyaml's parser where PyYAML was built with it: 20 times faster on large contracts."""


_StrictLoader.numbers_as_typed()
_FastStrictLoader.numbers_as_typed()


def read_text(path: Path, kind: InputKind) -> str:
    data = read_input(path, kind)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None


class Parsed:
    """A YAML text's node tree, which only a problem's line number needs: composed again then,
    so that a large file's tree and its data are never in memory together."""

    def __init__(self, text: str):
        self.text = text

    @cached_property
    def node(self) -> yaml.Node | None:
        with collector_paused():
            try:
                return _load(_FastStrictLoader, self.text, data=False)[1]
            except yaml.YAMLError:  # a text only the Python parser accepts
                return _load(_StrictLoader, self.text, data=False)[1]


def parse_yaml(text: str, source: str) -> tuple[Any, Parsed]:
    """Return the data and the text's node tree (for line numbers); YAML errors become
    InputError. The text is parsed once, by libyaml; a text it refuses is parsed again in
    Python, whose message is the one shown."""
    try:
        with collector_paused():
            return _load(_FastStrictLoader, text)[0], Parsed(text)
    except yaml.YAMLError:
        pass
    try:
        return _load(_StrictLoader, text)[0], Parsed(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = getattr(exc, "problem", None) or str(exc)
        raise InputError(f"{source}:{where}: not valid YAML: {what}") from None


def _load(
    loader_class: type[_Strict], text: str, data: bool = True
) -> tuple[Any, yaml.Node | None]:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None or not data:
            return None, node
        return loader.construct_document(node), None
    finally:
        loader.dispose()


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
    parsed: Parsed,
    source: str,
    describe: Describe | None = None,
) -> M:
    """Validate ``data`` as ``model``; each problem in the error names its line in the file."""
    try:
        with collector_paused():
            return build(model, data, source, describe)
    except ContractError as exc:
        problems = [replace(p, line=line_of(parsed.node, p.path)) for p in exc.problems]
        problems.sort(key=lambda p: p.line or 0)  # stable: same-line problems keep their order
        raise ContractError(exc.source, problems) from None
