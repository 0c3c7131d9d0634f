#!/usr/bin/env bash
# Simulation steps/s and offscreen render frames/s for the workcell (`make bench-sim`).
#
#   bash bench/sim.sh [--seconds S] [--output FILE]
#
# Builds the release osprey-bench-sim program, runs it, prints the table and writes it to
# bench/results/sim-<date>.md. Progress lines go to stderr. The machine is often shared: the
# report records the load average at the start and the end of the run.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product osprey-bench-sim >&2
OSPREY_COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  exec .build/release/osprey-bench-sim "$@"
