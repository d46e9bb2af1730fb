"""Render each main view of the desktop application at 1280x800 into docs/screenshots/*.png.

The pictures are taken on the tour of the window (slamodeler/gui/tour.py, which also paints
every other view and fails on a crash, an exception or a Qt warning), on a fresh workspace
seeded with the sample contracts, so they are the same on every machine:

    python scripts/screenshots.py [--out docs/screenshots] [--offscreen]

Where it draws: on the X display in $DISPLAY (the xcb platform); with no display, under a virtual
X server when ``xvfb-run`` is installed (``apt-get install xvfb``; the script starts it as
``xvfb-run -s "-screen 0 1920x1080x24"``), so the pictures are drawn as on a desktop; else, or with
``--offscreen``, Qt's offscreen platform. docs/packaging.md lists the X11 libraries Qt needs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
XVFB = ["xvfb-run", "--auto-servernum", "--server-args=-screen 0 1920x1080x24"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument(
        "--offscreen", action="store_true", help="Qt's offscreen platform, even with a display"
    )
    args = parser.parse_args()
    if args.offscreen:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    elif "QT_QPA_PLATFORM" not in os.environ:
        if os.environ.get("DISPLAY"):
            os.environ["QT_QPA_PLATFORM"] = "xcb"
        elif shutil.which("xvfb-run"):  # again, with a virtual display
            command = [*XVFB, sys.executable, str(Path(__file__).resolve()), *sys.argv[1:]]
            os.execvp(command[0], command)
        else:
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
    sys.path.insert(0, str(ROOT))
    from slamodeler.gui.tour import main as tour

    print(f"platform {os.environ['QT_QPA_PLATFORM']}")
    return tour(["--shots", str(args.out)])


if __name__ == "__main__":
    raise SystemExit(main())
