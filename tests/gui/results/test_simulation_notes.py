"""What a run notes is shown beside its figures in the Simulation view, as the command line
prints it: a scenario whose regional process names a region spelt wrong draws incidents that
reach no tier, and the status under the Run button says so (the figures alone read as a quiet
year)."""

from __future__ import annotations

from slamodeler.services.incident_sets import import_scenario
from slamodeler.services.versions import import_contract
from slamodeler.services.workspaces import init_workspace
from tests.helpers.gui_editing import open_version
from tests.helpers.gui_runs import pick, run_simulation
from tests.helpers.paths import SAMPLES


def test_a_process_that_reaches_no_tier_is_noted_under_the_run(
    qtbot, make_window, gui_home, tmp_path
):
    scenario = tmp_path / "misspelt.yaml"
    scenario.write_text(
        (SAMPLES / "scenarios" / "baseline.yaml")
        .read_text(encoding="utf-8")
        .replace("scope: {region: us-east-1}", "scope: {region: us-east1}"),
        encoding="utf-8",
    )
    workspace = gui_home / "notes.slamws"
    opened = init_workspace(workspace, "tester")
    import_contract(opened.workspace, SAMPLES / "three_tier_cloud.yaml", "tester")
    import_scenario(opened.workspace, scenario, "tester")
    opened.workspace.close()
    window = make_window(workspace=workspace)
    open_version(window, "three_tier_cloud", 1)
    view = window.simulation
    window.tabs.setCurrentWidget(view)
    pick(qtbot, view.scenarios, "misspelt")
    run_simulation(qtbot, window, 500)
    assert view.status.text().endswith(
        "Note: process regional: its scope reaches no tier, so its incidents count nowhere; "
        "check the region and service names."
    )
