"""LibreOffice, headless, for the tests that open what the tool writes in a real spreadsheet."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_office = pytest.mark.skipif(
    SOFFICE is None and not os.environ.get("CI"),
    reason="LibreOffice (soffice) is not installed; .ci/run installs libreoffice-calc",
)


def office_profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh LibreOffice user profile (the body of a module's ``office`` fixture)."""
    if SOFFICE is None:
        pytest.fail("LibreOffice (soffice) is required in CI; .ci/run installs libreoffice-calc")
    return tmp_path_factory.mktemp("office-profile")


def convert(profile: Path, source: Path, to: str, outdir: Path) -> Path:
    """Open ``source`` in LibreOffice headless (recalculating: the workbook asks for a full
    calculation on load) and save it as ``to`` in ``outdir``."""
    outdir.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            to,
            "--outdir",
            str(outdir),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    out = outdir / (source.stem + "." + to.split(":")[0])
    assert out.exists(), f"LibreOffice did not convert {source}: {done.stdout}{done.stderr}"
    return out
