"""Hostile input to `slamodeler report`: a period that is not one, a tier the contract lacks,
an output that is not a page or would replace an input, file options with stored sets; each
refused with exit 2 and one message naming the option, and no report left behind. A title
that is markup is written as text."""

from __future__ import annotations

from tests.helpers.hostile_inputs import hostile
from tests.helpers.paths import SAMPLES

CONTRACT = SAMPLES / "three_tier_cloud.yaml"
INCIDENTS = SAMPLES / "incidents_sample.csv"


def report(capsys, tmp_path, *more: object, out: object = None, names=()):
    target = out if out is not None else tmp_path / "r.html"
    return hostile(capsys, "report", CONTRACT, INCIDENTS, "-o", target, *more, names=names)


def test_a_month_that_does_not_exist_is_named(capsys, tmp_path):
    code, _, _ = report(capsys, tmp_path, "--period", "2024-13", names=["--period", "2024-13"])
    assert code == 2 and not (tmp_path / "r.html").exists()


def test_a_period_in_words_is_named(capsys, tmp_path):
    code, _, _ = report(capsys, tmp_path, "--period", "March", names="March")
    assert code == 2


def test_a_tier_the_contract_lacks_is_named_with_those_it_has(capsys, tmp_path):
    code, _, _ = report(
        capsys, tmp_path, "--period", "2024-04", "--tier", "Platinum",
        names=["--tier", "Platinum", "Bronze, Silver, Gold"],
    )  # fmt: skip
    assert code == 2


def test_a_report_over_the_incident_file_is_refused(capsys, tmp_path):
    code, _, _ = report(capsys, tmp_path, "--period", "2024-04", out=INCIDENTS, names="-o")
    assert code == 2


def test_a_report_not_named_html_is_refused(capsys, tmp_path):
    out = tmp_path / "r.pdf"
    code, _, _ = report(capsys, tmp_path, "--period", "2024-04", out=out, names=[str(out), ".html"])
    assert code == 2 and not out.exists()


def test_file_options_with_a_stored_set_are_refused(capsys, ws, tmp_path):
    code, _, _ = hostile(
        capsys, "report", "--ws", ws, "three_tier_cloud@1", "incidents_sample", "--period",
        "2024-04", "-o", tmp_path / "r.html", "--mapping", "m.yaml", names="--mapping",
    )  # fmt: skip
    assert code == 2


def test_a_title_that_is_markup_is_written_as_text(capsys, tmp_path):
    incidents = tmp_path / "i.csv"
    incidents.write_text(
        "id,start,end,impact,cause,service,region,title\n"
        'X1,2024-04-02T10:00:00Z,2024-04-02T11:00:00Z,full,,Compute,us-east-1,"<script>x()</script>"\n'
    )
    out = tmp_path / "r.html"
    code, _, _ = hostile(capsys, "report", CONTRACT, incidents, "--period", "2024-04", "-o", out)
    assert code == 0
    html = out.read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;x()&lt;/script&gt;" in html
