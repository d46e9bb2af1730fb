"""The contract file (``format: slamodeler/v1``, YAML): read, write, and its JSON Schema."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import yaml

from slamodeler.domain.contract import FORMAT, Contract
from slamodeler.domain.errors import InputError
from slamodeler.domain.field_names import describe
from slamodeler.io.input_files import CONTRACT
from slamodeler.io.yaml_files import build_with_lines, parse_yaml, read_text


def load_contract(path: str | Path) -> Contract:
    path = Path(path)
    return contract_from_text(read_text(path, CONTRACT), str(path))


def contract_from_text(text: str, source: str) -> Contract:
    data, parsed = parse_yaml(text, source)
    if isinstance(data, dict) and data.get("format") not in (None, FORMAT):
        raise InputError(
            f"{source}: format is {data.get('format')!r}; this version reads {FORMAT!r} contracts"
        )
    if isinstance(data, dict) and "format" not in data:
        raise InputError(
            f"{source}: not a contract file: the first line should be `format: {FORMAT}`"
        )
    return build_with_lines(Contract, data, parsed, source, describe)


class _Dumper(yaml.SafeDumper):
    """Writes decimals as plain YAML numbers, digit for digit."""


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = format(value, "f")
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return dumper.represent_scalar(tag, text)


_Dumper.add_representer(Decimal, _decimal)


def contract_to_yaml(contract: Contract) -> str:
    """The contract as a file that loads back to an equal contract."""
    data = contract.model_dump(mode="python")
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True)


def contract_json_schema() -> str:
    schema = Contract.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://slamodeler.example/schema/slamodeler-v1.json"
    schema["title"] = "SLA Modeler contract (slamodeler/v1)"
    return json.dumps(schema, indent=2)
