#!/usr/bin/env bash
# Set up (idempotent) and run the main job on the bundled interview: English and
# Portuguese subtitles (SRT, VTT, ASS, bilingual SRT/ASS) and bilingual documents
# (PDF, HTML, DOCX, Markdown) in translations/, translated offline with the real
# Firefox English->Portuguese model that setup fetched.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export TRANSKIT_MODELS_DIR="${TRANSKIT_MODELS_DIR:-$PWD/.cache/test-models/installed}"
.venv/bin/transkit run source/interview.md --to pt "$@"
