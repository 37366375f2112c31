#!/usr/bin/env bash
# Run tests again and again with the CPU saturated (pytest --cpu-burn: 2 x cores busy
# processes for each session) and count the runs that pass.
#   scripts/stress.sh [-n RUNS] [PYTEST ARGS...]
#   scripts/stress.sh -n 5 tests/test_batch.py tests/test_kill_resume.py
# Without test paths it runs the whole suite. Exit status 0 only if every run passed.
set -uo pipefail
cd "$(dirname "$0")/.."
runs=3
if [[ "${1:-}" == "-n" ]]; then runs=$2; shift 2; fi
passed=0
for ((i = 1; i <= runs; i++)); do
    start=$(date +%s)
    if .venv/bin/python -m pytest -q -p no:cacheprovider --cpu-burn "$@"; then
        passed=$((passed + 1)); verdict=passed
    else
        verdict=FAILED
    fi
    echo "stress: run $i/$runs $verdict in $(($(date +%s) - start)) s (load $(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo ?))"
done
echo "stress: $passed of $runs runs passed"
[[ $passed -eq $runs ]]
