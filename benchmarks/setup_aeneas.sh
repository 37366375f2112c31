#!/usr/bin/env bash
# Create .cache/aeneas-venv with aeneas 1.7.3, used ONLY as a comparison tool by
# benchmarks/align_accuracy.py. aeneas is AGPL: it is never a transkit dependency and
# nothing of it is imported by transkit; the benchmark runs it as a separate program.
# Needs python3-venv, espeak-ng and ffmpeg (scripts/setup.sh installs them). Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.cache/aeneas-venv
PYTHON=${PYTHON:-python3}
if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c "import aeneas.cdtw, aeneas.cmfcc" 2>/dev/null; then
    echo "setup_aeneas: $VENV is ready"
    exit 0
fi
mkdir -p .cache
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --upgrade pip "setuptools<70" wheel
# aeneas 1.7.3 builds its C extensions against numpy's headers at install time and
# does not declare that; numpy must be there first, and older than 2.
"$VENV/bin/python" -m pip install -q "numpy<2"
AENEAS_WITH_CEW=False "$VENV/bin/python" -m pip install -q --no-build-isolation aeneas==1.7.3
"$VENV/bin/python" -c "import aeneas.cdtw, aeneas.cmfcc; print('setup_aeneas: aeneas', __import__('aeneas').__version__, 'with C extensions')"
