"""What a large contract costs to read (issue 14: 1.4 s and 26 MB per 1,000 tiers). The timings
are in benchmarks/contract_parsing.py; here, the two causes, which do not depend on the machine:
the text was scanned twice by PyYAML's Python scanner, and Python's cycle collector walked every
object made so far again and again while the file was read."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
import yaml

from slamodeler.domain.errors import ContractError
from slamodeler.io.contract_file import load_contract
from tests.helpers.paths import SAMPLES

SAMPLE = (SAMPLES / "three_tier_cloud.yaml").read_text(encoding="utf-8")
TIER = """\
  - name: Tier {k}
    target_pct: 99.9
    monthly_fee: 4000
    credits:
      kind: bands
      bands:
        - {{below: 99.9, credit_pct: 10}}
"""


def many_tiers(tmp_path: Path, tiers: int) -> Path:
    head = SAMPLE[: SAMPLE.index("tiers:\n") + len("tiers:\n")]
    path = tmp_path / "many.yaml"
    path.write_text(head + "".join(TIER.format(k=k) for k in range(tiers)), encoding="utf-8")
    return path


def test_a_valid_contract_is_not_scanned_by_the_python_scanner(tmp_path, monkeypatch):
    if not yaml.__with_libyaml__:
        pytest.fail("PyYAML without libyaml: contracts are read 20 times slower")
    scanned = []
    real = yaml.scanner.Scanner.check_token
    monkeypatch.setattr(
        yaml.scanner.Scanner, "check_token", lambda self, *c: scanned.append(1) or real(self, *c)
    )
    contract = load_contract(many_tiers(tmp_path, 50))
    assert len(contract.tiers) == 50
    assert scanned == []


def test_no_full_collection_runs_while_a_large_contract_is_read(tmp_path):
    path = many_tiers(tmp_path, 3000)
    collections = []

    def seen(phase: str, info: dict) -> None:
        if phase == "start":
            collections.append(info["generation"])

    gc.collect()
    gc.callbacks.append(seen)
    try:
        contract = load_contract(path)
    finally:
        gc.callbacks.remove(seen)
    assert len(contract.tiers) == 3000
    assert 2 not in collections, collections  # generation 2: a full collection
    assert gc.isenabled()


def test_a_problem_still_names_its_line(tmp_path):
    path = many_tiers(tmp_path, 200)
    text = path.read_text(encoding="utf-8").replace(
        "  - name: Tier 150\n    target_pct: 99.9", "  - name: Tier 150\n    target_pct: 150"
    )
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("    target_pct: 150") + 1
    with pytest.raises(ContractError, match=rf"line {line}, Tier 150, target %"):
        load_contract(path)
