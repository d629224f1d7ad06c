# kiemdiem: thin front door over CMake.
#   make          release build, binary at build/kiemdiem
#   make test     ASan+UBSan build in build-asan/, then every test (ctest)
#   make demo     classify the example cell (the README's main job)
#   make bench    benchmarks (see BENCHMARKS.md)
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all deps test demo bench clean
all: deps
	cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build build -j $(JOBS)

deps:
	@scripts/install-deps.sh build

test:
	@scripts/install-deps.sh build test
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DKD_SANITIZE=ON >/dev/null
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ctest --output-on-failure -j $(JOBS)

demo: all
	build/kiemdiem classify examples/minh-khai-2021.json

bench: all
	@scripts/install-deps.sh build bench
	bench/run.sh

clean:
	rm -rf build build-asan
