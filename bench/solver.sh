#!/usr/bin/env bash
# Osprey's conic solver against Clarabel, side by side in one run (`make bench-solver`).
#
#   bash bench/solver.sh [REGEX] [--time-limit S] [--repeat K] [--clarabel-only] [--folders a,b]
#
# REGEX filters instance names (e.g. `gcs_`). Instances: every JSON file under
# $OSPREY_BENCHMARKS/conic/{generated,maros-meszaros,cblib,netlib} (default ../shared/benchmarks,
# relative to the repository root). Osprey is .build/release/osprey (`make release` builds it).
# Creates bench/.venv with Clarabel, NumPy and SciPy from PyPI when missing. Prints the tables and
# writes them to bench/results/solver-<date>.md. See bench/solver.py --help for every option.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=bench/.venv
CLARABEL_SPEC="${CLARABEL_SPEC:-clarabel==0.11.1}"
if ! "$VENV/bin/python" -c "import clarabel, numpy, scipy" 2>/dev/null; then
  echo "bench: creating $VENV with $CLARABEL_SPEC, numpy, scipy (PyPI)" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$CLARABEL_SPEC" numpy scipy
fi

exec "$VENV/bin/python" bench/solver.py \
  --benchmarks "${OSPREY_BENCHMARKS:-../shared/benchmarks}" \
  --osprey .build/release/osprey \
  "$@"
