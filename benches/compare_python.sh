#!/usr/bin/env bash
# usage: [CPYTHON=python3] benches/compare_python.sh — the plain Python workloads of
# benches/python/ side by side: benches/interp.rs's `python` group (criterion, median) and
# benches/cpython/python.py (CPython, median), one after the other; prints both and the ratio
# (below 1: nnlearn is faster).
set -eu
cd "$(dirname "$0")/.."
py=${CPYTHON:-python3}
ours=$(cargo bench --bench interp -- python/ 2>/dev/null | awk '
  /^python\// { split($1, p, "/"); k = p[2] }
  /time:/ && k != "" {
    for (i = 1; i <= NF; i++) if ($i == "time:") { v = $(i + 3); u = $(i + 4) }
    if (u == "µs") v /= 1000; if (u == "s") v *= 1000; print k, v; k = "" }')
theirs=$("$py" benches/cpython/python.py)
printf '%-12s %12s %12s %8s\n' workload "nnlearn ms" "CPython ms" ratio
while read -r k a; do
  b=$(printf '%s\n' "$theirs" | awk -v k="$k" '$1 == k {print $3}')
  printf '%-12s %12.2f %12.2f %8.2f\n' "$k" "$a" "$b" "$(echo "$a / $b" | bc -l)"
done <<< "$ours"
