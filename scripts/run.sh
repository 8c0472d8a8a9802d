#!/usr/bin/env bash
# Run Heartline: install, build the demo organisation on SQLite (once), serve on localhost.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
export HEARTLINE_DATA_DIR=${HEARTLINE_DATA_DIR:-var}
.venv/bin/heartline demo --if-empty
.venv/bin/heartline serve
