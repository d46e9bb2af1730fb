"""The domain's models build their validators when first used, not when imported
(domain/model_base.py): validating a contract builds the contract's alone, and a model used on
its own afterwards still validates as it did."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from pydantic import ValidationError

from slamodeler.domain.contract import Tier
from tests.helpers.paths import REPO, SAMPLES

# In a fresh interpreter, since a test before may have used any model: every domain model,
# and which of them are built after importing them all, then after loading a contract.
PROGRAM = (
    "import json, sys\n"
    "from tests.domain.test_default_factories import domain_models\n"
    "from slamodeler.io.contract_file import load_contract\n"
    "models = domain_models()\n"
    "def built():\n"
    "    return sorted(m.__qualname__ for m in models if m.__pydantic_complete__)\n"
    "imported = built()\n"
    "load_contract(sys.argv[1])\n"
    "print(json.dumps({'count': len(models), 'imported': imported, 'loaded': built()}))\n"
)


def built_models() -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", PROGRAM, str(SAMPLES / "three_tier_cloud.yaml")],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_importing_the_domain_builds_no_validator_and_a_contract_builds_its_own_alone():
    built = built_models()
    assert built["count"] > 20  # the domain's models were found
    assert built["imported"] == []
    assert built["loaded"] == ["Contract"]


def test_a_model_first_used_on_its_own_refuses_unknown_keys_as_before():
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        Tier.model_validate({"name": "Gold", "fee": "100", "misspelt": 1})
