# Osprey — two commands for a fresh machine: `make demo` and `make test`.
SWIFT ?= swift
RELEASE_BIN = .build/release
.PHONY: deps build release learn test demo bench-solver bench-gcs bench-plan bench-sim bench-torch bench-perception bench-descriptors check-torch-free clean

deps:
	@bash scripts/deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product osprey
	$(SWIFT) build -c release --product osprey-learn

# The learning commands' executable (links libtorch; `osprey` itself never does).
learn: deps
	$(SWIFT) build -c release --product osprey-learn

# `osprey` must not load libtorch (~0.5 s and ~200 MB at start-up): fails if it links it.
check-torch-free: release
	@n=$$(ldd $(RELEASE_BIN)/osprey | grep -c torch || true); \
	if [ "$$n" != "0" ]; then echo "osprey links libtorch ($$n libraries)"; exit 1; fi; echo "osprey: no libtorch"

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

# One training step of a small conv net at 240x320, and the tiny-model self-test.
bench-torch: learn
	$(RELEASE_BIN)/osprey-learn selftest --benchmark --repeats 9 --threads 1
	$(RELEASE_BIN)/osprey-learn selftest --benchmark --repeats 9 --threads 2

# TSDF voxels/s, marching tetrahedra and mesh rendering times (synthetic scene, no MuJoCo).
bench-perception: deps
	$(SWIFT) build -c release --product osprey-bench-perception
	$(RELEASE_BIN)/osprey-bench-perception

# Dense descriptors on mugs: pairs/s, inference at 320x240, evaluation after a fixed training budget
# (default 30 minutes; `make bench-descriptors MINUTES=3` for a quick run); writes bench/results/descriptors-<date>.md.
MINUTES ?= 30
bench-descriptors: deps
	bash bench/descriptors.sh --minutes $(MINUTES)

clean:
	rm -rf .build
