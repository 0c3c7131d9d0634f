#!/usr/bin/env bash
# Osprey's GCS shortest-path solver against Drake, side by side in one run (`make bench-gcs`).
#
#   bash bench/gcs.sh [REGEX] [--repeat N] [--time-limit S] [--skip-drake] [--skip-micp] [--output FILE]
#
# REGEX filters instance names (e.g. `maze`). Instances: every JSON file under $OSPREY_BENCHMARKS/gcs
# (default ../shared/benchmarks, relative to the repository root), with reference-drake.jsonl. Osprey
# is .build/release/osprey (`make release` builds it). Adds Drake (PyPI `drake`, pinned) to bench/.venv
# when missing, creating the venv if needed. Prints the tables and writes them to
# bench/results/gcs-<date>.md. See bench/gcs.py --help for every option.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=bench/.venv
DRAKE_VERSION="${DRAKE_VERSION:-1.51.1}"  # the reference results were made with Drake 1.51
if ! "$VENV/bin/python" -c "
import importlib.metadata, sys, pydrake.geometry.optimization
sys.exit(importlib.metadata.version('drake') != '$DRAKE_VERSION')" 2>/dev/null; then
  echo "bench: adding drake==$DRAKE_VERSION to $VENV (PyPI)" >&2
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "drake==$DRAKE_VERSION"
fi

exec "$VENV/bin/python" bench/gcs.py \
  --benchmarks "${OSPREY_BENCHMARKS:-../shared/benchmarks}" \
  --osprey .build/release/osprey \
  "$@"
