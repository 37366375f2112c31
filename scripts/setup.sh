#!/usr/bin/env bash
# Set up everything transkit and its tests need on a fresh Debian/Ubuntu machine:
# system tools (ffmpeg, espeak-ng, Chromium, poppler), a virtual environment in .venv
# with transkit installed, and the pinned real test models. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(ffmpeg espeak-ng flite sox chromium poppler-utils fonts-dejavu-core fontconfig pocketsphinx-testdata pocketsphinx pocketsphinx-en-us)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
    echo "setup: installing Debian packages: ${missing[*]}"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    echo "setup: creating .venv"
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'

.venv/bin/python scripts/fetch_test_models.py
.venv/bin/python scripts/fetch_peer_subtitles.py
echo "setup: done"
