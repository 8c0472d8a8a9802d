#!/usr/bin/env bash
# Run Heartline: install, build the demo organisation on SQLite (once), serve on localhost.
# The analysis of the demo's interactions runs beside the server; human KPIs fill in
# batch by batch while efficiency KPIs are there from the first page.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
export HEARTLINE_DATA_DIR=${HEARTLINE_DATA_DIR:-var}
.venv/bin/heartline demo --if-empty --no-analyze
.venv/bin/heartline score > "$HEARTLINE_DATA_DIR/score.log" 2>&1 &
scorer=$!
trap 'kill $scorer 2>/dev/null || true' EXIT
echo "analysing the demo's interactions in the background (log: $HEARTLINE_DATA_DIR/score.log)"
.venv/bin/heartline serve
