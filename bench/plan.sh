#!/usr/bin/env bash
# GCS motion planning (Osprey; Drake on the same regions) against OMPL's PRM and RRT*, side by side in one
# run (`make bench-plan`): the claim of Marcucci et al., Science Robotics 2023 (arXiv:2205.04422).
#
#   bash bench/plan.sh [REGEX] [--repeat N] [--planning-time S] [--seeds K] [--skip-drake] [--skip-ompl] [--output FILE]
#
# REGEX filters scene names (e.g. `arm`). Scenes: every JSON file under $OSPREY_BENCHMARKS/plan (default
# ../shared/benchmarks, relative to the repository root) and under bench/scenes (made by
# bench/make_plan_scenes.py). Osprey is .build/release/osprey (`make release` builds it). Adds Drake and
# OMPL (PyPI `drake`, `ompl`, pinned) to bench/.venv when missing, creating the venv if needed. Prints
# the tables and writes them to bench/results/plan-<date>.md. See bench/plan.py --help for every option.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=bench/.venv
DRAKE_VERSION="${DRAKE_VERSION:-1.51.1}"
OMPL_VERSION="${OMPL_VERSION:-2.0.1}"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
for pkg in "drake:$DRAKE_VERSION:pydrake.planning" "ompl:$OMPL_VERSION:ompl.geometric" "scipy::scipy.spatial"; do
  IFS=: read -r name version module <<< "$pkg"
  if ! "$VENV/bin/python" -c "
import importlib.metadata, sys, $module
sys.exit('$version' != '' and importlib.metadata.version('$name') != '$version')" 2>/dev/null; then
    spec="$name${version:+==$version}"
    echo "bench: adding $spec to $VENV (PyPI)" >&2
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$spec"
  fi
done

exec "$VENV/bin/python" bench/plan.py \
  --benchmarks "${OSPREY_BENCHMARKS:-../shared/benchmarks}" \
  --osprey .build/release/osprey \
  "$@"
