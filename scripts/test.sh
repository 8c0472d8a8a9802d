#!/usr/bin/env bash
# Run the whole test suite (slow, PostgreSQL and browser tests included).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
# shellcheck source=/dev/null
source scripts/pg-throwaway.sh
trap heartline_pg_stop EXIT
set +e
.venv/bin/python -m pytest -n 2 --dist loadfile "$@"
rc=$?
set -e
exit $rc
