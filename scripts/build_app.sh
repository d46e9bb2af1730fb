#!/usr/bin/env bash
# Build the one-folder application into dist/slamodeler/ with slamodeler.spec, run its smoke test
# and print its size (docs/packaging.md). Uses the active Python environment (CI's .venv), which
# must hold the project and exactly one Qt binding; PyInstaller is installed into it if missing
# (a build tool only, not a run-time dependency).
set -euo pipefail
cd "$(dirname "$0")/.."

python -m PyInstaller --version >/dev/null 2>&1 || python -m pip install --quiet 'pyinstaller>=6.10'

start=$(date +%s)
python -m PyInstaller --noconfirm --clean --log-level WARN slamodeler.spec
built=$(date +%s)
echo "build_app: built dist/slamodeler in $((built - start)) s"

QT_QPA_PLATFORM=offscreen dist/slamodeler/slamodeler --smoke-test
echo "build_app: smoke test passed in $(($(date +%s) - built)) s"
du -sh dist/slamodeler
