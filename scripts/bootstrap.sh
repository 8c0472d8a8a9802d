#!/usr/bin/env bash
# Create .venv and install Heartline into it (skipped when nothing changed).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "creating virtualenv .venv"
  "$PY" -m venv .venv
fi
stamp=".venv/.heartline-installed-$(cat pyproject.toml | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "installing Heartline and its dependencies into .venv (first time takes a few minutes)"
  .venv/bin/python -m pip install -q --upgrade pip
  # The CPU build of torch, pinned: an unpinned torch pulls a multi-GB CUDA build.
  .venv/bin/python -m pip install -q "torch==2.13.0"
  .venv/bin/python -m pip install -q -e ".[dev]"
  rm -f .venv/.heartline-installed-*
  touch "$stamp"
fi
