#!/usr/bin/env bash
# The checks that need an NVIDIA GPU, in one run (under 8 minutes on an H200):
#   1. a release build of the binary, the tests and the benchmarks;
#   2. the CUDA tests: each kernel against the CPU engine (cuda_kernels), each
#      engine op and its backward on the device against the CPU (cuda_engine,
#      which also checks the lessons with CUDA as the default device), the probe;
#   3. every conformance case run with `--device cuda`, its output compared
#      with the CPU run's (cuda_conformance: the `, device='cuda:0'` suffix
#      removed, numbers within the lesson checker's tolerance);
#   4. `nnlearn --device cuda check`: every lesson on the GPU;
#   5. the benchmark: matmul GFLOP/s at 4096x4096 and elementwise GB/s over
#      256M floats, CUDA next to CPU (benches/cuda.rs).
# Usage: scripts/gpu-check.sh [CONFORMANCE_DIR]   (default: ../shared/conformance)
# Exits non-zero if any step fails.
set -uo pipefail
cd "$(dirname "$0")/.."

export CONFORMANCE_DIR=${1:-${CONFORMANCE_DIR:-../shared/conformance}}
[ -d "$CONFORMANCE_DIR/cases" ] || CONFORMANCE_DIR=shared/conformance
failures=0
step() { printf '\n== %s (%ss elapsed)\n' "$1" "$SECONDS"; }
fail() { echo "FAIL: $1"; failures=$((failures + 1)); }

command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader

step "release build"
timeout 420 cargo build --release --bins --tests --benches || { echo "FAIL: build"; exit 1; }
bin=${CARGO_TARGET_DIR:-target}/release/nnlearn
printf 'import torch\nprint(torch.cuda.get_device_name())\n' | "$bin" run /dev/stdin \
    || fail "CUDA is not usable"

step "CUDA tests"
timeout 300 cargo test --release --lib tensor::cuda:: -- --nocapture || fail "unit tests"
timeout 300 cargo test --release --test cuda_kernels --test cuda_probe --test cuda_engine \
    --test cuda_conformance -- --nocapture || fail "CUDA tests"

step "lessons on CUDA"
timeout 120 "$bin" --device cuda check | tail -n 3 || fail "lessons on CUDA"

step "benchmark"
timeout 240 cargo bench --bench cuda || fail "benchmark"

step "done"
if [ "$failures" -gt 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
echo "all GPU checks passed"
