"""Checking a contract file and describing the file formats: `slamodeler validate` and
`slamodeler schema`, for editors and scripts that write the files by hand."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from slamodeler.domain.band_coverage import contract_band_warnings
from slamodeler.domain.contract import Contract
from slamodeler.io.contract_file import contract_json_schema, load_contract

__all__ = ["contract_band_warnings", "json_schema", "validate_contract"]

FileKind = Literal["contract", "scenario", "mapping"]


def validate_contract(path: str | Path) -> Contract:
    """The contract in ``path``; InputError naming the file, place and fix when it is not one."""
    return load_contract(path)


def json_schema(kind: FileKind) -> str:
    """The JSON Schema of a contract, scenario or column-mapping file, as text (the scenario's
    and the mapping's models imported here: `validate` needs neither)."""
    if kind == "mapping":
        from slamodeler.domain.import_mapping import ColumnMapping

        return json.dumps(ColumnMapping.model_json_schema(), indent=2)
    if kind == "scenario":
        from slamodeler.io.scenario_file import scenario_json_schema

        return scenario_json_schema()
    return contract_json_schema()
