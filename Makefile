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
	scripts/test

demo:
	scripts/demo

bench: all
	@scripts/install-deps.sh build bench
	bench/run.sh

clean:
	rm -rf build build-asan
