"""`slamodeler report`: the compliance report's figures are the replay's (every tier, every
period of the sample, held against `replay --format json`), its incidents are those that
counted, it names the contract version and hash, it prints alone, and --ws reports a stored
version by its KEY@N."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from tests.helpers.cli import run
from tests.helpers.paths import SAMPLES

CONTRACT = SAMPLES / "three_tier_cloud.yaml"
INCIDENTS = SAMPLES / "incidents_sample.csv"
FIELDS = ("period_minutes", "excluded_minutes", "downtime_minutes", "credit_pct")


class Fields(HTMLParser):
    """Every ``data-field`` cell's text, in order, per field name."""

    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, list[str]] = {}
        self._field: str | None = None

    def handle_starttag(self, tag, attrs):
        self._field = dict(attrs).get("data-field")

    def handle_data(self, data):
        if self._field is not None:
            self.found.setdefault(self._field, []).append(data)
            self._field = None


def fields(html: str) -> dict[str, list[str]]:
    parser = Fields()
    parser.feed(html)
    return parser.found


def number(text: str) -> float:
    return float(text.replace(",", ""))


def replayed(capsys) -> dict[tuple[str, str], dict]:
    code, out, _ = run(capsys, "replay", CONTRACT, INCIDENTS, "--format", "json")
    assert code == 0
    return {(p["tier"], p["period"]): p for t in json.loads(out)["tiers"] for p in t["periods"]}


@pytest.mark.parametrize("period", ["2024-01", "2024-02", "2024-04", "2024-07", "2024-11"])
def test_the_reports_figures_are_the_replays(tmp_path, capsys, period):
    expected = replayed(capsys)
    out = tmp_path / "report.html"
    code, stdout, err = run(
        capsys, "report", CONTRACT, INCIDENTS, "--period", period, "--customer", "Acme", "-o", out
    )
    assert code == 0, err
    found = fields(out.read_text(encoding="utf-8"))
    tiers = ("Bronze", "Silver", "Gold")
    assert found["period"] == [period] * 3
    for i, tier in enumerate(tiers):
        p = expected[tier, period]
        for name in FIELDS:
            assert number(found[name][i]) == p[name], (tier, name)
        assert number(found["availability_pct"][i]) == round(p["availability_pct"], 4)
        assert found["credit_after_caps"][i].replace(",", "") == p["credit_after_caps"]
        assert found["credit_owed"][i].replace(",", "") == p["credit_owed"]
        assert f"{tier} {period}: availability {p['availability_pct']:.4f}%" in stdout
    counted = [number(m) for m in found.get("counted_minutes", [])]
    assert counted == [
        s["counted_minutes"] for t in tiers for s in expected[t, period]["incidents"]
    ]


def test_the_report_names_the_customer_version_hash_and_incidents(tmp_path, capsys):
    out = tmp_path / "acme.html"
    code, _, err = run(
        capsys, "report", CONTRACT, INCIDENTS, "--period", "2024-04", "--customer", "Acme <Corp>",
        "--tier", "Silver", "-o", out,
    )  # fmt: skip
    assert code == 0, err
    html = out.read_text(encoding="utf-8")
    assert "<h1>Service level report: Acme &lt;Corp&gt;, 2024-04</h1>" in html
    found = fields(html)
    assert found["contract_label"] == ["three_tier_cloud.yaml"]
    code, validated, _ = run(capsys, "validate", CONTRACT)
    assert found["contract_hash"][0][:12] in validated
    assert found["availability_pct"] == ["99.3519"] and found["credit_after_caps"] == ["400.00"]
    assert "<td>INC-1007 (row 8)</td><td>Storage backend outage across month end</td>" in html
    assert "<td>2024-04-30 19:20</td><td>2024-05-01 02:40</td>" in html  # New York time
    assert "Rule applied: band 1: availability &lt; 99.9% -&gt; 10%." in html
    assert "@media print" in html and "@page" in html  # prints on its own
    assert not re.search(r"<script|<link|src=|href=", html)  # self-contained


def test_a_stored_version_is_named_by_key_and_number(ws, tmp_path, capsys):
    out = tmp_path / "r.html"
    code, _, err = run(
        capsys, "report", "--ws", ws, "three_tier_cloud@1", "incidents_sample", "--period",
        "2024-04", "--tier", "Gold", "-o", out,
    )  # fmt: skip
    assert code == 0, err
    found = fields(out.read_text(encoding="utf-8"))
    assert found["contract_label"] == ["three_tier_cloud@1"]
    assert found["credit_after_caps"] == ["1,200.00"]


def test_a_quiet_period_after_the_record_is_reported_with_no_incidents(tmp_path, capsys):
    out = tmp_path / "r.html"
    code, _, err = run(
        capsys, "report", CONTRACT, INCIDENTS, "--period", "2026-03", "--tier", "Gold", "-o", out
    )
    assert code == 0, err
    html = out.read_text(encoding="utf-8")
    assert fields(html)["availability_pct"] == ["100.0000"]
    assert "No incident reached this service in the period." in html
