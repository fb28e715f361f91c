#!/usr/bin/env bash
# The checks that need an NVIDIA GPU, in one run (under 8 minutes on an H200):
#   1. a release build;
#   2. the CUDA tests (kernels against the CPU engine, the probe);
#   3. every conformance case run with `--device cuda`, its output compared
#      with the CPU run's, ignoring the `, device='cuda:0'` that CUDA tensors print;
#   4. a benchmark: matmul GFLOP/s at 4096x4096 and elementwise GB/s over 256M
#      floats, CUDA next to CPU.
# Usage: scripts/gpu-check.sh [CASES_DIR]   (default: shared/conformance/cases)
# Exits non-zero if any step fails.
set -uo pipefail
cd "$(dirname "$0")/.."

cases=${1:-shared/conformance/cases}
[ -d "$cases" ] || cases=/work/shared/conformance/cases
failures=0
step() { printf '\n== %s (%ss elapsed)\n' "$1" "$SECONDS"; }
fail() { echo "FAIL: $1"; failures=$((failures + 1)); }

command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader

step "release build"
timeout 420 cargo build --release --bins --tests || { echo "FAIL: build"; exit 1; }
bin=target/release/nnlearn
[ -n "${CARGO_TARGET_DIR:-}" ] && bin=$CARGO_TARGET_DIR/release/nnlearn

step "CUDA tests"
timeout 300 cargo test --release --lib tensor::cuda:: -- --nocapture || fail "unit tests"
timeout 300 cargo test --release --test cuda_kernels --test cuda_probe -- --nocapture || fail "CUDA tests"

step "conformance: CPU against --device cuda"
# One case: its CPU and CUDA outputs (suffix removed) and exit codes must agree.
compare_case() {
    local py=$1 name
    name=$(basename "$py" .py)
    timeout 60 "$bin" run "$py" >"$tmp/$name.cpu" 2>&1
    local cpu_rc=$?
    timeout 60 "$bin" --device cuda run "$py" 2>&1 | sed "s/, device='cuda:0'//g" >"$tmp/$name.cuda"
    local cuda_rc=${PIPESTATUS[0]}
    if [ "$cpu_rc" = "$cuda_rc" ] && cmp -s "$tmp/$name.cpu" "$tmp/$name.cuda"; then
        echo "PASS $name"
    else
        echo "FAIL $name (exit $cpu_rc on CPU, $cuda_rc on CUDA)"
        diff "$tmp/$name.cpu" "$tmp/$name.cuda" | head -n 10
    fi
}
if ! "$bin" --device cuda --help >/dev/null 2>&1; then
    fail "nnlearn does not accept --device cuda yet"
elif [ ! -d "$cases" ]; then
    fail "no conformance cases at $cases"
else
    tmp=$(mktemp -d)
    export bin tmp
    export -f compare_case
    # Each CUDA run compiles the kernels once (about a second): run 8 at a time.
    printf '%s\n' "$cases"/*.py | xargs -P 8 -I{} bash -c 'compare_case "$1"' _ {} >"$tmp/results"
    grep -v '^PASS ' "$tmp/results"
    passed=$(grep -c '^PASS ' "$tmp/results")
    total=$(find "$cases" -maxdepth 1 -name '*.py' | wc -l)
    echo "conformance: $passed of $total cases print the same on CUDA"
    [ "$passed" = "$total" ] || fail "conformance on CUDA"
    rm -rf "$tmp"
fi

step "benchmark"
timeout 240 cargo test --release --test cuda_bench -- --ignored --nocapture || fail "benchmark"

step "done"
if [ "$failures" -gt 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
echo "all GPU checks passed"
