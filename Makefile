# Osprey — two commands for a fresh machine: `make demo` and `make test`.
SWIFT ?= swift
RELEASE_BIN = .build/release
.PHONY: deps build release test demo bench-solver bench-gcs bench-plan bench-sim bench-perception clean

deps:
	@bash scripts/deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product osprey

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

demo: release
	$(RELEASE_BIN)/osprey demo

bench-solver: release
	bash bench/solver.sh

bench-gcs: release
	bash bench/gcs.sh

bench-plan: release
	bash bench/plan.sh

# Simulation steps/s and render frames/s; writes bench/results/sim-<date>.md.
bench-sim: deps
	bash bench/sim.sh

# TSDF voxels/s, marching tetrahedra and mesh rendering times (synthetic scene, no MuJoCo).
bench-perception: deps
	$(SWIFT) build -c release --product osprey-bench-perception
	$(RELEASE_BIN)/osprey-bench-perception

clean:
	rm -rf .build
