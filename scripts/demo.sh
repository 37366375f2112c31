#!/usr/bin/env bash
# Set up (idempotent) and run the main job on the bundled interview:
#  1. translations/: English and Portuguese subtitles (SRT, VTT, ASS, bilingual SRT/ASS)
#     and bilingual documents (PDF, HTML, DOCX, Markdown), timed from the speech-rate
#     model and translated offline with the real Firefox English->Portuguese model;
#  2. demo-output/: the same, timed to a spoken version of the interview that is
#     synthesised offline (.cache/demo/interview.mp4, two voices) and aligned, and the
#     recording with its English and Portuguese tracks (demo-output/interview.subtitles.{mkv,mp4}).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export TRANSKIT_MODELS_DIR="${TRANSKIT_MODELS_DIR:-$PWD/.cache/test-models/installed}"
.venv/bin/transkit run source/interview.md --to pt "$@"
if [ ! -f .cache/demo/interview.mp4 ]; then
    .venv/bin/python scripts/make_demo_audio.py --video
fi
.venv/bin/transkit run source/interview.md --to pt --audio .cache/demo/interview.mp4 --out demo-output "$@"
.venv/bin/transkit mux .cache/demo/interview.mp4 demo-output --to en,pt
echo "demo: subtitles and documents in translations/ (estimated timing) and demo-output/ (aligned to .cache/demo/interview.mp4)"
